"""`ncm questions [AREA]`: Module 2's questions for consideration, or its background."""

from typing import Annotated

import typer

from ncm_toolkit.cli.core import ContentOpt, app, console, fail_unknown, pack_or_exit

BACKGROUND = "background"
"""Not an area id of Module 2 (`workforce` is one): the background topics before the areas."""


@app.command()
def questions(
    area: Annotated[
        str | None,
        typer.Argument(
            help="An area id; all areas when omitted; `background` for Module 2's workforce "
            "and legal background."
        ),
    ] = None,
    content: ContentOpt = None,
) -> None:
    """Module 2's questions for consideration, by area (or its background topics)."""
    from ncm_toolkit.render.terminal import background_screen, questions_screen

    pack = pack_or_exit(content)
    if area == BACKGROUND and BACKGROUND not in {a.id for a in pack.considerations.areas}:
        background_screen(console(), pack)
        return
    areas = pack.considerations.areas
    if area is not None:
        areas = [a for a in areas if a.id == area]
        if not areas:
            fail_unknown("area", area, [a.id for a in pack.considerations.areas] + [BACKGROUND])
    questions_screen(console(), pack, areas)
