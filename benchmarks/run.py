#!/usr/bin/env python3
"""The ncm speed benchmark (issue 3, section 7; issue 5, section 7).

    python benchmarks/run.py [--sizes 1000,10000] [--quick] [--no-hyperfine] [--seed N]

Generates N varied, valid partnership profiles (seeded, so every run sees the same files) and
times, in one run, each command against its baseline:

* `ncm score DIR --format json -o FILE`  vs  a Python process that merely loads the same files
  with ruamel.yaml's C-backed safe loader                                   (target <= 1.3x)
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
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
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

from ncm_toolkit.vocabulary import FORMALITIES as FORMALITY_IDS
from ncm_toolkit.vocabulary import OBJECTIVE_IDS, PARTNER_KINDS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
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


# --------------------------------------------------------------------------------------------
# 1. Profiles: varied, valid, deterministic.

# The contract's ids, from the package itself (which the benchmark measures anyway).
OBJECTIVES = list(OBJECTIVE_IDS)
KINDS = list(PARTNER_KINDS)
FORMALITIES = list(FORMALITY_IDS)
PLACES = [
    "North",
    "South",
    "East",
    "West",
    "Central",
    "Riverside",
    "Hillside",
    "Oakwood",
    "Harbour",
    "Kingsmere",
    "Ashford Vale",
    "St Mary’s",
    "Bridgetown",
    "Lower Marsh",
    "Königsberg Road",
    "Saint-Étienne Way",
    "Greenfield",
    "Millbrook",
    "Fenwick: Upper",
    "Old Town #2",
]
KIND_NAMES = {
    "acute_trust": "Hospitals NHS Trust",
    "community_trust": "Community Health NHS Trust",
    "mental_health_trust": "Mental Health NHS Foundation Trust",
    "ambulance_trust": "Ambulance Service NHS Trust",
    "specialist_trust": "Specialist NHS Foundation Trust",
    "gp_practice": "Surgery",
    "gp_federation": "GP Federation",
    "commissioner": "Clinical Commissioning Group",
    "local_authority": "Council",
    "care_home": "Care Home",
    "voluntary_sector": "Age Concern",
    "independent_sector": "Healthcare Ltd",
    "other": "Partnership Office",
}
PROGRAMMES = [
    "integrated care partnership",
    "locality practices",
    "care homes programme",
    "urgent care network",
    "back-office collaboration",
    "estates programme",
    "out-of-hospital alliance",
    "digital integration project",
]
RISK_PHRASES = [
    "The acute trust is in deficit and under financial special measures.",
    "Social care budgets are under pressure and the council fears cost shifting.",
    "GP partners are wary of losing independence.",
    "Two commissioners disagree on the outcomes framework.",
    "Workforce shortages in community nursing: 18% vacancy rate.",
    'Estates are old; the "hub" site needs capital investment.',
    "Data sharing agreements are not yet signed.",
    "A procurement challenge is possible if the contract is awarded directly.",
    "Leadership turnover at the federation #board level.",
]
SENTENCES = [
    "The partners want one approach to frail older people.",
    "A shared budget is expected in time.",
    "Practices would pool back-office functions: HR, payroll and estates.",
    "Urgent care should be redesigned across the borough’s three sites.",
    "Technology is an enabler, not an end in itself.",
    "The council wants care homes supported by named GPs.",
    "Patients report fragmented services — we want that to change.",
]

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.()’'-]*$")
_RESERVED = {"yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"}


def q(text: str, rng: random.Random) -> str:
    """A YAML scalar for `text`: plain when that is safe, else double- or single-quoted."""
    plain = _PLAIN.match(text) and text.lower() not in _RESERVED and not text.endswith(":")
    if plain and rng.random() < 0.8:
        return text
    if "'" not in text and rng.random() < 0.3:
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=rng.random() < 0.2)


def yaml_bool(value: bool | None, rng: random.Random) -> str:
    if value is None:
        return rng.choice(["null", "~", ""]).rstrip() or "null"
    return "true" if value else "false"


def make_profile(seed: int, index: int) -> str:
    """One valid profile, varied in every field the schema has; the same for the same index."""
    rng = random.Random(f"{seed}:{index}")
    place = rng.choice(PLACES)
    lines: list[str] = []
    if rng.random() < 0.3:
        lines.append(f"# Partnership profile {index}, generated by benchmarks/run.py")
    if rng.random() < 0.85:
        lines.append("schema_version: 1")
    lines.append(f"name: {q(f'{place} {rng.choice(PROGRAMMES)} {index}', rng)}")
    if rng.random() < 0.5:
        text = " ".join(rng.sample(SENTENCES, rng.randint(1, 4)))
        if rng.random() < 0.5:
            lines.append("description: >-")
            words, line = text.split(), "  "
            for w in words:
                if len(line) + len(w) > 90:
                    lines.append(line.rstrip())
                    line = "  "
                line += w + " "
            lines.append(line.rstrip())
        else:
            lines.append(f"description: {json.dumps(text, ensure_ascii=False)}")
    n_partners = rng.choice([0, 1, 2, 2, 3, 3, 4, 5, 6, 8, 12])
    if n_partners:
        lines.append("partners:")
        flow = rng.random() < 0.2
        for _ in range(n_partners):
            kind = rng.choice(KINDS)
            name = f"{rng.choice(PLACES)} {KIND_NAMES[kind]}"
            if flow:
                lines.append(f"  - {{name: {json.dumps(name, ensure_ascii=False)}, kind: {kind}}}")
            else:
                lines.append(f"  - name: {q(name, rng)}")
                lines.append(f"    kind: {kind}")
    elif rng.random() < 0.3:
        lines.append("partners: []")
    chosen = rng.sample(OBJECTIVES, rng.randint(1, len(OBJECTIVES)))
    importances = [rng.randint(0, 5) for _ in chosen]
    if not any(importances):
        importances[0] = rng.randint(1, 5)
    lines.append("objectives:")
    for obj, imp in zip(chosen, importances, strict=True):
        lines.append(f"  {obj}: {imp}")
    if rng.random() < 0.8:
        lines.append("sustainability:")
        for key in ("configuration_must_change", "can_do_alone"):
            if rng.random() < 0.85:
                lines.append(f"  {key}: {yaml_bool(rng.choice([True, False, None]), rng)}")
        if lines[-1] == "sustainability:":
            lines[-1] = "sustainability: {}"
    n_risks = rng.choice([0, 0, 1, 2, 3, 5])
    if n_risks:
        lines.append("risks:")
        for risk in rng.sample(RISK_PHRASES, n_risks):
            lines.append(f"  - {json.dumps(risk, ensure_ascii=False)}")
    if rng.random() < 0.7:
        remain = yaml_bool(rng.choice([True, False, None]), rng)
        lines.append(f"commissioning:\n  functions_remain: {remain}")
    if rng.random() < 0.85:
        lines.append("governance:")
        if rng.random() < 0.9:
            lines.append(f"  formality: {rng.choice(FORMALITIES)}")
        if rng.random() < 0.5:
            body = f"A board of the {n_partners or 'two'} partners, accountable to the ICB."
            lines.append(f"  accountability: {json.dumps(body, ensure_ascii=False)}")
        if lines[-1] == "governance:":
            lines[-1] = "governance: {}"
    return "\n".join(lines) + "\n"


def generate(folder: Path, n: int, seed: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(n):
        name = f"p{i:05d}.yaml"
        (folder / name).write_text(make_profile(seed, i), encoding="utf-8")
        names.append(name)
    return names


SAFE_LOAD = """\
import sys
from pathlib import Path
from ruamel.yaml import YAML

