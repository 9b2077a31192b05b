"""The figures README's "How scoring works" (and the board paper's description) quotes stay
what the code and the data give: an audit found the formality penalty, the gates an MCP and a
PACS fall under, the one rule that takes points and the board's certainty thresholds unstated
or misstated, and each figure below can drift when `data/` changes."""

from __future__ import annotations

import importlib.util
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from ncm_toolkit.board import certainty_thresholds
from ncm_toolkit.content import load_pack
from ncm_toolkit.profile import Profile
from ncm_toolkit.ranking import _plan, _values
from ncm_toolkit.scoring import score_profile
from ncm_toolkit.vocabulary import OBJECTIVE_IDS

from .conftest import ROOT

README = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())


@pytest.fixture(scope="module")
def pack() -> Any:
    return load_pack()


def _breadth(pack: Any) -> dict[str, int]:
    return {o.title: sum(a.strength for a in o.alignments.values()) for o in pack.options.values()}


def test_the_formula_quotes_the_packs_breadth_exponent(pack: Any) -> None:
    e = pack.scoring.breadth_exponent
    most = pack.scoring.max_strength * len(OBJECTIVE_IDS)
    assert f"value = 100 × strength ÷ (5 × T^{e:g} × {most}^{1 - e:.1f})" in README
    assert f"`breadth_exponent: {e:g}` in `data/scoring.yaml`" in README
    assert f"({most} is the largest total possible)" in README


def test_the_quoted_largest_base_of_the_narrowest_and_broadest_option(pack: Any) -> None:
    """ "at most 100 × (T ÷ 27)^0.2 ... 76 for Hospital Chain, the narrowest, 91 for
    Super-Practice": scored, not just computed, with every objective the option serves at 5."""
    breadth = _breadth(pack)
    narrow, broad = min(breadth, key=breadth.__getitem__), max(breadth, key=breadth.__getitem__)
    e = pack.scoring.breadth_exponent
    assert f"at most 100 × (T ÷ 27)^{1 - e:.1f}" in README
    bases = {}
    for title in (narrow, broad):
        option = next(o for o in pack.options.values() if o.title == title)
        served = {k: 5 for k, a in option.alignments.items() if a.strength}
        result = score_profile(pack, Profile.model_validate({"name": "x", "objectives": served}))
        bases[title] = next(r.base for r in result.ranking if r.title == title)
        assert bases[title] == pytest.approx(
            100 * (breadth[title] / 27) ** (1 - e), abs=0.05
        )  # contributions are rounded
    quoted = (
        f"({round(bases[narrow])} for {narrow}, the narrowest, {round(bases[broad])} for {broad}"
    )
    assert quoted in README


def test_the_quoted_points_of_an_objective_rated_5_and_served_strongly(pack: Any) -> None:
    """ "a 20-point rule weighs about as much as an objective rated 5 that the option serves
    strongly (16 to 33 points ...)"."""
    plan = _plan(pack)
    strong = [5 * max(v) for v, row in zip(plan.values, plan.rows, strict=True) if 3 in row]
    assert f"serves strongly ({round(min(strong))} to {round(max(strong))} points" in README


def test_the_quoted_formality_penalty(pack: Any) -> None:
    step = pack.scoring.formality_fit.penalty_per_step
    assert f"short costs {step:g} points (`penalty_per_step`" in README


def test_rule_sizes_and_the_one_rule_that_takes_points(pack: Any) -> None:
    """Rules are 20, 10 or 5 points, and one takes 10 from the two options built on merger."""
    sizes = {v for r in pack.scoring.rules for v in r.effects.values()}
    assert sizes == {20, 10, 5, -10}
    negative = {
        (r.id, pack.options[o].title, v)
        for r in pack.scoring.rules
        for o, v in r.effects.items()
        if v < 0
    }
    assert negative == {
        ("configuration_stays", "Multi-Site Trust", -10),
        ("configuration_stays", "Super-Practice", -10),
    }
    assert "One rule takes points: when the configuration need not change, a multi-site" in README
    assert "trust and a super-practice (built on merger) lose 10." in README


def test_the_quoted_sampling_of_first_rank_acceptability(pack: Any) -> None:
    cfg = pack.scoring.acceptability
    quoted = {int(n.replace(",", "")) for n in re.findall(r"share of ([\d,]+) plausible", README)}
    assert quoted == {cfg.samples}, quoted
    assert f"drawn uniformly within ±{cfg.spread:g} of what was stated" in README
    assert "variations of your importances (each moved at random by up to one step)" in README
    assert cfg.spread == 1


