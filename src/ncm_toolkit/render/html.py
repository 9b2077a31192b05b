"""HTML output of readiness records: a page with a radar chart (inline SVG) whose text
alternative is the table beside it. Text from records is escaped with `html.escape`."""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ncm_toolkit.readiness import QuestionState, Result
from ncm_toolkit.render.terminal import num, pct, who


def radar_svg(found: list[Result], size: int = 420) -> str:
    """A radar of readiness per area, one polygon per record; `n/a` areas drawn at 0. The
    table that follows it in the page is its text alternative (aria-describedby)."""
    areas = found[0].areas
    n = len(areas)
    c = size / 2
    rad = size / 2 - 90
    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]

    def point(i: int, v: float) -> tuple[float, float]:
        ang = -math.pi / 2 + 2 * math.pi * i / n
        return c + rad * v * math.cos(ang), c + rad * v * math.sin(ang)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" role="img" aria-labelledby="radar-title" '
        'aria-describedby="readiness-table">',
        '<title id="radar-title">Readiness per area, 0 at the centre to 1 at the edge</title>',
    ]
    for ring in (0.25, 0.5, 0.75, 1.0):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#ccc"/>')
    for i, a in enumerate(areas):
        x, y = point(i, 1.0)
        lx, ly = point(i, 1.18)
        anchor = "middle" if abs(lx - c) < 10 else ("start" if lx > c else "end")
        parts.append(f'<line x1="{c}" y1="{c}" x2="{x:.1f}" y2="{y:.1f}" stroke="#ccc"/>')
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="10" text-anchor="{anchor}">'
            f"{html.escape(a.title)}</text>"
        )
    for k, r in enumerate(found):
        pts = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (point(i, a.readiness or 0.0) for i, a in enumerate(r.areas))
        )
        col = colours[k % len(colours)]
        parts.append(
            f'<polygon points="{pts}" fill="{col}" fill-opacity="0.15" stroke="{col}" '
            'stroke-width="2"/>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def readiness_html(found: list[Result]) -> str:
    h = html.escape
    title = "Readiness: " + ", ".join(dict.fromkeys(r.record.partnership for r in found))
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{h(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em}</style>",
        "</head><body>",
        f"<h1>{h(title)}</h1>",
        radar_svg(found),
        '<table id="readiness-table"><caption>Readiness per area (settled share of the '
        "applicable questions, partly counted as a half)</caption>",
        '<thead><tr><th scope="col">Area</th>'
        + "".join(f'<th scope="col">{h(who(r))}</th>' for r in found)
        + "</tr></thead><tbody>",
    ]
    for i, a in enumerate(found[0].areas):
        cells = "".join(
            f"<td>{pct(r.areas[i].readiness)} ({num(r.areas[i].settled)} of "
            f"{r.areas[i].applicable})</td>"
            for r in found
        )
        out.append(f'<tr><th scope="row">{h(a.title)}</th>{cells}</tr>')
    out.append("</tbody></table>")
    for r in found:
        out.append(f"<h2>{h(who(r))}</h2>")
        out.append("<h3>Blocking questions</h3>")
        out += _html_states(r.blocking, r.plan is None)
        out.append("<h3>Next actions</h3>")
        out += _html_states(r.actions, False)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _html_states(states: list[QuestionState], no_plan: bool) -> list[str]:
    h = html.escape
    if no_plan:
        return ["<p>Not known: no profile was given.</p>"]
    if not states:
        return ["<p>None.</p>"]
    out = ["<ul>"]
    for s in states:
        owner = h(s.owner) if s.owner else "no owner"
        due = s.due.isoformat() if s.due else "no date"
        why = f" Because: {h('; '.join(s.reasons))}." if s.reasons else ""
        out.append(f"<li><b>{s.id}</b> ({s.status}; {owner}; {due}): {h(s.text)}{why}</li>")
    out.append("</ul>")
    return out
