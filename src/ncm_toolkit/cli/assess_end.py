"""The end of `ncm assess`: the ranking and its reasons (the result screen), then, in a
terminal, the decision (option, organisational form, who agreed it), the profile saved and a
report offered, and what to do next. Every prompt goes through the asker the interview used;
Back at any of them raises `Back`, which the command turns into a return to the review."""

from pathlib import Path
from typing import Any

import typer

from ncm_toolkit.cli.core import console as make_console
from ncm_toolkit.errors import EXIT_OK, FileProblem
from ncm_toolkit.safe_text import display_name, markup, shell_word


def _q(prompt: str, help: str | None = None) -> Any:
    """A prompt of the end screens (not a Quick Guide question): what an asker reads."""
    from types import SimpleNamespace

    return SimpleNamespace(prompt=prompt, help=help)


def _today() -> Any:
    """Today, or the day SOURCE_DATE_EPOCH pins (reproducible runs)."""
    import datetime as dt

    from ncm_toolkit.clock import source_date

    pinned = source_date()
    return pinned.date() if pinned is not None else dt.date.today()


def _hang(console: Any, lead: str, text: str, indent: int) -> None:
    """`lead text`, `indent` columns in, the text's continuation lines under its own first
    word (printed plainly, they went back to column 0 under the lead: a list of pros and
    cons, or the reasons for a rank, read as one block). Both are Rich markup."""
    from ncm_toolkit.render.terminal import hang

    hang(console, text, " " * indent + f"{lead} ")


FORMAT_NAMES = {"yaml": "YAML", "md": "Markdown", "html": "HTML"}


def name_problem(where: Path, fmt: str) -> str | None:
    """Why a file name typed at an end prompt cannot take a file of format `fmt` (`yaml`,
    `md`, `html`), else None: a suffix promising another format (YAML in `north.html`, a
    paper in `paper.yaml` that `ncm validate .` reads as a broken profile: refused as the
    options refuse them), or a name the file system refuses (too long: an internal error)."""
    from ncm_toolkit.cli.core import document_format

    written = document_format(where)
    if written not in (None, fmt):
        return (
            f"{where}: this is written as {FORMAT_NAMES[fmt]}, never as a .{written} file; "
            f"name it .{fmt}"
        )
    try:
        where.exists()
        where.resolve()
    except OSError as exc:
        return f"{where}: cannot use it: {exc.strerror or exc}"
    return None


def result_screen(console: Any, pack: Any, result: Any, saved: Path | None) -> None:
    """What the board paper says beside the table: ties, adjustments, caps, how sure, where
    the arithmetic and the report are."""
    from ncm_toolkit.ranking import named_adjustment
    from ncm_toolkit.scoring import explain, shown

    console.print("[bold]Why the top three[/bold]")
    for r in shown(result.ranking, 3):  # ties at the cut kept, a shared rank read "=1"
        rank = f"={r.rank}" if r.tied_with else str(r.rank)
        _hang(console, f"{rank}.", markup(explain(pack, r)), 2)
        named = named_adjustment(r)  # the sentence gives it with its points already
        for a in r.adjustments:
            if a is named and a.rule != "clamp":
                continue
            if a.rule == "clamp":
                _hang(
                    console,
                    "capped:",
                    f"the parts add up to {r.unclamped:.2f}, shown as {r.score:.2f} "
                    "(the scale ends there); not a perfect fit",
                    5,
                )
            else:
                _hang(console, "adjustment:", f"{markup(a.title)} {a.points:+g}", 5)
        for g in r.gates:
            _hang(console, "closed:", f"{markup(g.title)}: {markup(g.reason)}", 5)
    first = [r for r in result.ranking if r.rank == 1]
    if len(first) > 1:
        console.print(
            "[bold]Tie:[/bold] "
            + " and ".join(markup(r.title) for r in first)
            + f" share the first rank with equal totals ({first[0].score:.2f})."
        )
    sure = first[0].first_rank_acceptability
    if sure is not None and not first[0].gates:  # closed: no first choice to be sure of
        console.print(
            f"How sure: {markup(first[0].title)} comes first under {sure:.0%} of plausible "
            "weightings of your importances."
        )
    where = markup(shell_word(saved)) if saved else "PROFILE"
    console.print(
        f"The full arithmetic: ncm score --explain {where}; the board paper: ncm report {where}"
    )


