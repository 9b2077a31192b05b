"""Hostile round 14: the inputs a fresh hostile corpus most likely holds, profiles (versions 1
and 2) and `ncm assess --answers` files, every field at its edges, through every command and
format. Each test here failed before its fix."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES


def _named(tmp_path: Path, name: str) -> Path:
    """The north example with its partnership's name replaced (quoted, as YAML escapes it)."""
    text = (EXAMPLES / "north_practices.yaml").read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith("name:"))
    path = tmp_path / "long.yaml"
    path.write_text(text.replace(first, f'name: "{name}"', 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name",
    ["x" * 10_000, "e\u0301\u0301\u0301\u0301" * 60, "\\x1b" * 300],
    ids=["longest", "combining", "controls"],
)
def test_a_word_paper_takes_the_longest_name_a_profile_takes(ncm, tmp_path: Path, name) -> None:
    """A partnership named in more than 227 characters (a profile takes 10,000; 60 letters with
    combining accents are 300) made `ncm report --format docx` an internal error: python-docx
    refuses a document title over 255 characters. The title is shortened; the paper keeps the
    whole name."""
    profile = _named(tmp_path, name)
    out = tmp_path / "paper.docx"
    assert ncm("validate", str(profile)).exit_code == 0
    result = ncm("report", str(profile), "--format", "docx", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
    assert "New care models assessment: " in core
    assert "\u2026" in core


def _unknown_form(tmp_path: Path) -> Path:
    """The north example as version 2 with a decision naming a form no pack defines."""
    text = (EXAMPLES / "north_practices.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "p.yaml"
    bad.write_text(
        text.replace("schema_version: 1", "schema_version: 2")
        + "decision:\n  option: gp_federation\n  form: nope\n",
        encoding="utf-8",
    )
    return bad


def test_score_refuses_a_decision_form_validate_refuses(ncm, tmp_path: Path) -> None:
    """`decision.form: nope` (schema-valid: an id's shape) was refused, located, by `validate`,
    `plan` and `report`, but `ncm score` (every format) took it, exit 0, and `--format json`
    published `"form": "nope"` as the partnership's decision."""
    bad = _unknown_form(tmp_path)
    where = f"{bad}:"
    assert where in ncm("validate", str(bad)).stderr
    for args in (
        ["score", str(bad)],
        ["score", str(bad), "--explain"],
        ["score", str(bad), "--format", "json"],
        ["score", str(bad), "--format", "csv"],
    ):
        r = ncm(*args)
        assert r.exit_code == 1, args
        assert "decision.form: unknown form 'nope'" in r.stderr, args
        assert '"form": "nope"' not in r.stdout


def test_compare_refuses_a_decision_form_validate_refuses(ncm, tmp_path: Path) -> None:
    """`ncm compare` took a profile whose `decision.form` the pack lacks (exit 0), which every
    other command refuses, located."""
    bad = _unknown_form(tmp_path)
    good = EXAMPLES / "south_borough_integration.yaml"
    r = ncm("compare", str(good), str(bad))
    assert r.exit_code == 1
    assert f"{bad}:" in r.stderr and "decision.form: unknown form 'nope'" in r.stderr