def test_the_quoted_certainty_thresholds_of_the_board_paper() -> None:
    robust_at, fragile_below = certainty_thresholds()
    assert f"fragile when under {fragile_below:.0%}" in README
    assert f"robust at {robust_at:.0%} or more" in README


def _gated(ncm: Any, tmp_path: Path, profile: dict[str, Any]) -> set[str]:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"schema_version": 2, "name": "g", **profile}), encoding="utf-8")
    result = ncm("score", str(path), "--format", "json", "--no-acceptability")
    assert result.exit_code == 0, result.stderr
    return {r["option"] for r in json.loads(result.stdout)["results"][0]["ranking"] if "gated" in r}


def test_the_gates_close_what_the_readme_says(ncm: Any, tmp_path: Path) -> None:
    """An MCP needs practices involved; a PACS is closed when acute services stay outside, even
    with a hospital partner; with no partners listed, no gate on partners closes."""
    objectives = {"integrating_primary_care": 3}
    assert "and it and an MCP need practices to be involved" in README
    assert "and is closed when acute services stay outside it" in README
    assert "closes none of the gates on partners" in README
    hospital = [{"name": "H", "kind": "acute_trust"}, {"name": "P", "kind": "gp_practice"}]
    none = _gated(
        ncm, tmp_path, {"objectives": objectives, "structure": {"practices": "not_applicable"}}
    )
    assert none == {"gp_federation", "super_practice", "mcp"}
    outside = _gated(
        ncm,
        tmp_path,
        {"objectives": objectives, "partners": hospital, "structure": {"acute_inside": False}},
    )
    assert outside == {"pacs", "enhanced_health_in_care_homes"}
    assert _gated(ncm, tmp_path, {"objectives": objectives}) == set()


def test_the_readme_accuracy_table_is_the_tests_floors() -> None:
    """The top-1 / top-3 figures quoted are the floors the case and outside tests hold."""
    from .test_case_profiles import FLOOR
    from .test_outside_profiles import FLOOR_V1, FLOOR_V2

    rows = re.findall(r"\| (\d+)% \| (\d+)% \|", README)
    want = [(f"{round(a * 100)}", f"{round(b * 100)}") for a, b in (FLOOR, FLOOR_V1, FLOOR_V2)]
    assert rows[:3] == want, rows


def _benchmark() -> Any:
    """`benchmarks/win_distribution.py` as a module: the very sets the README's command draws."""
    spec = importlib.util.spec_from_file_location(
        "win_distribution", ROOT / "benchmarks" / "win_distribution.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _dense_max(pack: Any, exponent: float) -> float:
    """The largest share of the benchmark's dense set (seed 14) one option wins, base only."""
    plan = _plan(pack)
    rng = random.Random(14)
    rows = [[rng.randint(1, 5) for _ in OBJECTIVE_IDS] for _ in range(2000)]
    values = _values(plan.rows, pack.scoring.max_strength, exponent)
    wins = [0.0] * len(values)
    for w in rows:
        totals = [sum(a * b for a, b in zip(w, v, strict=True)) for v in values]
        top = [i for i, t in enumerate(totals) if max(totals) - t <= 1e-9]
        for i in top:
            wins[i] += 1 / len(top)
    return max(wins) / len(rows)


def test_the_breadth_exponent_minimises_the_largest_dense_win_share(pack: Any) -> None:
    """ "0.8 ... minimises the largest share of random dense profiles any option wins (0.75 and
    0.9 both give a larger maximum)"; method 1 (exponent 0) let one option win 78-92%."""
    e = pack.scoring.breadth_exponent
    at = _dense_max(pack, e)
    assert _dense_max(pack, 0.75) > at and _dense_max(pack, 0.9) > at
    assert 0.78 <= _dense_max(pack, 0.0) <= 0.92


def test_the_quoted_random_profile_figures(pack: Any) -> None:
    """The win and tie shares README quotes from `python benchmarks/win_distribution.py`."""
    bench = _benchmark()
    rng = random.Random(14)
    dense, dense_ties = bench.tally(pack, bench.dense(rng, 2000))
    sparse, sparse_ties = bench.tally(pack, bench.sparse(rng, 2000))
    most = round(max(sparse.values()) * 100)
    assert max(dense.values()) <= 0.15
    dense_tie = round(dense_ties * 100)
    assert f"(method 1: Super-Practice 78-92%) and {dense_tie}% tie at the top" in README
    assert "with every objective rated, no option wins more than 15%" in README
    assert f"the most frequent winner takes {most}% and {round(sparse_ties * 100)}% tie" in README
