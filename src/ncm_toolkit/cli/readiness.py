"""`ncm readiness`: Module 2's questions as a self-assessment (init, ask, show).
The computing is in `readiness.py`, the question loop in `readiness_ask.py`, its two askers
(a terminal's prompts, or one answer a line on stdin) in `cli/readiness_asker.py`, the
presentations in `render/`; this module is the commands.
"""

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ncm_toolkit.cli.core import (
    ContentOpt,
    ForceOpt,
    OutputOpt,
    WholeLinesGroup,
    app,
    complete_from_pack,
    console,
    fail_unknown,
    fail_usage,
    file_path,
    infer_format,
    output_sink,
    pack_or_exit,
    refuse_input_output,
    text_option_or_exit,
    write_err,
    wrote,
    yaml_output_or_exit,
)
from ncm_toolkit.cli.questions import AREA_IDS_HELP
from ncm_toolkit.cli.readiness_asker import LineAsker, TerminalAsker
from ncm_toolkit.errors import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, Diagnostic, UsageError
from ncm_toolkit.readiness_ask import Asker, date_problem, parse_date, run_ask

if TYPE_CHECKING:
    from ncm_toolkit.content import ContentPack
    from ncm_toolkit.plan import Plan
    from ncm_toolkit.profile import Profile
    from ncm_toolkit.readiness import Result
    from ncm_toolkit.readiness_schemas import Readiness


readiness_app = typer.Typer(
    cls=WholeLinesGroup,
    name="readiness",
    help="Module 2 as a readiness self-assessment: create, answer and report a record.\n\n"
    "Examples:\n\n"
    "  ncm readiness init profiles/north.yaml -o ready/dof.yaml --role 'Director of Finance'"
    " --organisation 'North Council'\n\n"
    "  ncm readiness ask ready/dof.yaml\n\n"
    "  ncm readiness show ready/",
    no_args_is_help=True,
)
app.add_typer(readiness_app)


def _today() -> dt.date:
    return dt.date.today()


def _load_or_fail(path: Path) -> "Readiness":
    from ncm_toolkit.errors import format_text
    from ncm_toolkit.readiness import load_record

    record, diags = load_record(path, str(path))
    if record is None:
        write_err(format_text(diags))
        raise typer.Exit(EXIT_INVALID)
    return record


def _warn(diags: list[Diagnostic]) -> None:
    for d in diags:
        write_err("warning: " + d.render() + "\n")


def _save(pack: "ContentPack", record: "Readiness", path: Path) -> None:
    from ncm_toolkit.files import write_text
    from ncm_toolkit.readiness import render_record

    write_text(path, render_record(pack, record), force=True, durable=True)


