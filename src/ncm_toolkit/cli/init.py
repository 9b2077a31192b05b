"""`ncm init` and `ncm examples`: a first profile without writing YAML from memory."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ncm_toolkit.cli.core import (
    ContentOpt,
    app,
    fail_usage,
    file_path,
    pack_or_exit,
    text_option_or_exit,
    write_err,
    wrote,
    yaml_output_or_exit,
)
from ncm_toolkit.errors import UsageError
from ncm_toolkit.safe_text import shell_word


@app.command("init")
def init(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="PATH", help="The profile to write; - for stdout.", parser=file_path
        ),
    ] = Path("profile.yaml"),
    example: Annotated[
        str | None,
        typer.Option(
            "--example",
            metavar="NAME",
            help="Start from a bundled example (see `ncm examples`): a copy of it, without the"
            " starter's guiding comments.",
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            metavar="NAME",
            help="The partnership's name (an example's own when omitted).  [default: Our "
            "partnership]",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite PATH if it exists.")] = False,
    content: ContentOpt = None,
) -> None:
    """Write a commented starter profile that validates as written.

    Every section of the Quick Guide is explained in comments; unanswered sections are
    commented out and take no part in the scoring. A JSON Schema (profile.schema.json) is
    written beside it unless one is there, so editors with the YAML language server complete
    and check the file as you type.

    Examples:

      ncm init profiles/north.yaml --name "North Locality"

      ncm init --example north_practices profiles/north.yaml
    """
    from ncm_toolkit.files import make_folder, write_text
    from ncm_toolkit.starter import example_names, example_text, schema_path_for, starter_profile

    yaml_output_or_exit(path, "a profile", "its board paper: `ncm report PROFILE -o FILE`")
    text_option_or_exit("--name", name)
    pack = pack_or_exit(content)
    if example is not None:
        text = example_text(example)
        if text is None:
            known = ", ".join(example_names())
            fail_usage(f"--example {example}: no such example; one of: {known}")
        if name is not None:  # given with --example, it was dropped without a word
            text = _named(text, name)
            _refuse_an_invalid_name(text)
    else:
        text = starter_profile(pack, "Our partnership" if name is None else name)
        _refuse_an_invalid_name(text)
    if str(path) == "-":
        sys.stdout.write(text)
        if text.startswith("# yaml-language-server: $schema="):  # no file to write it beside
            from ncm_toolkit.starter import SCHEMA_FILE

            write_err(
                f"ncm: the first line points editors at {SCHEMA_FILE}; write it beside the "
                f"profile with: ncm schema > {SCHEMA_FILE}\n"
            )
        return
    try:
        make_folder(path.parent)  # a new profiles/ folder is expected
        write_text(path, text, force=force)
        schema_file = schema_path_for(path)
        if example is None and not os.path.lexists(schema_file):  # a link, even dangling: left
            from ncm_toolkit.errors import dumps_json
            from ncm_toolkit.profile import profile_schema

            write_text(schema_file, dumps_json(profile_schema()))
            wrote(schema_file)
    except UsageError as exc:
        fail_usage(str(exc))
    wrote(path)
    word = shell_word(path)  # `my profile.yaml`, `-x.yaml`: one word the shell reads back
    write_err(f"next: edit it, then `ncm validate {word}` and `ncm score {word} --explain`\n")


def _named(text: str, name: str) -> str:
    """A bundled example's text with its top-level `name:` line holding `name` instead."""
    import re

    from ncm_toolkit.starter import yaml_text

    line = "name: " + yaml_text(name)
    return re.sub(r"^name: .*$", lambda _: line, text, count=1, flags=re.M)


def _refuse_an_invalid_name(text: str) -> None:
    """`--name ""` (or only spaces, or over the length limit) wrote, exit 0, a starter that
    does not validate: the name is checked as the profile would check it, a usage error."""
    from ncm_toolkit.profile import Profile
    from ncm_toolkit.read.loader import parse, validate_data

    _, diags = validate_data(parse(text), Profile, "--name", text)
    if diags:
        fail_usage(f"--name: {diags[0].message}; give the partnership's name")
