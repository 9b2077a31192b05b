"""Ctrl-C during a batch command says so on stderr and exits 130: typer turns the
KeyboardInterrupt into a silent exit 130, which a user at a terminal cannot tell from a batch
that ended by itself (issue 13: an interrupt carries its state; README "Exit codes")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import EXAMPLES

PROFILE = EXAMPLES / "south_borough_integration.yaml"
PAPERS = 600
FLAGS = ("--format", "md", "--jobs")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_in_a_batch_says_interrupted_and_exits_130(tmp_path: Path, jobs: str) -> None:
    folder, out = tmp_path / "many", tmp_path / "papers"
    folder.mkdir()
    text = PROFILE.read_bytes()
    for i in range(PAPERS):
        (folder / f"p{i:04d}.yaml").write_bytes(text)
    child = subprocess.Popen(
        [sys.executable, "-m", "ncm_toolkit", "report", str(folder), "-o", f"{out}/", *FLAGS, jobs],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    # The first paper written: the batch is under way, with hundreds still to write (a paper
    # takes milliseconds; the folder is looked at every few).
    deadline = time.monotonic() + 60
    while not (out.is_dir() and any(out.glob("*.md"))):
        assert child.poll() is None and time.monotonic() < deadline, "no paper was written"
        time.sleep(0.005)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    written = len(list(out.glob("*.md")))
    assert written < PAPERS, "the batch ended before the interrupt: the test tested nothing"
    assert child.returncode == 130, err
    assert err.decode().rstrip().endswith("ncm: interrupted"), err[-300:]
    assert b"Traceback" not in err
