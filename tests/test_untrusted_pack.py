"""Hostile and careless content packs (issue 12): packs that validate but broke scoring
(item 12), pack files above the size limit (item 13), the pack cache (item 2), and files that
libyaml refuses (item 11). Through the real CLI where the behaviour is visible there."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ncm_toolkit.content import load_pack
from ncm_toolkit.profile import Profile
from ncm_toolkit.schemas import ScoringRules
from ncm_toolkit.scoring import score_profile
from ncm_toolkit.vocabulary import FORMALITIES, OBJECTIVE_IDS, OPTION_IDS, PARTNER_KINDS

from .conftest import EXAMPLES, MINIMAL, write

PROFILE = str(EXAMPLES / "north_practices.yaml")


def edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# --- item 12: every number the scorer uses is range-checked -------------------------------


@pytest.mark.parametrize("value", ["0", "1", "2", "11", "100000000"])
def test_max_strength_out_of_range_is_a_located_error(ncm, pack_copy: Path, value: str) -> None:
    edit(pack_copy / "scoring.yaml", "\nmax_strength: 3\n", f"\nmax_strength: {value}\n")
    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1
    assert "scoring.yaml:8:" in result.stderr and "max_strength" in result.stderr
    result = ncm("score", PROFILE, "--content", str(pack_copy))
    assert result.exit_code == 1 and "internal error" not in result.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  penalty_per_step: 8\n", "  penalty_per_step: .nan\n"),
        ("  penalty_per_step: 8\n", "  penalty_per_step: -1\n"),
        ("      gp_federation: 12\n", "      gp_federation: .inf\n"),
        ("      gp_federation: 12\n", "      gp_federation: 51\n"),
    ],
)
def test_other_scoring_numbers_are_range_checked(ncm, pack_copy: Path, old: str, new: str) -> None:
    edit(pack_copy / "scoring.yaml", old, new)
    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1
    assert "scoring.yaml:" in result.stderr


def test_penalties_below_minus_one_for_every_option_still_score(
    ncm, pack_copy: Path, tmp_path: Path
) -> None:
    """The winner search started from -1.0: with every total below it and a near tie (so the
    robustness check asks for the exact winner), `KeyError: ''`. Rules that take each option's
    base score and 60 points leave all ten level at -60, for the profile and for any change of
    its one importance."""
    profile = str(write(tmp_path / "one.yaml", MINIMAL))
    result = ncm("score", profile, "--content", str(pack_copy), "--format", "json")
    base = {r["option"]: r["base"] for r in json.loads(result.stdout)["results"][0]["ranking"]}
    sink = "\n".join(f"      {o}: {-(b / 4) - 15:.4f}" for o, b in base.items())
    rules = "".join(
        f"  - id: sink_{i}\n    title: Everything loses\n    when: {{}}\n    effects:\n{sink}\n"
        "    reason: A test.\n    source: {document: module1, section: Test}\n"
        for i in range(4)
    )
    edit(pack_copy / "scoring.yaml", "\nrules:\n", "\nrules:\n" + rules)
    assert ncm("validate", str(pack_copy)).exit_code == 0
    for fmt in ("table", "json"):
        result = ncm("score", profile, "--content", str(pack_copy), "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "internal error" not in result.stderr


_PACK = None


def _pack():
    global _PACK
    if _PACK is None:
        _PACK = load_pack()
    return _PACK


def declared(model: type, name: str) -> tuple[int, int]:
    """The range the model declares for a number (an open end capped at 1,000 here)."""
    lo, hi = 0, 1000
    for m in model.model_fields[name].metadata:
        lo = getattr(m, "ge", lo)
        hi = getattr(m, "le", hi)
    return lo, hi


kinds = st.lists(st.sampled_from(PARTNER_KINDS), max_size=4, unique=True)
flag = st.none() | st.booleans()
effects = st.dictionaries(
    st.sampled_from(OPTION_IDS),
    st.floats(min_value=-50, max_value=50, allow_nan=False),
    min_size=1,
)
when = st.fixed_dictionaries(
    {},
    optional={
        "partners": st.fixed_dictionaries(
            {}, optional={"only": kinds, "any": kinds, "none": kinds}
        ),
        "configuration_must_change": st.booleans(),
        "can_do_alone": st.booleans(),
        "functions_remain": st.booleans(),
    },
)
rule = st.builds(
    lambda i, w, e: {
        "id": f"r{i}",
        "title": "T",
        "when": w,
        "effects": e,
        "reason": "R",
        "source": {"document": "module1", "section": "S"},
    },
    st.integers(0, 10**6),
    when,
    effects,
)
scoring = st.builds(
    lambda top, rules, penalty, not_providers: {
        "max_strength": top,
        "not_providers": not_providers,
        "rules": rules,
        "formality_fit": {
            "penalty_per_step": penalty,
            "reason": "R",
            "source": {"document": "module1", "section": "S"},
        },
        "collaborative_note": {"text": "N", "source": {"document": "module1", "section": "S"}},
    },
    st.integers(*declared(ScoringRules, "max_strength")),
    st.lists(rule, max_size=30),
    st.floats(min_value=0, max_value=50, allow_nan=False),
    kinds,
)
profile = st.builds(
    lambda imp, partners, a, b, c, form: {
        "name": "P",
        "objectives": imp,
        "partners": [{"name": f"p{i}", "kind": k} for i, k in enumerate(partners)],
        "sustainability": {"configuration_must_change": a, "can_do_alone": b},
        "commissioning": {"functions_remain": c},
        "governance": {"formality": form},
    },
    st.dictionaries(st.sampled_from(OBJECTIVE_IDS), st.integers(0, 5), min_size=1).filter(
        lambda d: any(d.values())
    ),
    kinds,
    flag,
    flag,
    flag,
    st.none() | st.sampled_from(FORMALITIES),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scoring, profile)
def test_no_valid_scoring_rules_crash_scoring(rules: dict, answers: dict) -> None:
    """Any scoring.yaml the model accepts scores any valid profile: ten options, ranked."""
    pack = dataclasses.replace(_pack(), scoring=ScoringRules.model_validate(rules))
    result = score_profile(pack, Profile.model_validate(answers))
    assert sorted(r.option for r in result.ranking) == sorted(OPTION_IDS)
    assert all(0 <= r.score <= 100 for r in result.ranking)
    assert result.robustness.winner == result.ranking[0].option