@readiness_app.command("init")
def init(
    profile: Annotated[
        Path | None,
        typer.Argument(
            help="The partnership's profile: the record takes its name, and marks the questions"
            " that block the option and form `ncm plan` gives for it."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The record to write; - for stdout.",
            parser=file_path,
        ),
    ] = None,
    partnership: Annotated[
        str | None,
        typer.Option(metavar="NAME", help="The partnership's name (default: the profile's)."),
    ] = None,
    role: Annotated[
        str, typer.Option(help="Your role, e.g. 'Director of Finance' (required).")
    ] = "",
    organisation: Annotated[
        str, typer.Option(metavar="NAME", help="The organisation you speak for (required).")
    ] = "",
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Default: today.")
    ] = None,
    force: ForceOpt = False,
    content: ContentOpt = None,
) -> None:
    """Write a readiness record with every Module 2 question listed and explained, each
    `not_considered`.

    Examples:

      ncm readiness init profiles/north.yaml -o ready/dof.yaml
      --role "Director of Finance" --organisation "North Council"
    """
    from pydantic import ValidationError

    from ncm_toolkit.readiness_schemas import Readiness, Stakeholder

    if output is None:
        fail_usage("give the record to write with -o FILE")
    yaml_output_or_exit(output, "a record", "its paper: `ncm readiness show FILE -o FILE`")
    for option, value in (
        ("--partnership", partnership),
        ("--role", role),
        ("--organisation", organisation),
    ):
        text_option_or_exit(option, value)
    refuse_input_output(output, [profile] if profile is not None else [])  # not the profile
    pack = pack_or_exit(content)
    name = partnership
    rel: str | None = None
    if profile is not None:
        from ncm_toolkit.errors import format_text
        from ncm_toolkit.profile import load_profile

        prof, diags = load_profile(profile, str(profile))
        if prof is None:
            write_err(format_text(diags))
            raise typer.Exit(EXIT_INVALID)
        name = name or prof.name
        import os

        here = Path.cwd() if str(output) == "-" else output.resolve().parent
        rel = os.path.relpath(profile.resolve(), here)
    if not name:
        fail_usage("give --partnership NAME, or a PROFILE")
    if not role.strip() or not organisation.strip():
        fail_usage("give --role and --organisation: whose view the record holds")
    if partnership is not None and not partnership.strip():  # as --role: a blank is no name
        fail_usage("--partnership: only white space; give the partnership's name")
    when = _today() if as_of is None else parse_date(as_of)
    if when is None:  # "no such date: 2026-02-30 (...)" in the right form, else the form
        fail_usage(f"--as-of {as_of}: {date_problem(str(as_of))}")
    try:
        record = Readiness(
            kind="readiness",
            schema_version=1,
            partnership=name,
            stakeholder=Stakeholder(role=role.strip(), organisation=organisation.strip()),
            as_of=when,
            profile=rel,
        )
    except ValidationError as exc:  # a value too long for a record: say which, in words
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else ""
        what, hint = {
            "role": ("--role", ""),
            "organisation": ("--organisation", ""),
            "partnership": ("--partnership", "")
            if partnership
            else (f"the name in {profile}", ": give a shorter one with --partnership NAME"),
            "profile": (f"the path from the record to {profile}", ""),
        }.get(field, (field or "the record", ""))
        limit = err.get("ctx", {}).get("max_length")
        fail_usage(
            f"{what} is longer than a record takes ({limit} characters at most){hint}"
            if err["type"] == "string_too_long"
            else f"{what}: {err['msg']}"
        )
    from ncm_toolkit.files import make_folder, write_text
    from ncm_toolkit.readiness import render_record

    if str(output) == "-":  # standard output, as `ncm init -`: the record, nothing else
        sys.stdout.write(render_record(pack, record))
        raise typer.Exit(EXIT_OK)
    try:
        make_folder(output.parent)  # a new ready/ folder, as ncm init
        write_text(output, render_record(pack, record), force=force)
    except UsageError as exc:
        fail_usage(str(exc))
    from ncm_toolkit.safe_text import shell_word, term

    write_err(f"wrote {term(output)}: answer it with `ncm readiness ask {shell_word(output)}`\n")


