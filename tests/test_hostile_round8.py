"""Hostile round 8: files and races, which round 7 ran out of time for: an output that appears
between the "already exists" check and the write, a profile that vanishes between a folder's
listing and its read, and a process whose files may not grow (RLIMIT_FSIZE). Each race is made
deterministic: the test creates or removes the file at the exact step, no two processes race."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ncm_toolkit import content, errors, files, profile, validate

from .conftest import MINIMAL, ROOT, write

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE is tested on Linux"
)

INTRUDER = "written by the other run\n"


def _leftovers(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.endswith(".tmp"))


def _appears_before_the_final_step(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """Another run writes `target` after this one checked that it did not exist, just before
    this one gives its finished temporary file the name (the last step before the rename)."""
    real = errors.check_stopped

    def then_it_appears() -> None:
        target.write_text(INTRUDER, encoding="utf-8")
        real()

    monkeypatch.setattr("ncm_toolkit.files.check_stopped", then_it_appears)


@pytest.mark.parametrize("name", ["out.json", "out.xlsx"])
def test_an_output_that_appears_after_the_check_is_not_replaced(
    ncm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Two `ncm score -o out.json` at once both succeeded and the last rename won: the check
    for an existing file ran before the write and `os.replace` then replaced whatever had
    appeared. Without `--force` the loser now gets the usual "already exists" (exit 2)."""
    p = write(tmp_path / "p.yaml", MINIMAL)
    out = tmp_path / name
    _appears_before_the_final_step(monkeypatch, out)
    r = ncm("score", str(p), "-o", str(out))
    assert r.exit_code == 2, r.stderr
    assert "already exists" in r.stderr and name in r.stderr
    assert "Traceback" not in r.stderr
    assert out.read_text(encoding="utf-8") == INTRUDER  # the other run's file stands
    assert _leftovers(tmp_path) == []


def test_force_still_replaces_a_file_that_appeared(
    ncm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = write(tmp_path / "p.yaml", MINIMAL)
    out = tmp_path / "out.json"
    _appears_before_the_final_step(monkeypatch, out)
    r = ncm("score", str(p), "-o", str(out), "--force")
    assert r.exit_code == 0, r.stderr
    assert '"rank": 1' in out.read_text(encoding="utf-8")
    assert _leftovers(tmp_path) == []


def test_a_new_output_is_written_whole_and_alone(ncm, tmp_path: Path) -> None:
    """The hard-link step leaves one name for the file, with the mode a new file gets."""
    p = write(tmp_path / "p.yaml", MINIMAL)
    out = tmp_path / "out.json"
    r = ncm("score", str(p), "-o", str(out))
    assert r.exit_code == 0, r.stderr
    assert out.stat().st_nlink == 1
    assert '"rank": 1' in out.read_text(encoding="utf-8")
    assert _leftovers(tmp_path) == []


def test_without_hard_links_the_output_is_still_written(
    ncm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system without hard links (FAT, some shares): the rename is the fallback."""

    def no_links(src: str, dst: object) -> None:
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(os, "link", no_links)
    p = write(tmp_path / "p.yaml", MINIMAL)
    out = tmp_path / "out.json"
    r = ncm("score", str(p), "-o", str(out))
    assert r.exit_code == 0, r.stderr
    assert '"rank": 1' in out.read_text(encoding="utf-8")
    assert _leftovers(tmp_path) == []


@pytest.fixture
def a_listed_file_vanishes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The folder's listing names `gone.yaml`, which is removed before it is read."""
    real = files.walk_files

    def walk(top: str) -> Iterator[tuple[str, ...]]:
        yield from real(top)
        yield ("gone.yaml",)

    monkeypatch.setattr(validate, "walk_files", walk)
    monkeypatch.setattr(profile, "walk_files", walk)
    yield


@pytest.mark.parametrize("command", ["validate", "score"])
def test_a_profile_that_vanishes_after_the_listing_is_one_located_error(
    ncm, tmp_path: Path, a_listed_file_vanishes: None, command: str
) -> None:
    folder = tmp_path / "profiles"
    write(folder / "a.yaml", MINIMAL)
    write(folder / "b.yaml", MINIMAL.replace("Minimal", "Other"))
    r = ncm(command, str(folder), *(["--format", "json"] if command == "score" else []))
    assert r.exit_code == 1, r.stderr
    assert r.stderr.count("gone.yaml") == 1, r.stderr
    assert "gone.yaml:1:1: cannot read: no such file or folder" in r.stderr
    assert "Traceback" not in r.stderr
    if command == "score":  # the rest of the batch went on
        assert "Minimal partnership" in r.stdout and "Other partnership" in r.stdout
    else:
        assert "1 error in 3 files checked" in r.stdout + r.stderr


def _files_may_not_grow_past(limit: int):  # pragma: no cover - runs in the child
    def pre() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return pre


@linux_only
@pytest.mark.parametrize("command", ["score", "report"])
def test_a_file_size_limit_is_one_line_and_no_file(
    tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RLIMIT_FSIZE (`ulimit -f`): the write fails with EFBIG part-way through; one line naming
    the path and "File too large", exit 1, no temporary file, no half-written output."""
    cache = tmp_path / "cache"
    env = {**os.environ, "NCM_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    profiles = sorted((ROOT / "examples" / "profiles").glob("*.yaml"))[:3]
    base = [sys.executable, "-m", "ncm_toolkit"]
    with monkeypatch.context() as mp:  # the pack cache is written before the limit applies:
        mp.setenv("NCM_CACHE_DIR", str(cache))  # here (the real loader, this test's cache),
        content.load_pack()  # not by a child: the same code computes the same key
    assert list(cache.glob("pack-*.pickle"))
    out = tmp_path / ("out.json" if command == "score" else "papers")
    r = subprocess.run(
        [*base, command, *map(str, profiles), "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_files_may_not_grow_past(2000),
    )
    assert r.returncode == 1, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "File too large" in lines[0] and str(out) in lines[0]
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    if command == "score":
        assert not out.exists()
        assert _leftovers(tmp_path) == []
    else:
        assert os.listdir(out) == []  # no paper, whole or half, and no temporary file
