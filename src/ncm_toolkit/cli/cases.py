"""`ncm cases` and `ncm cases show ID`: the case studies in a terminal."""

from typing import Annotated

import typer

from ncm_toolkit.cli.core import (
    OPTION_IDS_HELP,
    ContentOpt,
    WholeLinesGroup,
    app,
    complete_from_pack,
    complete_option,
    console,
    fail_unknown,
    pack_or_exit,
)

cases_app = typer.Typer(
    cls=WholeLinesGroup,
    help="Browse the case studies.\n\n"
    "Examples:\n\n"
    "  ncm cases --option mcp\n\n"
    "  ncm cases show whitstable_medical_practice",
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(cases_app, name="cases")


@cases_app.callback()
def cases(
    ctx: typer.Context,
    option: Annotated[
        str | None,
        typer.Option(
            "--option",
            metavar="ID",
            help=f"Only this option's cases: {OPTION_IDS_HELP}.",
            autocompletion=complete_option,
        ),
    ] = None,
    content: ContentOpt = None,
) -> None:
    """List the case studies; `ncm cases show ID` shows one in full."""
    if ctx.invoked_subcommand:
        ctx.obj = content
        return
    pack = pack_or_exit(content)
    if option is not None and option not in pack.options:
        fail_unknown("option", option, list(pack.options))
    from ncm_toolkit.render.terminal import cases_screen

    cases_screen(console(), pack, option)


@cases_app.command("show")
def cases_show(
    ctx: typer.Context,
    case_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A case-study id (`ncm cases` lists them).",
            autocompletion=complete_from_pack(lambda pack: list(pack.cases)),
        ),
    ],
    content: ContentOpt = None,
) -> None:
    """Every section of one case study.

    Examples:

      ncm cases show whitstable_medical_practice
    """
    pack = pack_or_exit(content or ctx.obj)
    if case_id not in pack.cases:
        fail_unknown("case study", case_id, list(pack.cases))
    from ncm_toolkit.render.terminal import case_screen

    case_screen(console(), pack, case_id)
