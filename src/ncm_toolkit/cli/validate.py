"""`ncm validate`: content packs and profiles, checked; reported as text, JSON or GitHub
annotations."""

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ncm_toolkit.cli.core import ContentOpt, app, content_folder_or_exit, write_err
from ncm_toolkit.errors import EXIT_INVALID, EXIT_OK
from ncm_toolkit.safe_text import term


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH", help="Content pack folders, profile files or folders of profiles."
        ),
    ] = None,
    fmt: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            help="Output format: text, json, or github (annotations on stdout for GitHub Actions).",
        ),
    ] = ValidateFormat.text,
    content: ContentOpt = None,
) -> None:
    """Validate partnership profiles or content packs; with no PATH, the content pack in use.

    The content pack in use is the bundled one, or the folder --content names.

    Examples:

      ncm validate profiles/north.yaml

      ncm validate                  (the content pack itself)

      ncm validate profiles/

      ncm validate profiles/ --format github     (annotations in pull requests)
    """
    from ncm_toolkit.errors import format_github, format_text
    from ncm_toolkit.validate import validate_files

    content_folder_or_exit(content)
    files, diags, packs = validate_files(list(paths or []), content)
    checked = len(files)
    if fmt is ValidateFormat.github:
        sys.stdout.write(format_github(diags))
        n = len(diags)
        typer.echo(_summary(n, checked))
    elif fmt is ValidateFormat.json:
        from ncm_toolkit.render.json import validate_json

        sys.stdout.write(validate_json(_content_version(content), files, diags))
    else:
        write_err(format_text(diags))
        if not diags:  # say what was checked: a pack's check is not a check of profiles
            where = f" (content pack: {term(', '.join(packs))})" if packs else ""
            after = "; give a path to check profiles" if not paths else ""
            typer.echo(f"ok: {checked} file{'s' if checked != 1 else ''} valid{where}{after}")
        else:
            write_err(_summary(len(diags), checked) + "\n")
    raise typer.Exit(EXIT_INVALID if diags else EXIT_OK)


def _summary(errors: int, checked: int) -> str:
    """'1 error in 1 file checked': the counts with their own plurals."""
    return f"{errors} error{'s' * (errors != 1)} in {checked} file{'s' * (checked != 1)} checked"


def _content_version(content: Path | None) -> str:
    """The version of the pack in use (`--content`, else the bundled one), which profiles are
    checked against; empty when that pack is itself invalid (its errors are then the output)."""
    from ncm_toolkit.content import load_pack
    from ncm_toolkit.errors import NcmError

    try:
        return load_pack(content).version
    except NcmError:
        return ""