@readiness_app.command("ask")
def ask(
    file: Annotated[Path, typer.Argument(help="The readiness record (`ncm readiness init`).")],
    ask_all: Annotated[
        bool, typer.Option("--ask-all", help="Ask answered questions again too.")
    ] = False,
    area: Annotated[
        str | None,
        typer.Option(
            "--area",
            metavar="ID",
            help=f"Ask only this area's questions: {AREA_IDS_HELP}.",
            autocompletion=complete_from_pack(
                lambda pack: [a.id for a in pack.considerations.areas]
            ),
        ),
    ] = None,
    content: ContentOpt = None,
) -> None:
    """Answer a record's questions area by area; each answer is saved at once, so an
    interrupted session resumes where it stopped.

    Examples:

      ncm readiness ask ready/dof.yaml

      ncm readiness ask ready/dof.yaml --area governance
    """
    from ncm_toolkit.readiness import unknown_ids
    from ncm_toolkit.safe_text import term

    if str(file) == "-":  # each answer is saved into the record: it must be a file
        fail_usage("readiness ask saves each answer into the record: give its file, not -")
    pack = pack_or_exit(content)
    record = _load_or_fail(file)
    _warn(unknown_ids(pack, record, str(file)))
    if area is not None and area not in {a.id for a in pack.considerations.areas}:
        fail_unknown("area", area, [a.id for a in pack.considerations.areas])
    tty = sys.stdin.isatty() and sys.stdout.isatty()
    asker: Asker = TerminalAsker() if tty else LineAsker()
    from ncm_toolkit.safe_text import shell_word

    again = f"ncm readiness ask {shell_word(file)}" + (f" --area {area}" if area else "")
    # two lines, as `ncm assess` says it: on one, an 80-column terminal cut the command mid-word
    stopped = f"stopped: the answers so far are saved in {term(file)}\ncontinue with: {again}\n"
    given = record
    try:
        record, done = run_ask(
            pack, record, lambda r: _save(pack, r, file), asker, ask_all=ask_all, area=area
        )
    except KeyboardInterrupt:  # Ctrl-C: what was given for the question is saved
        write_err("\n" + stopped)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if done and record is given:  # no question was open: nothing asked, nothing saved
        which = f"of area {area} " if area else ""
        write_err(
            f"nothing to ask: every question {which}is answered in {term(file)}\n"
            f"ask them again with: {again} --ask-all\n"
        )
    elif done:
        write_err(f"done: every question asked; saved in {term(file)}\n")
    else:
        write_err(stopped)
    raise typer.Exit(EXIT_OK)


class ShowFormat(str, Enum):
    table = "table"
    json = "json"
    md = "md"
    html = "html"
    docx = "docx"


def results(
    pack: "ContentPack", files: list[Path], profile: Path | None, output: Path | None = None
) -> "list[Result]":
    """Each record's result; the plan from `--profile`, else from the record's `profile:`
    (which `output` must not be: `-o` naming it with `--force` would replace the profile)."""
    from ncm_toolkit.errors import format_text
    from ncm_toolkit.readiness import assess, unknown_ids
    from ncm_toolkit.safe_text import display_name

    out = []
    errors: list[Diagnostic] = []
    loaded = []
    from ncm_toolkit.profile import expand_paths
    from ncm_toolkit.readiness import load_record

    expanded = [p for p, _ in expand_paths(files)]
    if not expanded:
        fail_usage("no readiness records (*.yaml, *.yml) found")
    for f in expanded:
        record, diags = load_record(f, str(f))
        errors += diags
        if record is not None:
            loaded.append((f, record))
    if errors:
        write_err(format_text(errors))
        raise typer.Exit(EXIT_INVALID)
    for f, record in loaded:
        _warn(unknown_ids(pack, record, str(f)))
        where = profile
        if where is None and record.profile is not None:
            where = f.parent / record.profile
        if where is not None:
            refuse_input_output(output, [where])
        plan: Plan | None = None
        kinds: list[str] = []
        prof: Profile | None = None
        if profile is None and record.profile is not None:
            # the record's own `profile:`: an error in it also names the record's line
            from ncm_toolkit.readiness import named_profile

            prof, diags = named_profile(f, str(f), record, pack)
            if prof is None:
                write_err(format_text(diags))
                raise typer.Exit(EXIT_INVALID)
            plan, kinds = _plan_of(pack, prof, f.parent / record.profile)
        elif where is not None:
            prof, plan, kinds = _plan_for(pack, where)
        if where is not None and prof is not None:  # another partnership's plan: say so
            from ncm_toolkit.readiness import other_partnership

            other = other_partnership(f, str(f), record, prof, display_name(str(where)))
            _warn([other] if other is not None else [])
        out.append(assess(pack, record, display_name(str(f)), plan, kinds))
    return out