def pick_title(r: Any) -> str:
    """An option in the end prompt's pick list: its score as the ranking table above shows
    it (two places: "15.10", not "15.1"; "0.00", not "0"), and "closed" where the table says
    a requirement rules it out (ranked after the open options whatever its score)."""
    return f"{r.title} ({r.score:.2f}{'; closed' if r.gates else ''})"


def decide(
    pack: Any, data: dict[str, Any], result: Any, asker: Any, console: Any, saved: Path | None
) -> None:
    """After the ranking: the option pursued, the organisational form (pros and cons shown),
    the workforce implications, who agreed it; saved as `decision:` (schema_version 2)."""
    from ncm_toolkit.plan import plan_profile
    from ncm_toolkit.profile import Profile
    from ncm_toolkit.question_types import answer_problem, typed_entry
    from ncm_toolkit.schemas import Choice

    old = data.get("decision") or {}
    first = [r.option for r in result.ranking if r.rank == 1]
    options = [Choice(value=r.option, title=pick_title(r)) for r in result.ranking]
    default = old.get("option") or (first[0] if len(first) == 1 else None)
    if len(first) > 1 and not old.get("option"):
        asker.note("The first rank is shared: choose the option the partnership will pursue.")
    q = _q(
        prompt="Which option will the partnership pursue?",
        help="The agreed option is saved in the profile as its decision; `ncm plan` uses it.",
    )
    option = asker.select(q, options, default)
    profile = Profile.model_validate({**data, "decision": None, "schema_version": 2})
    plan = plan_profile(pack, profile, option)
    console.print(f"\n[bold]Organisational form for {markup(plan.option_title)}[/bold]")
    for f in plan.forms:
        fit = "fits" if f.fits else "does not fit: " + "; ".join(f.why_not)
        console.print(f"[bold]{markup(f.title)}[/bold] ({markup(fit)})")
        for label, items in (("+", f.pros), ("-", f.cons), ("needs", f.requires)):
            for i in items:
                _hang(console, label, markup(i.text), 2)
    console.print(f"Recommended: {markup(plan.form_title)}: {markup(plan.form_reason)}")
    forms = [  # the fit said above scrolls away at 24 lines: the list says it too
        Choice(value=f.form, title=f.title + ("" if f.fits else " (does not fit)"))
        for f in plan.forms
    ]
    fq = _q(prompt="Which organisational form do the partners agree?", help=None)
    form = asker.select(fq, forms, old.get("form") if old.get("option") == option else plan.form)
    plan = plan_profile(pack, profile, option, form)
    console.print("\n[bold]Workforce implications[/bold]")
    for imp in plan.implications:
        if imp.level == "unlikely":
            continue
        console.print(f"[bold]{markup(imp.title)}[/bold] ({imp.level}): {markup(imp.reason)}")
        for a in imp.actions[:1]:
            _hang(console, "first:", markup(a.text), 2)
    where = markup(shell_word(saved)) if saved else "PROFILE"
    console.print(f"The full list: ncm plan {where}")
    bq = _q(
        prompt="Who agreed this? (a role or body, e.g. joint programme board; optional)",
        help=None,
    )
    by = typed_entry(  # checked as the profile will be: a decision's `agreed_by` holds 200
        asker,
        bq,
        str(old.get("agreed_by") or ""),
        lambda a: answer_problem("decision.agreed_by", a),
    )
    decision: dict[str, Any] = {"option": option, "form": form}
    if by:
        decision["agreed_by"] = by
    decision["agreed_on"] = _today()
    data["decision"] = decision
    data["schema_version"] = 2


