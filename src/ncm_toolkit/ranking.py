"""The ranking: each of the ten options scored against a profile, explainably.

value(option, objective) = 100 * strength / (5 * T^e * 27^(1 - e)), T the option's total
    strength over all nine objectives, 27 the largest total, e the pack's breadth_exponent
score = sum over objectives of importance * value
        + the adjustments of the content pack's rules that apply + the formality fit,
clamped to 0-100 (the clamp is itself an adjustment, so the parts always add up to the score).

Dividing by (most of) the option's own total strength removes most of the breadth bias: an
option aligned a little to everything no longer wins every profile that rates everything. The
base is not divided by the total importance, so raising one importance never lowers an option
relative to one of lower value on that objective, whatever the rules add (monotonicity).
Options a gate of the pack closes (a requirement the source states and the partnership does not
meet) are ranked after every other option, with the reason. Every number comes from the content
pack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ncm_toolkit.content import ContentPack
from ncm_toolkit.profile import Profile
from ncm_toolkit.schemas import OptionModel, RuleWhen
from ncm_toolkit.vocabulary import FORMALITIES, OBJECTIVE_IDS

FORMALITY_FIT = "formality_fit"
"""The rule id of the formality fit's adjustment (the board paper reads it back)."""
MAX_IMPORTANCE = 5
"""The top of the importance scale (the contract's 0-5): with each objective an option serves
rated 5, its base is 100 * (T / 27)^(1 - e), 100 at the broadest alignment (README "How
scoring works")."""


class Contribution(NamedTuple):
    """One objective's part of an option's score; immutable, so one profile's options share
    the contributions they have in common."""

    objective: str
    importance: int
    strength: int
    points: float
    value: float = 0.0
    """The value the strength gives on this objective (`_values`), unrounded: the appendix
    shows it, the same for every importance (points / importance differs in the last digit
    as points are rounded)."""

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
    """The value each strength gives: 100 * strength / (5 * T^e * 27^(1 - e)) (`_values`)."""
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


def least_formal(option: OptionModel) -> str:
    """The least formal of an option's usual legal forms: the formality the partners must
    accept at least (the formality fit's penalty counts the steps short of it)."""
    return FORMALITIES[min(FORMALITIES.index(f) for f in option.legal_forms)]


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
            least = FORMALITIES.index(least_formal(opt))
            short = least - FORMALITIES.index(accepted)
            if short > 0:
                title = f"Needs {FORMALITIES[least]} form; partners accept {accepted}"
                pts = -fit.penalty_per_step * short
                effects.append(
                    (i, Adjustment(FORMALITY_FIT, title, pts, fit.reason, _src(fit.source)))
                )
        formality[accepted] = tuple(effects)
    parts = tuple(
        tuple(
            tuple(
                Contribution(obj, w, st, round(w * v, 2) + 0.0 if w else 0.0, v)
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
    if when.formality is not None:
        g = profile.governance
        if g is None or g.formality is None or g.formality not in when.formality:
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


def _titles(pack: ContentPack, ids: list[str]) -> str:
    titles = [pack.options[o].title for o in ids]
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]


def _lower(title: str) -> str:
    """A title inside a sentence: 'Care home' -> 'care home', 'A section 75 ...' -> 'a section
    75 ...', 'GP practice' kept."""
    lower = title[1:2].islower() or title[:2] == "A "
    return title[:1].lower() + title[1:] if lower else title


def explain(pack: ContentPack, r: OptionScore) -> str:
    """One sentence on why an option scored as it did: its largest parts, each with the value
    its strength gives (README "How scoring works"), so that importance × value is the points
    shown (importance × strength is not)."""
    parts = sorted((c for c in r.contributions if c.points), key=lambda c: -c.points)[:2]
    plan = _plan(pack)
    values = plan.values[plan.ids.index(r.option)]
    why = [
        f"{_lower(pack.objective_title(c.objective))} (importance {c.importance} × value "
        f"{values[OBJECTIVE_IDS.index(c.objective)]:.2f}, from strength {c.strength}: "
        f"{c.points:+.1f})"
        for c in parts
    ]
    adj = named_adjustment(r)
    text = f"{r.title} scores {r.score:g}"
    text += ": strongest on " + " and ".join(why) if why else ": no stated objective fits it"
    if adj is not None:
        text += f"; {_lower(adj.title)} ({adj.points:+g})"  # 'GP' stays GP
    return text + "."


def closed_by(r: OptionScore) -> str:
    """What closes an option (its gates' titles), or "" when it is open: the CSV's and the
    workbook's `closed` column."""
    return "; ".join(g.title for g in r.gates)


def named_adjustment(r: OptionScore) -> Adjustment | None:
    """The adjustment `explain` names in its sentence (the largest), so that a screen listing
    the others under it does not name it twice."""
    return max(r.adjustments, key=lambda a: abs(a.points), default=None)
