"""Ctrl-C during a batch command says so on stderr and exits 130: typer turns the
KeyboardInterrupt into a silent exit 130, which a user at a terminal cannot tell from a batch
that ended by itself (issue 13: an interrupt carries its state; README "Exit codes")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES

PROFILE = EXAMPLES / "south_borough_integration.yaml"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_in_a_batch_says_interrupted_and_exits_130(tmp_path: Path, jobs: str) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    text = PROFILE.read_bytes()
    for i in range(4000):  # long enough that the signal comes mid-batch on any machine
        (folder / f"p{i:04d}.yaml").write_bytes(text)
    child = subprocess.Popen(
        [sys.executable, "-m", "ncm_toolkit", "score", str(folder), "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert child.stdout is not None
    child.stdout.readline()  # the header: the batch has started
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert err.decode().strip().endswith("ncm: interrupted"), err
    assert b"Traceback" not in err