def _plan_for(pack: "ContentPack", path: Path) -> "tuple[Profile, Plan, list[str]]":
    from ncm_toolkit.errors import format_text
    from ncm_toolkit.readiness import usable_profile

    # a form the pack lacks: located, exit 1, as validate and plan say
    prof, diags = usable_profile(pack, path, str(path))
    if prof is None:
        write_err(format_text(diags))
        write_err("ncm: the partnership's profile is invalid, so no blocking questions\n")
        raise typer.Exit(EXIT_INVALID)
    return (prof, *_plan_of(pack, prof, path))


def _plan_of(pack: "ContentPack", prof: "Profile", path: Path) -> "tuple[Plan, list[str]]":
    from ncm_toolkit.plan import plan_profile

    try:
        return plan_profile(pack, prof), [str(p.kind) for p in prof.partners]
    except UsageError as exc:
        fail_usage(f"{path}: {exc}")


@readiness_app.command("show")
def show(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE", help="Readiness records (files or folders).")
    ],
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile",
            metavar="PROFILE",
            help="The partnership's profile, for the blocking questions (default: the "
            "record's `profile:`).",
        ),
    ] = None,
    fmt: Annotated[
        ShowFormat | None,
        typer.Option(
            "--format", help="Output format (default: from the --output suffix, else table)."
        ),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    content: ContentOpt = None,
) -> None:
    """Report records without asking: readiness per area, blocking questions, next actions.

    Examples:

      ncm readiness show ready/

      ncm readiness show ready/ -o readiness.html
    """
    from ncm_toolkit.files import refuse_input
    from ncm_toolkit.render.html import readiness_html
    from ncm_toolkit.render.json import readiness_json
    from ncm_toolkit.render.markdown import readiness_markdown
    from ncm_toolkit.render.terminal import readiness_table

    fmt = infer_format(fmt, output, ShowFormat, ShowFormat.table)
    try:  # `-o r.yaml --force` would replace the record with its own summary
        refuse_input(output, [*files, *([profile] if profile else [])])
    except UsageError as exc:
        fail_usage(str(exc))
    pack = pack_or_exit(content)
    if fmt is ShowFormat.docx and output is None:
        fail_usage("--format docx writes a file: give --output FILE")
    found = results(pack, files, profile, output)
    if fmt is ShowFormat.docx and output is not None:
        _write_docx(found, output, force)
        wrote(output)
        raise typer.Exit(EXIT_OK)
    try:
        if fmt is ShowFormat.table and output is None:
            readiness_table(console(), found, pack)
            raise typer.Exit(EXIT_OK)

        sink = output_sink(output, force)
        with sink as out:
            if fmt is ShowFormat.table:
                from ncm_toolkit.cli.console import PipeConsole  # `-o - | head`: exit 141

                readiness_table(PipeConsole(file=out, width=120, no_color=True), found, pack)
            elif fmt is ShowFormat.json:
                from ncm_toolkit.readiness import METHOD_VERSION

                out.write(readiness_json(pack, found, METHOD_VERSION))
            elif fmt is ShowFormat.md:
                out.write(readiness_markdown(found))
            else:
                out.write(readiness_html(found))
    except UsageError as exc:
        fail_usage(str(exc))
    wrote(output)
    raise typer.Exit(EXIT_OK)


def _write_docx(found: "list[Result]", output: Path, force: bool) -> None:
    """The Markdown report laid out as Word (`render/docx.py`), written whole or not at all;
    reproducible under SOURCE_DATE_EPOCH. (No radar picture: the table carries the figures.)"""
    from ncm_toolkit.errors import NcmError, format_text
    from ncm_toolkit.files import write_output_bytes
    from ncm_toolkit.render.docx import markdown_to_docx
    from ncm_toolkit.render.markdown import readiness_markdown

    names = ", ".join(dict.fromkeys(r.record.partnership for r in found))
    try:
        data = markdown_to_docx(readiness_markdown(found), None, f"Readiness: {names}")
        write_output_bytes(output, data, force)
    except UsageError as exc:
        fail_usage(str(exc))
    except NcmError as exc:
        write_err(format_text(exc.diagnostics))
        raise typer.Exit(EXIT_INVALID) from None
