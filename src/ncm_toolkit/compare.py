"""Comparing stakeholders: several profiles of one partnership, side by side.

Each profile is one stakeholder's answers for the same partnership. Every profile is scored as
`ncm score` scores it, and the answers and rankings are set side by side:

- **Verdict per objective.** The *spread* is the highest importance any stakeholder gives the
  objective minus the lowest. *Agreement*: a spread of 0 or 1. *Split*: a spread of 3 or more,
  or one stakeholder gives 0 (not an objective) while another gives 2 or more, so they disagree
  on whether it is an objective at all. *Uncertain*: anything else (a spread of 2 above 0).
- **Combined importances** are the median of the stakeholders' importances, rounded half up
  (with an even number of stakeholders the median can fall on a half). The median rather than
  the mean, so that one partner who rates everything 5, or 0, cannot drag the shared view; it
  stays on the 0-5 scale the method uses; and with two stakeholders it equals the mean. Half up,
  so that an objective that half of the partners hold is kept. Should no objective keep a median
  above 0 (the stakeholders share no objective), each objective gets its mean rounded up
  instead, and a note says so.
- **The combined ranking** scores a combined profile like any other: the combined importances;
  every partner any stakeholder lists; each yes/no answer as most stakeholders gave it (a tie
  leaves it unanswered); and the least formal integration any stakeholder accepts, since that
  is what all of them accept. It has the same explanations and robustness as `ncm score`.
- **Disagreement per option** is the spread (highest minus lowest) of the ranks the
  stakeholders' own rankings give it; equal rank spreads are ordered by the spread of its
  scores. The most disputed options, up to three with any spread, are listed.
- **Driving objectives** of an option: for each objective, its importance spread times the
  option's alignment strength on it (0-3); the largest, up to three and above 0, drive the
  disagreement. When the other answers (partners, yes/no answers, formality) differ, the spread
  of the option's rule and formality adjustments is reported beside them.
- **Over time.** Two profiles are read as two snapshots of one partnership only when the same
  respondent (the same `respondent.role` and `respondent.organisation`, whitespace and case
  aside) answered both on different `as_of` dates, or when asked (`over_time=True`, the CLI's
  `--over-time`); never because two names match, since several stakeholders' profiles of one
  partnership normally share its name. The earlier `as_of` is the first snapshot (when both are
  dated and differ), else the first given: the answers that changed (importances, partners,
  yes/no answers, formality, structure answers, risks added or removed) and how each option's
  rank and score moved. One respondent's profiles of one `as_of` date (a copy, an answer sent
  twice) are never over time: each counts as a voice, and a note says so.

- **First: agree, split, settle.** What every stakeholder agrees on (the same first-ranked
  option or options, the same yes/no answer, an objective's *agreement*), where they split (first
  choices that differ, a yes/no question answered both yes and no, an objective's *split*), each
  with who holds which view, and what the workshop must settle: one item per split answer, per
  split objective, and for the options (first choices that differ; else a first place the
  combined ranking shares, named as a tie). Its wording is in `data/report/board.yaml`.

Output is deterministic: objectives and options in content-pack order, ties broken by it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ncm_toolkit.content import ContentPack
from ncm_toolkit.profile import (
    QUESTIONS,
    Commissioning,
    Governance,
    Partner,
    Profile,
    Structure,
    Sustainability,
)
from ncm_toolkit.report_data import compare_wording
from ncm_toolkit.safe_text import term
from ncm_toolkit.scoring import OptionScore, Result, score_profile
from ncm_toolkit.vocabulary import FORMALITIES, OBJECTIVE_IDS


def answer(profile: Profile, question: str) -> bool | None:
    value = getattr(getattr(profile, QUESTIONS[question][0]), question, None)
    return value if isinstance(value, bool) else None


MAX_DISPUTED = 3
MAX_DRIVERS = 3


@dataclass(frozen=True)
class Stakeholder:
    profile: str
    label: str
    name: str


@dataclass
class ObjectiveRow:
    objective: str
    title: str
    importances: list[int]
    combined: int
    spread: int
    verdict: str


@dataclass(frozen=True)
class Driver:
    objective: str
    title: str
    importances: list[int]
    spread: int
    strength: int
    weight: int


@dataclass
class OptionRow:
    option: str
    title: str
    ranks: list[int]
    scores: list[float]
    combined_rank: int
    combined_score: float
    rank_spread: int
    score_spread: float
    adjustment_spread: float
    drivers: list[Driver]
    closed: list[bool] = field(default_factory=list)
    """Per stakeholder: a requirement the source states rules the option out (`gates`), so
    it ranks below open options whatever its score."""
    combined_closed: bool = False


@dataclass(frozen=True)
class AnswerChange:
    """kind: objective, partner_added, partner_removed, answer, formality, structure,
    risk_added or risk_removed; key: the objective, question or partner kind; label: what
    changed."""

    kind: str
    key: str
    label: str
    before: int | bool | str | None
    after: int | bool | str | None


@dataclass(frozen=True)
class Move:
    option: str
    title: str
    rank_before: int
    rank_after: int
    score_before: float
    score_after: float
    places: int  # positive: moved up
    points: float


@dataclass
class OverTime:
    """`basis`: `same_respondent` (one respondent, two `as_of` dates) or `asked`."""

    before: str
    after: str
    changes: list[AnswerChange]
    moves: list[Move]
    basis: str = "asked"
    before_as_of: str | None = None
    after_as_of: str | None = None


@dataclass(frozen=True)
class View:
    """One view on a split and the stakeholders (labels) who hold it: `view` is `yes`, `no` or
    `not answered`, an importance, or option titles; `options` their ids for a first choice."""

    view: str
    stakeholders: list[str]
    options: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Settle:
    """One thing the workshop must settle. kind: answer, objective, first_choice or tie; key:
    the question or objective id (empty for the options); text: the item as plain text."""

    kind: str
    key: str
    text: str
    views: list[View]


@dataclass
class Brief:
    """The first section as plain sentences (escape them for the medium): the combined ranking's
    first place, what the stakeholders agree on, where they split, what must be settled."""

    lead: str
    agree: list[str]
    split: list[str]
    settle: list[Settle]
    nothing_split: str
    nothing_to_settle: str


@dataclass
class Comparison:
    stakeholders: list[Stakeholder]
    objectives: list[ObjectiveRow]
    results: list[Result]
    combined: Result
    options: list[OptionRow]  # in the combined ranking's order
    disputed: list[OptionRow]
    over_time: OverTime | None
    notes: list[str]
    brief: Brief | None = None

    def held(self) -> list[ObjectiveRow]:
        """The objectives at least one stakeholder holds: the others need no discussion."""
        return [o for o in self.objectives if max(o.importances)]

    def verdicts(self) -> dict[str, int]:
        return {v: sum(o.verdict == v for o in self.held()) for v in VERDICTS}

    def to_json(self) -> dict[str, Any]:
        def brief(res: Result) -> list[dict[str, Any]]:
            return [
                {"rank": r.rank, "option": r.option, "title": r.title, "score": r.score}
                for r in res.ranking
            ]

        return {
            "stakeholders": [asdict(s) for s in self.stakeholders],
            "objectives": [asdict(o) for o in self.objectives],
            "verdicts": self.verdicts(),
            "rankings": [
                {"profile": s.profile, "name": r.name, "ranking": brief(r)}
                for s, r in zip(self.stakeholders, self.results, strict=True)
            ],
            "combined": {
                "importances": {o.objective: o.combined for o in self.objectives},
                "ranking": brief(self.combined),
                "robustness": self.combined.robustness.to_json(),
                "notes": self.combined.notes,
            },
            "options": [asdict(o) for o in self.options],
            "most_disputed": [o.option for o in self.disputed],
            "over_time": asdict(self.over_time) if self.over_time else None,
            "notes": self.notes,
            "to_settle": [asdict(x) for x in self.brief.settle] if self.brief else [],
        }


VERDICTS = ("agreement", "uncertain", "split")


def verdict(importances: Sequence[int]) -> str:
    lo, hi = min(importances), max(importances)
    if hi - lo <= 1:
        return "agreement"
    if hi - lo >= 3 or (lo == 0 and hi >= 2):
        return "split"
    return "uncertain"


def median_half_up(values: Sequence[int]) -> int:
    v = sorted(values)
    twice = v[(len(v) - 1) // 2] + v[len(v) // 2]
    return (twice + 1) // 2


def _labels(paths: Sequence[str]) -> list[str]:
    """Each profile's file stem, else its path where stems repeat; labels that would still
    be shown alike (`a\x1b` for ESC and for a backslash, `x`, `1`, `b`; U+FFFD for any byte
    that is not UTF-8) are numbered in the order given, so every view has its own label."""
    stems = [Path(p).stem or p for p in paths]
    labels = [s if stems.count(s) == 1 else p for s, p in zip(stems, paths, strict=True)]
    shown = [term(label) for label in labels]
    return [
        f"{label} ({shown[: i + 1].count(shown[i])})" if shown.count(shown[i]) > 1 else label
        for i, label in enumerate(labels)
    ]


def _norm(text: str) -> str:
    return " ".join(text.split())


def name_key(text: str) -> str:
    """A name as it is compared: case and runs of spaces aside ("North  ICS" is "north ics"),
    for respondents, partnerships and the partnership a readiness record names."""
    return _norm(text).casefold()


def _who(p: Profile) -> tuple[str, str] | None:
    """The respondent as (role, organisation), compared without case or extra spaces; None
    unless both are given (an organisation alone may be several people)."""
    r = p.respondent
    if r is None or r.role is None or r.organisation is None:
        return None
    key = (name_key(r.role), name_key(r.organisation))
    return key if all(key) else None


def same_respondent_over_time(a: Profile, b: Profile) -> bool:
    """Two snapshots by one respondent: the same role and organisation, two different dates."""
    who = _who(a)
    if who is None or who != _who(b):
        return False
    return a.as_of is not None and b.as_of is not None and a.as_of != b.as_of


def _repeated_respondents(ps: Sequence[Profile], labels: Sequence[str]) -> list[list[str]]:
    """The labels of profiles answered by one respondent on different dates, a list for each
    such respondent: among three or more profiles they are counted as separate voices, and
    the reader is told so rather than left to take one person for several."""
    by_who: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(ps):
        who = _who(p)
        if who is not None and p.as_of is not None:
            by_who.setdefault(who, []).append(i)
    return [
        [labels[i] for i in group]
        for group in by_who.values()
        if len({ps[i].as_of for i in group}) > 1
    ]


def _same_day_respondents(ps: Sequence[Profile], labels: Sequence[str]) -> list[list[str]]:
    """The labels of profiles answered by one respondent on one date, a list for each such
    respondent and date: a copy kept by mistake, or an answer sent twice, is otherwise
    counted as a second stakeholder who agrees, without a word."""
    by_day: dict[tuple[tuple[str, str], Any], list[int]] = {}
    for i, p in enumerate(ps):
        who = _who(p)
        if who is not None and p.as_of is not None:
            by_day.setdefault((who, p.as_of), []).append(i)
    return [[labels[i] for i in group] for group in by_day.values() if len(group) > 1]


def combined_profile(profiles: Sequence[Profile], importances: dict[str, int]) -> Profile:
    """The stakeholders' answers merged into one profile. It is assembled from answers that were
    each validated already, not validated again: the limits of one file (1,000 partners or
    risks, names that are not blank) bound a stakeholder's input, and a union of several valid
    files may exceed them."""
    partners: dict[tuple[str, str], Partner] = {}
    for p in profiles:
        for x in p.partners:
            partners.setdefault((x.name, x.kind), x)
    votes: dict[str, bool | None] = {}
    for key in QUESTIONS:
        given = [a for a in (answer(p, key) for p in profiles) if a is not None]
        yes, no = given.count(True), given.count(False)
        votes[key] = None if yes == no else yes > no
    forms = [p.governance.formality for p in profiles if p.governance and p.governance.formality]
    names = {_norm(p.name) for p in profiles}
    name = (
        (names.pop() or profiles[0].name)
        if len(names) == 1
        else f"Combined view of {len(profiles)} stakeholders"
    )
    risks: dict[str, str] = {}
    for p in profiles:
        for r in p.risks:
            risks.setdefault(_norm(r), _norm(r) or r)
    return Profile.model_construct(
        name=name,
        partners=list(partners.values()),
        objectives=importances,  # type: ignore[arg-type]
        sustainability=Sustainability(
            configuration_must_change=votes["configuration_must_change"],
            can_do_alone=votes["can_do_alone"],
        ),
        commissioning=Commissioning(functions_remain=votes["functions_remain"]),
        governance=Governance(formality=min(forms, key=FORMALITIES.index) if forms else None),
        risks=list(risks.values()),
    )


def _spread(values: Sequence[float]) -> float:
    return round(max(values) - min(values), 2)


def _option_rows(
    rows: list[ObjectiveRow], results: list[Result], combined: Result
) -> list[OptionRow]:
    by = [{r.option: r for r in res.ranking} for res in results]
    out = []
    for c in combined.ranking:
        mine: list[OptionScore] = [b[c.option] for b in by]
        ranks, scores = [m.rank for m in mine], [m.score for m in mine]
        adjs = [sum(a.points for a in m.adjustments if a.rule != "clamp") for m in mine]
        drivers = [
            Driver(o.objective, o.title, o.importances, o.spread, k.strength, o.spread * k.strength)
            for o, k in zip(rows, c.contributions, strict=True)
            if o.spread * k.strength > 0
        ]
        drivers = sorted(drivers, key=lambda d: -d.weight)[:MAX_DRIVERS]  # stable: pack order
        spreads = (max(ranks) - min(ranks), _spread(scores), _spread(adjs))
        row = OptionRow(c.option, c.title, ranks, scores, c.rank, c.score, *spreads, drivers)
        row.closed, row.combined_closed = [bool(m.gates) for m in mine], bool(c.gates)
        out.append(row)
    return out


def _over_time(
    pack: ContentPack, a: Profile, b: Profile, ra: Result, rb: Result, labels: list[str]
) -> OverTime:
    ch: list[AnswerChange] = []
    for obj in OBJECTIVE_IDS:
        old, new = a.objectives.get(obj, 0), b.objectives.get(obj, 0)  # type: ignore[call-overload]
        if old != new:
            ch.append(AnswerChange("objective", obj, pack.objective_title(obj), old, new))
    pa = {(x.name, x.kind) for x in a.partners}
    pb = {(x.name, x.kind) for x in b.partners}
    ch += [AnswerChange("partner_added", k, n, None, k) for n, k in sorted(pb - pa)]
    ch += [AnswerChange("partner_removed", k, n, k, None) for n, k in sorted(pa - pb)]
    for key, (_, label) in QUESTIONS.items():
        if answer(a, key) != answer(b, key):
            ch.append(AnswerChange("answer", key, label, answer(a, key), answer(b, key)))
    fa = a.governance.formality if a.governance else None
    fb = b.governance.formality if b.governance else None
    if fa != fb:
        ch.append(AnswerChange("formality", "formality", "Formality accepted", fa, fb))
    sa, sb = a.structure or Structure(), b.structure or Structure()
    for key in Structure.model_fields:
        va, vb = getattr(sa, key), getattr(sb, key)
        if va != vb:
            label = key.replace("_", " ").capitalize()
            ch.append(AnswerChange("structure", key, label, va, vb))
    ka, kb = [_norm(r) for r in a.risks], [_norm(r) for r in b.risks]
    ch += [AnswerChange("risk_added", "", r, None, None) for r in kb if r not in ka]
    ch += [AnswerChange("risk_removed", "", r, None, None) for r in ka if r not in kb]
    before = {r.option: r for r in ra.ranking}
    moves = []
    for r in rb.ranking:
        o, pts = before[r.option], round(r.score - before[r.option].score, 2)
        moves.append(
            Move(r.option, r.title, o.rank, r.rank, o.score, r.score, o.rank - r.rank, pts)
        )
    return OverTime(labels[0], labels[1], ch, moves)


def compare(
    pack: ContentPack, profiles: Sequence[tuple[str, Profile]], over_time: bool = False
) -> Comparison:
    """Set two or more stakeholders' profiles of one partnership side by side; with
    `over_time` (two profiles only), also read them as two snapshots."""
    if len(profiles) < 2:
        raise ValueError("a comparison needs at least two profiles")
    if over_time and len(profiles) != 2:
        raise ValueError("an over-time reading needs exactly two profiles")
    paths, ps = [p for p, _ in profiles], [p for _, p in profiles]
    labels = _labels(paths)
    people = [Stakeholder(p, lab, x.name) for p, lab, x in zip(paths, labels, ps, strict=True)]
    results = [score_profile(pack, p) for p in ps]
    notes: list[str] = []
    rows = []
    for obj in OBJECTIVE_IDS:
        imp = [p.objectives.get(obj, 0) for p in ps]  # type: ignore[call-overload]
        row = (median_half_up(imp), max(imp) - min(imp), verdict(imp))
        rows.append(ObjectiveRow(obj, pack.objective_title(obj), imp, *row))
    if not any(r.combined for r in rows):
        for r in rows:
            r.combined = -(-sum(r.importances) // len(ps))
        notes.append(
            "The stakeholders share no objective: no median importance is above 0, so the "
            "combined importances are the means rounded up."
        )
    if len(ps) > 2:  # two are read over time instead
        for group in _repeated_respondents(ps, labels):
            notes.append(compare_wording().say("same_respondent", profiles=_join(group)))
    for group in _same_day_respondents(ps, labels):  # two profiles too: not over time
        notes.append(compare_wording().say("same_respondent_same_date", profiles=_join(group)))
    merged = combined_profile(ps, {r.objective: r.combined for r in rows})
    combined = score_profile(pack, merged)
    options = _option_rows(rows, results, combined)
    order = list(pack.options)
    disputed = sorted(
        (o for o in options if o.rank_spread or o.score_spread),
        key=lambda o: (-o.rank_spread, -o.score_spread, order.index(o.option)),
    )[:MAX_DISPUTED]
    over = None
    if len(ps) == 2 and (over_time or same_respondent_over_time(ps[0], ps[1])):
        first, second = 0, 1
        da, db = ps[0].as_of, ps[1].as_of
        if da is not None and db is not None and db < da:
            first, second = 1, 0  # the earlier snapshot first, whatever the order given
        two = [labels[first], labels[second]]
        over = _over_time(pack, ps[first], ps[second], results[first], results[second], two)
        over.basis = "asked" if over_time else "same_respondent"
        dates = [ps[first].as_of, ps[second].as_of]
        over.before_as_of, over.after_as_of = (d.isoformat() if d else None for d in dates)
    cmp = Comparison(people, rows, results, combined, options, disputed, over, notes)
    cmp.brief = brief(pack, cmp, ps)
    return cmp


def _join(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _group(keys: Sequence[str], labels: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Stakeholders grouped by the view they hold, most holders first, then first seen."""
    seen: dict[str, list[str]] = {}
    for k, lab in zip(keys, labels, strict=True):
        seen.setdefault(k, []).append(lab)
    return sorted(seen.items(), key=lambda kv: -len(kv[1]))  # stable: first seen


