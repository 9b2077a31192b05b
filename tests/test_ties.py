"""Honest ties (issue 14): exact comparison, shared ranks, `--top` keeps ties at the cut, and no
valid pack can crash the ranking (property test over generated scoring rules and alignments)."""

from __future__ import annotations

import dataclasses
import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ncm_toolkit.content import load_pack
from ncm_toolkit.profile import Profile, Structure
from ncm_toolkit.schemas import Alignment, ScoringRules
from ncm_toolkit.scoring import METHOD_VERSION, score_profile, shown
from ncm_toolkit.vocabulary import FORMALITIES, OBJECTIVE_IDS, OPTION_IDS, PARTNER_KINDS

from .conftest import PROPERTY_EXAMPLES


@pytest.fixture(scope="module")
def pack():
    return load_pack()


def _firsts(result) -> list[str]:
    return [r.option for r in result.ranking if r.rank == 1]


def _value(pack, option: str, objective: str) -> float:
    from ncm_toolkit.ranking import _plan

    plan = _plan(pack)
    return plan.values[plan.ids.index(option)][OBJECTIVE_IDS.index(objective)]


def test_equal_values_share_a_rank_in_pack_order(pack):
    # back office alone: every option with the same value on it ties exactly
    obj = "integrating_back_office"
    profile = Profile.model_validate({"name": "t", "objectives": {obj: 1}})
    result = score_profile(pack, profile)
    order = list(pack.options)
    value = {o: _value(pack, o, obj) for o in order}
    assert len(set(value.values())) < len(order), "the test needs equal values"
    for r in result.ranking:
        assert r.tied_with == [o for o in order if value[o] == value[r.option] and o != r.option]
    for n, (a, b) in enumerate(itertools.pairwise(result.ranking), 2):
        if value[a.option] == value[b.option]:
            assert a.rank == b.rank and order.index(a.option) < order.index(b.option)
        else:
            assert b.rank == n  # competition ranking: 1, 1, 3


def test_rounding_never_makes_a_lead(pack):
    # ACO/ICO and PACS have the same strength (3) on primary and secondary care and the same
    # total strength: exactly level, whatever the rounding of the parts shown
    profile = Profile.model_validate(
        {"name": "t", "objectives": {"integrating_primary_and_secondary_care": 2}}
    )
    result = score_profile(pack, profile)
    firsts = _firsts(result)
    assert firsts == ["aco_ico", "pacs"]
    assert result.ranking[0].score == result.ranking[1].score
    assert "tie for first" in result.robustness.sentence
    assert result.robustness.winners == firsts


def test_top_keeps_every_option_tied_at_the_cut(ncm, tmp_path, pack):
    path = tmp_path / "p.yaml"
    path.write_text("name: t\nobjectives:\n  integrating_primary_and_secondary_care: 2\n")
    full = json.loads(ncm("score", str(path), "--format", "json").stdout)
    data = json.loads(ncm("score", str(path), "--format", "json", "--top", "1").stdout)
    assert data["method_version"] == METHOD_VERSION
    ranking = data["results"][0]["ranking"]
    firsts = [e for e in full["results"][0]["ranking"] if e["rank"] == 1]
    assert len(firsts) > 1, "the test needs a shared first rank"
    assert [e["option"] for e in ranking] == [e["option"] for e in firsts]
    assert all(e["tied_with"] for e in ranking)
    table = ncm("score", str(path), "--top", "1")
    assert table.exit_code == 0
    assert table.stdout.count("=1") == len(firsts)
    assert "tie for first" in " ".join(table.stdout.split())
    csv_out = ncm("score", str(path), "--format", "csv", "--top", "1").stdout.splitlines()
    assert len(csv_out) == 1 + len(firsts) and csv_out[0].endswith(",method_version,closed")


def test_shown_is_the_top_n_and_the_ties_at_the_cut(pack):
    profile = Profile.model_validate({"name": "t", "objectives": {"integrating_back_office": 2}})
    ranking = score_profile(pack, profile).ranking
    for n in range(1, 11):
        cut = shown(ranking, n)
        assert len(cut) >= n and cut == ranking[: len(cut)]
        assert all(r.rank <= ranking[n - 1].rank for r in cut)
        rest = ranking[len(cut) :]
        assert all(r.rank > ranking[n - 1].rank for r in rest)


# --- property: no valid pack crashes the ranking --------------------------------------------

