"""Profile version 2 (issue 14): a superset of version 1 with the source's distinctions
(`structure`), `respondent` and `as_of`; `ncm migrate` keeps every comment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from ncm_toolkit.profile import Profile, Structure

from .test_outside_profiles import DISTINCTIONS, FILES

ROOT = Path(__file__).resolve().parents[1]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_structure_has_the_outside_sets_distinctions_with_the_same_values(ncm):
    schema = json.loads(ncm("schema", "profile").stdout)
    props = schema["properties"]
    assert {"structure", "respondent", "as_of"} <= set(props)
    structure = schema["$defs"]["Structure"]["properties"]
    assert set(structure) == set(DISTINCTIONS)
    for key, allowed in DISTINCTIONS.items():
        branch = structure[key]["anyOf"][0]
        if isinstance(allowed, set):
            assert set(branch["enum"]) == allowed, key
        else:
            assert branch["type"] == {bool: "boolean", int: "integer"}[allowed], key
    assert props["schema_version"]["enum"] == [1, 2]


def test_every_outside_profile_converts_directly(tmp_path):
    for path in FILES:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        profile = {**data["profile"], "schema_version": 2, "structure": data["distinctions"]}
        assert Profile.model_validate(profile).structure == Structure(**data["distinctions"])


def test_version_1_sections_need_version_2(ncm, tmp_path):
    bad = _write(
        tmp_path / "p.yaml",
        "name: P\nobjectives:\n  integrating_primary_care: 5\n"
        "structure:\n  lead: general_practice\n",
    )
    result = ncm("validate", str(bad))
    assert result.exit_code == 1
    assert "schema_version: 2" in result.stderr and "ncm migrate" in result.stderr


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("as_of: 2024-13-01", "month must be in 1..12"),
        ('as_of: "1 May 2024"', "as_of: not a date"),
        ("structure: {lead: gp}", "structure.lead: unknown value 'gp'"),
        ("structure: {footprint_population: 0}", "structure.footprint_population"),
        ("respondent: {name: Jo Bloggs}", "respondent.name"),
    ],
)
def test_bad_version_2_answers_are_located(ncm, tmp_path, line, message):
    path = _write(
        tmp_path / "p.yaml",
        f"schema_version: 2\nname: P\nobjectives:\n  integrating_primary_care: 5\n{line}\n",
    )
    result = ncm("validate", str(path))
    assert result.exit_code == 1
    assert f"{path}:5:" in result.stderr and message in result.stderr


def test_version_2_profile_validates_and_scores(ncm, tmp_path):
    path = _write(
        tmp_path / "p.yaml",
        "schema_version: 2\nname: P\nobjectives:\n  integrating_primary_care: 5\n"
        "as_of: 2024-05-01\nrespondent: {role: Director of Strategy, organisation: North PCN}\n"
        "structure:\n  lead: general_practice\n  practices: keep_contracts\n"
        "  footprint_population: 120000\n",
    )
    assert ncm("validate", str(path)).exit_code == 0
    assert ncm("score", str(path), "--format", "json").exit_code == 0


def test_migrate_keeps_every_comment_and_line(ncm, tmp_path):
    # a case profile as version 1 (the case profiles are version 2 now: drop their structure)
    src = ROOT / "tests" / "case_profiles" / "alder_hey.yaml"
    text = src.read_text(encoding="utf-8").replace("schema_version: 2", "schema_version: 1", 1)
    text = text[: text.index("structure:\n")]
    assert text.count("#") > 3
    path = _write(tmp_path / "p.yaml", text)
    before = json.loads(ncm("score", str(path), "--format", "json").stdout)
    result = ncm("migrate", str(path))
    assert result.exit_code == 0, result.stderr
    new = path.read_text(encoding="utf-8")
    if "schema_version: 1" in text:
        assert new == text.replace("schema_version: 1", "schema_version: 2", 1)
    else:  # inserted on its own line before the first key, after the leading comments
        assert new.replace("schema_version: 2\n", "", 1) == text
    after = json.loads(ncm("score", str(path), "--format", "json").stdout)
    assert after["results"][0]["ranking"] == before["results"][0]["ranking"]
    again = ncm("migrate", str(path))
    assert again.exit_code == 0 and "already version 2" in again.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "# cites\n\n# more\nname: P  # why\nobjectives: {integrating_primary_care: 5}\n",
            "# cites\n\n# more\nschema_version: 2\nname: P  # why\n"
            "objectives: {integrating_primary_care: 5}\n",
        ),
        (
            "{name: P, objectives: {integrating_primary_care: 5}}\n",
            "{schema_version: 2, name: P, objectives: {integrating_primary_care: 5}}\n",
        ),
        (
            "name: P\nschema_version: 1  # v\nobjectives: {integrating_primary_care: 5}\n",
            "name: P\nschema_version: 2  # v\nobjectives: {integrating_primary_care: 5}\n",
        ),
    ],
)
def test_migrate_edits_only_the_version(ncm, tmp_path, text, expected):
    path = _write(tmp_path / "p.yaml", text)
    assert ncm("migrate", str(path)).exit_code == 0
    assert path.read_text(encoding="utf-8") == expected


def test_migrate_leaves_an_invalid_file_alone(ncm, tmp_path):
    path = _write(tmp_path / "p.yaml", "name: P\n# no objectives\n")
    result = ncm("migrate", str(path))
    assert result.exit_code == 1
    assert "objectives" in result.stderr and "Traceback" not in result.stderr
    assert path.read_text(encoding="utf-8") == "name: P\n# no objectives\n"
    missing = ncm("migrate", str(tmp_path / "none.yaml"))
    assert missing.exit_code == 1 and "cannot read" in missing.stderr
