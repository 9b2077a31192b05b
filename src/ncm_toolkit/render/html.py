"""HTML output of readiness records (a page with a radar chart, inline SVG, whose text
alternative is the table beside it) and of plans (`ncm plan --format html`). Every text from a
file (profile, pack, record) is escaped with `html.escape`."""

from __future__ import annotations

import html
import math
from typing import Any

from ncm_toolkit.currency import note_line
from ncm_toolkit.plan import Plan
from ncm_toolkit.readiness import QuestionState, Result
from ncm_toolkit.render.terminal import because, num, pct, source_text, who
from ncm_toolkit.safe_text import html_text
from ncm_toolkit.schemas import Item


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

    # room either side for the longest area titles ("Financial Considerations", anchored at
    # the left spoke's end): without it the printed paper cut them to "l Considerations"
    pad = 80
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size + 2 * pad}" height="{size}" '
        f'viewBox="{-pad} 0 {size + 2 * pad} {size}" style="max-width:100%;height:auto" '
        'role="img" aria-labelledby="radar-title" '
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
        "</head><body><main>",
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
    out.append("</main></body></html>")
    return html_text("\n".join(out) + "\n")


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
        why = f" Because: {h(because(s.reasons))}" if s.reasons else ""
        out.append(f"<li><b>{s.id}</b> ({s.status}; {owner}; {due}): {h(s.text)}{why}</li>")
    out.append("</ul>")
    return out


_PAGE_STYLE = (
    "<style>body{font-family:sans-serif;max-width:70em;margin:auto;padding:0 1em}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:.2em .5em;"
    "vertical-align:top;text-align:left}caption{text-align:left;font-weight:bold}"
    "ul{margin:0;padding-left:1.2em}.src{color:#444;font-size:.9em}</style>"
)


def plan_html(plans: list[tuple[str, Plan]]) -> str:
    """`ncm plan --format html`: one self-contained page (no script, no external resource),
    a section per profile with the forms and the implications as captioned tables with
    header cells; every text from a file escaped."""
    h = html.escape

    def one(text: str) -> str:
        return h(" ".join(text.split()))

    def src(source: object) -> str:
        return f'<span class="src">({one(source_text(source))})</span>'

    def items(xs: list[Item]) -> str:
        if not xs:
            return "None stated."
        return "<ul>" + "".join(f"<li>{one(i.text)} {src(i.source)}</li>" for i in xs) + "</ul>"

    names = ", ".join(dict.fromkeys(p.name for _, p in plans)) or "no profile"
    title = f"Plan: {names}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{one(title)}</title>",
        _PAGE_STYLE,
        "</head><body><main>",
        f"<h1>{one(title)}</h1>",
    ]
    if not plans:
        out.append("<p>No profile could be planned; see the errors.</p>")
    for k, (shown, p) in enumerate(plans, 1):
        out += [
            f'<section aria-labelledby="plan-{k}">',
            f'<h2 id="plan-{k}">{one(p.name)}</h2>',
            f"<p>Profile: {one(shown)}</p>",
            f"<p><em>Guidance written {one(p.written)}; currency notes reviewed "
            f"{one(p.reviewed)}.</em></p>",
            "<dl>",
            f"<dt>Option</dt><dd>{one(p.option_title)} (<code>{h(p.option)}</code>; chosen by "
            f"{one(p.option_chosen_by)})</dd>",
            f"<dt>Organisational form</dt><dd>{one(p.form_title)} (<code>{h(p.form)}</code>): "
            f"{one(p.form_reason)} {src(p.form_source)}</dd>",
            "</dl>",
            f'<h3 id="forms-{k}">Organisational forms</h3>',
            f'<table aria-labelledby="forms-{k}"><caption>The forms this option usually takes, '
            "the best fit for these partners first</caption>",
            '<thead><tr><th scope="col">Form</th><th scope="col">Formality</th>'
            '<th scope="col">Fits these partners</th><th scope="col">Pros</th>'
            '<th scope="col">Cons</th><th scope="col">Requires</th>'
            '<th scope="col">Source</th></tr></thead><tbody>',
        ]
        for f in p.forms:
            fits = "yes" if f.fits else "no: " + one("; ".join(f.why_not))
            out.append(
                f'<tr><th scope="row">{one(f.title)} (<code>{h(f.form)}</code>)</th>'
                f"<td>{h(f.formality)}</td><td>{fits}</td><td>{items(f.pros)}</td>"
                f"<td>{items(f.cons)}</td><td>{items(f.requires)}</td>"
                f"<td>{one(source_text(f.source))}</td></tr>"
            )
        out += [
            "</tbody></table>",
            f'<h3 id="implications-{k}">Workforce implications</h3>',
            f'<table aria-labelledby="implications-{k}"><caption>For this option, form and '
            "partners: whether each topic is likely, possible or unlikely to arise</caption>",
            '<thead><tr><th scope="col">Topic</th><th scope="col">Level</th>'
            '<th scope="col">Why</th><th scope="col">First actions</th>'
            '<th scope="col">Module 2 questions</th><th scope="col">Source</th></tr></thead>'
            "<tbody>",
        ]
        for i in p.implications:
            questions = (
                "<ul>"
                + "".join(f"<li>{h(q['id'])}: {one(q['text'])}</li>" for q in i.questions)
                + "</ul>"
                if i.questions
                else "None."
            )
            silent = " (the source is silent)" if i.source_silent else ""
            note = f"<br>Note: {one(i.note)}" if i.note else ""
            out.append(
                f'<tr><th scope="row">{one(i.title)} (<code>{h(i.topic)}</code>)</th>'
                f"<td><strong>{h(i.level)}</strong></td><td>{one(i.reason)}{note}</td>"
                f"<td>{items(i.actions)}</td><td>{questions}</td>"
                f"<td>{one(source_text(i.source))}{silent}</td></tr>"
            )
        out.append("</tbody></table>")
        if p.currency:
            out.append(
                f"<h3>Since the guidance was written (notes reviewed {one(p.reviewed)})</h3><ul>"
            )
            out += [f"<li><em>{one(note_line(n, p.reviewed))}</em></li>" for n in p.currency]
            out.append("</ul>")
        out.append("</section>")
    out.append("</main></body></html>")
    return html_text("\n".join(out) + "\n")


