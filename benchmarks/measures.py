"""What is timed against what, and the bar each ratio must clear (issue 13, "Speed that must hold").

Each measure is a command and a baseline timed in the same run; its ratio is the command's median
wall time over the baseline's. `TARGETS` is the whole list of bars, in the order of the table.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.timing import ENV, Timing

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

# The labels of the timed commands (keys of the timings), N being the number of profiles.
TYPER = "python -c 'import typer'"
HELP = "ncm --help"
VERSION = "ncm --version"


def safe_load(n: int) -> str:
    return f"safe-load baseline, N={n}"


def score_json(n: int) -> str:
    return f"ncm score --format json, N={n}"


def score_default(n: int) -> str:
    return f"ncm score (default output), N={n}"


def validate(n: int) -> str:
    return f"ncm validate, N={n}"


def check_jsonschema(n: int) -> str:
    return f"check-jsonschema, N={n}"


def report_html(n: int) -> str:
    return f"ncm report html, N={n}"


def report_html_fresh(n: int) -> str:
    return f"ncm report html, empty folder, N={n}"


def report_md(n: int) -> str:
    return f"ncm report md, N={n}"


@dataclass(frozen=True)
class Tools:
    """The programs measured and the helper files they need, in the run's temporary folder."""

    python: str
    ncm: str
    cjs: str
    work: Path
    safe_load: Path
    fresh_report: Path
    schema: Path

    @classmethod
    def prepare(cls, python: str, ncm: str, cjs: str, work: Path) -> Tools:
        """Write the baseline scripts and `ncm schema profile` (check-jsonschema's schema)."""
        tools = cls(
            python,
            ncm,
            cjs,
            work,
            work / "safe_load.py",
            work / "fresh_report.py",
            work / "profile.schema.json",
        )
        tools.safe_load.write_text(SAFE_LOAD)
        tools.fresh_report.write_text(FRESH_REPORT)
        schema = subprocess.run(
            [ncm, "schema", "profile"], check=True, env=ENV, capture_output=True, text=True
        )
        tools.schema.write_text(schema.stdout)
        return tools


def startup_commands(t: Tools) -> dict[str, list[str]]:
    return {
        TYPER: [t.python, "-c", "import typer"],
        HELP: [t.ncm, "--help"],
        VERSION: [t.ncm, "--version"],
    }


def prime_commands(t: Tools, small: Path) -> list[list[str]]:
    """Every command once on a few profiles, so that no timed run pays for compiling modules."""
    return [
        *startup_commands(t).values(),
        [t.python, str(t.safe_load), str(small)],
        [t.ncm, "score", str(small)],
        [t.ncm, "score", str(small), "--format", "json"],
        [t.ncm, "validate", str(small)],
        [t.cjs, "--schemafile", str(t.schema), *sorted(str(p) for p in small.iterdir())],
        [t.ncm, "report", str(small), "--format", "md", "-o", str(t.work / "p-md"), "--force"],
        [t.ncm, "report", str(small), "--format", "html", "-o", str(t.work / "p-html"), "--force"],
    ]


def batch_groups(
    t: Tools, n: int, folder: Path, files: list[str], compare: bool, html_ok: bool
) -> list[dict[str, list[str]]]:
    """The groups of commands timed together on N profiles (run in their folder: `files` are
    relative). The reports, ten times slower than the rest, are a group of their own, so that
    they do not take the repeats of the others.

    Output goes to stdout (the null device), so that the default output and JSON compare like
    for like. The 1,000-profile comparisons run only at the size `compare` marks."""
    d = str(folder)
    scores = {
        safe_load(n): [t.python, str(t.safe_load), d],
        score_json(n): [t.ncm, "score", d, "--format", "json"],
    }
    if not compare:
        return [scores]
    scores |= {
        score_default(n): [t.ncm, "score", d],
        validate(n): [t.ncm, "validate", d],
        check_jsonschema(n): [t.cjs, "--schemafile", str(t.schema), *files],
    }
    fresh = t.work / f"fresh-{n}"
    fresh.mkdir()
    reports = {
        report_html(n): [
            *[t.ncm, "report", d, "--format", "html"],
            *["--output", str(t.work / f"html-{n}"), "--force"],
        ],
        report_html_fresh(n): [t.python, str(t.fresh_report), t.ncm, d, str(fresh)],
    }
    if not html_ok:  # timed for reference, so that the run still says something about reports
        out = str(t.work / f"md-{n}")
        reports[report_md(n)] = [t.ncm, "report", d, "--format", "md", "--output", out, "--force"]
    return [scores, reports]


