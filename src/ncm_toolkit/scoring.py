"""Scoring: each of the ten options against a profile, explainably.

score = sum over objectives of 100 * importance * strength / (max_strength * total importance)
        + the adjustments of the content pack's rules that apply + the formality fit,
clamped to 0-100 (the clamp is itself an adjustment, so the parts always add up to the score).
Every number the method uses comes from the content pack (`models/*.yaml`, `scoring.yaml`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .content import ContentPack
from .profile import Profile
from .schemas import RuleWhen
from .vocabulary import FORMALITIES, OBJECTIVE_IDS


@dataclass(slots=True)
class Contribution:
    objective: str
    importance: int
    strength: int
    points: float


@dataclass(frozen=True)
class Adjustment:
    rule: str
    title: str
    points: float
    reason: str
    source: str


@dataclass
class OptionScore:
    rank: int
    option: str
    title: str
    score: float
    contributions: list[Contribution]
    adjustments: list[Adjustment]
    unclamped: float = 0.0
    """The total before the clamp: it orders options that the clamp leaves level at 100 or 0."""
    tied_with: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rank": self.rank,
            "option": self.option,
            "title": self.title,
            "score": self.score,
            "base": round(sum(c.points for c in self.contributions), 2),
            "contributions": [
                {
                    "objective": c.objective,
                    "importance": c.importance,
                    "strength": c.strength,
                    "points": c.points,
                }
                for c in self.contributions
                if c.importance
            ],
            "adjustments": [
                {
                    "rule": a.rule,
                    "title": a.title,
                    "points": a.points,
                    "reason": a.reason,
                    "source": a.source,
                }
                for a in self.adjustments
            ],
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


@dataclass
class Robustness:
    winner: str
    runner_up: str
    margin: float
    change: Change | None
    one_step: bool
    sentence: str

    def to_json(self) -> dict[str, Any]:
        c = self.change
        return {
            "winner": self.winner,
            "runner_up": self.runner_up,
            "margin": self.margin,
            "change": None
            if c is None
            else {"objective": c.objective, "old": c.old, "new": c.new, "new_winner": c.new_winner},
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
        ranking = self.ranking[:top] if top else self.ranking
        return {
            "name": self.name,
            "ranking": [r.to_json() for r in ranking],
            "robustness": self.robustness.to_json(),
            "notes": self.notes,
        }


def _src(source: Any) -> str:
    return f"{source.document}: {source.section}"


def _rule_applies(when: RuleWhen, profile: Profile, not_providers: frozenset[str]) -> bool:
    if when.partners is not None:
        kinds = {p.kind for p in profile.partners}
        if not kinds:
            return False
        m = when.partners
        providers = kinds - not_providers
        if m.only is not None and not (providers and providers <= set(m.only)):
            return False
        if m.any is not None and not kinds & set(m.any):
            return False
        if m.none is not None and kinds & set(m.none):
            return False
    s, c = profile.sustainability, profile.commissioning
    checks = (
        (when.configuration_must_change, s.configuration_must_change if s else None),
        (when.can_do_alone, s.can_do_alone if s else None),
        (when.functions_remain, c.functions_remain if c else None),
    )
    return all(want is None or (have is not None and have == want) for want, have in checks)


def adjustments_for(pack: ContentPack, profile: Profile) -> dict[str, list[Adjustment]]:
    """The rule and formality adjustments of each option: they do not depend on importances."""
    out: dict[str, list[Adjustment]] = {oid: [] for oid in pack.options}
    not_providers = frozenset(pack.scoring.not_providers)
    for rule in pack.scoring.rules:
        if _rule_applies(rule.when, profile, not_providers):
            for oid, pts in rule.effects.items():
                out[oid].append(
                    Adjustment(rule.id, rule.title, pts, rule.reason, _src(rule.source))
                )
    accepted = profile.governance.formality if profile.governance else None
    if accepted is not None:
        fit = pack.scoring.formality_fit
        for option_id, opt in pack.options.items():
            least = min(FORMALITIES.index(f) for f in opt.legal_forms)
            short = least - FORMALITIES.index(accepted)
            if short > 0:
                out[option_id].append(
                    Adjustment(
                        "formality_fit",
                        f"Needs {FORMALITIES[least]} form; partners accept {accepted}",
                        -fit.penalty_per_step * short,
                        fit.reason,
                        _src(fit.source),
                    )
                )
    return out


def _contributions(weights: list[int], strengths: list[int], top: int) -> list[Contribution]:
    total = sum(weights)
    return [
        Contribution(obj, w, s, round(100 * w * s / (top * total), 2) if total and w else 0.0)
        for obj, w, s in zip(OBJECTIVE_IDS, weights, strengths, strict=True)
    ]


def _total(contribs: list[Contribution], adjs: list[Adjustment]) -> float:
    return round(sum(c.points for c in contribs) + sum(a.points for a in adjs), 2) + 0.0


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


def _rank(
    pack: ContentPack, importances: Mapping[str, int], adjs: dict[str, list[Adjustment]]
) -> list[OptionScore]:
    scored = []
    weights = [importances.get(obj, 0) for obj in OBJECTIVE_IDS]
    strengths = _strengths(pack)
    top = pack.scoring.max_strength
    for oid, opt in pack.options.items():
        contribs = _contributions(weights, strengths[oid], top)
        these = list(adjs[oid])
        unclamped = total = _total(contribs, these)
        clamp = _clamp(total)
        if clamp:
            these.append(clamp)
            total = _total(contribs, these)
        scored.append(OptionScore(0, oid, opt.title, total, contribs, these, unclamped))
    order = {oid: i for i, oid in enumerate(pack.options)}
    scored.sort(key=lambda r: (-r.score, -r.unclamped, order[r.option]))
    for i, r in enumerate(scored, 1):
        r.rank = i
        r.tied_with = [o.option for o in scored if o.score == r.score and o is not r]
    return scored


def _winner(
    pack: ContentPack, importances: Mapping[str, int], adjs: dict[str, list[Adjustment]]
) -> str:
    """The option that would rank first: the same arithmetic as `_rank`, without building the
    explanation, because robustness asks this about fifty times per profile."""
    weights = [importances.get(obj, 0) for obj in OBJECTIVE_IDS]
    total = sum(weights)
    if not total:
        return ""
    top = pack.scoring.max_strength
    best, best_key = "", (-1.0, -1.0)
    for oid, strengths in _strengths(pack).items():
        raw = sum(
            round(100 * w * st / (top * total), 2)
            for w, st in zip(weights, strengths, strict=True)
            if w
        )
        unclamped = round(raw + sum(a.points for a in adjs[oid]), 2)
        key = (min(100.0, max(0.0, unclamped)), unclamped)
        if key > best_key:
            best, best_key = oid, key
    return best


_STRENGTHS: dict[int, dict[str, list[int]]] = {}


def _strengths(pack: ContentPack) -> dict[str, list[int]]:
    key = id(pack)
    if key not in _STRENGTHS:
        _STRENGTHS[key] = {
            oid: [opt.alignments[obj].strength for obj in OBJECTIVE_IDS]  # type: ignore[index]
            for oid, opt in pack.options.items()
        }
    return _STRENGTHS[key]


NEAR_TIE = 0.05
"""Below this lead the quick estimate defers to the exact arithmetic (rounding differs by at
most 9 x 0.005)."""


def _smallest_change(
    pack: ContentPack,
    importances: Mapping[str, int],
    adjs: dict[str, list[Adjustment]],
    winner: str,
) -> Change | None:
    """The smallest change of one importance that alters the winner, ties broken by objective
    order then by the lower new value. Each trial moves one term of each option's weighted sum,
    so it costs ten multiplications, not a full rescoring."""
    strengths = _strengths(pack)
    weights = [importances.get(obj, 0) for obj in OBJECTIVE_IDS]
    total = sum(weights)
    top = pack.scoring.max_strength
    dots = {
        oid: sum(w * st for w, st in zip(weights, sts, strict=True))
        for oid, sts in strengths.items()
    }
    adj = {oid: sum(a.points for a in adjs[oid]) for oid in strengths}
    trials = sorted(
        (abs(new - cur), idx, new)
        for idx, cur in enumerate(weights)
        for new in range(6)
        if new != cur
    )
    for _, idx, new in trials:
        step = new - weights[idx]
        t = total + step
        if t == 0:
            continue
        best, best_score, second = "", -1.0, -1.0
        for oid, sts in strengths.items():
            sc = min(100.0, max(0.0, 100 * (dots[oid] + step * sts[idx]) / (top * t) + adj[oid]))
            if sc > best_score:
                best, best_score, second = oid, sc, best_score
            elif sc > second:
                second = sc
        if best_score - second < NEAR_TIE:
            best = _winner(pack, {**importances, OBJECTIVE_IDS[idx]: new}, adjs)
        if best != winner:
            return Change(OBJECTIVE_IDS[idx], weights[idx], new, best)
    return None


def robustness(
    pack: ContentPack,
    importances: Mapping[str, int],
    adjs: dict[str, list[Adjustment]],
    ranking: list[OptionScore],
) -> Robustness:
    win, second = ranking[0], ranking[1]
    margin = round(win.score - second.score, 2)
    change = _smallest_change(pack, importances, adjs, win.option)
    title = pack.options[win.option].title
    if margin == 0 and win.unclamped != second.unclamped:
        lead = (
            f"{title} and {second.title} both reach {win.score:g}; before the clamp to the "
            f"0-100 scale {title} was {round(win.unclamped - second.unclamped, 2):g} points "
            "ahead, so it is ranked first, but treat the two as close."
        )
    elif margin == 0:
        lead = (
            f"{title} ties with {second.title} at {win.score:g}; the tie is broken by the "
            "order of the source pack, so treat the two as equals."
        )
    else:
        lead = f"{title} leads {second.title} by {margin:g} points."
    if change is None:
        tail = " No change to any single objective's importance would alter the winner."
    else:
        verb = "raising" if change.new > change.old else "lowering"
        what = (
            f"{verb} '{pack.objective_title(change.objective)}' from {change.old} "
            f"to {change.new} would put {pack.options[change.new_winner].title} first"
        )
        if abs(change.new - change.old) == 1:
            tail = f" The smallest change that alters the winner: {what}."
        else:
            tail = (
                " No one-step change to a single importance alters the winner; the smallest "
                f"that does: {what}."
            )
    return Robustness(
        win.option,
        second.option,
        margin,
        change,
        change is not None and abs(change.new - change.old) == 1,
        lead + tail,
    )


def score_profile(pack: ContentPack, profile: Profile) -> Result:
    importances: dict[str, int] = {str(k): v for k, v in profile.objectives.items()}
    adjs = adjustments_for(pack, profile)
    ranking = _rank(pack, importances, adjs)
    notes = []
    s = profile.sustainability
    if s and s.configuration_must_change is False and s.can_do_alone is True:
        notes.append(" ".join(pack.scoring.collaborative_note.text.split()))
    return Result(profile.name, ranking, robustness(pack, importances, adjs, ranking), notes)


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
