"""`ncm compare`: several stakeholders' profiles of one partnership, side by side.

The computing is in `compare.py`; this module is the command and its three presentations: a
terminal table, JSON, and Markdown/HTML through the report templates' environment.
"""

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ncm_toolkit.cli.core import (
    ContentOpt,
    ForceOpt,
    OutputOpt,
    app,
    console,
    fail_usage,
    infer_format,
    output_sink,
    pack_or_exit,
    refuse_input_output,
    write_err,
    wrote,
)
from ncm_toolkit.errors import EXIT_INVALID, EXIT_OK, UsageError

if TYPE_CHECKING:
    from ncm_toolkit.content import ContentPack
    from ncm_toolkit.profile import Profile


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
        CompareFormat | None,
        typer.Option(
            "--format", help="Output format (default: from the --output suffix, else table)."
        ),
    ] = None,
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
    never are.

    Examples:

      ncm compare views/

      ncm compare views/ -o compare.html      (the format follows the suffix)

      ncm compare march.yaml june.yaml --over-time
    """
    from ncm_toolkit.batch import iter_profiles
    from ncm_toolkit.compare import compare as build
    from ncm_toolkit.errors import format_text
    from ncm_toolkit.profile import expand_paths

    fmt = infer_format(fmt, output, CompareFormat, CompareFormat.table)
    if fmt is CompareFormat.xlsx and (output is None or str(output) == "-"):  # before any warning
        fail_usage("--format xlsx writes a workbook: give --output FILE.xlsx")
    found = sum(1 for _ in expand_paths(paths))
    _refuse_the_same_file_twice(paths)
    if found < 2:
        fail_usage(f"compare needs at least two profiles; got {found}")
    from ncm_toolkit.readiness import is_record

    if any(is_record(p) for p, _ in expand_paths(paths)):  # by `kind: readiness`
        if fmt is CompareFormat.xlsx:
            fail_usage(
                "--format xlsx compares profiles; readiness records take table, json, md or html"
            )
        compare_readiness(paths, fmt.value, output, force, content)
    if over_time and found != 2:
        fail_usage(f"--over-time compares two snapshots; got {found} profiles")
    pack = pack_or_exit(content)
    loaded = list(iter_profiles(pack, paths))
    errors = [d for _, _, diags in loaded for d in diags]
    if errors:
        write_err(format_text(errors))
        write_err("ncm: not compared: each file must be a valid profile or readiness record\n")
        raise typer.Exit(EXIT_INVALID)
    from ncm_toolkit.files import refuse_input
    from ncm_toolkit.render.json import compare_json
    from ncm_toolkit.render.terminal import compare_table
    from ncm_toolkit.safe_text import display_name  # JSON, Markdown and HTML must be valid UTF-8

    shown_profiles = [(display_name(shown), p) for shown, p, _ in loaded if p is not None]
    _warn_of_several_partnerships(shown_profiles)
    cmp = build(pack, shown_profiles, over_time=over_time)
    try:
        refuse_input(output, paths)
        if fmt is CompareFormat.table and output is None:
            compare_table(console(), pack, cmp)
            raise typer.Exit(EXIT_OK)
        if fmt is CompareFormat.xlsx:
            from ncm_toolkit.files import write_output_bytes
            from ncm_toolkit.render.xlsx import compare_workbook

            assert output is not None  # checked with the format, before anything is read
            write_output_bytes(output, compare_workbook(cmp), force)
            wrote(output)
            raise typer.Exit(EXIT_OK)
        sink = output_sink(output, force)
        with sink as out:
            if fmt is CompareFormat.table:
                from ncm_toolkit.cli.console import PipeConsole  # `-o - | head`: exit 141

                compare_table(PipeConsole(file=out, width=120, no_color=True), pack, cmp)
            elif fmt is CompareFormat.json:
                out.write(compare_json(pack, cmp))
            else:
                from ncm_toolkit.render.report import render_comparison  # Jinja: md, html only

                out.write(render_comparison(pack, cmp, fmt.value))
    except UsageError as exc:
        fail_usage(str(exc))
    wrote(output)
    raise typer.Exit(EXIT_OK)


def _warn_of_several_partnerships(profiles: list[tuple[str, "Profile"]]) -> None:
    """Profiles of different partnerships (a folder holding two projects, the wrong file) are
    compared all the same, as stakeholders of one partnership: say so on stderr, naming each
    partnership and its files, so the reader does not take the split for a disagreement."""
    from ncm_toolkit.compare import name_key
    from ncm_toolkit.safe_text import term

    names: dict[str, tuple[str, list[str]]] = {}  # case and spaces aside, as for a respondent
    for shown, profile in profiles:
        names.setdefault(name_key(profile.name), (profile.name, []))[1].append(shown)
    if len(names) < 2:
        return
    from ncm_toolkit.read.yamlfile import shorten  # a name may be 10,000 characters

    listed = "; ".join(
        f"{term(shorten(n, 80))} ({', '.join(term(f) for f in fs)})" for n, fs in names.values()
    )
    write_err(
        f"ncm: warning: the profiles name {len(names)} partnerships: {listed}; they are compared "
        "as stakeholders of one partnership\n"
    )


def _refuse_the_same_file_twice(paths: list[Path]) -> None:
    """One stakeholder's file given twice (`a.yaml ./a.yaml`, a link, a folder and a file in
    it, `-` twice, or `-` open on a file also named) would count as two stakeholders who
    agree: a usage error naming both."""
    import os

    from ncm_toolkit.profile import expand_paths

    seen: dict[tuple[int, int], str] = {}
    for path, shown in expand_paths(paths):
        try:  # `-` is standard input: what it is open on (`- -`, or `a.yaml - < a.yaml`)
            st = os.fstat(0) if str(path) == "-" else os.stat(path)
        except (OSError, TypeError, ValueError):  # missing, closed: reported when read
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            same = f"{shown} is given twice" if seen[key] == shown else f"{seen[key]} and {shown}"
            fail_usage(f"{same} (the same file): each stakeholder's profile counts once")
        seen[key] = shown


def compare_readiness(
    paths: list[Path], fmt: str, output: Path | None, force: bool, content: Path | None
) -> None:
    """The command: every file must be a readiness record; exits through typer.Exit."""

    import typer

    from ncm_toolkit.cli.readiness import results
    from ncm_toolkit.compare import name_key
    from ncm_toolkit.errors import EXIT_OK, UsageError, format_text
    from ncm_toolkit.profile import expand_paths
    from ncm_toolkit.readiness import is_other_kind, is_record
    from ncm_toolkit.readiness_compare import compare, same_day
    from ncm_toolkit.render.markdown import readiness_compare_markdown
    from ncm_toolkit.render.terminal import readiness_compare_lines
    from ncm_toolkit.safe_text import display_name

    files = [p for p, _ in expand_paths(paths)]
    # a record that does not parse is reported, located, with the others' errors (`results`)
    other = next((p for p in files if not is_record(p) and is_other_kind(p)), None)
    if other is not None:
        record = display_name(str(next(p for p in files if is_record(p))))
        fail_usage(
            f"{record} is a readiness record but {display_name(str(other))} is not: compare "
            "readiness records with readiness records only (kind: readiness)"
        )
    refuse_input_output(output, files)  # a record, or (below) the profile a record names
    pack: ContentPack = pack_or_exit(content)
    found = results(pack, files, None, output)
    names: dict[str, str] = {}  # case and spaces aside, as profiles' partnerships are
    for r in found:
        names.setdefault(name_key(r.record.partnership), r.record.partnership)
    if len(names) > 1:
        fail_usage(
            "the records are of different partnerships: " + ", ".join(sorted(names.values()))
        )
    copies = same_day(found, files)
    if copies:
        write_err(format_text(copies))
        raise typer.Exit(EXIT_INVALID)
    cmp = compare(found)
    from ncm_toolkit.render.report import md_escape
    from ncm_toolkit.safe_text import term

    if fmt == "json":
        from ncm_toolkit.readiness import METHOD_VERSION
        from ncm_toolkit.render.json import readiness_compare_json

        text = readiness_compare_json(pack, cmp, METHOD_VERSION)
    elif fmt == "md":
        text = readiness_compare_markdown(cmp, md_escape)
    elif fmt == "html":
        from ncm_toolkit.render.html import readiness_compare_html

        text = readiness_compare_html(cmp)
    else:  # to the screen wrapped at words to its width; into a file as it is
        width = console().width if output is None or str(output) == "-" else None
        text = "\n".join(readiness_compare_lines(cmp, term, width)) + "\n"
    try:
        sink = output_sink(output, force)
        with sink as out:
            out.write(text)
    except UsageError as exc:
        fail_usage(str(exc))
    wrote(output)
    raise typer.Exit(EXIT_OK)
