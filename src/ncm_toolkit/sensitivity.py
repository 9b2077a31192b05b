"""How sure a ranking is: how far the winner leads, and what would change the first rank.

Three answers, each beside the ranking (`ranking`) it questions: the smallest change of one
importance that alters the first rank (`robustness`, said in one sentence); the share of
plausible weightings, sampled around the importances given, in which each option comes first
(`acceptability`, SMAA-2); and the first one-step change to any other answer (a yes/no, the
formality, a structure choice, a partner kind) that alters it (`answer_change`). Each works
from the ranking's own plan and totals (`ranking`), without building a full ranking per trial.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, get_args

from ncm_toolkit.content import ContentPack
from ncm_toolkit.profile import Partner, Profile, Structure
from ncm_toolkit.ranking import (
    MAX_IMPORTANCE,
    TIE_TOLERANCE,
    Adjustment,
    OptionScore,
    _adjustments,
    _first,
    _lower,
    _Plan,
    _plan,
    _titles,
    _totals,
    _weighted,
)
from ncm_toolkit.vocabulary import FORMALITIES, OBJECTIVE_IDS, PARTNER_KINDS


@dataclass(frozen=True)
class Change:
    objective: str
    old: int
    new: int
    new_winner: str
    new_winners: tuple[str, ...] = ()
    """Every option that would share the first rank after the change (pack order)."""


@dataclass(frozen=True)
class AnswerChange:
    """One step of one answer other than an importance: a yes/no flipped, the formality by one
    level, a structure choice changed, a partner kind added or removed."""

    field: str
    old: Any
    new: Any
    new_winners: tuple[str, ...]
    text: str


@dataclass
class Robustness:
    winner: str
    runner_up: str
    margin: float
    change: Change | None
    one_step: bool
    sentence: str
    winners: list[str] = field(default_factory=list)
    """Every option sharing the first rank (pack order); `winner` is the first of them."""
    answer_change: AnswerChange | None = None
    """The first one-step change to an answer other than an importance that alters the first
    rank (computed with acceptability)."""

    def to_json(self) -> dict[str, Any]:
        c = self.change
        extra: dict[str, Any] = {}
        if self.answer_change is not None:
            a = self.answer_change
            extra["answer_change"] = {
                "field": a.field,
                "old": a.old,
                "new": a.new,
                "new_winners": list(a.new_winners),
                "text": a.text,
            }
        return {
            "winner": self.winner,
            "winners": self.winners,
            "runner_up": self.runner_up,
            "margin": self.margin,
            "change": None
            if c is None
            else {
                "objective": c.objective,
                "old": c.old,
                "new": c.new,
                "new_winner": c.new_winner,
                "new_winners": list(c.new_winners),
            },
            "one_step": self.one_step,
            "sentence": self.sentence,
            **extra,
        }


def _smallest_change(
    plan: _Plan,
    weights: list[int],
    adjs: list[list[Adjustment]],
    closed: list[bool],
    winners: tuple[str, ...],
) -> Change | None:
    """The smallest change of one importance that alters the first rank (who is first, or who
    shares it), ties broken by objective order then by the lower new value. A change of one
    importance moves each option's total by (change x value), so a trial costs ten
    multiplications, not a rescoring."""
    totals = _totals(plan, weights, adjs)
    stated = sum(weights)
    trials = sorted(
        (abs(new - cur), idx, new)
        for idx, cur in enumerate(weights)
        for new in range(MAX_IMPORTANCE + 1)
        if new != cur
    )
    for _, idx, new in trials:
        step = new - weights[idx]
        if stated + step <= 0:
            continue
        moved = [t + step * vals[idx] for t, vals in zip(totals, plan.values, strict=True)]
        best = _first(plan.ids, moved, closed)
        if best != winners:
            return Change(OBJECTIVE_IDS[idx], weights[idx], new, best[0], best)
    return None


def robustness(
    pack: ContentPack,
    weights: list[int],
    adjs: list[list[Adjustment]],
    ranking: list[OptionScore],
    closed: list[bool] | None = None,
) -> Robustness:
    """The winner's margin and the smallest single change of importance that alters it, said
    in one sentence. `weights` are the importances in contract order. A shared first rank is
    said to be a tie, never settled."""
    plan = _plan(pack)
    closed = closed if closed is not None else [False] * len(plan.ids)
    win = ranking[0]
    first = [r for r in ranking if r.rank == 1]
    second = ranking[1] if len(first) == 1 else first[1]
    if len(first) > 1:
        margin = 0.0
    elif win.score != second.score:
        margin = round(win.score - second.score, 2)
    else:  # level on the 0-100 scale only because of the clamp
        margin = round(win.unclamped - second.unclamped, 2)
    change = _smallest_change(plan, weights, adjs, closed, tuple(r.option for r in first))
    title = pack.options[win.option].title
    if len(first) > 1:
        lead = (
            f"{_titles(pack, [r.option for r in first])} tie for first at {win.score:g}: "
            "the method does not separate them, so the choice between them is yours."
        )
    elif second.gates and not win.gates:
        lead = f"{title} is the only option the partnership's answers leave open."
    elif win.score == second.score:
        lead = (
            f"{title} and {second.title} both reach {win.score:g}; before the clamp to the "
            f"0-100 scale {title} was {margin:g} points ahead, so it is ranked first, but "
            "treat the two as close."
        )
    else:
        lead = f"{title} leads {second.title} by {margin:g} points."
    if change is None:
        tail = " No change to any single objective's importance would alter the first rank."
    else:
        verb = "raising" if change.new > change.old else "lowering"
        news = list(change.new_winners)
        put = "first" if len(news) == 1 else "level first"
        what = (
            f"{verb} '{pack.objective_title(change.objective)}' from {change.old} "
            f"to {change.new} would put {_titles(pack, news)} {put}"
        )
        if abs(change.new - change.old) == 1:
            tail = f" The smallest change that alters the first rank: {what}."
        else:
            tail = (
                " No one-step change to a single importance alters the first rank; the "
                f"smallest that does: {what}."
            )
    return Robustness(
        win.option,
        second.option,
        margin,
        change,
        change is not None and abs(change.new - change.old) == 1,
        lead + tail,
        [r.option for r in first],
    )


def acceptability(
    pack: ContentPack, weights: list[int], adjs: list[list[Adjustment]], closed: list[bool]
) -> list[float]:
    """SMAA-2 first-rank acceptability of each option (pack order), vectorised: every sample
    of the importances scores all options in one matrix product. A first place shared within
    `TIE_TOLERANCE` is split equally; closed options take part only if every option is
    closed (as in the ranking)."""
    import numpy as np  # lazy: ~80 ms to import; only the acceptability search needs it

    plan = _plan(pack)
    cfg = pack.scoring.acceptability
    values = pack.derived.get("acceptability_values")  # objectives x options
    if values is None:
        values = pack.derived["acceptability_values"] = np.array(plan.values, dtype=float).T
    stated = [i for i, w in enumerate(weights) if w]
    # The same seed gives the same draws: made once per pack and number of objectives stated.
    all_draws: dict[int, Any] = pack.derived.setdefault("acceptability_draws", {})
    draws = all_draws.get(len(stated))
    if draws is None:
        rng = np.random.default_rng(cfg.seed)
        size = (cfg.samples, len(stated))
        draws = all_draws[len(stated)] = rng.uniform(-cfg.spread, cfg.spread, size=size)
    base = np.array([weights[i] for i in stated], dtype=float)
    sampled = np.clip(base + draws, 0, MAX_IMPORTANCE)
    totals = sampled @ values[stated] + np.array([sum(a.points for a in x) for x in adjs])
    # Options x samples from here: numpy reduces across ten long rows far faster than along
    # a thousand rows of ten (same values, same results).
    by_option = np.ascontiguousarray(totals.T)
    if not all(closed):
        by_option[np.array(closed)] = -np.inf
    top = by_option.max(axis=0) - by_option <= TIE_TOLERANCE
    firsts = top.sum(axis=0)  # options sharing each sample's first place
    shares = (top / firsts).sum(axis=1) / cfg.samples
    return [round(float(x), 3) for x in shares]


_YES_NO = (
    ("sustainability", "configuration_must_change"),
    ("sustainability", "can_do_alone"),
    ("commissioning", "functions_remain"),
)
"""The yes/no answers the search flips; their words are the interview's (`_question_words`)."""


