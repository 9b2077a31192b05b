"""Timing fresh processes: median wall time, CPU time (user + system) and peak RSS.

hyperfine measures the repeats when it is on PATH (version 1.13 or later, for -N); otherwise
time.perf_counter over interleaved repeats, so that drift in machine load hits every command of
a group alike.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
PYTHON = sys.executable


def tool(name: str) -> str:
    """A console script beside this interpreter (the venv), else from PATH."""
    local = BIN / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if not found:
        sys.exit(f"benchmark: `{name}` not found beside {PYTHON} nor on PATH")
    return found


ENV = dict(os.environ)
"""The children's environment: bytecode cached, as an installed wheel has it, but in a
temporary PYTHONPYCACHEPREFIX (set by `cache_bytecode_in`) so that nothing is written into the
source tree."""


def cache_bytecode_in(folder: Path) -> None:
    """Let the children cache bytecode, in `folder` rather than beside the sources."""
    ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    ENV["PYTHONPYCACHEPREFIX"] = str(folder)


@dataclass
class Sample:
    wall: float
    cpu: float  # user + system of that child
    rss_kib: int
    code: int
    err: str


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_once(cmd: list[str], cwd: Path | None = None) -> Sample:
    """One fresh child process: wall time, CPU time (user+system) and peak RSS.

    The peak RSS comes from GNU time when there is one: a child forked from this (larger)
    Python process inherits its high-water mark in wait4's ru_maxrss, so small commands would
    all read as this process's size. Without it, wait4's figure is used (a floor, then)."""
    with tempfile.TemporaryDirectory() as td:
        rss_file = Path(td) / "rss"
        argv = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *cmd] if GNU_TIME else cmd
        with open(Path(td) / "err", "w+b") as err:
            t0 = time.perf_counter()
            proc = subprocess.Popen(argv, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=err)
            _pid, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t0
            proc.returncode = code = os.waitstatus_to_exitcode(status)
            err.seek(0)
            text = err.read(4000).decode("utf-8", "replace") if code else ""
        rss = int(usage.ru_maxrss)
        if GNU_TIME and rss_file.exists():
            lines = rss_file.read_text().split()
            if lines and lines[-1].isdigit():
                rss = int(lines[-1])
    first = next((ln for ln in text.splitlines() if ln.strip() and "exited with" not in ln), "")
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss, code, first[:160])


@dataclass
class Timing:
    label: str
    cmd: list[str]
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss_kib: int = 0
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.walls) if self.walls and not self.error else None

    @property
    def cpu(self) -> float | None:
        return statistics.median(self.cpus) if self.cpus and not self.error else None


def hyperfine_path(disabled: bool) -> str | None:
    """hyperfine, if it is wanted, on PATH and recent enough; else None."""
    if disabled:
        return None
    path = shutil.which("hyperfine")
    if not path:
        return None
    out = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    m = re.search(r"(\d+)\.(\d+)", out)
    if not m or (int(m.group(1)), int(m.group(2))) < (1, 13):  # -N (no shell) came in 1.13
        return None
    return path


def time_group(
    cmds: dict[str, list[str]],
    max_runs: int,
    budget: float,
    hyperfine: str | None,
    cwd: Path | None = None,
) -> dict[str, Timing]:
    """Median wall time of each command, all measured together (same run, same machine state).

    Each command first runs once on its own (the caches are already warm): that run checks it
    succeeds, gives its peak RSS and counts as the first sample. Then as many more runs as
    fit in `budget` seconds, up to `max_runs` samples in all, by hyperfine or interleaved.
    A command that fails is reported, not timed."""
    out: dict[str, Timing] = {}
    for label, cmd in cmds.items():
        s = run_once(cmd, cwd)
        t = out[label] = Timing(label, cmd, rss_kib=s.rss_kib)
        if s.code != 0:
            t.error = f"exit {s.code}: {s.err}" if s.err else f"exit {s.code}"
        else:
            t.walls.append(s.wall)
            t.cpus.append(s.cpu)
    live = {label: t for label, t in out.items() if t.error is None}
    if not live:
        return out
    per_round = sum(t.walls[0] for t in live.values())
    extra = max(0, min(max_runs - 1, int(budget / per_round)))
    if extra == 0:
        return out
    if hyperfine:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
            export = tmp.name
        argv = [hyperfine, "-N", "--style", "none", "--runs", str(extra), "--export-json", export]
        for label, t in live.items():
            argv += ["-n", label, shlex.join(t.cmd)]
        proc = subprocess.run(argv, cwd=cwd, env=ENV, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"benchmark: hyperfine failed:\n{proc.stderr}")
        data = json.loads(Path(export).read_text())
        os.unlink(export)
        for res in data["results"]:
            t = out[res["command"]]
            t.walls += [float(x) for x in res["times"]]
            t.cpus += [float(res["user"]) + float(res["system"])] * len(res["times"])
        return out
    for _ in range(extra):  # interleaved, so drift in machine load hits every command alike
        for t in live.values():
            s = run_once(t.cmd, cwd)
            t.walls.append(s.wall)
            t.cpus.append(s.cpu)
    return out
