"""The board paper: what a report says first (the recommendation, why it fits this
partnership, how sure, what the board is asked to decide, next steps) and the appendices,
worked out as plain data for the templates. Wording thresholds and the risk subjects live in
`data/report/`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from string import Template
from typing import Any

from ncm_toolkit.content import ContentPack
from ncm_toolkit.errors import UsageError
from ncm_toolkit.plan import plan_profile
from ncm_toolkit.profile import Profile
from ncm_toolkit.ranking import FORMALITY_FIT, _lower, least_formal
from ncm_toolkit.report_data import implications_wording, keyword_body
from ncm_toolkit.report_data import keyword_pattern as _pattern
from ncm_toolkit.report_data import read_yaml as _read_yaml
from ncm_toolkit.schemas import Item, OptionModel
from ncm_toolkit.scoring import OptionScore, Result


@dataclass(frozen=True, slots=True)
class Subject:
    id: str
    title: str
    patterns: tuple[re.Pattern[str], ...]
    any_of: re.Pattern[str] | None = None
    """Every keyword's pattern as one alternation (each keeps its own case rule): one search
    instead of one per keyword. (None: no keywords, found in nothing.)"""

    def found_in(self, text: str) -> bool:
        return self.any_of is not None and self.any_of.search(text) is not None


def _one_pattern(keywords: list[str]) -> re.Pattern[str] | None:
    """The keywords' patterns as one: `(?i:...)` scopes a case-insensitive keyword's flag to
    itself, and the word boundaries are checked once for all (a position inside a word is
    passed over at once instead of once per keyword)."""
    if not keywords:
        return None
    bodies = []
    for keyword in keywords:
        body, flags = keyword_body(keyword)
        bodies.append(f"(?i:{body})" if flags & re.IGNORECASE else f"(?:{body})")
    return re.compile(rf"(?<!\w)(?:{'|'.join(bodies)})(?!\w)")


@cache
def subjects() -> tuple[Subject, ...]:
    """The subject vocabulary of `data/report/subjects.yaml`."""
    data = _read_yaml("subjects.yaml")
    out = []
    for s in data["subjects"]:
        keywords = [str(k) for k in s["keywords"]]
        patterns = tuple(_pattern(k) for k in keywords)
        out.append(Subject(str(s["id"]), str(s["title"]), patterns, _one_pattern(keywords)))
    return tuple(out)


@cache
def certainty_thresholds() -> tuple[float, float]:
    c = _read_yaml("board.yaml")["certainty"]
    return float(c["robust_at"]), float(c["fragile_below"])


def subjects_of(text: str) -> list[Subject]:
    one_line = " ".join(text.split())
    return [s for s in subjects() if s.found_in(one_line)]


@dataclass(slots=True)
class RiskMatch:
    """A risk the partnership named and the option's barriers that share a subject with it."""

    risk: str
    barriers: list[tuple[Item, str]]
    """(barrier, the shared subject's title)."""


def barrier_subjects(option: OptionModel, pack: ContentPack | None = None) -> list[Any]:
    """Each barrier of the option with the ids of the subjects it mentions; worked out once
    per pack and option when `pack` is given (kept with the pack's derived data)."""
    if pack is None:
        return [(b, {s.id for s in subjects_of(b.text)}) for b in option.barriers]
    per_option: dict[str, list[Any]] = pack.derived.setdefault("barrier_subjects", {})
    found = per_option.get(option.id)
    if found is None:
        found = per_option[option.id] = barrier_subjects(option)
    return found


def match_risks(
    risks: list[str],
    option: OptionModel,
    pack: ContentPack | None = None,
    risk_subjects: list[list[Subject]] | None = None,
) -> list[RiskMatch]:
    """Each risk beside the barriers that share a curated subject with it (none: nothing).
    `pack`: the option's pack, whose derived data keeps the barriers' subjects;
    `risk_subjects`: `subjects_of` each risk, when the caller matches them to several options."""
    barrier_subjects_ = barrier_subjects(option, pack)
    if risk_subjects is None:
        risk_subjects = [subjects_of(risk) for risk in risks]
    out = []
    for risk, mine in zip(risks, risk_subjects, strict=True):
        found: list[tuple[Item, str]] = []
        for b, ids in barrier_subjects_:
            shared = [s.title for s in mine if s.id in ids]
            if shared:
                found.append((b, shared[0]))
        out.append(RiskMatch(risk, found[:3]))
    return out


