"""Hostile round 7: the environment and the process, which the earlier rounds
(test_hostile*.py, test_untrusted_*.py, test_safety.py) touched least: a disk that fills or a
folder that turns read-only part-way through, the cache on a full disk. Each test runs the real
`ncm` in a child process (the process and its file system are what is tested) and fails
without its fix."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import MINIMAL, ROOT, posix_only, write

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE and fork are tested on Linux"
)


def _env(cache: str) -> dict[str, str]:
    env = {**os.environ, "NCM_CACHE_DIR": cache, "NO_COLOR": "1"}
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _no_file_may_grow() -> None:  # pragma: no cover - runs in the child, before exec
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # as on a full disk: every write fails


@linux_only
def test_a_full_disk_does_not_turn_the_cache_off_for_good(
    ncm: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache's key file was created (O_EXCL) and then its 32 bytes could not be written:
    the empty file stayed, every later run read it as "not a key", and the cache was off for
    good once the disk had been full once (each run validating the pack anew). The later run,
    on a disk with room, is in-process: it reads only the cache folder the child left."""
    profile = write(tmp_path / "p.yaml", MINIMAL)
    cache = tmp_path / "cache"
    args = [sys.executable, "-m", "ncm_toolkit", "score", str(profile), "--format", "json"]
    full = subprocess.run(
        args,
        env=_env(str(cache)),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_no_file_may_grow,
    )
    assert full.returncode == 0, full.stderr  # uncached, still works
    assert '"rank": 1' in full.stdout
    assert "Traceback" not in full.stderr
    monkeypatch.setenv("NCM_CACHE_DIR", str(cache))
    again = ncm("score", str(profile), "--format", "json")
    assert again.exit_code == 0, again.stderr
    names = sorted(os.listdir(cache))
    assert any(n.startswith("pack-") for n in names), names  # the disk has room: cached again
    assert (cache / "hmac.key").stat().st_size == 32


FILLS_AFTER = """
import errno, os, sys
real = os.replace
def replace(src, dst, *args, **kw):
    if os.path.basename(str(dst)) >= "p12.md":  # the disk fills (or the folder turns read-only)
        raise OSError(errno.EROFS, "Read-only file system")
    return real(src, dst, *args, **kw)
os.replace = replace
sys.argv[0] = "ncm"
from ncm_toolkit.launch import main
main()
"""


@posix_only
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_that_cannot_go_on_lists_the_papers_it_wrote(tmp_path: Path, jobs: str) -> None:
    """The output folder turns read-only (or fills, or is removed) part-way through a batch:
    `ncm report DIR -o papers/` said only the one error, and the papers already written were
    never listed (with --jobs, a worker's error hid every paper of its chunk), so a user could
    not tell what was there, and the next run refused them as "already exists"."""
    for i in range(30):  # two chunks: both workers write
        write(tmp_path / "in" / f"p{i:02}.yaml", MINIMAL.replace("Minimal", f"P{i}"))
    out = tmp_path / "papers"
    args = ["report", str(tmp_path / "in"), "-o", f"{out}/", "--format", "md", "--jobs", jobs]
    result = subprocess.run(
        [sys.executable, "-c", FILLS_AFTER, *args],
        env=_env("off"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith(f"ncm: error: {out}/p12.md: cannot write: read-only file system")
    listed = [line.removeprefix("wrote ") for line in lines[:-1]]
    assert listed == [f"{out}/p{i:02}.md" for i in range(12)]
    on_disk = sorted(os.listdir(out))
    assert on_disk == [f"p{i:02}.md" for i in range(12)]  # whole papers, no temporary file
