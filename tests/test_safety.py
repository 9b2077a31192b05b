"""Interrupted runs never leave a partial file; internal errors never show a traceback."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import EXAMPLES, posix_only

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}


def _profiles(folder: Path, n: int) -> Path:
    folder.mkdir()
    src = (EXAMPLES / "south_borough_integration.yaml").read_text()
    for i in range(n):
        (folder / f"p{i:03}.yaml").write_text(src.replace("South Borough", f"Borough {i}"))
    return folder


@posix_only
@pytest.mark.parametrize("written", [0, 1, 20])
def test_kill_9_during_reports_leaves_only_whole_files(tmp_path, written):
    """Killed once the output folder exists and WRITTEN reports are in it (not after a fixed
    time, which a slower or faster machine turns into before the start or after the end)."""
    src = _profiles(tmp_path / "in", 60)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ncm_toolkit",
            "report",
            str(src),
            "--format",
            "html",
            "--output",
            str(out),
        ],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while proc.poll() is None and time.monotonic() < deadline:
        if out.exists() and len(list(out.glob("*.html"))) >= written:
            break
        time.sleep(0.002)
    assert proc.poll() is None, "the reports were all written before the kill"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert out.exists()
    for report in out.glob("*.html"):
        assert report.read_text().endswith("</html>\n"), f"partial file {report.name}"


@posix_only
def test_kill_9_while_replacing_keeps_old_or_new(tmp_path):
    src = _profiles(tmp_path / "in", 400)
    target = tmp_path / "scores.json"
    target.write_text("OLD\n")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ncm_toolkit",
            "score",
            str(src),
            "--format",
            "json",
            "--output",
            str(target),
            "--force",
        ],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    workers = _children(proc.pid)
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # until the batch's two worker processes are running
        workers = _children(proc.pid)
    assert len(workers) == 2, "the batch of 400 files should run on two workers"
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    text = target.read_text()
    assert text == "OLD\n" or text.rstrip().endswith("}")
    # the batch's worker processes (400 files: --jobs auto) end with it, not wait for ever
    deadline = time.monotonic() + 10
    while workers and time.monotonic() < deadline:
        workers = [pid for pid in workers if Path(f"/proc/{pid}").exists()]
        time.sleep(0.1)
    assert not workers, f"workers left behind: {workers}"


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc; none elsewhere)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_internal_error_is_one_line_with_a_hint(monkeypatch, capsys):
    from ncm_toolkit import batch
    from ncm_toolkit.cli import main as cli

    def boom(*_args: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(batch, "score_profile", boom)  # where the batch calls it
    monkeypatch.setattr(sys, "argv", ["ncm", "score", str(EXAMPLES), "--format", "json"])
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: simulated bug" in err
    assert "--debug" in err and "Traceback" not in err
    monkeypatch.setattr(sys, "argv", ["ncm", "--debug", "score", str(EXAMPLES)])
    with pytest.raises(RuntimeError):
        cli.main()


def test_no_temporary_files_left_after_a_clean_run(ncm, tmp_path):
    out = tmp_path / "reports"
    result = ncm("report", str(EXAMPLES), "--format", "md", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        p.stem + ".md" for p in EXAMPLES.glob("*.yaml")
    )
    shutil.rmtree(out)
