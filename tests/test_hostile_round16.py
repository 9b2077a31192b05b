"""Hostile round 16: the inputs besides profiles, which round 15 left: `--content` packs,
`--templates` folders, readiness records, `ncm assess --answers` files and batches of papers
that fail half-way. Each test runs the real CLI on real files and failed before its fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, write

NORTH = "north_practices.yaml"


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """The three example profiles in one folder: a batch whose second paper is North's."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    for path in sorted(EXAMPLES.glob("*.yaml")):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_template_failing_on_one_profile_leaves_the_others_papers(
    ncm, tmp_path: Path, batch: Path, jobs: str
) -> None:
    """A user template that fails on one partnership's data only (here a division by zero for
    North; in life a missing field, a filter on a `None`) stopped the batch with one error
    naming neither the profile nor the papers: East's paper was written but not listed, South's
    never written, and the error said only `report.md.j2:1:1: template error`. Now that profile
    gets no paper, its error names it, and the others are written and listed (exit 1)."""
    tpl = write(
        tmp_path / "tpl" / "report.md.j2",
        '{% if profile.name == "North Locality practices" %}{{ 1 / 0 }}{% endif %}'
        "Paper of {{ profile.name }}\n",
    )
    out = tmp_path / "out"
    result = ncm(
        "report",
        str(batch),
        "-o",
        f"{out}/",
        "--format",
        "md",
        "--templates",
        str(tpl.parent),
        "--jobs",
        jobs,
    )
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "east_care_homes.md",
        "south_borough_integration.md",
    ]
    err = result.stderr
    assert "Traceback" not in err
    assert "ZeroDivisionError" in err and f"(the paper of {batch / NORTH})" in err
    for name in ("east_care_homes.md", "south_borough_integration.md"):
        assert f"wrote {out / name}" in err
    assert "Paper of East" in (out / "east_care_homes.md").read_text(encoding="utf-8")


def test_a_template_that_does_not_compile_stops_the_batch_once(
    ncm, tmp_path: Path, batch: Path
) -> None:
    """A syntax error fails every paper alike: one located error naming the paper it stopped
    at, a line saying the batch stopped, no paper, exit 1 (before: the same error, but naming
    no paper)."""
    tpl = write(tmp_path / "tpl" / "report.md.j2", "{% if %}\n")
    out = tmp_path / "out"
    result = ncm(
        "report", str(batch), "-o", f"{out}/", "--format", "md", "--templates", str(tpl.parent)
    )
    assert result.exit_code == 1
    err = result.stderr
    assert err.count("template error") == 1, err
    assert "(the paper of " in err and "the batch stopped" in err
    assert not any(out.iterdir())
