"""The Markdown of benchmarks/results.md: the targets table, every timing, where the time goes and
peak memory."""

from __future__ import annotations

from benchmarks.measures import Row, safe_load, score_json
from benchmarks.timing import Timing


def _times(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f}×"


def _verdict(r: Row) -> str:
    if r.ok is None:
        return "–"
    return ("PASS" if r.ok else "**FAIL**") + (f" ({r.note})" if r.note else "")


def targets_table(rows: list[Row]) -> list[str]:
    header = ["Measure", "Median / value", "Baseline", "Ratio", "CPU ratio", "Target", "Result"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    for r in rows:
        lines.append(
            f"| {r.measure} | {r.value} | {r.baseline} | {_times(r.ratio)} | "
            f"{_times(r.cpu_ratio)} | {r.target} | {_verdict(r)} |"
        )
    return lines


def timings_table(timings: dict[str, Timing]) -> list[str]:
    lines = [
        "| Command | Median | Min | Max | CPU (user+sys) | Peak RSS | Runs |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in timings.values():
        if t.median is None or t.cpu is None:
            lines.append(f"| {t.label} | not timed: {t.error} | | | | | |")
        else:
            lines.append(
                f"| {t.label} | {t.median:.3f} s | {min(t.walls):.3f} s | "
                f"{max(t.walls):.3f} s | {t.cpu:.3f} s | {t.rss_kib / 1024:.1f} MiB | "
                f"{len(t.walls)} |"
            )
    return lines


def _line(lo: int, hi: int, t_lo: Timing, t_hi: Timing) -> tuple[float, float, float, float] | None:
    """Fixed seconds and milliseconds per profile, wall then CPU, of a line through two sizes."""
    fit: list[float] = []
    for v_lo, v_hi in ((t_lo.median, t_hi.median), (t_lo.cpu, t_hi.cpu)):
        if v_lo is None or v_hi is None:
            return None
        per = (v_hi - v_lo) / (hi - lo)
        fit += [v_lo - per * lo, per * 1e3]
    return fit[0], fit[1], fit[2], fit[3]


def where_time_goes(timings: dict[str, Timing], lo: int, hi: int) -> list[str]:
    """Fixed cost and cost per profile of `ncm score` and its baseline (needs two sizes)."""
    if lo == hi:
        return []
    fits = {
        name: _line(lo, hi, timings[key(lo)], timings[key(hi)])
        for name, key in (
            ("`ncm score --format json`", score_json),
            ("safe-load baseline", safe_load),
        )
    }
    if None in fits.values():
        return []
    lines = [
        "## Where the time goes",
        "",
        f"A straight line through N={lo:,} and N={hi:,}: time = fixed + N × per profile. Wall "
        "time is what the targets use; CPU time is steadier when the machine is shared.",
        "",
        "| | Fixed, wall | Per profile, wall | Fixed, CPU | Per profile, CPU |",
        "|---|---|---|---|---|",
    ]
    for name, fit in fits.items():
        assert fit is not None
        fw, pw, fc, pc = fit
        lines.append(f"| {name} | {fw:.3f} s | {pw:.3f} ms | {fc:.3f} s | {pc:.3f} ms |")
    ours, base = (fit for fit in fits.values() if fit is not None)

    def div(x: float, y: float) -> str:
        return f"{x / y:.2f}×" if x > 0 and y > 0 else "–"

    lines += ["| ratio | " + " | ".join(div(a, b) for a, b in zip(ours, base, strict=True)) + " |"]
    return [*lines, ""]


def memory_table(timings: dict[str, Timing], sizes: list[int]) -> list[str]:
    lines = ["| N | `ncm score` | safe-load baseline |", "|---|---|---|"]
    for n in sizes:
        ours, base = timings[score_json(n)].rss_kib / 1024, timings[safe_load(n)].rss_kib / 1024
        lines.append(f"| {n:,} | {ours:.1f} MiB | {base:.1f} MiB |")
    return lines


def results_markdown(
    command: str, env_line: str, rows: list[Row], timings: dict[str, Timing], sizes: list[int]
) -> str:
    return "\n".join(
        [
            "# ncm benchmark results",
            "",
            f"`{command}` — {env_line}.",
            "",
            *targets_table(rows),
            "",
            "Ratio: median wall time of the command over its baseline's, both measured in the same "
            "run. CPU ratio: the same with user+system CPU time, steadier on a busy machine. "
            "Every command runs as a fresh process with warm caches (bytecode cached, as in an "
            "installed wheel); output goes to the null device unless the command writes files.",
            "",
            "## All timings",
            "",
            *timings_table(timings),
            "",
            *where_time_goes(timings, min(sizes), max(sizes)),
            "## Peak RSS (each a fresh process)",
            "",
            *memory_table(timings, sizes),
            "",
        ]
    )