def finish(
    pack: Any,
    data: dict[str, Any],
    interactive: bool,
    saved: Path | None = None,
    asker: Any = None,
) -> None:
    """Score and show the ranking and the reasons; in a terminal, the decision, then offer a
    profile and a report. Back at any end prompt raises `Back` (to the review)."""
    from ncm_toolkit.batch import Scored
    from ncm_toolkit.interview import dump_profile
    from ncm_toolkit.profile import Profile
    from ncm_toolkit.render.terminal import score_tables
    from ncm_toolkit.schemas import Choice
    from ncm_toolkit.scoring import score_profile

    profile = Profile.model_validate(data)
    result = score_profile(pack, profile)
    console = make_console()
    score_tables(
        console, pack, [Scored(str(saved or "answers"), profile, result, [])], None, False, []
    )
    result_screen(console, pack, result, saved)
    if not interactive:
        raise typer.Exit(EXIT_OK)
    from ncm_toolkit.files import write_text

    decide(pack, data, result, asker, console, saved)
    profile = Profile.model_validate(data)
    if saved is not None:
        write_text(saved, dump_profile(data))  # the autosave becomes a finished profile
        while True:
            sq = _q(prompt="Save the profile as:", help=None)
            where = Path(asker.text(sq, str(saved), None).strip() or str(saved))
            bad = name_problem(where, "yaml")
            if bad is not None:
                asker.note(f"Not saved: {bad}")
                continue
            if where.resolve() == saved.resolve():
                break
            if where.exists():
                cq = _q(prompt=f"{where} exists. Overwrite?", help=None)
                if not asker.confirm(cq, False):
                    continue
            try:
                write_text(where, dump_profile(data))
            except FileProblem as exc:
                asker.note(f"Not saved: {exc}")
                continue
            saved = where
            break
        console.print(f"Profile saved: {markup(saved)}")
    rq = _q(prompt="Write a report?", help=None)
    fmt = asker.select(
        rq,
        [
            Choice(value="html", title="HTML"),
            Choice(value="md", title="Markdown"),
            Choice(value="none", title="No report"),
        ],
        "html",
    )
    report: Path | None = None
    if fmt != "none":
        from ncm_toolkit.files import safe_slug
        from ncm_toolkit.render.report import ReportInput, render

        default = f"{safe_slug(profile.name)}.{fmt}"
        while True:
            fq = _q(prompt="Report file:", help=None)
            where = Path(asker.text(fq, default, None).strip() or default)
            bad = name_problem(where, fmt)
            if bad is not None:
                asker.note(f"Not written: {bad}")
                continue
            if where.exists():
                cq = _q(prompt=f"{where} exists. Overwrite?", help=None)
                if not asker.confirm(cq, False):
                    continue
            try:
                text = render(pack, ReportInput(profile, result, display_name(str(saved))), fmt)
                write_text(where, text)
            except FileProblem as exc:
                asker.note(f"Not written: {exc}")
                continue
            break
        console.print(f"Report written: {markup(where)}")
        report = where
    next_steps(console, saved, report)
    raise typer.Exit(EXIT_OK)


def next_steps(console: Any, saved: Path | None, report: Path | None) -> None:
    """The last lines: what to open and what comes next (the interview ended on "Report
    written: FILE" alone, or on nothing at all with no report)."""
    if saved is None:
        return
    where = markup(shell_word(saved))
    if report is not None:
        shown = "a browser" if report.suffix.lower() in (".html", ".htm") else "any editor"
        console.print(f"Open {markup(report)} in {shown}: the board paper.")
    else:
        console.print(f"The board paper, when you want it: ncm report {where} -o PAPER.html")
    console.print(
        f"Next: ncm plan {where} (the form and the workforce in full); each partner's "
        f"readiness (Module 2): ncm readiness init {where} -o ready/ROLE.yaml --role ROLE "
        "--organisation NAME, then ncm readiness ask ready/ROLE.yaml"
    )