def whole(value: float) -> str:
    """A score with the precision the judgements carry: a whole number, never "-0"."""
    return str(round(value + 0))


@dataclass(slots=True)
class OptionRow:
    rank: int
    option: str
    title: str
    score: str
    capped: bool
    acceptability: int | None
    tied_with: list[str]
    closed: str | None
    reason_for: str
    reason_against: str


@cache
def _reason_wording() -> dict[str, str]:
    return {str(k): str(v) for k, v in _read_yaml("board.yaml")["reasons"].items()}


def _penalty_title(
    pack: ContentPack, profile: Profile, r: OptionScore, rule: str, title: str
) -> str:
    """A penalty's reason in a board's words: the formality shortfall with the forms' titles
    ("merger or acquisition"), not the rule's terse ids ("Needs merger form")."""
    gov = profile.governance
    if rule != FORMALITY_FIT or not (gov and gov.formality) or r.option not in pack.options:
        return title
    titles = {str(k): _lower(v.title) for k, v in pack.manifest.formality.items()}
    return Template(_reason_wording()["formality_fit"]).safe_substitute(
        needed=titles[least_formal(pack.options[r.option])], accepted=titles[gov.formality]
    )


def _reasons(pack: ContentPack, profile: Profile, r: OptionScore) -> tuple[str, str]:
    """The main reason for (its largest part) and against (a gate, the largest penalty, or
    the weakest objective the partnership rated highly) an option."""
    # the first of each order is all a reason needs: `min` finds it, first among equals as
    # `sorted` would put it
    best = min(
        (c for c in r.contributions if c.importance and c.points > 0),
        key=lambda c: (-c.points, c.objective),
        default=None,
    )
    # the clamp to 0-100 is the scale's arithmetic, not a reason for or against an option
    judged = [a for a in r.adjustments if a.rule != "clamp"]
    plus = min((a for a in judged if a.points > 0), key=lambda a: -a.points, default=None)
    if best is not None:
        strength = ("weakly", "fairly", "strongly")[max(0, min(best.strength, 3) - 1)]
        why_for = f"serves {_lower(pack.objective_title(best.objective))} {strength}"
    elif plus is not None:
        why_for = plus.title
    else:
        why_for = "none of the objectives the partnership rated"
    minus = min((a for a in judged if a.points < 0), key=lambda a: a.points, default=None)
    weak = min(
        (c for c in r.contributions if c.importance >= 3 and c.strength <= 1),
        key=lambda c: (-c.importance, c.strength, c.objective),
        default=None,
    )
    if r.gates:
        against = f"closed: {r.gates[0].title}"
    elif minus is not None:
        against = _penalty_title(pack, profile, r, minus.rule, minus.title)
    elif weak is not None:
        against = f"does little for {_lower(pack.objective_title(weak.objective))}"
    else:
        against = "no strong reason against in the partnership's answers"
    return why_for, against


def _first(result: Result) -> list[OptionScore]:
    first = [r for r in result.ranking if r.rank == 1]
    return first or result.ranking[:1]


