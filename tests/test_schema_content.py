"""`ncm schema --content DIR` checks DIR as every other command does: the schemas do not depend
on a pack, but a mistyped folder is a usage error, not silently ignored."""

from __future__ import annotations

from pathlib import Path


def test_a_missing_content_folder_is_a_usage_error(ncm, tmp_path: Path) -> None:
    result = ncm("schema", "profile", "--content", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "--content" in result.stderr and "not a folder" in result.stderr
    assert result.stdout == ""


def test_a_real_content_folder_is_accepted(ncm, pack_copy: Path) -> None:
    result = ncm("schema", "profile", "--content", str(pack_copy))
    assert result.exit_code == 0, result.stderr
    assert '"$schema"' in result.stdout or '"properties"' in result.stdout
