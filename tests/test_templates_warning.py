"""`--templates DIR` holding none of the bundled report templates' names (empty, or a typo
such as `report.md.jinja`) used the bundled templates without a word: the user took the
bundled paper for their own. It now warns, and still writes the paper (exit 0)."""

from __future__ import annotations

from pathlib import Path

from .conftest import EXAMPLES

PROFILE = str(EXAMPLES / "south_borough_integration.yaml")


def test_a_folder_that_overrides_nothing_is_warned_about(ncm, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "report.md.jinja").write_text("# {{ profile.name }}\n")
    result = ncm("report", PROFILE, "-o", str(tmp_path / "p.md"), "--templates", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "warning: --templates" in result.stderr and "report.md.j2" in result.stderr
    assert (tmp_path / "p.md").is_file()


def test_a_folder_that_overrides_a_template_is_not_warned_about(ncm, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "report.md.j2").write_text("# {{ profile.name }}\n")
    result = ncm("report", PROFILE, "-o", str(tmp_path / "p.md"), "--templates", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr
    assert (tmp_path / "p.md").read_text().startswith("# South")