def _list(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _why_fits(pack: ContentPack, profile: Profile, r: OptionScore) -> str:
    """Why the option fits this partnership, in words drawn from its objectives, partners and
    answers."""
    parts = sorted(
        (c for c in r.contributions if c.importance and c.points > 0),
        key=lambda c: (-c.points, c.objective),
    )
    # An objective served at strength 1 is one the table calls served "weakly" (or "does
    # little for"): it is no reason the option fits, unless it is all the score has.
    strong = [c for c in parts if c.strength > 1][:3]
    shown = strong or parts[:3]
    objectives = [
        f"{_lower(pack.objective_title(c.objective))} (importance {c.importance})" for c in shown
    ]
    bits = []
    if strong:
        # by points, not importance: "rated highest" then listed importance 4 before 5
        noun = "objective" if len(objectives) == 1 else "objectives"
        bits.append(f"its score comes most from the {noun} " + _list(objectives))
    elif objectives:
        noun = "an objective" if len(objectives) == 1 else "objectives"
        bits.append(f"its score comes from {noun} it serves only weakly: " + _list(objectives))
    # The partners count only through the rules that score them (an adjustment here) and the
    # gates: listing every partner's kind would claim a fit no rule of the pack makes.
    plus = [_lower(a.title) for a in r.adjustments if a.points > 0][:2]
    if plus:
        bits.append("the partnership's answers add to it (" + "; ".join(plus) + ")")
    gov = profile.governance
    fits = not any(a.rule == FORMALITY_FIT and a.points < 0 for a in r.adjustments)
    if gov and gov.formality and fits:  # the formality accepted is a reason only if it suffices
        title = _lower(pack.manifest.formality[gov.formality].title)
        bits.append(f"the partners accept {title}, formal enough for one of its usual forms")
    return "; ".join(bits) + "." if bits else "."


NONE_OPEN = "none open"
"""The certainty when every option is closed: none is a first choice to be sure of."""


@dataclass(slots=True)
class Certainty:
    label: str  # "robust", "moderately sure", "fragile", "tied", "none open"
    percent: int | None
    sentence: str
    change: str


def certainty(pack: ContentPack, result: Result) -> Certainty:
    first = _first(result)
    if first[0].gates:  # every option closed: the ranking by score is for comparison only
        return Certainty(
            NONE_OPEN,
            None,
            "No option comes first: every option is closed by a requirement the source "
            "states, and the ranking by score is for comparison only.",
            "",
        )
    rob = result.robustness
    robust_at, fragile_below = certainty_thresholds()
    c = rob.change
    if c is None:
        change = "No change to a single objective's importance would alter the first place."
    else:
        more = "more" if c.new > c.old else "less"
        new = _list([pack.options[o].title for o in (c.new_winners or (c.new_winner,))])
        change = (
            f"It would change if '{pack.objective_title(c.objective)}' mattered {more} "
            f"(its importance {'raised' if c.new > c.old else 'lowered'} from {c.old} to "
            f"{c.new}, on the scale of 0 to 5): {new} would then come first."
        )
    if rob.answer_change is not None:
        ac = rob.answer_change
        new = _list([pack.options[o].title for o in ac.new_winners])
        change += f" Of the other answers, {ac.text} would put {new} first."
    if len(first) > 1:
        titles = _list([r.title for r in first])
        return Certainty(
            "tied",
            None,
            f"{titles} share the first place exactly: the method cannot separate them.",
            change,
        )
    a = first[0].first_rank_acceptability
    pct = None if a is None else round(a * 100)
    one_step = rob.one_step
    if (a is not None and a < fragile_below) or one_step:
        label = "fragile"
    elif (a is None or a >= robust_at) and not one_step:
        label = "robust"
    else:
        label = "moderately sure"
    title = first[0].title
    if pct is None:
        sentence = f"{title} comes first."
    else:
        cfg = pack.scoring.acceptability  # the sampling the share was computed with
        step = "one step" if cfg.spread == 1 else f"{cfg.spread:g} steps"
        sentence = (
            f"{title} comes first in {pct}% of {cfg.samples:,} plausible variations of the "
            f"partnership's weights (each importance moved by up to {step})."
        )
    if one_step:
        sentence += " A single importance moved by one point changes the recommendation."
    return Certainty(label, pct, sentence, change)


def board_view(pack: ContentPack, profile: Profile, result: Result) -> dict[str, Any]:
    """Everything the board paper's body shows, and the appendices' lists without repeats."""
    first = _first(result)
    rows = []
    for r in result.ranking:
        why_for, against = _reasons(pack, profile, r)
        rows.append(
            OptionRow(
                r.rank,
                r.option,
                r.title,
                whole(r.score),
                r.unclamped > r.score and r.score >= 100,
                None  # a closed option is no first choice: "–" in the table
                if r.first_rank_acceptability is None or r.gates
                else round(r.first_rank_acceptability * 100),
                [pack.options[o].title for o in r.tied_with],
                r.gates[0].title if r.gates else None,
                why_for,
                against,
            )
        )
    plans = _plans(pack, profile, first)
    seen: set[str] = set()
    risk_subjects = [subjects_of(risk) for risk in profile.risks]
    # the risks beside the barriers of the option(s) the board is asked about: the decision's
    # (as its form and workforce sections are), else the first-ranked
    decided = [
        r for r in result.ranking if profile.decision and r.option == profile.decision.option
    ]
    risk_options = decided or first
    risks = {
        r.option: match_risks(list(profile.risks), pack.options[r.option], pack, risk_subjects)
        for r in risk_options
    }
    for matches in risks.values():
        for m in matches:
            for b, _ in m.barriers:
                seen.add(_key(b.text))
    implications_seen: set[str] = set()
    for p in plans:
        if p is None:
            continue
        for f in p.forms:
            if f.form == p.form:
                for i in f.requires:
                    seen.add(_key(i.text))
        for imp in p.implications:
            if imp.level == "likely":
                for i in imp.actions:
                    implications_seen.add(_key(i.text))
    seen |= implications_seen
    reasons = {p.option: _plain_ids(pack, p.form_reason) for p in plans if p is not None}
    # whether the plan's form fits these partners ("fits"); one that does not is no
    # recommendation: the decision's form ("agreed") or the least formal usual one ("none")
    dec = profile.decision
    fits = {
        p.option: "fits"
        if any(f.form == p.form and f.fits for f in p.forms)
        else ("agreed" if dec and dec.form == p.form and dec.option == p.option else "none")
        for p in plans
        if p is not None
    }
    return {
        # the Quick Guide's step 2 answers that put a collaborative model to the board
        "collaborative": profile.collaborative_may_do(),
        # no option can be formed as the source describes it: none is recommended
        "all_closed": all(r.gates for r in result.ranking),
        # the gate that closes the option decided, if one does: the cover says so
        "decided_closed": next((r.gates[0].title for r in decided if r.gates), None),
        # the option decided (its OptionScore), whatever its rank; None without a decision
        "decided": decided[0] if decided else None,
        "form_reason": reasons,
        "form_fits": fits,
        "first": first,
        "tied": len(first) > 1,
        "why": {r.option: _why_fits(pack, profile, r) for r in first},
        "certainty": certainty(pack, result),
        "rows": rows,
        # the rows with a share of first places: the cover's chart of them
        "accepted": [r for r in rows if r.acceptability],
        "risks": risks,
        "risk_options": risk_options,
        "plans": plans,
        "seen": seen,
    }


def cover_implications(
    pack: ContentPack, profile: Profile, board: dict[str, Any], readiness: dict[str, Any]
) -> list[tuple[str, str]]:
    """The cover's "Implications" row: (heading, what the paper holds on it and where) for
    each implication an NHS board paper's cover carries. Workforce and legal come from the
    plan of the option(s) the board is asked about; finance points to the Module 2 finance
    questions the paper lists; what the paper does not assess is said to be not assessed
    (`data/report/board.yaml`, `implications`). Values are plain text: the templates escape."""
    w = implications_wording()
    plans = board["plans"]
    titles: list[str]
    if profile.decision is not None:
        titles = [pack.options[profile.decision.option].title]
    else:
        titles = [r.title for r in board["first"]]
    workforce: list[str] = []
    legal: list[str] = []
    for title, p in zip(titles, plans, strict=False):
        if p is None:
            workforce.append(w.say("no_plan", option=title))
            legal.append(w.say("no_plan", option=title))
            continue
        level = next(
            (lv for lv in ("likely", "possible") if any(i.level == lv for i in p.implications)),
            None,
        )
        topics = [_lower(i.title) for i in p.implications if i.level == level]
        if level is None:
            workforce.append(w.say("workforce_none", option=p.option_title))
        else:
            name = "workforce_one" if len(topics) == 1 else "workforce"
            values = {
                "option": p.option_title,
                "level": level,
                "topics": ", ".join(f'"{t}"' for t in topics),
            }
            if len(topics) > 1:
                values["count"] = str(len(topics))
            workforce.append(w.say(name, **values))
        legal.append(w.say("legal", option=p.option_title, form=_lower(p.form_title)))
    # the finance questions that block an option, as the paper lists them (Readiness with a
    # record, else Appendix B)
    with_finance = [
        g.option_title
        for g in readiness["groups"]
        if any(q.area == w.finance_area for q in g.questions)
    ]
    if with_finance:
        where = "Readiness" if readiness["record"] is not None else "Appendix B"
        finance = w.say("finance", where=where, option=_list(with_finance))
    else:
        finance = w.say("finance_unlisted", area=w.finance_area)
    said = {
        "quality": w.say("quality"),
        "finance": finance,
        "workforce": " ".join(workforce),
        "legal": " ".join(legal),
        "equality": w.say("equality"),
        "involvement": w.say("involvement"),
    }
    return [(w.headings[k], said[k]) for k in w.headings]


def _plain_ids(pack: ContentPack, text: str) -> str:
    """A formality's raw id in a sentence ("(contractual)") as its title, for a board."""
    titles: dict[str, str] = {str(k): _lower(v.title) for k, v in pack.manifest.formality.items()}
    return re.sub(
        r"\((" + "|".join(map(re.escape, titles)) + r")\)",
        lambda m: f"({titles[m[1]]})",
        " ".join(text.split()),
    )


def _key(text: str) -> str:
    return " ".join(str(text).split()).lower()


def _plans(pack: ContentPack, profile: Profile, first: list[OptionScore]) -> list[Any]:
    """The plan (form, workforce) for the decision's option, else for each first-ranked one."""
    options: list[str | None] = (
        [None] if profile.decision is not None else [r.option for r in first]
    )
    out: list[Any] = []
    for option in options:
        try:
            out.append(plan_profile(pack, profile, option=option))
        except UsageError:  # a custom pack without plan data for this option
            out.append(None)
    return out


_LEAD_IN = re.compile(r"(?:follows?|below)[.:]\s*$")


def guidance_sections(option: OptionModel) -> list[tuple[str, list[Item]]]:
    """An option's guidance as Appendix A of the board paper gives it, section by section
    (title, items), in one order for the Markdown and the HTML paper."""
    bc = option.business_case
    return [
        ("Benefits", option.benefits),
        ("Barriers", option.barriers),
        ("Governance", option.governance),
        ("Regulation", option.regulation),
        ("Workforce considerations", option.workforce),
        ("Business case: finances", bc.finances),
        ("Business case: leadership", bc.leadership),
        ("Business case: strategy", bc.strategy),
    ]


MAX_KEYS = 50_000
"""Texts a `Deduper`'s `keys` holds (a pack's bullets are far fewer): it stays bounded."""


def bullet_key(text: str) -> str | None:
    """What makes two bullets the same for `Deduper` (their words, in lower case); None for a
    lead-in with nothing after it, never shown."""
    k = _key(text)
    return None if _LEAD_IN.search(k) else k


@dataclass(slots=True)
class Deduper:
    """Filters the guidance's bullets so that no bullet appears twice in one document."""

    seen: set[str] = field(default_factory=set)
    keys: dict[str, str | None] = field(default_factory=dict)
    """Each text's key, or None for a lead-in with nothing after (never shown): the same for
    every document, so the reports of one pack share it (`pack.derived`)."""

    def __call__(self, items: Any) -> list[Any]:
        out = []
        keys = self.keys
        for i in items:
            text = i.text
            if isinstance(text, str) and text in keys:
                k = keys[text]
            else:
                k = bullet_key(text)
                if isinstance(text, str):
                    if len(keys) > MAX_KEYS:
                        keys.clear()
                    keys[text] = k
            if k is None or k in self.seen:
                continue
            self.seen.add(k)
            out.append(i)
        return out
