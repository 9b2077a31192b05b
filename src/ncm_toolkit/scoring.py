"""Scoring: each of the ten options against a profile, explainably.

value(option, objective) = 100 * strength / (5 * the option's total strength, all nine objectives)
score = sum over objectives of importance * value
        + the adjustments of the content pack's rules that apply + the formality fit,
clamped to 0-100 (the clamp is itself an adjustment, so the parts always add up to the score).

Dividing by the option's own total strength removes the breadth bias: an option aligned a
little to everything no longer wins every profile that rates everything. The base is not divided
by the total importance, so raising one importance never lowers an option relative to one of
lower value on that objective, whatever the rules add (monotonicity). Options a gate of the
pack closes (a requirement the source states and the partnership does not meet) are ranked
after every other option, with the reason. Every number comes from the content pack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple, get_args

from ncm_toolkit.content import ContentPack
from ncm_toolkit.profile import Partner, Profile, Structure
from ncm_toolkit.schemas import RuleWhen
from ncm_toolkit.vocabulary import FORMALITIES, OBJECTIVE_IDS, PARTNER_KINDS

MAX_IMPORTANCE = 5
"""The top of the importance scale (the contract's 0-5): an option's value on the objectives it
serves sums to 100 when each of them is rated 5."""


class Contribution(NamedTuple):
    """One objective's part of an option's score; immutable, so one profile's options share
    the contributions they have in common."""

    objective: str
    importance: int
    strength: int
    points: float

    def to_json(self) -> dict[str, Any]:
        return {
            "objective": self.objective,
            "importance": self.importance,
            "strength": self.strength,
            "points": self.points,
        }


@dataclass(frozen=True)
class Adjustment:
    rule: str
    title: str
    points: float
    reason: str
    source: str

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "title": self.title,
            "points": self.points,
            "reason": self.reason,
            "source": self.source,
        }


@dataclass
class OptionScore:
    rank: int
    """Shared by tied options (1, 1, 3)."""
    option: str
    title: str
    score: float
    contributions: list[Contribution]
    adjustments: list[Adjustment]
    unclamped: float = 0.0
    """The total before the clamp: it orders options that the clamp leaves level at 100 or 0."""
    tied_with: list[str] = field(default_factory=list)
    gates: list[Adjustment] = field(default_factory=list)
    """The gates that close this option (points 0): it is ranked after every open option."""
    first_rank_acceptability: float | None = None
    """SMAA-2: the share of plausible weightings in which this option comes first."""

    @property
    def base(self) -> float:
        """The score before adjustments: the sum of the objectives' contributions."""
        return round(sum(c.points for c in self.contributions), 2)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rank": self.rank,
            "option": self.option,
            "title": self.title,
            "score": self.score,
            "base": self.base,
            "contributions": [c.to_json() for c in self.contributions if c.importance],
            "adjustments": [a.to_json() for a in self.adjustments],
        }
        if self.first_rank_acceptability is not None:
            out["first_rank_acceptability"] = self.first_rank_acceptability
        if self.tied_with:
            out["tied_with"] = self.tied_with
        if self.gates:
            out["gated"] = [
                {"gate": g.rule, "title": g.title, "reason": g.reason, "source": g.source}
                for g in self.gates
            ]
        return out


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


@dataclass
class Result:
    name: str
    ranking: list[OptionScore]
    robustness: Robustness
    notes: list[str]
    decision: dict[str, Any] | None = None
    """The profile's `decision:` (option, form, agreed_by, agreed_on; absent fields None), so
    that the ranking is shown beside what the partners agreed; None when there is none."""

    def to_json(self, top: int | None = None) -> dict[str, Any]:
        ranking = shown(self.ranking, top)
        return {
            "name": self.name,
            "ranking": [r.to_json() for r in ranking],
            "robustness": self.robustness.to_json(),
            "notes": self.notes,
            "decision": self.decision,
        }


def _src(source: Any) -> str:
    return f"{source.document}: {source.section}"


_Effects = tuple[tuple[int, Adjustment], ...]
"""(option's index in pack order, its adjustment), shared by every profile a rule applies to."""


@dataclass(frozen=True)
class _Plan:
    """What scoring needs from a content pack, in the shape the arithmetic uses: built once per
    pack, because a batch scores thousands of profiles against the same one."""

    ids: tuple[str, ...]
    titles: tuple[str, ...]
    rows: tuple[tuple[int, ...], ...]
    """Alignment strength of each option (pack order) on each objective (contract order)."""
    values: tuple[tuple[float, ...], ...]
    """The value each strength gives: 100 * strength / (5 * the option's total strength)."""
    parts: tuple[tuple[tuple[Contribution, ...], ...], ...]
    """Every contribution there can be: [option][objective][importance 0-5], made once."""
    top: int
    rules: tuple[tuple[RuleWhen, _Effects], ...]
    gates: tuple[tuple[RuleWhen, _Effects], ...]
    """Each gate's condition and the options it closes (as 0-point adjustments)."""
    formality: dict[str, _Effects]
    """The formality-fit penalties for each formality the partners may accept."""
    not_providers: frozenset[str]


