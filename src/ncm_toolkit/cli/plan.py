"""`ncm plan`: after the ranking, the organisational form and the workforce implications.

The computing is in `plan.py`; this module is the command and its presentations: a terminal
view, JSON in the envelope of `ncm score`, and Markdown.
"""

import contextlib
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ncm_toolkit.cli.core import (
    ContentOpt,
    ForceOpt,
    OutputOpt,
    app,
    console,
    fail_usage,
    pack_or_exit,
    write_err,
)
from ncm_toolkit.errors import EXIT_INVALID, EXIT_OK, UsageError

if TYPE_CHECKING:
    from ncm_toolkit.content import ContentPack
    from ncm_toolkit.errors import Diagnostic
    from ncm_toolkit.plan import Plan

FORM_IDS_HELP = (
    "informal_partnership, clinical_networks, buddying, lead_provider, lead_contractor, "
    "alliance, section_75_partnership, corporate_joint_venture, merger_acquisition"
)
"""The form ids of the bundled pack, for `--help` (a test keeps them equal to the pack's)."""


class PlanFormat(str, Enum):
    table = "table"
    json = "json"
    md = "md"


@app.command()
def plan(
    paths: Annotated[
        list[Path], typer.Argument(metavar="PROFILE", help="Profile files or folders.")
    ],
    option: Annotated[
        str | None,
        typer.Option(
            "--option",
            metavar="ID",
            help="The option pursued (default: the profile's decision, else the top-ranked).",
        ),
    ] = None,
    form: Annotated[
        str | None,
        typer.Option(
            "--form",
            metavar="ID",
            help="The organisational form agreed (default: the profile's decision, else the "
            f"recommended one): {FORM_IDS_HELP}.",
        ),
    ] = None,
    fmt: Annotated[PlanFormat, typer.Option("--format", help="Output format.")] = PlanFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    content: ContentOpt = None,
) -> None:
    """After the ranking: the organisational form for the option pursued and the workforce
    implications for these partners, every rule sourced."""
    from ncm_toolkit.batch import iter_profiles
    from ncm_toolkit.files import atomic_writer
    from ncm_toolkit.plan import form_ids, plan_profile

    pack = pack_or_exit(content)
    if option is not None and option not in pack.options:
        fail_usage(f"unknown option '{option}'; known: {', '.join(pack.options)}")
    if form is not None and form not in form_ids(pack):
        fail_usage(f"unknown form '{form}'; known: {', '.join(form_ids(pack))}")
    plans: list[tuple[str, Plan]] = []
    errors: list[Diagnostic] = []
    try:
        for shown, profile, diags in iter_profiles(paths):
            errors += diags
            if profile is None:
                continue
            bad = _bad_decision_form(pack, shown, profile)
            if bad is not None:
                errors.append(bad)
                continue
            plans.append((shown, plan_profile(pack, profile, option, form)))
    except UsageError as exc:
        fail_usage(f"{shown}: {exc}")
    if fmt is PlanFormat.table and output is None:
        from ncm_toolkit.errors import format_text

        write_err(format_text(errors))
        write_table(console(), plans)
        raise typer.Exit(EXIT_INVALID if errors else EXIT_OK)
    sink = atomic_writer(output, force) if output else contextlib.nullcontext(sys.stdout)
    with sink as out:
        if fmt is PlanFormat.json:
            out.write(to_json(pack, plans, errors))
        elif fmt is PlanFormat.md:
            out.write(to_markdown(plans))
        else:
            from rich.console import Console

            write_table(Console(file=out, width=120, no_color=True), plans)
    if errors and fmt is not PlanFormat.json:
        from ncm_toolkit.errors import format_text

        write_err(format_text(errors))
    raise typer.Exit(EXIT_INVALID if errors else EXIT_OK)


def _bad_decision_form(pack: "ContentPack", shown: str, profile: Any) -> "Diagnostic | None":
    """A `decision.form` the pack does not define, located in the profile."""
    from ncm_toolkit.errors import Diagnostic
    from ncm_toolkit.plan import form_ids
    from ncm_toolkit.read.loader import locate, node_tree, read_text

    d = profile.decision
    if d is None or d.form is None or d.form in form_ids(pack):
        return None
    try:
        line, col = locate(node_tree(read_text(Path(shown))), ("decision", "form"))
    except Exception:  # the file changed or vanished since it was read
        line, col = 1, 1
    return Diagnostic(
        shown,
        line,
        col,
        f"unknown form '{d.form}'",
        "decision.form",
        "known: " + ", ".join(form_ids(pack)),
    )


