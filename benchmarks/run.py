#!/usr/bin/env python3
"""The ncm speed benchmark (issue 13, "Speed that must hold").

    python benchmarks/run.py [--sizes 1000,10000] [--quick] [--no-hyperfine] [--seed N]

Generates N varied, valid partnership profiles (seeded, so every run sees the same files) and
times, in one run, each command against its baseline:

* `ncm score DIR --format json`  vs  a Python process that merely loads the same files
  with ruamel.yaml's C-backed safe loader                                   (target <= 1.5x)
* `ncm score DIR` (the default output: a summary table for a batch)  vs  `--format json`
                                                                            (target <= 1.5x)
* `ncm validate DIR`  vs  `check-jsonschema --schemafile <ncm schema profile> FILES...`
                                                                            (target <= 0.5x)
* `ncm report DIR --format html -o DIR --force`  vs  `ncm score DIR --format json`
                                                                            (target <= 2x)
  once over the previous run's reports (unchanged ones are left alone) and once into a new,
  empty folder every run (every report written)
* `ncm --help`, `ncm --version`  vs  `python -c "import typer"`             (target <= 1.2x)
* peak RSS of `ncm score` at each N, each a fresh process                   (target: flat)

Times are medians: measured by hyperfine when it is on PATH, else with time.perf_counter over
several interleaved repeats. The Markdown table is printed and written to
benchmarks/results.md. Only the standard library is used (plus the tools being measured).

The parts: profiles.py (the generated profiles), timing.py (fresh processes timed),
measures.py (what is timed against what, and the targets), writer.py (the Markdown).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(ROOT))

from benchmarks import measures  # noqa: E402
from benchmarks.profiles import generate  # noqa: E402
from benchmarks.timing import (  # noqa: E402
    ENV,
    PYTHON,
    Timing,
    cache_bytecode_in,
    hyperfine_path,
    run_once,
    time_group,
    tool,
)
from benchmarks.writer import results_markdown  # noqa: E402

DEFAULT_SIZES = [1000, 10000]


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def git_state() -> str:
    """The commit measured, and whether the code measured differs from it."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--", "src", "templates", "data"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"commit {head.stdout.strip() or 'unknown'}" + (
        " + uncommitted changes in src/, templates/ or data/" if dirty else ""
    )


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--sizes", default="1000,10000", help="profile counts, comma-separated (default 1000,10000)"
    )
    ap.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    ap.add_argument("--seed", type=int, default=20160901, help="seed of the generated profiles")
    ap.add_argument(
        "--no-hyperfine",
        action="store_true",
        help="time with perf_counter even if hyperfine is on PATH",
    )
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument(
        "--results",
        type=Path,
        default=ROOT / "benchmarks" / "results.md",
        help="where to write the Markdown table (default benchmarks/results.md)",
    )
    args = ap.parse_args()
    try:
        args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        ap.error("--sizes: give counts such as 1000,10000")
    if not args.sizes or min(args.sizes) < 2:
        ap.error("--sizes: give counts of at least 2, e.g. 1000,10000")
    return args


def check_valid(ncm: str, folder: Path, n: int) -> None:
    """Every generated profile must be valid, or the benchmark means nothing."""
    check = subprocess.run(
        [ncm, "validate", str(folder), "--format", "json"], capture_output=True, text=True, env=ENV
    )
    report = json.loads(check.stdout or "{}")
    if not report.get("valid") or report.get("files_checked") != n:
        sys.exit(f"benchmark: generated profiles are not all valid:\n{check.stdout[:2000]}")


def measure(args: argparse.Namespace, hf: str | None, tmp: Path) -> dict[str, Timing]:
    """Generate the profiles, prime the caches, and time every group of commands."""
    sizes: list[int] = args.sizes
    # The 1,000-profile comparisons (default output, validate, report) run at 1,000, or the
    # size nearest it.
    compare_n = min(sizes, key=lambda n: (abs(n - 1000), n))
    # (most samples, seconds to spend on repeats after the first run) per group of commands
    startup_plan = (10, 5.0) if args.quick else (30, 20.0)

    def batch_plan(n: int) -> tuple[int, float]:
        if n <= 2000:
            return (3, 15.0) if args.quick else (10, 75.0)
        return (2, 10.0) if args.quick else (5, 60.0)

    cache_bytecode_in(tmp / "pycache")
    tools = measures.Tools.prepare(PYTHON, tool("ncm"), tool("check-jsonschema"), tmp)
    dirs: dict[int, Path] = {}
    files: dict[int, list[str]] = {}
    for n in sizes:
        t0 = time.perf_counter()
        dirs[n] = tmp / f"profiles-{n}"
        files[n] = generate(dirs[n], n, args.seed)
        log(f"generated {n} profiles in {time.perf_counter() - t0:.1f} s")

    small = tmp / "prime"
    generate(small, 3, args.seed)
    html_ok = True
    for cmd in measures.prime_commands(tools, small):
        s = run_once(cmd)
        if "html" in cmd and s.code != 0:
            html_ok = False
            log(f"`ncm report --format html` fails ({s.err}); timing md for reference")
    for n in sizes:
        check_valid(tools.ncm, dirs[n], n)

    log("startup: ncm --help, ncm --version, import typer")
    timings = time_group(measures.startup_commands(tools), *startup_plan, hf)
    for n in sizes:
        runs, budget = batch_plan(n)
        for cmds in measures.batch_groups(tools, n, dirs[n], files[n], n == compare_n, html_ok):
            log(f"N={n}: {len(cmds)} commands, up to {runs} runs each")
            group = time_group(cmds, runs, budget, hf, cwd=dirs[n])
            timings.update(group)
            done = (
                f"{t.label.split(', N=')[0]} {t.median:.2f}s" if t.median else f"{t.label} FAILED"
                for t in group.values()
            )
            log(f"N={n}: " + ", ".join(done))
    return timings


def main() -> int:
    args = parse_args()
    sizes: list[int] = args.sizes
    hf = hyperfine_path(args.no_hyperfine)
    log(f"timer: {'hyperfine ' + hf if hf else 'time.perf_counter, interleaved repeats'}")
    state = git_state()  # before measuring: the code may change while the benchmark runs
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="ncm-bench-"))
    try:
        timings = measure(args, hf, tmp)
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    compare_n = min(sizes, key=lambda n: (abs(n - 1000), n))
    rows = measures.rows(timings, sizes, compare_n)
    timer = (
        subprocess.run([hf, "--version"], capture_output=True, text=True).stdout.strip()
        if hf
        else "time.perf_counter, interleaved"
    )
    command = (
        "python benchmarks/run.py"
        + (f" --sizes {','.join(map(str, sizes))}" if sizes != DEFAULT_SIZES else "")
        + (" --quick" if args.quick else "")
    )
    env_line = (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {state}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}, "
        f"timer {timer}, seed {args.seed}, whole run {time.perf_counter() - started:.0f} s"
    )
    text = results_markdown(command, env_line, rows, timings, sizes)
    print(text)
    args.results.write_text(text, encoding="utf-8")
    log(f"wrote {args.results}")
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
