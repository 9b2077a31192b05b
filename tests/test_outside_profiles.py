"""Partnerships from outside the seed pack's case studies, profiled from public descriptions only.

Each `tests/outside_profiles/<slug>.yaml` holds the model the partnership itself adopted
(`adopted`), a schema-version-1 profile written from public sources (`profile`), the scoring
issue's new distinctions where a source states them (`distinctions`), and one cited source per
answer (`evidence`). See that folder's README.

These tests check the set's integrity (every profile validates with the real loader, every label
is an option id, every answer has an https source) and print, without asserting, how the current
scorer ranks each partnership's own model: top-1 and top-3 over the set. A shared first rank
counts as a fraction of a hit (1 / the number of options tied at the top).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from ncm_toolkit.cli.main import app
from ncm_toolkit.content import load_pack
from ncm_toolkit.profile import load_profile

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "tests" / "outside_profiles"
CASES = ROOT / "data" / "case_studies"
FILES = sorted(FOLDER.glob("*.yaml"))
FLOOR_V1 = (21 / 26 - 1e-9, 25 / 26 - 1e-9)
"""Top-1 and top-3 rates scoring method 2 reaches on the v1 profiles (a floor, not a target);
a merger accepted counting for the multi-site trust and the super-practice lifted it from 17 to
21 (Frimley, UHB and Heart of England, Modality, Suffolk Primary Care)."""
FLOOR_V2 = (21 / 26 - 1e-9, 26 / 26 - 1e-9)
"""The same with the distinctions as `structure` (the place rule counts for ACO/ICO, MCP and PACS
alike, as the Healthy London Partnership paper names a place, or a whole population, for each;
Morecambe Bay's PACS, whose only structure answer is a place, is then third)."""

TOP_KEYS = {"adopted", "adopted_source", "profile", "distinctions", "evidence"}
SOURCE_KEYS = {"publisher", "title", "date", "url"}
DISTINCTIONS: dict[str, Any] = {
    "integration_form": {"takeover", "group", "host_sites", "network", "none"},
    "scope": {"whole_organisations", "one_specialty"},
    "lead": {"general_practice", "acute_trust", "community_services", "joint_board", "other"},
    "population": {"registered_list", "place", "care_home_residents", "complex_needs"},
    "acute_inside": bool,
    "capitated_budget": bool,
    "practices": {"keep_contracts", "merge", "not_applicable"},
    "special_measures": bool,
    "footprint_population": int,
}


def load(path: Path) -> dict[str, Any]:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


@functools.cache
def option_ids() -> frozenset[str]:
    """The bundled pack's option ids, read once for the module's 26 cases (each load is an
    unpickling of the whole pack)."""
    return frozenset(load_pack().options)


def write_profile(data: dict[str, Any], dest: Path, structure: bool = False) -> Path:
    """The profile as written; with `structure`, converted to version 2 with the
    `distinctions` as its `structure` (the same names and values)."""
    profile = dict(data["profile"])
    if structure and data.get("distinctions"):
        profile["schema_version"] = 2
        profile["structure"] = dict(data["distinctions"])
    yaml = YAML()
    with dest.open("w", encoding="utf-8") as fh:
        yaml.dump(profile, fh)
    return dest


def check_source(where: str, src: Any) -> None:
    assert isinstance(src, dict), f"{where}: source is not a mapping"
    assert set(src) <= SOURCE_KEYS, f"{where}: unknown source keys {set(src) - SOURCE_KEYS}"
    assert {"publisher", "title", "url"} <= set(src), f"{where}: source lacks publisher/title/url"
    assert str(src["url"]).startswith("https://"), f"{where}: url is not https: {src['url']}"


def test_enough_partnerships_over_enough_options() -> None:
    labels = [load(p)["adopted"] for p in FILES]
    assert len(FILES) >= 25
    assert len(set(labels)) >= 8


def test_none_is_a_seed_case_study() -> None:
    for path in FILES:
        assert not (CASES / f"{path.stem}.yaml").exists(), f"{path.stem} is a seed case study"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_outside_profile_is_well_formed(path: Path, tmp_path: Path) -> None:
    data = load(path)
    assert set(data) <= TOP_KEYS, f"{path.name}: unknown keys {set(data) - TOP_KEYS}"
    assert data["adopted"] in option_ids(), f"{path.name}: {data['adopted']} is not an option id"
    check_source(f"{path.name} adopted_source", data["adopted_source"])

    profile, diagnostics = load_profile(write_profile(data, tmp_path / path.name))
    assert profile is not None and not diagnostics, f"{path.name}: {diagnostics}"

    distinctions = data.get("distinctions") or {}
    for key, value in distinctions.items():
        allowed = DISTINCTIONS.get(key)
        assert allowed is not None, f"{path.name}: unknown distinction {key}"
        if isinstance(allowed, set):
            assert value in allowed, f"{path.name}: {key}: {value!r}"
        else:
            assert type(value) is allowed, f"{path.name}: {key}: {value!r}"

    evidence = data["evidence"]
    assert evidence, f"{path.name}: no evidence"
    fields: set[str] = set()
    for i, entry in enumerate(evidence):
        where = f"{path.name} evidence[{i}]"
        assert set(entry) == {"field", "says", "source"}, f"{where}: keys {set(entry)}"
        assert len(str(entry["says"]).split()) <= 40, f"{where}: quote too long"
        check_source(where, entry["source"])
        fields.add(str(entry["field"]))
    answered = {"profile.partners"} if data["profile"].get("partners") else set()
    answered |= {f"profile.objectives.{k}" for k in data["profile"]["objectives"]}
    for section in ("sustainability", "commissioning", "governance"):
        answered |= {f"profile.{section}.{k}" for k in data["profile"].get(section) or {}}
    answered |= {f"distinctions.{k}" for k in distinctions}
    missing = {a for a in answered if not any(f == a or f.startswith(a + ".") for f in fields)}
    assert not missing, f"{path.name}: answers without evidence: {sorted(missing)}"


def score(path: Path) -> list[dict[str, Any]]:
    result = CliRunner().invoke(app, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["errors"] == []
    (res,) = data["results"]
    return list(res["ranking"])


def hits(ranking: list[dict[str, Any]], option: str) -> tuple[float, float, int]:
    """(top-1 credit, top-3 credit, standing). Standing is the option's rank (shared by tied
    options, gated options after every open one); a tie at the top shares top-1 credit; a tie
    across the top-3 cut shares the remaining places."""
    mine = next(e["rank"] for e in ranking if e["option"] == option)
    higher = sum(e["rank"] < mine for e in ranking)
    level = sum(e["rank"] == mine for e in ranking)
    top1 = 1.0 / level if higher == 0 else 0.0
    places = 3 - higher
    top3 = 1.0 if places >= level else max(places, 0) / level
    return top1, top3, higher + 1


def report(tmp_path: Path, structure: bool) -> tuple[float, float]:
    """Print how the scorer ranks each partnership's own model; return top-1 and top-3 rates."""
    rows = []
    t1 = t3 = 0.0
    for path in FILES:
        data = load(path)
        ranking = score(write_profile(data, tmp_path / path.name, structure))
        a, b, standing = hits(ranking, data["adopted"])
        t1 += a
        t3 += b
        rows.append(
            f"  {path.stem:40} {data['adopted']:30} standing {standing:2}"
            f"  top-1 {a:.2f}  top-3 {b:.2f}  first listed: {ranking[0]['option']}"
        )
    n = len(FILES)
    how = "with distinctions as structure (v2)" if structure else "as written (v1)"
    print(f"\noutside set, {how}: {n} partnerships")
    print("\n".join(rows))
    print(
        f"outside set {how} top-1: {t1:.2f}/{n} = {t1 / n:.0%}; top-3: {t3:.2f}/{n} = {t3 / n:.0%}"
    )
    return t1 / n, t3 / n


def test_report_scorer_on_outside_set(tmp_path: Path) -> None:
    """Prints how the scorer ranks each partnership's own model, the v1 profiles as written;
    the floor is what scoring method 2 reaches, so a regression fails (not a target)."""
    top1, top3 = report(tmp_path, structure=False)
    assert top1 >= FLOOR_V1[0] and top3 >= FLOOR_V1[1]


def test_report_scorer_on_outside_set_with_structure(tmp_path: Path) -> None:
    """The same partnerships with their `distinctions` as the version-2 `structure`."""
    top1, top3 = report(tmp_path, structure=True)
    assert top1 >= FLOOR_V2[0] and top3 >= FLOOR_V2[1]
