"""`ncm report`: board papers, one per profile, as Markdown, HTML or Word."""

import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ncm_toolkit.cli.core import (
    ContentOpt,
    JobsOpt,
    app,
    fail_usage,
    infer_format,
    pack_or_exit,
    write_err,
    wrote,
)
from ncm_toolkit.errors import EXIT_INVALID, EXIT_OK, NcmError, UsageError


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    docx = "docx"


class AppendixMode(str, Enum):
    inline = "inline"
    separate = "separate"
    none = "none"


@app.command()
def report(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PROFILE", help="Profile files or folders of profiles."),
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="A file for one profile; a folder for several (or for one: end it with / or "
            "name an existing folder).",
        ),
    ],
    fmt: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format", help="Report format (default: from the --output suffix, else html)."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing reports.")] = False,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="DIR",
            help=("Override the bundled templates with these (rendered sandboxed)."),
        ),
    ] = None,
    summary: Annotated[
        bool,
        typer.Option(
            "--github-summary", help=("Also append a Markdown summary to $GITHUB_STEP_SUMMARY.")
        ),
    ] = False,
    appendix: Annotated[
        AppendixMode,
        typer.Option(
            "--appendix",
            help="Appendices in the paper (inline), in NAME.appendix.EXT beside it, or none.",
        ),
    ] = AppendixMode.inline,
    readiness: Annotated[
        Path | None,
        typer.Option(
            "--readiness",
            metavar="FILE",
            help="A readiness record (ncm readiness init): the paper shows its summary, the "
            "blocking questions and the next actions.",
        ),
    ] = None,
    jobs: JobsOpt = 0,
    content: ContentOpt = None,
) -> None:
    """Render board papers (Markdown, HTML or Word), one per profile.

    Examples:

      ncm report profiles/north.yaml -o north.html

      ncm report profiles/ -o papers/ --format docx

      ncm report north.yaml --readiness north-readiness.yaml -o north.html
    """
    from ncm_toolkit.errors import format_text
    from ncm_toolkit.render.reports import write_reports

    pack = pack_or_exit(content)
    if templates is not None and not templates.is_dir():
        fail_usage(f"--templates {templates}: not a folder")
    if output == "-":  # a batch of papers (a Word one is binary) has no single stream to go to
        fail_usage(
            "a board paper is written to a file: give -o FILE.html, .md or .docx, or a folder"
        )
    folder = output.endswith(("/", os.sep)) or Path(output).is_dir()
    target = Path(output)
    fmt = infer_format(fmt, None if folder else target, ReportFormat, ReportFormat.html)
    _refuse_a_file_name_for_a_batch(target, folder, paths, fmt.value)
    if templates is not None:
        _warn_if_nothing_overridden(templates)
    try:
        run = write_reports(
            pack,
            paths,
            fmt.value,
            target,
            force,
            templates,
            summary,
            jobs,
            appendix.value,
            folder=folder,
            readiness=readiness,
        )
    except UsageError as exc:
        fail_usage(str(exc))
    except NcmError as exc:
        write_err(format_text(exc.diagnostics))
        raise typer.Exit(EXIT_INVALID) from None
    for w in run.warnings:
        write_err("ncm: warning: " + w.render() + "\n")
    write_err(format_text(run.errors))
    for path, changed in run.reports:  # on stderr, as every command's (stdout: nothing)
        wrote(path, changed)
    if run.stopped is not None:  # disk full, a folder made read-only or removed mid-batch
        from ncm_toolkit.safe_text import term

        many = folder or len(paths) > 1
        rest = "; the batch stopped there (papers written before it are listed)" if many else ""
        write_err(f"ncm: error: {term(run.stopped)}{rest}\n")
        raise typer.Exit(EXIT_INVALID)
    if run.halted:  # a user template that cannot be used at all: its error is above
        if folder or len(paths) > 1:
            write_err(
                "ncm: error: the template cannot be used; the batch stopped at the first paper "
                "(papers written before it are listed)\n"
            )
        raise typer.Exit(EXIT_INVALID)
    if run.summary_cut:
        write_err("ncm: warning: the job summary was cut to stay under GitHub's 1 MiB limit\n")
    raise typer.Exit(EXIT_INVALID if run.errors else EXIT_OK)


def _refuse_a_file_name_for_a_batch(
    target: Path, folder: bool, paths: list[Path], fmt: str
) -> None:
    """Several papers go in a folder: `ncm report profiles/ -o board.md` made a folder named
    `board.md` (exit 0) where one file was meant. A new folder's name must not promise a
    file's format; an existing folder, or a name ending in `/`, is taken as given."""
    from ncm_toolkit.cli.core import names_a_document
    from ncm_toolkit.safe_text import shell_word

    several = len(paths) > 1 or any(p.is_dir() for p in paths)
    if folder or not several or os.path.lexists(target) or not names_a_document(target):
        return
    fail_usage(
        f"{target}: several reports need a folder, and this names a {target.suffix} file; "
        f"give a folder: -o {shell_word(str(target.with_suffix('')) + '/')} --format {fmt}"
    )


def _warn_if_nothing_overridden(templates: Path) -> None:
    """A `--templates` folder holding none of the bundled report templates' names (empty, or a
    typo such as `report.md.jinja`) changes nothing: say so, rather than let the bundled papers
    pass for the user's. Only names are looked at; the files are read, safely, when rendered."""
    from ncm_toolkit.content import bundled_templates_dir
    from ncm_toolkit.safe_text import term

    names = sorted(p.name for p in bundled_templates_dir().iterdir() if p.name.startswith("report"))
    if not any(os.path.lexists(templates / name) for name in names):
        write_err(
            f"ncm: warning: --templates {term(templates)}: holds none of {', '.join(names)}; "
            "the bundled templates are used\n"
        )