@dataclass(frozen=True)
class Target:
    """A bar: the command's median wall time at most `limit` times the baseline's."""

    measure: str  # Markdown, with {n} for the number of profiles
    command: Callable[[int], str]
    baseline: Callable[[int], str]
    limit: float
    versus: str
    every_size: bool = False  # else only at the comparison size (1,000, or the nearest)


def _fixed(label: str) -> Callable[[int], str]:
    return lambda _n: label


TARGETS = [
    Target("`ncm score --format json`, N={n:,}", score_json, safe_load, 1.5, "safe load", True),
    Target(
        "`ncm score` default output (a summary table for a batch), N={n:,}",
        score_default,
        score_json,
        1.5,
        "`--format json`",
    ),
    Target("`ncm validate`, N={n:,}", validate, check_jsonschema, 0.5, "check-jsonschema"),
    Target("`ncm report --format html`, N={n:,}", report_html, score_json, 2.0, "score json"),
    Target(
        "`ncm report --format html` into an empty folder, N={n:,}",
        report_html_fresh,
        score_json,
        2.0,
        "score json",
    ),
    Target("`ncm --help`", _fixed(HELP), _fixed(TYPER), 1.2, '`python -c "import typer"`'),
    Target("`ncm --version`", _fixed(VERSION), _fixed(TYPER), 1.2, '`python -c "import typer"`'),
]
RSS_LIMIT = 1.1  # peak RSS at the largest size over the smallest: "memory flat with batch size"


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


def _seconds(t: Timing) -> str:
    return "not run" if t.median is None else f"{t.median:.3f} s"


def ratio_row(measure: str, t: Timing, base: Timing, limit: float, versus: str) -> Row:
    target = f"≤ {limit:g}× {versus}"
    if t.median is None or base.median is None:
        bad = t if t.median is None else base
        note = f"`{bad.label}` failed: {bad.error}"
        return Row(measure, _seconds(t), _seconds(base), None, None, target, False, note)
    cpu = t.cpu / base.cpu if t.cpu and base.cpu else None
    r = t.median / base.median
    return Row(measure, _seconds(t), _seconds(base), r, cpu, target, r <= limit)


def memory_row(timings: dict[str, Timing], sizes: list[int]) -> Row:
    lo, hi = min(sizes), max(sizes)
    rss = {k: timings[score_json(k)].rss_kib / 1024 for k in (lo, hi)}
    if lo == hi:
        measure = f"peak RSS of `ncm score`, N={lo:,}"
        return Row(measure, f"{rss[lo]:.1f} MiB", "", None, None, "flat (needs two sizes)", None)
    growth = rss[hi] / rss[lo]
    return Row(
        f"peak RSS of `ncm score`, N={hi:,} vs N={lo:,}",
        f"{rss[hi]:.1f} MiB",
        f"{rss[lo]:.1f} MiB",
        growth,
        None,
        f"flat: ≤ {RSS_LIMIT:g}×",
        growth <= RSS_LIMIT,
    )


def rows(timings: dict[str, Timing], sizes: list[int], compare_n: int) -> list[Row]:
    """Every target's row, then the memory row."""
    out: list[Row] = []
    for target in TARGETS:
        for n in sizes if target.every_size else [compare_n]:
            out.append(
                ratio_row(
                    target.measure.format(n=n),
                    timings[target.command(n)],
                    timings[target.baseline(n)],
                    target.limit,
                    target.versus,
                )
            )
        if target.command is report_html_fresh and report_md(compare_n) in timings:
            md = ratio_row(
                f"`ncm report --format md`, N={compare_n:,} (reference only)",
                timings[report_md(compare_n)],
                timings[score_json(compare_n)],
                2.0,
                "score json",
            )
            md.ok, md.target = None, "(no target)"
            out.append(md)
    out.append(memory_row(timings, sizes))
    return out
