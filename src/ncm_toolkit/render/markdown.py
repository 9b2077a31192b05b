"""Markdown output of plans, readiness records and readiness comparisons (board papers are
in `report`). Text from files is escaped with `report.md_escape`."""

from __future__ import annotations

from typing import Any

from ncm_toolkit.plan import Plan
from ncm_toolkit.readiness import QuestionState, Result
from ncm_toolkit.render.report import md_code, md_escape
from ncm_toolkit.render.terminal import because, num, pct, source_text, who
from ncm_toolkit.schemas import CurrencyNote


def plan_markdown(plans: list[tuple[str, Plan]]) -> str:
    """Markdown with every text from a file escaped (`report.md_escape`)."""
    md = md_escape
    out: list[str] = []
    for shown, p in plans:
        out.append(f"# Plan: {md(p.name)}\n\n")
        out.append(f"Profile: {md(shown)}\n\n")
        out.append(
            f"*Guidance written {md(p.written)}; currency notes reviewed {md(p.reviewed)}.*\n\n"
        )
        how = md(p.option_chosen_by)
        out.append(f"**Option:** {md(p.option_title)} (`{p.option}`; chosen by {how})\n\n")
        out.append(f"**Organisational form:** {md(p.form_title)} (`{p.form}`): ")
        out.append(f"{md(p.form_reason)} (source: {md(source_text(p.form_source))})\n\n")
        out.append("## Organisational forms\n\n")
        for f in p.forms:
            fits = "fits" if f.fits else "does not fit: " + md("; ".join(f.why_not))
            out.append(f"- **{md(f.title)}** (`{f.form}`, {f.formality}): {fits}\n")
            for r in f.requires:
                out.append(f"  - requires: {md(r.text)} ({md(source_text(r.source))})\n")
        out.append("\n## Workforce implications\n\n")
        out.append("| topic | level | why | first step | source |\n|---|---|---|---|---|\n")
        for i in p.implications:
            step = md(i.actions[0].text) if i.actions else ""
            silent = " (source silent)" if i.source_silent else ""
            out.append(
                f"| {i.topic} | {i.level} | {md(i.reason)} | {step} | "
                f"{md(source_text(i.source))}{silent} |\n"
            )
        out.append("\n")
        if p.currency:
            out.append(f"## Since the guidance was written (notes reviewed {md(p.reviewed)})\n\n")
            out += [_note(n) for n in p.currency]
            out.append("\n")
    return "".join(out)


def readiness_markdown(found: list[Result]) -> str:
    e = md_escape
    out: list[str] = []
    for r in found:
        out.append(f"# Readiness: {e(r.record.partnership)}\n")
        out.append(f"{e(who(r))}\n")
        if r.plan:
            out.append(f"For the option {e(r.plan['option'])} and the form {e(r.plan['form'])}.\n")
        out.append("| Area | Readiness | Settled | Applicable |\n|---|---|---|---|")
        for a in r.areas:
            out.append(f"| {e(a.title)} | {pct(a.readiness)} | {num(a.settled)} | {a.applicable} |")
        out.append("\n## Blocking questions\n")
        out += _md_states(r.blocking, r.plan is None)
        out.append("\n## Next actions\n")
        out += _md_states(r.actions, False)
        out.append("")
    return "\n".join(out) + "\n"


def _md_states(states: list[QuestionState], no_plan: bool) -> list[str]:
    e = md_escape
    if no_plan:
        return ["Not known: no profile was given."]
    if not states:
        return ["None."]
    out = []
    for s in states:
        owner = e(s.owner) if s.owner else "no owner"
        due = s.due.isoformat() if s.due else "no date"
        why = f" Because: {e(because(s.reasons))}" if s.reasons else ""
        out.append(f"- **{s.id}** ({s.status}; {owner}; {due}): {e(s.text)}{why}")
    return out


def readiness_compare_markdown(cmp: dict[str, Any], e: Any) -> str:
    out = [
        f"# Readiness compared: {e(cmp['partnership'])}",
        "",
        "## Where stakeholders disagree",
        "",
    ]
    for d in cmp["disagreements"]:
        who = "; ".join(f"{e(s['stakeholder'])}: {s['status']}" for s in d["statuses"])
        out.append(f"- **{d['id']}** {e(d['text'])} ({who})")
    if not cmp["disagreements"]:
        out.append("None.")
    out += ["", "## Over time", ""]
    for m in cmp["over_time"]:
        out.append(f"- **{e(m['stakeholder'])}**, {m['from']} to {m['to']}:")
        for a in m["areas"]:
            out.append(f"  - {a['area']}: {pct(a['before'])} to {pct(a['after'])}")
        for q in m["moved"]:
            out.append(f"  - {q['id']}: {q['before']} to {q['after']}")
    if not cmp["over_time"]:
        out.append("No stakeholder has records of two dates.")
    return "\n".join(out) + "\n"


def _note(note: CurrencyNote) -> str:
    """A currency note as a list item, its source URL a code span: copied whole, never
    autolinked (escaped text would hold zero-width joiners, and a copied URL would not open)."""
    s, md = note.source, md_escape
    text = md(f"Since then (as of {note.as_of}): {' '.join(note.text.split())}")
    cited = f"{md(s.publisher)}, {md(s.title)}, {md(s.date)}, {md_code(s.url)}"
    return f"- *{text}* [source: {cited}]\n"