def _values(
    rows: tuple[tuple[int, ...], ...], top: int, exponent: float
) -> tuple[tuple[float, ...], ...]:
    """value = 100 * strength / (5 * total^e * most^(1 - e)), where total is the option's
    strength summed over all objectives and most the largest total possible (top * 9): e = 1
    divides by the option's own total (breadth earns nothing), e = 0 by a constant (method 1's
    raw strength, breadth rewarded in full). The value of every objective an option serves,
    rated 5, sums to at most 100."""
    most = top * len(OBJECTIVE_IDS)
    out = []
    for row in rows:
        total = sum(row)
        norm = MAX_IMPORTANCE * total**exponent * most ** (1 - exponent) if total else 0.0
        out.append(tuple(100 * st / norm if norm else 0.0 for st in row))
    return tuple(out)


def _plan(pack: ContentPack) -> _Plan:
    cached: _Plan | None = pack.derived.get("scoring_plan")
    if cached is not None:
        return cached
    ids = tuple(pack.options)
    index = {oid: i for i, oid in enumerate(ids)}
    rows = tuple(
        tuple(opt.alignments[obj].strength for obj in OBJECTIVE_IDS)  # type: ignore[index]
        for opt in pack.options.values()
    )
    values = _values(rows, pack.scoring.max_strength, pack.scoring.breadth_exponent)
    rules = tuple(
        (
            rule.when,
            tuple(
                (index[oid], Adjustment(rule.id, rule.title, pts, rule.reason, _src(rule.source)))
                for oid, pts in rule.effects.items()
            ),
        )
        for rule in pack.scoring.rules
    )
    gates = tuple(
        (
            gate.when,
            tuple(
                (index[oid], Adjustment(gate.id, gate.title, 0.0, gate.reason, _src(gate.source)))
                for oid in dict.fromkeys(gate.options)
            ),
        )
        for gate in pack.scoring.gates
    )
    fit = pack.scoring.formality_fit
    formality: dict[str, _Effects] = {}
    for accepted in FORMALITIES:
        effects = []
        for i, opt in enumerate(pack.options.values()):
            least = min(FORMALITIES.index(f) for f in opt.legal_forms)
            short = least - FORMALITIES.index(accepted)
            if short > 0:
                title = f"Needs {FORMALITIES[least]} form; partners accept {accepted}"
                pts = -fit.penalty_per_step * short
                effects.append(
                    (i, Adjustment("formality_fit", title, pts, fit.reason, _src(fit.source)))
                )
        formality[accepted] = tuple(effects)
    parts = tuple(
        tuple(
            tuple(
                Contribution(obj, w, st, round(w * v, 2) + 0.0 if w else 0.0)
                for w in range(MAX_IMPORTANCE + 1)
            )
            for obj, st, v in zip(OBJECTIVE_IDS, row, vals, strict=True)
        )
        for row, vals in zip(rows, values, strict=True)
    )
    plan = _Plan(
        ids,
        tuple(opt.title for opt in pack.options.values()),
        rows,
        values,
        parts,
        pack.scoring.max_strength,
        rules,
        gates,
        formality,
        frozenset(pack.scoring.not_providers),
    )
    pack.derived["scoring_plan"] = plan
    return plan


def _rule_applies(when: RuleWhen, profile: Profile, kinds: set[str], providers: set[str]) -> bool:
    if when.partners is not None:
        if not kinds:
            return False
        m = when.partners
        if m.only is not None and not (providers and providers <= set(m.only)):
            return False
        if m.any is not None and kinds.isdisjoint(m.any):
            return False
        if m.none is not None and not kinds.isdisjoint(m.none):
            return False
    st = profile.structure
    if when.structure is not None:
        for key, allowed in when.structure.items():
            have = getattr(st, key, None) if st else None
            if have is None or have not in allowed:
                return False
    if when.structure_not is not None:
        for key, barred in when.structure_not.items():
            have = getattr(st, key, None) if st else None
            if have is not None and have in barred:
                return False
    s, c = profile.sustainability, profile.commissioning
    # A yes/no condition holds only for the same answer given (unanswered: no). Plain ifs:
    # the answer search asks this a few hundred times per profile.
    if when.configuration_must_change is not None and (
        s is None or s.configuration_must_change != when.configuration_must_change
    ):
        return False
    if when.can_do_alone is not None and (s is None or s.can_do_alone != when.can_do_alone):
        return False
    return when.functions_remain is None or (
        c is not None and c.functions_remain == when.functions_remain
    )