def readiness_compare_html(cmp: dict[str, Any]) -> str:
    """`ncm compare RECORDS --format html`: one self-contained page, as the other HTML
    outputs (a title, headings, the disagreements as a captioned table with header cells, the
    moves over time as lists), not the terminal's lines in a `<pre>`; every text from a file
    escaped."""
    h = html.escape
    title = f"Readiness compared: {cmp['partnership']}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{h(title)}</title>",
        _PAGE_STYLE,
        "<style>tbody th{font-weight:normal}</style>",  # the question's id alone in bold
        "</head><body><main>",
        f"<h1>{h(title)}</h1>",
        "<h2>Where stakeholders disagree</h2>",
    ]
    disagreements = cmp["disagreements"]
    if not disagreements:
        several = len({s["stakeholder"] for s in cmp["stakeholders"]}) > 1
        out.append(f"<p>{'None.' if several else 'One stakeholder only.'}</p>")
    else:
        out += [
            f"<table><caption>{len(disagreements)} question"
            f"{'s' * (len(disagreements) != 1)} answered differently</caption>",
            '<thead><tr><th scope="col">Question</th><th scope="col">Statuses</th></tr></thead>',
            "<tbody>",
        ]
        for d in disagreements:
            who_said = "; ".join(f"{h(s['stakeholder'])}: {s['status']}" for s in d["statuses"])
            out.append(
                f'<tr><th scope="row"><b>{h(d["id"])}</b> {h(d["text"])}</th>'
                f"<td>{who_said}</td></tr>"
            )
        out.append("</tbody></table>")
    out.append("<h2>Over time</h2>")
    if not cmp["over_time"]:
        out.append("<p>No stakeholder has records of two dates.</p>")
    for m in cmp["over_time"]:
        out.append(f"<h3>{h(m['stakeholder'])}, {m['from']} to {m['to']}</h3><ul>")
        for a in m["areas"]:
            out.append(f"<li>{h(a['area'])}: {pct(a['before'])} to {pct(a['after'])}</li>")
        for q in m["moved"]:
            out.append(f"<li>{h(q['id'])}: {q['before']} to {q['after']}</li>")
        if not m["moved"]:
            out.append("<li>Nothing moved.</li>")
        out.append("</ul>")
    out.append("</main></body></html>")
    return html_text("\n".join(out) + "\n")
