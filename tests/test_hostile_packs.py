"""Hostile inputs to `ncm validate --content DIR` and unattended `ncm assess --answers`,
through the real CLI: each case here was a confusing report or an internal error."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

PROFILE = EXAMPLES / "south_borough_integration.yaml"


@pytest.mark.parametrize("remove", ["pack.yaml", "models"])
def test_validate_content_without_pack_parts_is_one_pack_error(ncm, pack_copy: Path, remove: str):
    """`--content DIR` alone is a pack: a missing manifest or models/ folder is one located
    error, not hundreds of "profile" errors for the pack's own files."""
    target = pack_copy / remove
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    r = ncm("validate", "--content", str(pack_copy))
    assert r.exit_code == 1
    lines = [line for line in r.stderr.splitlines() if line.startswith(str(pack_copy))]
    assert len(lines) == 1, r.stderr
    assert "pack.yaml" in lines[0] or "models/" in lines[0]
    assert "unknown key" not in r.stderr


def test_validate_content_and_a_folder_of_profiles_still_checks_profiles(ncm, tmp_path: Path):
    """Paths given: a folder without pack.yaml is still a folder of profiles."""
    shutil.copy(PROFILE, tmp_path / "p.yaml")
    r = ncm("validate", str(tmp_path))
    assert r.exit_code == 0, r.stderr


def _special(tmp_path: Path, kind: str) -> Path:
    if kind == "folder":
        (tmp_path / "out").mkdir()
        return tmp_path / "out"
    if kind == "symlink":
        (tmp_path / "real.yaml").write_text("keep\n", encoding="utf-8")
        os.symlink(tmp_path / "real.yaml", tmp_path / "out.yaml")
        return tmp_path / "out.yaml"
    return Path(os.devnull)


@pytest.mark.parametrize("kind", ["folder", "symlink", "device"])
def test_assess_unattended_force_onto_a_non_file_is_a_usage_error(ncm, tmp_path: Path, kind: str):
    """`-o DIR --force` (or a device, or a symbolic link) was an internal error after the
    whole interview; it is refused up front, exit 2, and nothing is written."""
    out = _special(tmp_path, kind)
    r = ncm("assess", "--answers", str(PROFILE), "-o", str(out), "--force")
    assert r.exit_code == 2, r.stderr
    assert r.stderr.startswith("ncm: error: ") and str(out) in r.stderr
    assert "internal error" not in r.stderr
    assert r.stdout == ""  # refused before the ranking
    if kind == "symlink":
        assert (tmp_path / "real.yaml").read_text(encoding="utf-8") == "keep\n"


def test_assess_answers_with_an_impossible_date_names_the_field(ncm, tmp_path: Path):
    """A date YAML cannot build (`2026-13-45`) was reported with its line but no field."""
    answers = tmp_path / "a.yaml"
    text = PROFILE.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 2")
    answers.write_text(text + "decision:\n  option: mcp\n  agreed_on: 2026-13-45\n", "utf-8")
    r = ncm("assess", "--answers", str(answers), "-o", str(tmp_path / "out.yaml"))
    assert r.exit_code == 1
    assert f"{answers}:33:14: decision.agreed_on: cannot read this value" in r.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_validate_an_invalid_model_file_is_not_called_missing(ncm, pack_copy: Path):
    """A models/<id>.yaml that fails to load is reported where it fails, and not also as
    "option has no file models/<id>.yaml", which sent the author looking for a missing file."""
    path = pack_copy / "models" / "mcp.yaml"
    path.write_text(path.read_text("utf-8").replace("strength: 3", "strength: 9", 1), "utf-8")
    r = ncm("validate", "--content", str(pack_copy))
    assert r.exit_code == 1
    assert f"{path}:" in r.stderr
    assert "strength: must be a whole number from 0 to 3, got the number 9" in r.stderr
    assert "has no file" not in r.stderr
    path.unlink()
    r = ncm("validate", "--content", str(pack_copy))
    assert "option 'mcp' has no file models/mcp.yaml" in r.stderr


def test_assess_force_onto_its_own_answers_file_is_refused(ncm, tmp_path: Path):
    """`--answers a.yaml -o a.yaml --force` replaced the answers file with a plain dump (its
    comments gone), though every other command refuses to write over an input file."""
    answers = tmp_path / "a.yaml"
    text = "# kept\n" + PROFILE.read_text(encoding="utf-8")
    answers.write_text(text, encoding="utf-8")
    r = ncm("assess", "--answers", str(answers), "-o", str(answers), "--force")
    assert r.exit_code == 2
    assert "is an input file; refusing to write over it" in r.stderr
    assert answers.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("- 1\n", ":1:1:", "expected a mapping with `certainty"),
        ("", ":1:1:", "expected a mapping with `certainty"),
        ("certainty: [\n", ":2:1:", "did not find expected node content"),
    ],
)
def test_validate_a_broken_report_data_file_says_what_it_expects(
    ncm, pack_copy: Path, text: str, where: str, says: str
):
    """A broken report/board.yaml was reported at 1:1 with Python's own words ("'NoneType'
    object is not subscriptable", a YAML error's line inside the message)."""
    path = pack_copy / "report" / "board.yaml"
    path.write_text(text, encoding="utf-8")
    r = ncm("validate", "--content", str(pack_copy))
    assert r.exit_code == 1
    assert f"{path}{where} not a valid report data file: {says}" in r.stderr
    assert "NoneType" not in r.stderr and "subscriptable" not in r.stderr
