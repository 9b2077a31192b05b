"""Scoring a profile: the ranking (`ranking`) and how sure it is (`sensitivity`), in one
`Result`.

The method itself is described in `ranking`; this module puts the two together, adds the
notes and the partners' recorded decision, and keeps every name of both under
`ncm_toolkit.scoring`, where the commands, the renderers and the public API import them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ncm_toolkit.content import ContentPack
from ncm_toolkit.profile import Profile
from ncm_toolkit.ranking import (
    MAX_IMPORTANCE,
    METHOD_VERSION,
    TIE_TOLERANCE,
    Adjustment,
    Contribution,
    OptionScore,
    _adjustments,
    _plan,
    _rank,
    _titles,
    explain,
    shown,
)
from ncm_toolkit.sensitivity import (
    AnswerChange,
    AnswerStep,
    Change,
    Robustness,
    acceptability,
    answer_change,
    robustness,
)
from ncm_toolkit.vocabulary import OBJECTIVE_IDS

__all__ = [
    "MAX_IMPORTANCE",
    "METHOD_VERSION",
    "TIE_TOLERANCE",
    "Adjustment",
    "AnswerChange",
    "AnswerStep",
    "Change",
    "Contribution",
    "OptionScore",
    "Result",
    "Robustness",
    "acceptability",
    "answer_change",
    "explain",
    "robustness",
    "score_profile",
    "shown",
]


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


def score_profile(pack: ContentPack, profile: Profile, with_acceptability: bool = True) -> Result:
    plan = _plan(pack)
    importances = profile.objectives
    weights = [importances.get(obj, 0) for obj in OBJECTIVE_IDS]  # type: ignore[call-overload]
    adjs, gates = _adjustments(plan, profile)
    ranking = _rank(plan, weights, adjs, gates)
    notes = []
    if profile.collaborative_may_do():
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
        for r in ranking:  # a closed option is never a first choice, even when every
            # option is closed and the ranking orders them by score for comparison only
            r.first_rank_acceptability = 0.0 if r.gates else shares[plan.ids.index(r.option)]
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
