"""`ncm compare`: several stakeholders' profiles of one partnership, side by side.

The computing is in `compare.py`; this module is the command and its three presentations: a
terminal table, JSON, and Markdown/HTML through the report templates' environment.
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
    from ncm_toolkit.compare import AnswerChange, Comparison, OptionRow
    from ncm_toolkit.content import ContentPack


class CompareFormat(str, Enum):
    table = "table"
    json = "json"
    md = "md"
    html = "html"
    xlsx = "xlsx"


@app.command()
def compare(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PROFILE",
            help="Two or more stakeholders' profiles of one partnership (files or folders).",
        ),
    ],
    fmt: Annotated[
        CompareFormat, typer.Option("--format", help="Output format.")
    ] = CompareFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    content: ContentOpt = None,
    over_time: Annotated[
        bool,
        typer.Option(
            "--over-time",
            help="Also read the two profiles as two snapshots of one partnership (the earlier "
            "as_of first, else the first given).",
        ),
    ] = False,
) -> None:
    """Compare stakeholders' answers: where they agree, where they split, the shared ranking.

    Two profiles by the same respondent (role and organisation) with different as_of dates are
    also read as two snapshots over time, as are any two with --over-time; matching names alone
    never are."""
    from ncm_toolkit.batch import iter_profiles
    from ncm_toolkit.compare import compare as build
    from ncm_toolkit.errors import format_text
    from ncm_toolkit.files import atomic_writer
    from ncm_toolkit.profile import expand_paths

    found = sum(1 for _ in expand_paths(paths))
    if found < 2:
        fail_usage(f"compare needs at least two profiles; got {found}")
    from ncm_toolkit.readiness import is_record

    if any(is_record(p) for p, _ in expand_paths(paths)):  # by `kind: readiness`
        if fmt is CompareFormat.xlsx:
            fail_usage("--format xlsx compares profiles; readiness records take table, json, md")
        compare_readiness(paths, fmt.value, output, force, content)
    if over_time and found != 2:
        fail_usage(f"--over-time compares two snapshots; got {found} profiles")
    pack = pack_or_exit(content)
    loaded = list(iter_profiles(paths))
    errors = [d for _, _, diags in loaded for d in diags]
    if errors:
        write_err(format_text(errors))
        write_err("ncm: not compared: every stakeholder's profile must be valid\n")
        raise typer.Exit(EXIT_INVALID)
    from ncm_toolkit.safe_text import display_name  # JSON, Markdown and HTML must be valid UTF-8

    shown_profiles = [(display_name(shown), p) for shown, p, _ in loaded if p is not None]
    cmp = build(pack, shown_profiles, over_time=over_time)
    try:
        if fmt is CompareFormat.table and output is None:
            write_table(console(), pack, cmp)
            raise typer.Exit(EXIT_OK)
        if fmt is CompareFormat.xlsx:
            from ncm_toolkit.files import write_output_bytes
            from ncm_toolkit.xlsx import compare_workbook

            if output is None or str(output) == "-":
                fail_usage("--format xlsx writes a workbook: give --output FILE.xlsx")
            write_output_bytes(output, compare_workbook(cmp), force)
            raise typer.Exit(EXIT_OK)
        sink = atomic_writer(output, force) if output else contextlib.nullcontext(sys.stdout)
        with sink as out:
            if fmt is CompareFormat.table:
                from rich.console import Console

                write_table(Console(file=out, width=120, no_color=True), pack, cmp)
            elif fmt is CompareFormat.json:
                out.write(to_json(pack, cmp))
            else:
                out.write(render(pack, cmp, fmt.value))
    except UsageError as exc:
        fail_usage(str(exc))
    raise typer.Exit(EXIT_OK)


def to_json(pack: "ContentPack", cmp: "Comparison") -> str:
    from ncm_toolkit import __version__
    from ncm_toolkit.errors import dumps_json
    from ncm_toolkit.scoring import METHOD_VERSION

    head = {"ncm_version": __version__, "content_version": pack.version}
    tail = {"content_digest": pack.digest, "method_version": METHOD_VERSION}
    return dumps_json({**head, **tail, **cmp.to_json()})


def _yes_no(value: object) -> str:
    return "yes" if value is True else "no" if value is False else "not answered"


def describe(pack: "ContentPack", ch: "AnswerChange") -> str:
    """One change in the answers as plain text (escape it for the medium it goes to)."""
    kinds = {str(k): v for k, v in pack.manifest.partner_kinds.items()}
    forms = {str(k): v.title for k, v in pack.manifest.formality.items()}
    if ch.kind == "objective":
        return f"{ch.label}: importance {ch.before} → {ch.after}"
    if ch.kind in ("partner_added", "partner_removed"):
        return f"Partner {ch.kind[8:]}: {ch.label} ({kinds.get(ch.key, ch.key)})"
    if ch.kind == "answer":
        return f"{ch.label}: {_yes_no(ch.before)} → {_yes_no(ch.after)}"
    if ch.kind == "formality":
        a, b = (forms.get(str(f), str(f)) if f else "not answered" for f in (ch.before, ch.after))
        return f"{ch.label}: {a} → {b}"
    if ch.kind == "structure":
        a, b = (
            _yes_no(v) if isinstance(v, bool) or v is None else str(v)
            for v in (ch.before, ch.after)
        )
        return f"{ch.label}: {a} → {b}"
    return f"Risk {ch.kind[5:]}: {ch.label}"


def ranked_by(cmp: "Comparison", row: "OptionRow") -> str:
    """'ranked 1 by a, 6 by b': each stakeholder's rank of an option, as plain text."""
    parts = [f"{r} by {s.label}" for r, s in zip(row.ranks, cmp.stakeholders, strict=True)]
    return "ranked " + ", ".join(parts)