def _says(views: list[tuple[str, list[str]]], total: int, verb: str = "say") -> str:
    """'2 of 3 say yes, 1 says no': how many hold each view."""
    parts = []
    for i, (view, who) in enumerate(sorted(views, key=lambda kv: kv[0] == "not answered")):
        n = f"{len(who)} of {total}" if i == 0 else str(len(who))
        if view == "not answered":
            parts.append(f"{n} did not answer")
        else:
            parts.append(f"{n} {verb + 's' if len(who) == 1 else verb} {view}")
    return ", ".join(parts)


def _held_by(views: list[tuple[str, list[str]]]) -> str:
    """'yes (a, b); no (c)': each view and who holds it."""
    return "; ".join(f"{view} ({', '.join(who)})" for view, who in views)


def brief(pack: ContentPack, cmp: Comparison, profiles: Sequence[Profile]) -> Brief:
    """What the stakeholders agree on, where they split and what the workshop must settle."""
    w = compare_wording()
    labels = [s.label for s in cmp.stakeholders]
    n = len(labels)
    title = {o: pack.options[o].title for o in pack.options}
    agree: list[str] = []
    split: list[str] = []
    settle: list[Settle] = []

    firsts = [[r.option for r in res.ranking if r.rank == 1] for res in cmp.results]
    names = [_join([title[o] for o in f]) for f in firsts]
    first_views = _group(names, labels)
    if len(first_views) == 1:
        key = "agree_first_tie" if len(firsts[0]) > 1 else "agree_first"
        agree.append(w.say(key, count=n, options=names[0]))
    else:
        agree.append(w.say("no_agreed_first"))
        split.append(w.say("split_first", views=_held_by(first_views)))
    top = [r.option for r in cmp.combined.ranking if r.rank == 1]
    tops = _join([title[o] for o in top])
    lead = w.say("combined_tie" if len(top) > 1 else "combined_first", options=tops)
    if len(first_views) > 1:  # the decision first, then the answers and objectives behind it
        ids = {names[i]: firsts[i] for i in range(n)}
        shown = [View(v, who, ids[v]) for v, who in first_views]
        tally = _says([(f"{v} first", who) for v, who in first_views], n, "put")
        settle.append(Settle("first_choice", "", f"{w.say('settle_first')}: {tally}", shown))
    elif len(top) > 1:
        shown = [View(tops, labels, top)]
        settle.append(Settle("tie", "", w.say("settle_tie", options=tops), shown))

    for key, (_, label) in QUESTIONS.items():
        given = [answer(p, key) for p in profiles]
        views = _group([_yes_no(a) for a in given], labels)
        question = w.questions[key]
        if True in given and False in given:
            asked = question[0].upper() + question[1:]
            split.append(w.say("split_answer", question=asked, views=_held_by(views)))
            shown = [View(v, who) for v, who in views]
            text = f"{w.say('settle_answer', question=question)}: {_says(views, n)}"
            settle.append(Settle("answer", key, text, shown))
        elif None not in given:
            agree.append(w.say("agree_answer", question=label, answer=_yes_no(given[0])))

    held = cmp.held()
    same = [f"{o.title} ({o.combined})" for o in held if o.verdict == "agreement"]
    if same:
        agree.append(w.say("agree_objectives", objectives=_join(same)))
    for o in held:
        if o.verdict != "split":
            continue
        views = sorted(_group([str(i) for i in o.importances], labels), key=lambda kv: -int(kv[0]))
        split.append(w.say("split_objective", objective=o.title, views=_held_by(views)))
        lo, hi = min(o.importances), max(o.importances)
        text = (
            f"{w.say('settle_objective', objective=o.title)}: importances from {lo} to {hi}, "
            f"median {o.combined}"
        )
        settle.append(Settle("objective", o.objective, text, [View(v, who) for v, who in views]))

    return Brief(lead, agree, split, settle, w.nothing_split, w.nothing_to_settle)


def _yes_no(value: bool | None) -> str:
    return "yes" if value is True else "no" if value is False else "not answered"
