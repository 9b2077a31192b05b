"""`ncm models` and `ncm models show ID`: the ten options in a terminal or as JSON."""

import sys
from enum import Enum
from typing import Annotated

import typer

from ncm_toolkit.cli.core import (
    OPTION_IDS_HELP,
    ContentOpt,
    WholeLinesGroup,
    app,
    complete_option,
    console,
    fail_unknown,
    pack_or_exit,
)


class ShowFormat(str, Enum):
    text = "text"
    json = "json"


models_app = typer.Typer(
    cls=WholeLinesGroup,
    help="Browse the ten options (new models of care).\n\n"
    "Examples:\n\n"
    "  ncm models\n\n"
    "  ncm models show pacs --format json",
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(models_app, name="models")


@models_app.callback()
def models(ctx: typer.Context, content: ContentOpt = None) -> None:
    """List the ten options; `ncm models show ID` shows one in full."""
    if ctx.invoked_subcommand:
        ctx.obj = content
        return
    from ncm_toolkit.render.terminal import models_screen

    models_screen(console(), pack_or_exit(content))


@models_app.command("show")
def models_show(
    ctx: typer.Context,
    option_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help=f"An option id: {OPTION_IDS_HELP}.", autocompletion=complete_option
        ),
    ],
    fmt: Annotated[ShowFormat, typer.Option("--format", help="Output format.")] = ShowFormat.text,
    content: ContentOpt = None,
) -> None:
    """Every section of one option, with the currency notes that qualify its statements.

    Examples:

      ncm models show pacs

      ncm models show pacs --format json
    """
    pack = pack_or_exit(content or ctx.obj)
    if option_id not in pack.options:
        fail_unknown("option", option_id, list(pack.options))
    if fmt is ShowFormat.json:
        from ncm_toolkit.render.json import models_show_json

        sys.stdout.write(models_show_json(pack, option_id))
        return
    from ncm_toolkit.render.terminal import option_screen

    option_screen(console(), pack, option_id)
