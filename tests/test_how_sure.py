"""How sure (issue 14): SMAA-2 first-rank acceptability and the smallest one-step change to an
answer other than an importance that alters the first rank."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ncm_toolkit.content import load_pack
from ncm_toolkit.profile import Profile
from ncm_toolkit.scoring import score_profile
from ncm_toolkit.vocabulary import OBJECTIVE_IDS

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def pack():
    return load_pack()


def _shares(result) -> dict[str, float]:
    return {r.option: r.first_rank_acceptability for r in result.ranking}


def test_single_profile_json_carries_acceptability(ncm):
    path = EXAMPLES / "south_borough_integration.yaml"
    data = json.loads(ncm("score", str(path), "--format", "json").stdout)
    ranking = data["results"][0]["ranking"]
    shares = [e["first_rank_acceptability"] for e in ranking]
    assert all(0.0 <= s <= 1.0 for s in shares)
    assert abs(sum(shares) - 1) <= 0.01  # each share rounded to 3 places
    again = json.loads(ncm("score", str(path), "--format", "json").stdout)
    assert again == data  # fixed seed: the same figures every run
    table = ncm("score", str(path)).stdout
    assert "First" in table


def test_batches_opt_in(ncm):
    plain = json.loads(ncm("score", str(EXAMPLES), "--format", "json").stdout)
    assert all("first_rank_acceptability" not in e for r in plain["results"] for e in r["ranking"])
    assert "First" not in ncm("score", str(EXAMPLES)).stdout
    asked = json.loads(ncm("score", str(EXAMPLES), "--format", "json", "--acceptability").stdout)
    assert all("first_rank_acceptability" in e for r in asked["results"] for e in r["ranking"])
    one = json.loads(
        ncm(
            "score",
            str(EXAMPLES / "north_practices.yaml"),
            "--no-acceptability",
            "--format",
            "json",
        ).stdout
    )
    assert "first_rank_acceptability" not in one["results"][0]["ranking"][0]


def test_one_objective_alone_is_certain_and_an_exact_tie_is_split(pack):
    # one stated importance: varying it rescales every option alike, so the order never moves
    one = score_profile(
        pack, Profile.model_validate({"name": "o", "objectives": {"integrating_primary_care": 3}})
    )
    winner = one.ranking[0].option
    assert _shares(one)[winner] == 1.0
    tie = score_profile(
        pack,
        Profile.model_validate(
            {"name": "t", "objectives": {"integrating_primary_and_secondary_care": 4}}
        ),
    )
    assert _shares(tie)["aco_ico"] == _shares(tie)["pacs"] == 0.5


def test_acceptability_matches_a_plain_reference(pack):
    """The vectorised figure equals a loop over the same draws."""
    import numpy as np

    from ncm_toolkit.ranking import _adjustments, _plan

    data = {
        "name": "r",
        "objectives": {
            "integrating_health_and_social_care": 4,
            "strengthening_out_of_hospital_care": 3,
            "integrating_primary_care": 3,
        },
        "partners": [
            {"name": "a", "kind": "acute_trust"},
            {"name": "g", "kind": "gp_practice"},
        ],
    }
    profile = Profile.model_validate(data)
    result = score_profile(pack, profile)
    plan = _plan(pack)
    adjs, gates = _adjustments(plan, profile)
    cfg = pack.scoring.acceptability
    given: dict[str, int] = {str(k): v for k, v in profile.objectives.items()}
    weights = [given.get(o, 0) for o in OBJECTIVE_IDS]
    stated = [i for i, w in enumerate(weights) if w]
    draws = np.random.default_rng(cfg.seed).uniform(-cfg.spread, cfg.spread, (cfg.samples, 3))
    wins = dict.fromkeys(plan.ids, 0.0)
    for row in draws:
        w = list(weights)
        for i, d in zip(stated, row, strict=True):
            w[i] = min(max(weights[i] + d, 0), 5)
        totals = [
            sum(x * v for x, v in zip(w, vals, strict=True)) + sum(a.points for a in these)
            for vals, these in zip(plan.values, adjs, strict=True)
        ]
        pool = [i for i, g in enumerate(gates) if not g] or range(len(plan.ids))
        best = max(totals[i] for i in pool)
        top = [i for i in pool if best - totals[i] <= 1e-9]
        for i in top:
            wins[plan.ids[i]] += 1 / len(top)
    for oid, share in _shares(result).items():
        assert share == round(wins[oid] / cfg.samples, 3), oid


def test_zeros_stay_zero(pack):
    """An objective rated 0 is never sampled: a profile whose runner-up is far ahead on an
    unstated objective keeps its winner in every draw."""
    result = score_profile(
        pack,
        Profile.model_validate(
            {"name": "z", "objectives": {"redesigning_urgent_and_emergency_care": 5}}
        ),
    )
    assert _shares(result)["urgent_emergency_care_network"] == 1.0


@pytest.mark.parametrize(
    "path", sorted(EXAMPLES.glob("*.yaml")) + sorted(Path("tests/case_profiles").glob("*.yaml"))[:8]
)
def test_answer_change_really_changes_the_first_rank(pack, path):
    from ncm_toolkit.profile import load_profile
    from ncm_toolkit.sensitivity import _answer_steps

    profile, _ = load_profile(path)
    assert profile is not None
    result = score_profile(pack, profile)
    found = result.robustness.answer_change
    firsts = [r.option for r in result.ranking if r.rank == 1]
    steps = _answer_steps(pack, profile)
    for field, old, new, changed, _text in steps:
        after = [r.option for r in score_profile(pack, changed).ranking if r.rank == 1]
        if found is not None and (field, old, new) == (found.field, found.old, found.new):
            assert tuple(after) == found.new_winners != tuple(firsts)
            assert found.text in result.robustness.sentence
            break
        assert after == firsts, f"{field}: an earlier step already changes the first rank"
    else:
        assert found is None
        assert "No one-step change to any other answer" in result.robustness.sentence