_points = st.one_of(st.integers(-50, 50), st.floats(-50, 50, allow_nan=False)).map(float)
_kinds = st.lists(st.sampled_from(PARTNER_KINDS), min_size=1, max_size=4, unique=True)
_when = st.fixed_dictionaries(
    {},
    optional={
        "partners": st.fixed_dictionaries(
            {}, optional={"only": _kinds, "any": _kinds, "none": _kinds}
        ),
        "configuration_must_change": st.booleans(),
        "can_do_alone": st.booleans(),
        "functions_remain": st.booleans(),
        "structure": st.dictionaries(
            st.sampled_from(["lead", "acute_inside", "population", "practices"]),
            st.lists(
                st.sampled_from([True, False, "general_practice", "place", "merge"]),
                min_size=1,
                max_size=3,
            ),
            max_size=2,
        ),
        "structure_not": st.dictionaries(
            st.sampled_from(["population", "acute_inside"]),
            st.lists(st.sampled_from([True, "care_home_residents"]), min_size=1, max_size=2),
            max_size=2,
        ),
    },
)
_gate = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["g1", "g2"]),
        "title": st.just("A gate"),
        "options": st.lists(st.sampled_from(OPTION_IDS), min_size=1, max_size=10),
        "when": _when,
        "reason": st.just("why"),
        "source": st.just({"document": "module1", "section": "x"}),
    }
)
_rule = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["r1", "r2", "r3"]),
        "title": st.just("A rule"),
        "when": _when,
        "effects": st.dictionaries(st.sampled_from(OPTION_IDS), _points, min_size=1, max_size=10),
        "reason": st.just("why"),
        "source": st.just({"document": "module1", "section": "x"}),
    }
)
_rules = st.fixed_dictionaries(
    {
        "max_strength": st.just(3),
        "rules": st.lists(_rule, max_size=6),
        "gates": st.lists(_gate, max_size=4),
        "breadth_exponent": st.floats(0, 1, allow_nan=False),
        "acceptability": st.fixed_dictionaries(
            {"samples": st.just(100), "spread": st.floats(0, 5, allow_nan=False)}
        ),
        "formality_fit": st.fixed_dictionaries(
            {
                "penalty_per_step": st.floats(0, 50, allow_nan=False),
                "reason": st.just("why"),
                "source": st.just({"document": "module1", "section": "x"}),
            }
        ),
        "collaborative_note": st.just(
            {"text": "n", "source": {"document": "module1", "section": "x"}}
        ),
    }
)
_rows = st.lists(
    st.lists(st.integers(0, 3), min_size=len(OBJECTIVE_IDS), max_size=len(OBJECTIVE_IDS)),
    min_size=len(OPTION_IDS),
    max_size=len(OPTION_IDS),
)
_profile = st.fixed_dictionaries(
    {
        "name": st.just("p"),
        "objectives": st.dictionaries(
            st.sampled_from(OBJECTIVE_IDS), st.integers(0, 5), min_size=1
        ).filter(lambda d: any(d.values())),
        "partners": st.lists(
            st.builds(lambda k: {"name": "x", "kind": k}, st.sampled_from(PARTNER_KINDS)),
            max_size=4,
        ),
        "sustainability": st.fixed_dictionaries(
            {},
            optional={"configuration_must_change": st.booleans(), "can_do_alone": st.booleans()},
        ),
        "commissioning": st.fixed_dictionaries({}, optional={"functions_remain": st.booleans()}),
        "schema_version": st.just(2),
        "structure": st.fixed_dictionaries(
            {},
            optional={
                "lead": st.sampled_from(["general_practice", "acute_trust", "joint_board"]),
                "acute_inside": st.booleans(),
                "population": st.sampled_from(["place", "care_home_residents"]),
                "practices": st.sampled_from(["merge", "keep_contracts", "not_applicable"]),
            },
        ),
        "governance": st.fixed_dictionaries(
            {}, optional={"formality": st.sampled_from(FORMALITIES)}
        ),
    }
)


def _variant(pack, rules: dict, rows: list[list[int]]):
    options = {
        oid: opt.model_copy(
            update={
                "alignments": {
                    obj: Alignment(strength=s) for obj, s in zip(OBJECTIVE_IDS, row, strict=True)
                }
            }
        )
        for (oid, opt), row in zip(pack.options.items(), rows, strict=True)
    }
    return dataclasses.replace(pack, options=options, scoring=ScoringRules.model_validate(rules))