def to_json(pack: "ContentPack", plans: "list[tuple[str, Plan]]", errors: list[Any]) -> str:
    from ncm_toolkit import __version__
    from ncm_toolkit.errors import dumps_json, format_json
    from ncm_toolkit.plan import METHOD_VERSION

    return dumps_json(
        {
            "ncm_version": __version__,
            "content_version": pack.version,
            "method_version": METHOD_VERSION,
            "results": [{"profile": shown, **p.to_json()} for shown, p in plans],
            "errors": [
                {("profile" if k == "file" else k): v for k, v in e.items()}
                for e in format_json(errors)
            ],
        }
    )


def _src(source: Any) -> str:
    return f"{source.document}: {source.section}"


LEVEL_STYLE = {"likely": "bold red", "possible": "yellow", "unlikely": "green"}


def write_table(console: Any, plans: "list[tuple[str, Plan]]") -> None:
    """Every text from a file goes through `escape`: it is printed with Rich markup on."""
    from rich.markup import escape
    from rich.table import Table

    for shown, p in plans:
        console.print(f"\n[bold]{escape(p.name)}[/bold]  [dim]({escape(shown)})[/dim]")
        console.print(
            f"[dim]Guidance written {escape(p.written)}; currency notes reviewed "
            f"{escape(p.reviewed)}.[/dim]"
        )
        console.print(
            f"Option: [bold]{escape(p.option_title)}[/bold] ({p.option}; "
            f"chosen by {p.option_chosen_by})"
        )
        console.print(f"Form: [bold]{escape(p.form_title)}[/bold] ({p.form})")
        console.print(f"  {escape(p.form_reason)}  [dim]({escape(_src(p.form_source))})[/dim]")
        forms = Table(title="Organisational forms", title_justify="left")
        for col in ("form", "formality", "fits"):
            forms.add_column(col, overflow="fold")
        for f in p.forms:
            fits = "yes" if f.fits else "no: " + escape("; ".join(f.why_not))
            forms.add_row(f.form, f.formality, fits)
        console.print(forms)
        chosen = next(f for f in p.forms if f.form == p.form)
        console.print(f"[bold]{escape(chosen.title)} requires[/bold]")
        for r in chosen.requires:
            text = escape(" ".join(r.text.split()))
            console.print(f"  • {text}  [dim]({escape(_src(r.source))})[/dim]")
        imp = Table(title="Workforce implications", title_justify="left")
        for col in ("topic", "level", "why", "first step", "source"):
            imp.add_column(col, overflow="fold")
        for i in p.implications:
            silent = " (source silent)" if i.source_silent else ""
            imp.add_row(
                i.topic,
                f"[{LEVEL_STYLE[i.level]}]{i.level}[/]",
                escape(" ".join(i.reason.split())),
                escape(" ".join(i.actions[0].text.split())) if i.actions else "",
                escape(_src(i.source) + silent),
            )
        console.print(imp)
        if p.currency:
            from ncm_toolkit.currency import note_line

            console.print(
                f"\n[bold]Since the guidance was written[/bold] (notes reviewed {p.reviewed})"
            )
            for n in p.currency:
                console.print(f"  [italic]{escape(note_line(n, p.reviewed))}[/italic]")


def to_markdown(plans: "list[tuple[str, Plan]]") -> str:
    """Markdown with every text from a file escaped (`report.md_escape`)."""
    from ncm_toolkit.report import md_escape as md

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
        out.append(f"{md(p.form_reason)} (source: {md(_src(p.form_source))})\n\n")
        out.append("## Organisational forms\n\n")
        for f in p.forms:
            fits = "fits" if f.fits else "does not fit: " + md("; ".join(f.why_not))
            out.append(f"- **{md(f.title)}** (`{f.form}`, {f.formality}): {fits}\n")
            for r in f.requires:
                out.append(f"  - requires: {md(r.text)} ({md(_src(r.source))})\n")
        out.append("\n## Workforce implications\n\n")
        out.append("| topic | level | why | first step | source |\n|---|---|---|---|---|\n")
        for i in p.implications:
            step = md(i.actions[0].text) if i.actions else ""
            silent = " (source silent)" if i.source_silent else ""
            out.append(
                f"| {i.topic} | {i.level} | {md(i.reason)} | {step} | "
                f"{md(_src(i.source))}{silent} |\n"
            )
        out.append("\n")
        if p.currency:
            from ncm_toolkit.currency import note_line

            out.append(f"## Since the guidance was written (notes reviewed {md(p.reviewed)})\n\n")
            out += [f"- *{md(note_line(n, p.reviewed))}*\n" for n in p.currency]
            out.append("\n")
    return "".join(out)
