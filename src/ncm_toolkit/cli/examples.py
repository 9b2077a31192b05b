"""`ncm examples`: the example profiles shipped with ncm."""

import shutil
import sys
import textwrap
from typing import Annotated

import typer

from ncm_toolkit.cli.core import app


@app.command("examples")
def examples(
    describe: Annotated[
        bool | None,
        typer.Option(
            "--describe/--names",
            help="Each name with a one-line description, or names alone, one a line (default: "
            "descriptions on a terminal, names alone when piped, for scripts).",
        ),
    ] = None,
) -> None:
    """List the example profiles shipped with ncm (use one with `ncm init --example NAME`).

    Examples:

      ncm examples

      ncm init --example north_practices profiles/north.yaml
    """
    from ncm_toolkit.starter import example_names

    names = example_names()
    if describe is None:
        describe = sys.stdout.isatty()
    if not describe:
        for item in names:
            typer.echo(item)
        return
    from ncm_toolkit.cli.core import pack_or_exit
    from ncm_toolkit.starter import example_description

    pack = pack_or_exit(None)
    width = max(len(n) for n in names) if names else 0
    columns = shutil.get_terminal_size().columns if sys.stdout.isatty() else 0
    for item in names:
        line = f"{item.ljust(width)}  {example_description(pack, item)}".rstrip()
        if columns > width + 20:  # on a terminal: the description wraps under itself
            line = "\n".join(textwrap.wrap(line, columns - 1, subsequent_indent=" " * (width + 2)))
        typer.echo(line)