yaml = YAML(typ="safe", pure=False)
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"))
"""


FRESH_REPORT = """\
import os
import sys
import tempfile

# ncm report into a new, empty folder on every run, so that every report is written (over an
# existing folder, reports whose bytes would not change are left alone). This wrapper's own
# start-up (a bare Python, about 20 ms) is counted against ncm.
ncm, profiles, parent = sys.argv[1:4]
out = tempfile.mkdtemp(prefix="fresh-", dir=parent)
os.execv(ncm, [ncm, "report", profiles, "--format", "html", "--output", out])
"""


# --------------------------------------------------------------------------------------------
# 2. Timing: hyperfine when available, else interleaved perf_counter repeats.

ENV = dict(os.environ)
"""The children's environment: bytecode cached, as an installed wheel has it, but in a
temporary PYTHONPYCACHEPREFIX so that nothing is written into the source tree."""


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


# --------------------------------------------------------------------------------------------
# 3. The run.


@dataclass
class Row:
    measure: str
    value: str
    baseline: str
    ratio: float | None
    cpu_ratio: float | None
    target: str
    ok: bool | None  # None: no target
    note: str = ""


def fmt_s(t: Timing) -> str:
    return "not run" if t.median is None else f"{t.median:.3f} s"


def ratio_row(measure: str, t: Timing, base: Timing, limit: float, label: str) -> Row:
    target = f"≤ {limit:g}× {label}"
    if t.median is None or base.median is None:
        bad = t if t.median is None else base
        return Row(
            measure,
            fmt_s(t),
            fmt_s(base),
            None,
            None,
            target,
            False,
            f"`{bad.label}` failed: {bad.error}",
        )
    cpu = t.cpu / base.cpu if t.cpu and base.cpu else None
    r = t.median / base.median
    return Row(measure, fmt_s(t), fmt_s(base), r, cpu, target, r <= limit)


def git_state() -> str:
    """The commit measured, and whether the code measured differs from it."""
    commit = (
        subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        or "unknown"
    )
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src", "templates", "data"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"commit {commit}" + (
        " + uncommitted changes in src/, templates/ or data/" if dirty else ""
    )


def main() -> int:
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
        default=HERE / "results.md",
        help="where to write the Markdown table (default benchmarks/results.md)",
    )
    args = ap.parse_args()
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        ap.error("--sizes: give counts such as 1000,10000")
    if not sizes or min(sizes) < 2:
        ap.error("--sizes: give counts of at least 2, e.g. 1000,10000")
    # The 1,000-profile comparisons (validate, report) run at 1,000, or the size nearest it.
    compare_n = min(sizes, key=lambda n: (abs(n - 1000), n))
    quick = args.quick
    # (most samples, seconds to spend on repeats after the first run) per group of commands
    startup_plan = (10, 5.0) if quick else (30, 20.0)

    def batch_plan(n: int) -> tuple[int, float]:
        if n <= 2000:
            return (3, 15.0) if quick else (10, 75.0)
        return (2, 10.0) if quick else (5, 60.0)

    hf = hyperfine_path(args.no_hyperfine)
    ncm = tool("ncm")
    cjs = tool("check-jsonschema")

    def log(msg: str) -> None:
        print(f"[bench] {msg}", file=sys.stderr, flush=True)

    log(f"timer: {'hyperfine ' + hf if hf else 'time.perf_counter, interleaved repeats'}")

    state = git_state()  # before measuring: the code may change while the benchmark runs
    tmp = Path(tempfile.mkdtemp(prefix="ncm-bench-"))
    ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    ENV["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    timings: dict[str, Timing] = {}
    started = time.perf_counter()
    try:
        safe_load = tmp / "safe_load.py"
        safe_load.write_text(SAFE_LOAD)
        fresh_report = tmp / "fresh_report.py"
        fresh_report.write_text(FRESH_REPORT)
        schema = tmp / "profile.schema.json"
        schema.write_text(
            subprocess.run(
                [ncm, "schema", "profile"], check=True, env=ENV, capture_output=True, text=True
            ).stdout
        )
        dirs: dict[int, Path] = {}
        files: dict[int, list[str]] = {}
        for n in sizes:
            t0 = time.perf_counter()
            dirs[n] = tmp / f"profiles-{n}"
            files[n] = generate(dirs[n], n, args.seed)
            log(f"generated {n} profiles in {time.perf_counter() - t0:.1f} s")

        # Prime the bytecode cache (and the file cache) with every command on a few profiles,
        # so that no timed run pays for compiling Python modules.
        small = tmp / "prime"
        generate(small, 3, args.seed)
        html_ok = True
        for cmd in (
            [PYTHON, "-c", "import typer"],
            [ncm, "--help"],
            [ncm, "--version"],
            [PYTHON, str(safe_load), str(small)],
            [ncm, "score", str(small), "--format", "json", "-o", str(tmp / "p.json"), "--force"],
            [ncm, "validate", str(small)],
            [cjs, "--schemafile", str(schema), *sorted(str(p) for p in small.iterdir())],
            [ncm, "report", str(small), "--format", "md", "-o", str(tmp / "p-md"), "--force"],
            [ncm, "report", str(small), "--format", "html", "-o", str(tmp / "p-html"), "--force"],
        ):
            s = run_once(cmd)
            if "html" in cmd and s.code != 0:
                html_ok = False
                log(f"`ncm report --format html` fails ({s.err}); timing md for reference")

        for n in sizes:  # every generated profile must be valid, or the benchmark means nothing
            check = subprocess.run(
                [ncm, "validate", str(dirs[n]), "--format", "json"],
                capture_output=True,
                text=True,
                env=ENV,
            )
            report = json.loads(check.stdout or "{}")
            if not report.get("valid") or report.get("files_checked") != n:
                sys.exit(f"benchmark: generated profiles are not all valid:\n{check.stdout[:2000]}")

        log("startup: ncm --help, ncm --version, import typer")
        timings.update(
            time_group(
                {
                    "python -c 'import typer'": [PYTHON, "-c", "import typer"],
                    "ncm --help": [ncm, "--help"],
                    "ncm --version": [ncm, "--version"],
                },
                *startup_plan,
                hf,
            )
        )

        for n in sizes:
            d = dirs[n]
            cmds = {
                f"safe-load baseline, N={n}": [PYTHON, str(safe_load), str(d)],
                f"ncm score json, N={n}": [
                    ncm,
                    "score",
                    str(d),
                    "--format",
                    "json",
                    "-o",
                    str(tmp / f"score-{n}.json"),
                    "--force",
                ],
            }
            if n == compare_n:
                cmds[f"ncm validate, N={n}"] = [ncm, "validate", str(d)]
                # relative file names: the group runs in the profiles' folder
                cmds[f"check-jsonschema, N={n}"] = [cjs, "--schemafile", str(schema), *files[n]]
                cmds[f"ncm report html, N={n}"] = [
                    ncm,
                    "report",
                    str(d),
                    "--format",
                    "html",
                    "--output",
                    str(tmp / f"html-{n}"),
                    "--force",
                ]
                fresh = tmp / f"fresh-{n}"
                fresh.mkdir()
                cmds[f"ncm report html, empty folder, N={n}"] = [
                    PYTHON,
                    str(fresh_report),
                    ncm,
                    str(d),
                    str(fresh),
                ]
                if not html_ok:
                    cmds[f"ncm report md, N={n}"] = [
                        ncm,
                        "report",
                        str(d),
                        "--format",
                        "md",
                        "--output",
                        str(tmp / f"md-{n}"),
                        "--force",
                    ]
            runs, budget = batch_plan(n)
            log(f"N={n}: {len(cmds)} commands, up to {runs} runs each")
            group = time_group(cmds, runs, budget, hf, cwd=d)
            timings.update(group)
            log(
                "N={}: {}".format(
                    n,
                    ", ".join(
                        f"{t.label.split(',')[0]} {t.median:.2f}s"
                        if t.median
                        else f"{t.label} FAILED"
                        for t in group.values()
                    ),
                )
            )
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    # ---- the table
    rows: list[Row] = []
    for n in sizes:
        rows.append(
            ratio_row(
                f"`ncm score --format json`, N={n:,}",
                timings[f"ncm score json, N={n}"],
                timings[f"safe-load baseline, N={n}"],
                1.3,
                "safe load",
            )
        )
    n = compare_n
    rows.append(
        ratio_row(
            f"`ncm validate`, N={n:,}",
            timings[f"ncm validate, N={n}"],
            timings[f"check-jsonschema, N={n}"],
            0.5,
            "check-jsonschema",
        )
    )
    rows.append(
        ratio_row(
            f"`ncm report --format html`, N={n:,}",
            timings[f"ncm report html, N={n}"],
            timings[f"ncm score json, N={n}"],
            2.0,
            "score json",
        )
    )
    rows.append(
        ratio_row(
            f"`ncm report --format html` into an empty folder, N={n:,}",
            timings[f"ncm report html, empty folder, N={n}"],
            timings[f"ncm score json, N={n}"],
            2.0,
            "score json",
        )
    )
    if f"ncm report md, N={n}" in timings:
        md = ratio_row(
            f"`ncm report --format md`, N={n:,} (reference only)",
            timings[f"ncm report md, N={n}"],
            timings[f"ncm score json, N={n}"],
            2.0,
            "score json",
        )
        md.ok, md.target = None, "(no target)"
        rows.append(md)
    for label in ("ncm --help", "ncm --version"):
        rows.append(
            ratio_row(
                f"`{label}`",
                timings[label],
                timings["python -c 'import typer'"],
                1.2,
                '`python -c "import typer"`',
            )
        )
    lo, hi = min(sizes), max(sizes)
    rss = {k: timings[f"ncm score json, N={k}"].rss_kib for k in sizes}
    base_rss = {k: timings[f"safe-load baseline, N={k}"].rss_kib for k in sizes}
    if lo == hi:
        rows.append(
            Row(
                f"peak RSS of `ncm score`, N={lo:,}",
                f"{rss[lo] / 1024:.1f} MiB",
                "",
                None,
                None,
                "flat (needs two sizes)",
                None,
            )
        )
    else:
        growth = rss[hi] / rss[lo]
        rows.append(
            Row(
                f"peak RSS of `ncm score`, N={hi:,} vs N={lo:,}",
                f"{rss[hi] / 1024:.1f} MiB",
                f"{rss[lo] / 1024:.1f} MiB",
                growth,
                None,
                "flat: ≤ 1.1×",
                growth <= 1.1,
            )
        )

    def verdict(r: Row) -> str:
        if r.ok is None:
            return "–"
        return ("PASS" if r.ok else "**FAIL**") + (f" ({r.note})" if r.note else "")

    def x(v: float | None) -> str:
        return "–" if v is None else f"{v:.2f}×"

    header = ["Measure", "Median / value", "Baseline", "Ratio", "CPU ratio", "Target", "Result"]
    table = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    for r in rows:
        table.append(
            f"| {r.measure} | {r.value} | {r.baseline} | {x(r.ratio)} | "
            f"{x(r.cpu_ratio)} | {r.target} | {verdict(r)} |"
        )

    detail = [
        "| Command | Median | Min | Max | CPU (user+sys) | Peak RSS | Runs |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in timings.values():
        if t.median is None:
            detail.append(f"| {t.label} | not timed: {t.error} | | | | | |")
        else:
            detail.append(
                f"| {t.label} | {t.median:.3f} s | {min(t.walls):.3f} s | "
                f"{max(t.walls):.3f} s | {t.cpu:.3f} s | {t.rss_kib / 1024:.1f} MiB | "
                f"{len(t.walls)} |"
            )
    extra: list[str] = []
    if lo != hi:
        pairs = {
            "`ncm score --format json`": (
                timings[f"ncm score json, N={lo}"],
                timings[f"ncm score json, N={hi}"],
            ),
            "safe-load baseline": (
                timings[f"safe-load baseline, N={lo}"],
                timings[f"safe-load baseline, N={hi}"],
            ),
        }
        fits: dict[str, tuple[float, float, float, float]] = {}
        for name, (t_lo, t_hi) in pairs.items():
            if None in (t_lo.median, t_hi.median, t_lo.cpu, t_hi.cpu):
                break
            fit = []
            for v_lo, v_hi in ((t_lo.median, t_hi.median), (t_lo.cpu, t_hi.cpu)):
                per = (v_hi - v_lo) / (hi - lo)  # type: ignore[operator]
                fit += [v_lo - per * lo, per * 1e3]  # type: ignore[operator]
            fits[name] = (fit[0], fit[1], fit[2], fit[3])
        if len(fits) == 2:
            extra = [
                "## Where the time goes",
                "",
                f"A straight line through N={lo:,} and N={hi:,}: time = fixed + N × per "
                "profile. Wall time is what the targets use; CPU time is steadier when the "
                "machine is shared.",
                "",
                "| | Fixed, wall | Per profile, wall | Fixed, CPU | Per profile, CPU |",
                "|---|---|---|---|---|",
            ]
            for name, (fw, pw, fc, pc) in fits.items():
                extra.append(f"| {name} | {fw:.3f} s | {pw:.3f} ms | {fc:.3f} s | {pc:.3f} ms |")
            (fw1, pw1, fc1, pc1), (fw2, pw2, fc2, pc2) = fits.values()

            def div(x: float, y: float) -> str:
                return f"{x / y:.2f}×" if x > 0 and y > 0 else "–"

            extra += [
                f"| ratio | {div(fw1, fw2)} | {div(pw1, pw2)} | {div(fc1, fc2)} | "
                f"{div(pc1, pc2)} |",
                "",
            ]
    mem = ["| N | `ncm score` | safe-load baseline |", "|---|---|---|"]
    for k in sizes:
        mem.append(f"| {k:,} | {rss[k] / 1024:.1f} MiB | {base_rss[k] / 1024:.1f} MiB |")

    timer = (
        subprocess.run([hf, "--version"], capture_output=True, text=True).stdout.strip()
        if hf
        else "time.perf_counter, interleaved"
    )
    command = (
        "python benchmarks/run.py"
        + (f" --sizes {args.sizes}" if sizes != [1000, 10000] else "")
        + (" --quick" if quick else "")
    )
    env_line = (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {state}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}, "
        f"timer {timer}, seed {args.seed}, whole run {time.perf_counter() - started:.0f} s"
    )
    text = "\n".join(
        [
            "# ncm benchmark results",
            "",
            f"`{command}` — {env_line}.",
            "",
            *table,
            "",
            "Ratio: median wall time of the command over its baseline's, both measured in the same "
            "run. CPU ratio: the same with user+system CPU time, steadier on a busy machine. "
            "Every command runs as a fresh process with warm caches (bytecode cached, as in an "
            "installed wheel).",
            "",
            "## All timings",
            "",
            *detail,
            "",
            *extra,
            "## Peak RSS (each a fresh process)",
            "",
            *mem,
            "",
        ]
    )
    print(text)
    args.results.write_text(text, encoding="utf-8")
    log(f"wrote {args.results}")
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
