"""`ncm plan`: after the ranking, the organisational form and the workforce implications.

The computing is in `plan.py`; this module is the command and its presentations: a terminal
view, JSON in the envelope of `ncm score`, Markdown and HTML.
"""

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ncm_toolkit.cli.core import (
    OPTION_IDS_HELP,
    ContentOpt,
    ForceOpt,
    OutputOpt,
    app,
    complete_from_pack,
    complete_option,
    console,
    fail_unknown,
    fail_usage,
    infer_format,
    output_sink,
    pack_or_exit,
    write_err,
    wrote,
)
from ncm_toolkit.errors import EXIT_INVALID, EXIT_OK, UsageError

if TYPE_CHECKING:
    from ncm_toolkit.content import ContentPack
    from ncm_toolkit.errors import Diagnostic
    from ncm_toolkit.plan import Plan

FORM_IDS_HELP = (
    "informal_partnership, clinical_networks, buddying, lead_provider, lead_contractor, "
    "alliance, section_75_partnership, corporate_joint_venture, merger_acquisition"
)
"""The form ids of the bundled pack, for `--help` (a test keeps them equal to the pack's)."""


def _form_ids(pack: "ContentPack") -> list[str]:
    from ncm_toolkit.plan import form_ids

    return form_ids(pack)


class PlanFormat(str, Enum):
    table = "table"
    json = "json"
    md = "md"
    html = "html"


@app.command()
def plan(
    paths: Annotated[
        list[Path], typer.Argument(metavar="PROFILE", help="Profile files or folders.")
    ],
    option: Annotated[
        str | None,
        typer.Option(
            "--option",
            metavar="ID",
            help="The option pursued (default: the profile's decision, else the top-ranked): "
            f"{OPTION_IDS_HELP}.",
            autocompletion=complete_option,
        ),
    ] = None,
    form: Annotated[
        str | None,
        typer.Option(
            "--form",
            metavar="ID",
            help="The organisational form agreed (default: the profile's decision, else the "
            f"recommended one): {FORM_IDS_HELP}.",
            autocompletion=complete_from_pack(lambda pack: _form_ids(pack)),
        ),
    ] = None,
    fmt: Annotated[
        PlanFormat | None,
        typer.Option(
            "--format", help="Output format (default: from the --output suffix, else table)."
        ),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    content: ContentOpt = None,
) -> None:
    """After the ranking: the organisational form for the option pursued and the workforce
    implications for these partners, every rule sourced.

    Examples:

      ncm plan profiles/north.yaml

      ncm plan profiles/north.yaml --option aco_ico --form alliance -o plan.md
    """
    from ncm_toolkit.batch import iter_profiles
    from ncm_toolkit.files import refuse_input
    from ncm_toolkit.plan import form_ids, plan_profile
    from ncm_toolkit.render.json import plan_json
    from ncm_toolkit.render.terminal import plan_table

    pack = pack_or_exit(content)
    fmt = infer_format(fmt, output, PlanFormat, PlanFormat.table)
    if option is not None and option not in pack.options:
        fail_unknown("option", option, list(pack.options))
    if form is not None and form not in form_ids(pack):
        fail_unknown("form", form, list(form_ids(pack)))
    plans: list[tuple[str, Plan]] = []
    errors: list[Diagnostic] = []
    try:
        for shown, profile, diags in iter_profiles(pack, paths):
            errors += diags
            if profile is None:
                continue
            plans.append((shown, plan_profile(pack, profile, option, form)))
    except UsageError as exc:
        fail_usage(f"{shown}: {exc}")
    if fmt is PlanFormat.table and output is None:
        from ncm_toolkit.errors import format_text

        write_err(format_text(errors))
        if plans:  # none (a profile not found or invalid): no console to make, no rich to import
            plan_table(console(), plans)
        raise typer.Exit(EXIT_INVALID if errors else EXIT_OK)
    try:  # an output file that exists without --force, or is a link: exit 2, not a traceback
        refuse_input(output, paths)
        sink = output_sink(output, force)
        with sink as out:
            if fmt is PlanFormat.json:
                out.write(plan_json(pack, plans, errors))
            elif fmt is PlanFormat.md:
                from ncm_toolkit.render.markdown import plan_markdown  # imports Jinja's renderer

                out.write(plan_markdown(plans))
            elif fmt is PlanFormat.html:
                from ncm_toolkit.render.html import plan_html

                out.write(plan_html(plans))
            else:
                from ncm_toolkit.cli.console import PipeConsole  # `-o - | head`: exit 141

                plan_table(PipeConsole(file=out, width=120, no_color=True), plans)
    except UsageError as exc:
        fail_usage(str(exc))
    if errors and fmt is not PlanFormat.json:
        from ncm_toolkit.errors import format_text

        write_err(format_text(errors))
    wrote(output)
    raise typer.Exit(EXIT_INVALID if errors else EXIT_OK)
