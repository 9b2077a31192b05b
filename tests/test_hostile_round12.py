"""Hostile input, round 12: files a fresh attacker (or a hurried analyst) would write that
earlier rounds missed. Each test runs the real CLI on real files and fails without its fix."""

from __future__ import annotations

from pathlib import Path

from .conftest import EXAMPLES, write

NORTH = EXAMPLES / "north_practices.yaml"


def test_migrate_takes_a_version_1_file_that_already_uses_version_2_sections(
    ncm, tmp_path: Path
) -> None:
    """A version-1 profile with a version-2 section written in (`respondent:`, `as_of:`,
    `decision:`, copied from a newer profile) was refused by `ncm migrate` with "needs
    schema_version: 2 (run `ncm migrate FILE`)": the command it had just run, a loop. Setting
    the version is all that file needs, so migrate now does it, and the file then validates."""
    text = NORTH.read_text(encoding="utf-8") + (
        "respondent:\n  role: DoF\n  organisation: Org\nas_of: 2026-01-31\n"
        "decision:\n  option: gp_federation\n"
    )
    f = write(tmp_path / "v1.yaml", "# hand-edited\n" + text)
    assert "needs schema_version: 2" in ncm("validate", str(f)).stderr
    r = ncm("migrate", str(f))
    assert r.exit_code == 0, r.stderr
    assert "migrated to version 2" in r.stdout
    after = f.read_text(encoding="utf-8")
    assert after == "# hand-edited\n" + text.replace("schema_version: 1", "schema_version: 2")
    assert ncm("validate", str(f)).exit_code == 0
    # an error migrating cannot fix is still reported, and the file left alone
    bad = write(tmp_path / "bad.yaml", text.replace("formality: corporate", "formality: x"))
    r = ncm("migrate", str(bad))
    assert r.exit_code == 1 and "governance.formality" in r.stderr
    assert bad.read_text(encoding="utf-8") == text.replace("formality: corporate", "formality: x")