def _adjustments(
    plan: _Plan, profile: Profile
) -> tuple[list[list[Adjustment]], list[list[Adjustment]]]:
    """The rule and formality adjustments of each option (pack order), and the gates that
    close it: neither depends on importances, so robustness reuses them."""
    out: list[list[Adjustment]] = [[] for _ in plan.ids]
    closed: list[list[Adjustment]] = [[] for _ in plan.ids]
    kinds: set[str] = {p.kind for p in profile.partners}
    providers = kinds - plan.not_providers
    for when, effects in plan.rules:
        if _rule_applies(when, profile, kinds, providers):
            for i, adj in effects:
                out[i].append(adj)
    for when, effects in plan.gates:
        if _rule_applies(when, profile, kinds, providers):
            for i, adj in effects:
                closed[i].append(adj)
    accepted = profile.governance.formality if profile.governance else None
    if accepted is not None:
        for i, adj in plan.formality[accepted]:
            out[i].append(adj)
    return out, closed


def _clamp(total: float) -> Adjustment | None:
    if 0 <= total <= 100:
        return None
    pts = round((100 if total > 100 else 0) - total, 2)
    return Adjustment(
        "clamp",
        "Clamped to the 0-100 scale",
        pts,
        "Scores are reported on a 0-100 scale.",
        "ncm scoring method",
    )


TIE_TOLERANCE = 1e-9
"""Two options whose totals (before any rounding) differ by no more than this are tied. Totals
are sums of a few dozen terms of size at most 100, so floating-point error is below 1e-12, and
two totals that really differ differ by far more than 1e-9 in any pack the schema admits."""

METHOD_VERSION = "2"
"""Raised whenever the ranking method changes (carried by JSON, CSV and reports). 2: exact
ties (shared ranks, `tied_with`, `--top` keeps ties at the cut)."""


def _weighted(plan: _Plan, weights: list[int]) -> list[float]:
    """Each option's sum of importance x value, in pack order: the part of its total that
    no answer other than an importance moves."""
    return [sum(w * v for w, v in zip(weights, vals, strict=True) if w) for vals in plan.values]


def _totals(
    plan: _Plan,
    weights: list[int],
    adjs: list[list[Adjustment]],
    weighted: list[float] | None = None,
) -> list[float]:
    """Each option's total before rounding and clamping, in pack order: what the ranking
    compares. `weighted`: `_weighted(plan, weights)`, when the caller has it already."""
    if weighted is None:
        weighted = _weighted(plan, weights)
    return [part + sum(a.points for a in these) for part, these in zip(weighted, adjs, strict=True)]


def _levels(totals: list[float], closed: list[bool]) -> list[list[int]]:
    """Option indices grouped into tied levels, best first, every open option before every
    closed (gated) one; pack order within a level."""
    order = sorted(range(len(totals)), key=lambda i: (closed[i], -totals[i], i))
    levels: list[list[int]] = []
    for i in order:
        if (
            levels
            and closed[levels[-1][0]] == closed[i]
            and totals[levels[-1][0]] - totals[i] <= TIE_TOLERANCE
        ):
            levels[-1].append(i)
        else:
            levels.append([i])
    return [sorted(level) for level in levels]


def _rank(
    plan: _Plan, weights: list[int], adjs: list[list[Adjustment]], gates: list[list[Adjustment]]
) -> list[OptionScore]:
    """Every option scored and ranked. A contribution is importance * value (`_Plan.values`),
    shown rounded to 2 places; the ranking compares the unrounded totals (`_levels`), so
    rounding never turns a tie into a lead. Tied options share a rank number (1, 1, 3) and are
    listed in pack order; gated options come after every open one."""
    totals = _totals(plan, weights, adjs)
    scored: list[OptionScore] = []
    for i, (oid, title) in enumerate(zip(plan.ids, plan.titles, strict=True)):
        contribs = [by_w[w] for by_w, w in zip(plan.parts[i], weights, strict=True)]
        these = adjs[i]
        unclamped = score = round(totals[i], 2) + 0.0
        clamp = _clamp(score)
        if clamp:
            these = [*these, clamp]
            score = round(score + clamp.points, 2) + 0.0
        scored.append(OptionScore(i, oid, title, score, contribs, these, unclamped, [], gates[i]))
    # Clamping never reorders (it is monotonic), so the unclamped totals order the options.
    ranking: list[OptionScore] = []
    for level in _levels(totals, [bool(g) for g in gates]):
        rank = len(ranking) + 1
        ids = [plan.ids[i] for i in level]
        for i in level:
            r = scored[i]
            r.rank = rank
            r.tied_with = [o for o in ids if o != r.option]
            ranking.append(r)
    return ranking


