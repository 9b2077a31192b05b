"""Hostile round 13: content packs, user templates, comparisons, batch folders and the
environment, attacked as a fresh attacker would. Each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import EXAMPLES


def _record(ncm, out: Path, role: str) -> Path:
    result = ncm(
        "readiness", "init", str(EXAMPLES / "north_practices.yaml"), "-o", str(out),
        "--role", role, "--organisation", "North",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return out


def test_compare_of_records_with_one_broken_record_locates_it(ncm, tmp_path: Path) -> None:
    """A record with a YAML error among records was "compare readiness records with readiness
    records only" (exit 2, no file named): it is a record whose error is located (exit 1)."""
    _record(ncm, tmp_path / "a.yaml", "DoF")
    broken = _record(ncm, tmp_path / "b.yaml", "CEO")
    broken.write_text(
        broken.read_text(encoding="utf-8").replace('role: "CEO"', 'role: "CEO'), encoding="utf-8"
    )
    result = ncm("compare", str(tmp_path))
    assert result.exit_code == 1, result.stderr
    assert f"{broken}:" in result.stderr
    assert "records only" not in result.stderr
    # a profile among records is still refused, and both files are named
    profile = tmp_path / "p.yaml"
    profile.write_text((EXAMPLES / "north_practices.yaml").read_text(encoding="utf-8"))
    broken.unlink()
    result = ncm("compare", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path / 'a.yaml'} is a readiness record but {profile} is not" in result.stderr