@settings(
    max_examples=PROPERTY_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(rules=_rules, rows=_rows, profile=_profile)
def test_no_valid_pack_crashes_the_ranking(pack, rules, rows, profile):
    variant = _variant(pack, rules, rows)
    result = score_profile(variant, Profile.model_validate(profile), with_acceptability=True)
    ranking = result.ranking
    shares = [r.first_rank_acceptability or 0.0 for r in ranking]
    # the shares sum to 1, except when every option is closed: then none is a first choice
    whole = 0 if all(r.gates for r in ranking) else 1
    assert all(0 <= x <= 1 for x in shares) and abs(sum(shares) - whole) <= 0.011
    assert sorted(r.option for r in ranking) == sorted(OPTION_IDS)
    assert ranking[0].rank == 1 and result.robustness.winners == _firsts(result)
    for a, b in itertools.pairwise(ranking):
        assert bool(a.gates) <= bool(b.gates)  # open options first, then the gated
        if bool(a.gates) == bool(b.gates):
            assert a.unclamped >= b.unclamped - 0.01  # shown values are rounded to 2 places
        assert (a.rank == b.rank) == (b.option in a.tied_with)
    json.dumps(result.to_json())


# --- property: monotonicity -------------------------------------------------------------------


@settings(
    max_examples=PROPERTY_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    rules=_rules,
    rows=_rows,
    profile=_profile,
    objective=st.sampled_from(OBJECTIVE_IDS),
)
def test_raising_an_importance_never_lowers_an_option_relative_to_one_valued_less(
    pack, rules, rows, profile, objective
):
    """Raising objective k's importance by one adds importance x value to each option's total
    (the base is not divided by the total importance), so an option whose value on k is at
    least another's never loses ground to it, whatever the rules add."""
    from ncm_toolkit.ranking import _plan

    variant = _variant(pack, rules, rows)
    before = Profile.model_validate(profile)
    if before.objectives.get(objective, 0) == 5:
        return
    after = before.model_copy(
        update={
            "objectives": {**before.objectives, objective: before.objectives.get(objective, 0) + 1}
        }
    )
    plan = _plan(variant)
    k = OBJECTIVE_IDS.index(objective)
    one = {r.option: r for r in score_profile(variant, before).ranking}
    two = {r.option: r for r in score_profile(variant, after).ranking}
    for i, a in enumerate(plan.ids):
        for j, b in enumerate(plan.ids):
            if plan.values[i][k] >= plan.values[j][k]:
                gap_before = one[a].unclamped - one[b].unclamped
                gap_after = two[a].unclamped - two[b].unclamped
                assert gap_after >= gap_before - 0.011  # unclamped totals are shown to 2 places
                if one[a].rank < one[b].rank and not one[a].gates and not one[b].gates:
                    assert two[a].rank <= two[b].rank


def test_gates_close_options_with_their_reason(pack):
    gp_only = Profile.model_validate(
        {
            "name": "g",
            "objectives": {"expanding_services_across_sites": 5},
            "partners": [{"name": "A", "kind": "gp_practice"}],
        }
    )
    result = score_profile(pack, gp_only)
    gated = {r.option: r for r in result.ranking if r.gates}
    assert {"multi_site_trust", "hospital_chain", "specialty_franchise", "pacs"} <= set(gated)
    assert "enhanced_health_in_care_homes" in gated  # no care home, no care-home residents
    assert all(g.reason and g.source for r in gated.values() for g in r.gates)
    open_ranks = [r.rank for r in result.ranking if not r.gates]
    assert max(open_ranks) < min(r.rank for r in gated.values())
    # care-home residents as the population open the care homes model again
    v2 = gp_only.model_copy(
        update={"schema_version": 2, "structure": Structure(population="care_home_residents")}
    )
    assert not next(
        r for r in score_profile(pack, v2).ranking if r.option == "enhanced_health_in_care_homes"
    ).gates
    # no partners listed: nothing is known, nothing is gated
    bare = Profile.model_validate({"name": "b", "objectives": {"integrating_primary_care": 3}})
    assert not any(r.gates for r in score_profile(pack, bare).ranking)


def test_table_and_explain_show_a_closed_option(ncm, tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(
        "name: g\nobjectives: {expanding_services_across_sites: 5}\n"
        "partners: [{name: A, kind: gp_practice}]\n"
    )
    out = " ".join(ncm("score", str(path), "--explain").stdout.split())
    assert "Hospital Chain [closed: No NHS trust among" in out
    assert "closed No NHS trust among the partners: A multi-site trust is" in out
    data = json.loads(ncm("score", str(path), "--format", "json").stdout)
    gated = [e for e in data["results"][0]["ranking"] if e.get("gated")]
    assert {"multi_site_trust", "hospital_chain", "specialty_franchise"} <= {
        e["option"] for e in gated
    }
    assert all(g["reason"] and g["source"].startswith("module1") for e in gated for g in e["gated"])
