"""User-facing polish through the real CLI: options never silently ignored, `-o -` never a
file named `-`, error messages in plain words (no Pydantic class or type names) and one per
fault, a "wrote" line on stderr for every file written, the interview's help wrapped under its
indent, the "how sure" sentence in the interview's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, MINIMAL, write

EAST = EXAMPLES / "east_care_homes.yaml"


# -- `-o -` ------------------------------------------------------------------------------------


def test_assess_dash_output_is_a_usage_error(ncm, tmp_path: Path, monkeypatch) -> None:
    """The interview autosaves to its output as it goes: `-o -` wrote a file named `-`."""
    monkeypatch.chdir(tmp_path)
    r = ncm("assess", "--answers", str(EAST), "-o", "-")
    assert r.exit_code == 2
    assert "ncm: error: -o -:" in r.stderr and "give -o FILE" in r.stderr
    assert r.stdout == ""
    assert not (tmp_path / "-").exists()


def test_readiness_init_dash_output_is_stdout(ncm, tmp_path: Path, monkeypatch) -> None:
    """`ncm readiness init -o -` prints the record, as `ncm init -` prints a profile."""
    monkeypatch.chdir(tmp_path)
    profile = write(tmp_path / "p.yaml", MINIMAL)
    r = ncm("readiness", "init", str(profile), "--role", "Director", "--organisation", "Trust",
            "-o", "-")
    assert r.exit_code == 0, r.stderr
    assert not (tmp_path / "-").exists()
    assert "kind: readiness" in r.stdout and 'profile: "p.yaml"' in r.stdout
    assert "wrote" not in r.stderr
    record = write(tmp_path / "r.yaml", r.stdout)
    assert ncm("validate", str(record)).exit_code == 0
