"""The batch summary (`ncm score DIR`, default output) is made by worker processes like the
JSON and CSV outputs, and must not change with their number."""

from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="--jobs forks worker processes on Linux only"
)


def test_summary_is_the_same_on_one_process_and_on_two(ncm, big_batch):
    one = ncm("score", str(big_batch / "in"), "--jobs", "1")
    two = ncm("score", str(big_batch / "in"), "--jobs", "2")
    assert one.exit_code == two.exit_code == 1  # three broken files among them
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr
    assert "Best option per partnership" in one.stdout
    for broken in ("broken.yaml", "typo.yaml", "zero.yaml"):
        assert broken in one.stderr


def test_summary_breaks_a_path_at_its_folders(ncm, monkeypatch):
    """At 80 columns the file column is narrow: a path wraps after a slash, so the folders
    read whole ("examples/", "profiles/"), never "examples/profi" + "les/..."."""
    from pathlib import Path

    monkeypatch.setenv("COLUMNS", "80")
    folder = Path(__file__).resolve().parents[1] / "examples" / "profiles"
    monkeypatch.chdir(folder.parents[1])
    result = ncm("score", "examples/profiles")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    file_col = lines[1].index("file")
    cells = [line[file_col:].split("  ")[0] for line in lines[3:] if len(line) > file_col]
    assert "examples/" in cells and "profiles/" in cells, cells
    assert not any(c.startswith("les/") for c in cells), cells