AnswerStep = tuple[str, Any, Any, Profile, str]
"""One changed answer: its field, old and new value, the changed profile, and the words."""


def _question_words(pack: ContentPack, field_: str) -> tuple[str, Callable[[Any], str]]:
    """The question that fills `field_` and its choices' titles, as the interview shows them
    (`questions/quick_guide.yaml`): the "how sure" sentence names answers in these words, not
    by their ids. A field no question fills keeps its dotted name and its values."""
    question = next((q for q in pack.quick_guide.questions if q.field == field_), None)
    if question is None:
        return field_, str
    shown = {c.value: c.title for c in question.choices}

    def title(value: Any) -> str:
        if isinstance(value, bool):  # a choice `"true"` in YAML, or a yes/no question's own
            return shown.get(str(value).lower(), "Yes" if value else "No")
        return shown.get(str(value), str(value))

    return question.prompt, title


def _answer_steps(pack: ContentPack, profile: Profile) -> Iterator[AnswerStep]:
    """Every one-step change to an answer other than an importance, in a fixed order: the
    yes/no answers given, flipped; the formality one level either way; each structure choice
    given, changed to each other choice; each partner kind present, removed; each absent,
    added. Made one at a time: the search usually stops after a few of them."""
    for section, key in _YES_NO:
        part = getattr(profile, section)
        have = getattr(part, key, None) if part is not None else None
        if have is not None:
            new_part = part.model_copy(update={key: not have})
            prompt, titles = _question_words(pack, f"{section}.{key}")
            text = f"answering '{titles(not have)}' rather than '{titles(have)}' to '{prompt}'"
            changed = profile.model_copy(update={section: new_part})
            yield f"{section}.{key}", have, not have, changed, text
    gov = profile.governance
    if gov is not None and gov.formality is not None:
        at = FORMALITIES.index(gov.formality)
        for to in (at - 1, at + 1):
            if 0 <= to < len(FORMALITIES):
                new = FORMALITIES[to]
                changed = profile.model_copy(
                    update={"governance": gov.model_copy(update={"formality": new})}
                )
                text = f"accepting {new} rather than {gov.formality} integration"
                yield "governance.formality", gov.formality, new, changed, text
    st = profile.structure
    if st is not None:
        for key, info in Structure.model_fields.items():
            have = getattr(st, key)
            if have is None or key == "footprint_population":
                continue
            choices = [c for c in get_args(get_args(info.annotation)[0]) if c != have]
            if isinstance(have, bool):
                choices = [not have]
            prompt, titles = _question_words(pack, f"structure.{key}")
            for new in choices:
                changed = profile.model_copy(update={"structure": st.model_copy(update={key: new})})
                was, now = titles(have), titles(new)
                text = f"answering '{now}' rather than '{was}' to '{prompt}'"
                yield f"structure.{key}", have, new, changed, text
    kinds = [p.kind for p in profile.partners]
    if kinds:
        for kind in dict.fromkeys(kinds):
            rest = [p for p in profile.partners if p.kind != kind]
            changed = profile.model_copy(update={"partners": rest})
            title = _lower(pack.manifest.partner_kinds.get(kind, kind))
            yield "partners", kind, None, changed, f"removing the {title} partner"
        for extra in PARTNER_KINDS:
            if extra not in kinds:
                more = [*profile.partners, Partner.model_validate({"name": "+", "kind": extra})]
                changed = profile.model_copy(update={"partners": more})
                names = {str(k): v for k, v in pack.manifest.partner_kinds.items()}
                title = _lower(names.get(extra, extra))
                article = "an" if title[:1] in ("a", "e", "i", "o", "u") else "a"
                yield "partners", None, extra, changed, f"adding {article} {title} partner"


def answer_change(
    pack: ContentPack, profile: Profile, weights: list[int], winners: tuple[str, ...]
) -> AnswerChange | None:
    """The first one-step change to an answer other than an importance (`_answer_steps`
    order) that alters the first rank: who is first, or who shares it. No step moves the
    importances, so their part of each total is worked out once."""
    if not sum(weights):  # with no importance nothing is ranked first, so nothing can change it
        return None
    plan = _plan(pack)
    weighted = _weighted(plan, weights)
    for field_, old, new, changed, text in _answer_steps(pack, profile):
        adjs, gates = _adjustments(plan, changed)
        totals = _totals(plan, weights, adjs, weighted)
        best = _first(plan.ids, totals, [bool(g) for g in gates])
        if best != winners:
            return AnswerChange(field_, old, new, best, text)
    return None