def shown(ranking: list[OptionScore], top: int | None) -> list[OptionScore]:
    """The best `top` options, and every option tied with the last of them."""
    if not top or top >= len(ranking):
        return ranking
    cut = ranking[top - 1].rank
    return [r for r in ranking if r.rank <= cut]


def _first(ids: tuple[str, ...], totals: list[float], closed: list[bool]) -> tuple[str, ...]:
    """The options sharing the first rank of `_levels` (open options, unless all are closed),
    found without sorting: robustness asks this dozens of times per profile."""
    pool = [i for i, c in enumerate(closed) if not c] or list(range(len(ids)))
    best = max(totals[i] for i in pool)
    return tuple(ids[i] for i in pool if best - totals[i] <= TIE_TOLERANCE)


def _winners(
    plan: _Plan, weights: list[int], adjs: list[list[Adjustment]], closed: list[bool]
) -> tuple[str, ...]:
    """The options that would share the first rank: the same arithmetic as `_rank`, without
    building the explanation."""
    if not sum(weights):
        return ()
    return _first(plan.ids, _totals(plan, weights, adjs), closed)


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


def _titles(pack: ContentPack, ids: list[str]) -> str:
    titles = [pack.options[o].title for o in ids]
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]


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


def _lower(title: str) -> str:
    """A title inside a sentence: 'Care home' -> 'care home', 'GP practice' kept."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


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
    if not sum(weights):  # nothing is ranked first (`_winners`), so nothing can change it
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


def score_profile(pack: ContentPack, profile: Profile, with_acceptability: bool = True) -> Result:
    plan = _plan(pack)
    importances = profile.objectives
    weights = [importances.get(obj, 0) for obj in OBJECTIVE_IDS]  # type: ignore[call-overload]
    adjs, gates = _adjustments(plan, profile)
    ranking = _rank(plan, weights, adjs, gates)
    notes = []
    s = profile.sustainability
    if s and s.configuration_must_change is False and s.can_do_alone is True:
        notes.append(" ".join(pack.scoring.collaborative_note.text.split()))
    closed = [bool(g) for g in gates]
    if all(closed):
        notes.append(
            "Every option is closed by a requirement the source states; they are ranked by "
            "score for comparison only."
        )
    rob = robustness(pack, weights, adjs, ranking, closed)
    if with_acceptability:  # SMAA-2 and the answer search: about half a batch's time
        shares = acceptability(pack, weights, adjs, closed)
        for r in ranking:
            r.first_rank_acceptability = shares[plan.ids.index(r.option)]
        found = answer_change(pack, profile, weights, tuple(rob.winners))
        if found is not None:
            rob.answer_change = found
            rob.sentence += (
                f" Of the other answers, {found.text} would put "
                f"{_titles(pack, list(found.new_winners))} "
                f"{'first' if len(found.new_winners) == 1 else 'level first'}."
            )
        else:
            rob.sentence += " No one-step change to any other answer alters the first rank."
    return Result(profile.name, ranking, rob, notes, _decision(profile))


def _decision(profile: Profile) -> dict[str, Any] | None:
    """The profile's decision as the JSON contract gives it: always the four keys."""
    d = profile.decision
    if d is None:
        return None
    return {
        "option": d.option,
        "form": d.form,
        "agreed_by": d.agreed_by,
        "agreed_on": d.agreed_on.isoformat() if d.agreed_on else None,
    }


def explain(pack: ContentPack, r: OptionScore) -> str:
    """One sentence on why an option scored as it did: its largest parts."""
    parts = sorted((c for c in r.contributions if c.points), key=lambda c: -c.points)[:2]
    why = [
        f"{_lower(pack.objective_title(c.objective))} (importance {c.importance} × "
        f"strength {c.strength}, {c.points:+.1f})"
        for c in parts
    ]
    adj = sorted(r.adjustments, key=lambda a: -abs(a.points))[:1]
    text = f"{r.title} scores {r.score:g}"
    text += ": strongest on " + " and ".join(why) if why else ": no stated objective fits it"
    if adj:
        text += f"; {_lower(adj[0].title)} ({adj[0].points:+g})"  # 'GP' stays GP
    return text + "."
