"""`ncm score`: rank the ten options for each profile, in a table, JSON, CSV or a workbook."""

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ncm_toolkit.cli.core import (
    ContentOpt,
    ForceOpt,
    JobsOpt,
    OutputOpt,
    app,
    console,
    fail_usage,
    infer_format,
    output_sink,
    pack_or_exit,
    write_err,
    wrote,
)
from ncm_toolkit.errors import EXIT_INVALID, EXIT_OK, UsageError

if TYPE_CHECKING:
    from ncm_toolkit.errors import Diagnostic


class ScoreFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@app.command()
def score(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PROFILE", help="Profile files or folders of profiles."),
    ],
    fmt: Annotated[
        ScoreFormat | None,
        typer.Option(
            "--format",
            help="Output format (default: from the --output suffix, else table). xlsx needs "
            "--output.",
        ),
    ] = None,
    top: Annotated[
        int | None, typer.Option("--top", min=1, help="Show only the best N options.")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show how each score adds up.")
    ] = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
    jobs: JobsOpt = 0,
    content: ContentOpt = None,
    acceptability: Annotated[
        bool | None,
        typer.Option(
            "--acceptability/--no-acceptability",
            help="First-rank acceptability (SMAA-2) of each option: on for one profile, "
            "off for a batch unless asked.",
        ),
    ] = None,
) -> None:
    """Score partnership profiles: rank the ten options for each one.

    Examples:

      ncm score profiles/ --explain

      ncm score profiles/ -o scores.xlsx      (the format follows the suffix)
    """
    from ncm_toolkit.batch import iter_rendered, iter_scores
    from ncm_toolkit.errors import format_text
    from ncm_toolkit.profile import expand_paths
    from ncm_toolkit.render.csv import score_csv_stream, score_result_csv
    from ncm_toolkit.render.json import score_json_stream, score_result_json

    found = expand_paths(paths)
    single = next(found, None) is not None and next(found, None) is None
    if acceptability is None:  # it doubles a batch's scoring time: opt-in beyond one file
        acceptability = single
    pack = pack_or_exit(content)
    errors: list[Diagnostic] = []
    fmt = infer_format(fmt, output, ScoreFormat, ScoreFormat.table)
    if explain and fmt in (ScoreFormat.csv, ScoreFormat.xlsx):  # it was ignored without a word
        write_err(
            f"ncm: warning: --explain: {fmt.value} has one row per option and no room for the "
            "arithmetic; JSON always carries it (contributions and adjustments)\n"
        )
    from ncm_toolkit.files import refuse_input

    def scored() -> Any:
        return _with_progress(iter_scores(pack, paths, acceptability), paths)

    def rendered(render: Any) -> Any:  # on worker processes when --jobs allows
        return _with_progress(iter_rendered(pack, paths, render, jobs, acceptability), paths)

    try:
        refuse_input(output, paths)
        if fmt is ScoreFormat.xlsx:
            from ncm_toolkit.files import write_output_bytes
            from ncm_toolkit.render.xlsx import score_workbook

            if output is None or str(output) == "-":
                fail_usage("--format xlsx writes a workbook: give --output FILE.xlsx")
            write_output_bytes(output, score_workbook(scored(), top, errors), force)
        elif fmt is ScoreFormat.table and output is None:
            # the terminal renderer only here: JSON and CSV batches do not pay for its import
            from ncm_toolkit.render.terminal import score_summary, score_tables, summary_row

            if single:  # scored first: a profile not found or invalid imports no rich
                items = list(scored())
                if any(item.result is not None for item in items):
                    score_tables(console(), pack, items, top, explain, errors)
                else:
                    errors += [d for item in items for d in item.errors]
            elif explain:
                score_tables(console(), pack, scored(), top, explain, errors)
            else:  # a batch at a glance: one row per profile
                score_summary(console(), rendered(summary_row), errors)
        else:
            sink = output_sink(output, force)
            with sink as out:
                if fmt is ScoreFormat.json:
                    score_json_stream(
                        out, pack, rendered(_by_result(score_result_json, top)), errors
                    )
                elif fmt is ScoreFormat.csv:
                    score_csv_stream(out, rendered(_by_result(score_result_csv, top)), errors)
                else:
                    from ncm_toolkit.cli.console import PipeConsole  # `-o - | head`: exit 141
                    from ncm_toolkit.render.terminal import score_tables

                    plain = PipeConsole(file=out, width=120, no_color=True)
                    score_tables(plain, pack, scored(), top, explain, errors)
    except UsageError as exc:
        fail_usage(str(exc))
    write_err(format_text(errors))
    wrote(output)
    raise typer.Exit(EXIT_INVALID if errors else EXIT_OK)


def _by_result(fmt: Any, top: int | None) -> Any:
    """A `batch.Render` from a formatter of (path, result, top)."""
    return lambda shown, _profile, result: fmt(shown, result, top)


def _with_progress(items: Any, paths: list[Path]) -> Any:
    """A progress bar on stderr for long batches in a terminal; nothing otherwise."""
    if not sys.stderr.isatty() or not any(p.is_dir() for p in paths):
        return items
    from rich.progress import Progress

    def gen() -> Any:
        with Progress(console=console(stderr=True), transient=True) as progress:
            task = progress.add_task("scoring", total=None)
            for item in items:
                progress.advance(task)
                yield item

    return gen()
