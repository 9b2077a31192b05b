"""`ncm readiness` in a terminal: each record's readiness by area, its blocking questions and
next actions; and `ncm compare`'s readiness comparison as plain lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ncm_toolkit.content import ContentPack
from ncm_toolkit.render.terminal.common import form_title, hang, num, pct, who
from ncm_toolkit.safe_text import markup

if TYPE_CHECKING:  # `ncm score` imports this package; it needs none of these
    from ncm_toolkit.readiness import QuestionState
    from ncm_toolkit.readiness import Result as ReadinessResult


def readiness_table(
    console: Any, found: list[ReadinessResult], pack: ContentPack | None = None
) -> None:
    """Each record's readiness; with `pack`, the option and form that decide which questions
    block are named by their titles (a bare "for: gp_federation, ..." explained nothing)."""
    from rich.table import Table  # lazy: `ncm score --format json` needs no rich

    for r in found:
        console.print(f"[bold]{markup(r.record.partnership)}[/bold]: {markup(who(r))}")
        console.print(f"file: {markup(r.file)}")
        if r.plan:
            option, form = r.plan["option"], r.plan["form"]
            if pack is not None:
                opt = pack.options.get(option)
                option = f"{opt.title} ({option})" if opt else option
                form = f"{form_title(pack, form)} ({form})"
            hang(
                console,
                f"blocking questions are those of the option {markup(option)} and the form"
                f" {markup(form)} (as `ncm plan` gives them)",
            )
        t = Table("Area", "Readiness", "Settled", "Applicable")
        for a in r.areas:
            t.add_row(markup(a.title), pct(a.readiness), num(a.settled), str(a.applicable))
        console.print(t)
        _readiness_states(
            console, "Blocking (open questions that matter most)", r.blocking, r.plan is None
        )
        _readiness_states(console, "Next actions (by owner, then due date)", r.actions, False)
        console.print("")


def _readiness_states(console: Any, title: str, states: list[QuestionState], no_plan: bool) -> None:
    console.print(f"[bold]{title}[/bold]")
    if no_plan:
        console.print("  (give --profile, or `profile:` in the record, to see them)")
        return
    if not states:
        console.print("  none")
    for s in states:
        due = s.due.isoformat() if s.due else "no date"
        owner = markup(s.owner) if s.owner else "no owner"
        # hung under their item: printed plainly, a wrapped question started at column 0
        hang(console, f"{s.id} \\[{s.status}] {owner}, {due}: {markup(s.text)}", "  ", 4)
        for why in s.reasons:
            hang(console, f"because: {markup(why)}", "      ", 15)


def readiness_compare_lines(cmp: dict[str, Any], esc: Any, width: int | None = None) -> list[str]:
    """The comparison as plain lines, each piece of file text passed through `esc`; with
    `width`, each line wrapped at words to it, its continuation two columns in from its own
    indent (a terminal cut "North Locali" / "ty PCN" at its edge)."""
    out = _readiness_compare_lines(cmp, esc)
    if width is None:
        return out
    import textwrap

    wrapped: list[str] = []
    for line in out:
        hang = " " * (len(line) - len(line.lstrip(" ")) + 2)
        wrapped += textwrap.wrap(
            line, max(20, width), subsequent_indent=hang, break_on_hyphens=False
        ) or [""]
    return wrapped


def _readiness_compare_lines(cmp: dict[str, Any], esc: Any) -> list[str]:
    out = [f"Readiness compared: {esc(cmp['partnership'])}", ""]
    n = len(cmp["disagreements"])
    out.append(f"Where stakeholders disagree ({n} question{'s' * (n != 1)}):")
    if not cmp["disagreements"]:
        out.append("  none" if len({s["stakeholder"] for s in cmp["stakeholders"]}) > 1 else
                   "  one stakeholder only")  # fmt: skip
    for d in cmp["disagreements"]:
        who = "; ".join(f"{esc(s['stakeholder'])}: {s['status']}" for s in d["statuses"])
        out.append(f"  {d['id']} {esc(d['text'])}")
        out.append(f"      {who}")
    out.append("")
    out.append("Over time:")
    if not cmp["over_time"]:
        out.append("  no stakeholder has records of two dates")
    for m in cmp["over_time"]:
        out.append(f"  {esc(m['stakeholder'])}: {m['from']} -> {m['to']}")
        for a in m["areas"]:
            out.append(f"      {a['area']}: {pct(a['before'])} -> {pct(a['after'])}")
        for q in m["moved"]:
            out.append(f"      {q['id']}: {q['before']} -> {q['after']}")
        if not m["moved"]:
            out.append("      nothing moved")
    return out
