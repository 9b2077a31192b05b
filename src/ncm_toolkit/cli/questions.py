"""`ncm questions [AREA]`: Module 2's questions for consideration, or its background."""

from typing import Annotated

import typer

from ncm_toolkit.cli.core import (
    ContentOpt,
    app,
    complete_from_pack,
    console,
    fail_unknown,
    pack_or_exit,
)

AREA_IDS_HELP = (
    "organisational_form, accountability, commissioning, governance, regulatory, "
    "clinical_risk, stakeholder_engagement, mission_and_values, culture, financial, strategy, "
    "workforce"
)
"""The area ids of the bundled pack, for `--help` (a test keeps them equal to the pack's)."""

BACKGROUND = "background"
"""Not an area id of Module 2 (`workforce` is one): the background topics before the areas."""


@app.command()
def questions(
    area: Annotated[
        str | None,
        typer.Argument(
            metavar="AREA",
            help=f"An area id ({AREA_IDS_HELP}); all areas when omitted; `background` for "
            "Module 2's workforce and legal background.",
            autocompletion=complete_from_pack(
                lambda pack: [a.id for a in pack.considerations.areas] + [BACKGROUND]
            ),
        ),
    ] = None,
    content: ContentOpt = None,
) -> None:
    """Module 2's questions for consideration, by area (or its background topics).

    Examples:

      ncm questions governance

      ncm questions background
    """
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