VERDICT_STYLE = {"agreement": "green", "uncertain": "yellow", "split": "bold red"}


def write_table(console: Any, pack: "ContentPack", cmp: "Comparison") -> None:
    from rich.table import Table

    from ncm_toolkit.safe_text import (
        markup as escape,  # names, labels, titles: from profiles and packs
    )

    console.print("[bold]Stakeholders[/bold]")
    for s in cmp.stakeholders:
        console.print(f"  {escape(s.label)}: {escape(s.name)}  [dim]({escape(s.profile)})[/dim]")
    table = Table(title="Objectives: importance 0-5", title_justify="left")
    table.add_column("Objective")
    for s in cmp.stakeholders:
        table.add_column(escape(s.label), justify="right")
    table.add_column("Combined", justify="right")
    table.add_column("Verdict")
    for o in cmp.held():
        style = VERDICT_STYLE[o.verdict]
        cells = [str(i) for i in o.importances]
        table.add_row(escape(o.title), *cells, str(o.combined), f"[{style}]{o.verdict}[/{style}]")
    console.print(table)
    counts = cmp.verdicts()
    console.print(
        f"Agreement on {counts['agreement']}, uncertain on {counts['uncertain']}, "
        f"split on {counts['split']} of the objectives held."
    )
    table = Table(title="Rankings: rank (score)", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("Option (combined ranking)")
    table.add_column("Combined", justify="right")
    for s in cmp.stakeholders:
        table.add_column(escape(s.label), justify="right")
    table.add_column("Spread", justify="right")
    for r in cmp.options:
        cells = [f"{k} ({v:.1f})" for k, v in zip(r.ranks, r.scores, strict=True)]
        row = [str(r.combined_rank), escape(r.title), f"{r.combined_score:.1f}", *cells]
        table.add_row(*row, str(r.rank_spread))
    console.print(table)
    for note in cmp.notes + cmp.combined.notes:
        console.print(f"[bold]Note:[/bold] {escape(note)}")
    console.print(f"[bold]Combined ranking.[/bold] {escape(cmp.combined.robustness.sentence)}")
    console.print("\n[bold]Where the stakeholders disagree most[/bold]")
    if not cmp.disputed:
        console.print("  Nowhere: every stakeholder gives every option the same rank and score.")
    for i, d in enumerate(cmp.disputed, 1):
        plural = "" if d.rank_spread == 1 else "s"
        apart = f"{d.rank_spread} place{plural}, {d.score_spread:g} points apart"
        console.print(
            f"  {i}. [bold]{escape(d.title)}[/bold]: {escape(ranked_by(cmp, d))} ({apart})"
        )
        for dr in d.drivers:
            imps = ", ".join(map(str, dr.importances))
            console.print(f"     - {escape(dr.title)}: importances {imps} x strength {dr.strength}")
        if d.adjustment_spread:
            console.print(
                f"     - other answers (partners, yes/no, formality): up to "
                f"{d.adjustment_spread:g} points"
            )
    if cmp.over_time:
        _write_over_time(console, pack, cmp)
    console.print()


def _write_over_time(console: Any, pack: "ContentPack", cmp: "Comparison") -> None:
    from rich.table import Table

    from ncm_toolkit.safe_text import markup as escape

    ot = cmp.over_time
    assert ot is not None
    console.print(f"\n[bold]Over time: {escape(ot.before)} → {escape(ot.after)}[/bold]")
    a, b = ot.before_as_of or "undated", ot.after_as_of or "undated"
    dates = f" ({a} → {b})" if ot.before_as_of or ot.after_as_of else ""
    why = "the same respondent on two dates" if ot.basis == "same_respondent" else "--over-time"
    console.print(f"  [dim]Read as two snapshots: {why}{dates}.[/dim]")
    from ncm_toolkit.read.yamlfile import shorten

    for ch in ot.changes:  # shortened: wrapping 1,000 risks of 10,000 characters took 15 s
        console.print(f"  - {escape(shorten(describe(pack, ch), 300))}")
    if not ot.changes:
        console.print("  No answer changed.")
    table = Table(title="How the ranking moved", title_justify="left")
    for col in ("Option", "Rank", "Move", "Score", "Change"):
        table.add_column(col, justify="left" if col == "Option" else "right")
    for m in ot.moves:
        move = f"▲{m.places}" if m.places > 0 else f"▼{-m.places}" if m.places < 0 else "="
        ranks, scores = (
            f"{m.rank_before} → {m.rank_after}",
            f"{m.score_before:.1f} → {m.score_after:.1f}",
        )
        table.add_row(escape(m.title), ranks, move, scores, f"{m.points:+.1f}")
    console.print(table)


def render(pack: "ContentPack", cmp: "Comparison", fmt: str) -> str:
    """The comparison as a Markdown or HTML report, through the reports' Jinja environment."""
    import functools

    import jinja2

    from ncm_toolkit import __version__
    from ncm_toolkit.report import env_for, environment, report_date

    env = env_for(environment(), fmt)  # Markdown: every printed value escaped
    try:
        env.get_template("report.css")
        has_css = True
    except jinja2.TemplateNotFound:
        has_css = False
    text: str = env.get_template(f"compare.{fmt}.j2").render(
        ncm_version=__version__,
        pack={"name": pack.manifest.name, "version": pack.version, "digest": pack.digest},
        date=report_date(),
        cmp=cmp,
        held=cmp.held(),
        verdicts=cmp.verdicts(),
        notes=cmp.notes + cmp.combined.notes,
        describe=functools.partial(describe, pack),
        ranked_by=functools.partial(ranked_by, cmp),
        has_css=has_css,
    )
    return text if text.endswith("\n") else text + "\n"


def compare_readiness(
    paths: list[Path], fmt: str, output: Path | None, force: bool, content: Path | None
) -> None:
    """The command: every file must be a readiness record; exits through typer.Exit."""
    import html

    import typer

    from ncm_toolkit.cli.readiness import results
    from ncm_toolkit.errors import EXIT_OK, UsageError
    from ncm_toolkit.profile import expand_paths
    from ncm_toolkit.readiness import is_record
    from ncm_toolkit.readiness_compare import compare, to_lines, to_md

    files = [p for p, _ in expand_paths(paths)]
    if not all(is_record(p) for p in files):
        fail_usage("compare readiness records with readiness records only (kind: readiness)")
    pack: ContentPack = pack_or_exit(content)
    found = results(pack, files, None)
    names = {r.record.partnership for r in found}
    if len(names) > 1:
        fail_usage("the records are of different partnerships: " + ", ".join(sorted(names)))
    cmp = compare(found)
    from ncm_toolkit.errors import dumps_json
    from ncm_toolkit.files import atomic_writer
    from ncm_toolkit.report import md_escape
    from ncm_toolkit.safe_text import term

    if fmt == "json":
        text = dumps_json(cmp)
    elif fmt == "md":
        text = to_md(cmp, md_escape)
    elif fmt == "html":
        body = html.escape("\n".join(to_lines(cmp, term)))
        text = f'<!DOCTYPE html>\n<html lang="en"><meta charset="utf-8"><pre>{body}</pre></html>\n'
    else:
        text = "\n".join(to_lines(cmp, term)) + "\n"
    try:
        sink = atomic_writer(output, force) if output else contextlib.nullcontext(sys.stdout)
        with sink as out:
            out.write(text)
    except UsageError as exc:
        fail_usage(str(exc))
    raise typer.Exit(EXIT_OK)
