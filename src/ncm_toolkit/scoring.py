"""Scoring: each of the ten options against a profile, explainably.

score = sum over objectives of 100 * importance * strength / (max_strength * total importance)
        + the adjustments of the content pack's rules that apply + the formality fit,
clamped to 0-100 (the clamp is itself an adjustment, so the parts always add up to the score).
Every number the method uses comes from the content pack (`models/*.yaml`, `scoring.yaml`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .content import ContentPack
from .profile import Profile
from .schemas import RuleWhen
from .vocabulary import FORMALITIES, OBJECTIVE_IDS


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
        if self.tied_with:
            out["tied_with"] = self.tied_with
        return out


@dataclass(frozen=True)
class Change:
    objective: str
    old: int
    new: int
    new_winner: str
    new_winners: tuple[str, ...] = ()
    """Every option that would share the first rank after the change (pack order)."""


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

    def to_json(self) -> dict[str, Any]:
        c = self.change
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
        }


@dataclass
class Result:
    name: str
    ranking: list[OptionScore]
    robustness: Robustness
    notes: list[str]

    def to_json(self, top: int | None = None) -> dict[str, Any]:
        ranking = shown(self.ranking, top)
        return {
            "name": self.name,
            "ranking": [r.to_json() for r in ranking],
            "robustness": self.robustness.to_json(),
            "notes": self.notes,
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
    cols: tuple[tuple[int, ...], ...]
    """The same, by objective: the strengths one importance multiplies."""
    top: int
    rules: tuple[tuple[RuleWhen, _Effects], ...]
    formality: dict[str, _Effects]
    """The formality-fit penalties for each formality the partners may accept."""
    not_providers: frozenset[str]


_PLANS: dict[int, tuple[ContentPack, _Plan]] = {}


def _plan(pack: ContentPack) -> _Plan:
    cached = _PLANS.get(id(pack))
    if cached is not None and cached[0] is pack:
        return cached[1]
    ids = tuple(pack.options)
    index = {oid: i for i, oid in enumerate(ids)}
    rows = tuple(
        tuple(opt.alignments[obj].strength for obj in OBJECTIVE_IDS)  # type: ignore[index]
        for opt in pack.options.values()
    )
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
    plan = _Plan(
        ids,
        tuple(opt.title for opt in pack.options.values()),
        rows,
        tuple(zip(*rows, strict=True)),
        pack.scoring.max_strength,
        rules,
        formality,
        frozenset(pack.scoring.not_providers),
    )
    _PLANS.clear()  # one pack at a time is the common case; never hold packs without bound
    _PLANS[id(pack)] = (pack, plan)
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
    s, c = profile.sustainability, profile.commissioning
    checks = (
        (when.configuration_must_change, s.configuration_must_change if s else None),
        (when.can_do_alone, s.can_do_alone if s else None),
        (when.functions_remain, c.functions_remain if c else None),
    )
    return all(want is None or (have is not None and have == want) for want, have in checks)


def _adjustments(plan: _Plan, profile: Profile) -> list[list[Adjustment]]:
    """The rule and formality adjustments of each option (pack order): they do not depend on
    importances, so robustness reuses them."""
    out: list[list[Adjustment]] = [[] for _ in plan.ids]
    kinds: set[str] = {p.kind for p in profile.partners}
    providers = kinds - plan.not_providers
    for when, effects in plan.rules:
        if _rule_applies(when, profile, kinds, providers):
            for i, adj in effects:
                out[i].append(adj)
    accepted = profile.governance.formality if profile.governance else None
    if accepted is not None:
        for i, adj in plan.formality[accepted]:
            out[i].append(adj)
    return out


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


def _totals(plan: _Plan, weights: list[int], adjs: list[list[Adjustment]]) -> list[float]:
    """Each option's total before rounding and clamping, in pack order: what the ranking
    compares."""
    total = sum(weights)
    scale = 100 / (plan.top * total) if total else 0.0
    return [
        sum(w * st for w, st in zip(weights, row, strict=True)) * scale
        + sum(a.points for a in these)
        for row, these in zip(plan.rows, adjs, strict=True)
    ]


def _levels(totals: list[float]) -> list[list[int]]:
    """Option indices grouped into tied levels, best first; pack order within a level."""
    order = sorted(range(len(totals)), key=lambda i: (-totals[i], i))
    levels: list[list[int]] = []
    for i in order:
        if levels and totals[levels[-1][0]] - totals[i] <= TIE_TOLERANCE:
            levels[-1].append(i)
        else:
            levels.append([i])
    return [sorted(level) for level in levels]


def _rank(plan: _Plan, weights: list[int], adjs: list[list[Adjustment]]) -> list[OptionScore]:
    """Every option scored and ranked. A contribution is 100 * importance * strength /
    (max_strength * total importance), shown rounded to 2 places; the ranking compares the
    unrounded totals (`_levels`), so rounding never turns a tie into a lead. Tied options share
    a rank number (1, 1, 3) and are listed in pack order."""
    total = sum(weights)
    denom = plan.top * total
    parts = [
        [
            Contribution(obj, w, st, round(100 * w * st / denom, 2) if denom and w else 0.0)
            for st in range(plan.top + 1)
        ]
        for obj, w in zip(OBJECTIVE_IDS, weights, strict=True)
    ]
    totals = _totals(plan, weights, adjs)
    scored: list[OptionScore] = []
    for i, (oid, title, row) in enumerate(zip(plan.ids, plan.titles, plan.rows, strict=True)):
        contribs = [p[st] for p, st in zip(parts, row, strict=True)]
        these = adjs[i]
        unclamped = score = round(totals[i], 2) + 0.0
        clamp = _clamp(score)
        if clamp:
            these = [*these, clamp]
            score = round(score + clamp.points, 2) + 0.0
        scored.append(OptionScore(i, oid, title, score, contribs, these, unclamped))
    # Clamping never reorders (it is monotonic), so the unclamped totals order the options.
    ranking: list[OptionScore] = []
    for level in _levels(totals):
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


def _winners(plan: _Plan, weights: list[int], adjs: list[list[Adjustment]]) -> tuple[str, ...]:
    """The options that would share the first rank: the same arithmetic as `_rank`, without
    building the explanation, because robustness may ask this many times per profile."""
    if not sum(weights):
        return ()
    return tuple(plan.ids[i] for i in _levels(_totals(plan, weights, adjs))[0])


def _smallest_change(
    plan: _Plan, weights: list[int], adjs: list[list[Adjustment]], winners: tuple[str, ...]
) -> Change | None:
    """The smallest change of one importance that alters the first rank (who is first, or who
    shares it), ties broken by objective order then by the lower new value."""
    trials = sorted(
        (abs(new - cur), idx, new)
        for idx, cur in enumerate(weights)
        for new in range(6)
        if new != cur
    )
    for _, idx, new in trials:
        changed = list(weights)
        changed[idx] = new
        best = _winners(plan, changed, adjs)
        if best and best != winners:
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
) -> Robustness:
    """The winner's margin and the smallest single change of importance that alters it, said
    in one sentence. `weights` are the importances in contract order. A shared first rank is
    said to be a tie, never settled."""
    win = ranking[0]
    first = [r for r in ranking if r.rank == 1]
    second = ranking[1] if len(first) == 1 else first[1]
    if len(first) > 1:
        margin = 0.0
    elif win.score != second.score:
        margin = round(win.score - second.score, 2)
    else:  # level on the 0-100 scale only because of the clamp
        margin = round(win.unclamped - second.unclamped, 2)
    plan = _plan(pack)
    change = _smallest_change(plan, weights, adjs, tuple(r.option for r in first))
    title = pack.options[win.option].title
    if len(first) > 1:
        lead = (
            f"{_titles(pack, [r.option for r in first])} tie for first at {win.score:g}: "
            "the method does not separate them, so the choice between them is yours."
        )
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


def score_profile(pack: ContentPack, profile: Profile) -> Result:
    plan = _plan(pack)
    importances = profile.objectives
    weights = [importances.get(obj, 0) for obj in OBJECTIVE_IDS]  # type: ignore[call-overload]
    adjs = _adjustments(plan, profile)
    ranking = _rank(plan, weights, adjs)
    notes = []
    s = profile.sustainability
    if s and s.configuration_must_change is False and s.can_do_alone is True:
        notes.append(" ".join(pack.scoring.collaborative_note.text.split()))
    return Result(profile.name, ranking, robustness(pack, weights, adjs, ranking), notes)


def explain(pack: ContentPack, r: OptionScore) -> str:
    """One sentence on why an option scored as it did: its largest parts."""
    parts = sorted((c for c in r.contributions if c.points), key=lambda c: -c.points)[:2]
    why = [
        f"{pack.objective_title(c.objective).lower()} (importance {c.importance} × "
        f"strength {c.strength}, {c.points:+.1f})"
        for c in parts
    ]
    adj = sorted(r.adjustments, key=lambda a: -abs(a.points))[:1]
    text = f"{r.title} scores {r.score:g}"
    text += ": strongest on " + " and ".join(why) if why else ": no stated objective fits it"
    if adj:
        text += f"; {adj[0].title.lower()} ({adj[0].points:+g})"
    return text + "."
