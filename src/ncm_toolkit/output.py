"""One formatter per output format of `ncm score`: JSON (streamed), CSV, and a terminal table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import TextIO

from . import __version__
from .batch import Scored
from .content import ContentPack
from .errors import Diagnostic, format_json
from .safe_text import csv_cell, json_text, markup
from .scoring import METHOD_VERSION, Adjustment, Contribution, OptionScore, Result, shown


def _error_json(d: Diagnostic) -> dict[str, object]:
    """The diagnostic as `errors.format_json` gives it, named the way the contract's `score`
    output names the file: `profile`."""
    return {("profile" if k == "file" else k): v for k, v in format_json([d])[0].items()}


Rendered = tuple[str, str | None, list[Diagnostic]]
"""From `batch.iter_rendered`: a profile's path, its text (None if invalid), its errors."""


def write_json(
    out: TextIO, pack: ContentPack, items: Iterable[Rendered], on_error: list[Diagnostic]
) -> None:
    """Stream the contract's JSON: one result at a time (`result_json`, made where the profile
    was scored), the errors at the end."""
    out.write("{\n")
    out.write(f'  "ncm_version": {json.dumps(__version__)},\n')
    out.write(f'  "content_version": {json_text(_encode(pack.version))},\n')
    out.write(f'  "content_digest": {json_text(_encode(pack.digest))},\n')
    out.write(f'  "method_version": {json_text(_encode(METHOD_VERSION))},\n')
    out.write('  "results": [')
    first = True
    for _path, text, found in items:
        on_error.extend(found)
        if text is None:
            continue
        out.write(("\n    " if first else ",\n    ") + text)
        first = False
    out.write("\n  ],\n" if not first else "],\n")
    errors = json.dumps([_error_json(d) for d in on_error], indent=2, ensure_ascii=False)
    out.write('  "errors": ' + json_text(errors).replace("\n", "\n  ") + "\n}\n")


def result_json(path: str, result: Result, top: int | None) -> str:
    """`json.dumps({"profile": path, **result.to_json(top)}, ensure_ascii=False)`, the same
    text (through `safe_text.json_text`), built from pieces encoded once: the options'
    adjustments and contributions recur from profile to profile, and encoding them again was
    a fifth of a batch's time."""
    enc = _encode
    ranking = shown(result.ranking, top)
    parts = [
        f'{{"profile": {enc(path)}, "name": {enc(result.name)}, "ranking": [',
        ", ".join(_option_json(r) for r in ranking),
        f'], "robustness": {enc(result.robustness.to_json())}, "notes": {enc(result.notes)}}}',
    ]
    return json_text("".join(parts))  # file names and pack text: see safe_text.json_text


def _encode(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _piece(value: Contribution | Adjustment) -> str:
    return _encode(value.to_json())


def _option_json(r: OptionScore) -> str:
    head = f'"option": {_encode(r.option)}, "title": {_encode(r.title)}'
    contribs = ", ".join([_piece(c) for c in r.contributions if c.importance])
    adjs = ", ".join([_piece(a) for a in r.adjustments])
    tail = ""
    if r.first_rank_acceptability is not None:
        tail += f', "first_rank_acceptability": {r.first_rank_acceptability!r}'
    if r.tied_with:
        tail += f', "tied_with": {_encode(r.tied_with)}'
    if r.gates:
        tail += f', "gated": {_encode(r.to_json()["gated"])}'
    tail += "}"
    # repr() is what json writes for an int or a float
    return (
        f'{{"rank": {r.rank!r}, {head}, "score": {r.score!r}, "base": {r.base!r}, '
        f'"contributions": [{contribs}], "adjustments": [{adjs}]{tail}'
    )


CSV_COLUMNS = [
    "profile",
    "name",
    "rank",
    "option",
    "title",
    "score",
    "tied_with",
    "method_version",
]


def write_csv(out: TextIO, items: Iterable[Rendered], on_error: list[Diagnostic]) -> None:
    """A byte-order mark (Excel reads UTF-8 only with one: without it "Ynys Môn" and curly
    quotes are garbled), the header, then each profile's rows (`result_csv`), in order."""
    out.write("\ufeff" + ",".join(CSV_COLUMNS) + "\n")
    for _path, text, found in items:
        on_error.extend(found)
        if text is not None:
            out.write(text)


def result_csv(path: str, result: Result, top: int | None) -> str:
    """A profile's CSV rows: one per option ranked. Text cells go through
    `safe_text.csv_cell` (no formula, no raw control); rank and score stay numbers."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    path_cell, name = csv_cell(path), csv_cell(result.name)
    for r in shown(result.ranking, top):
        tied = csv_cell(" ".join(r.tied_with))
        row = [path_cell, name, r.rank, csv_cell(r.option), csv_cell(r.title), f"{r.score:.2f}"]
        writer.writerow([*row, tied, METHOD_VERSION])
    return buf.getvalue()


SummaryRow = tuple[str, str, str, str, str, str]


def summary_row(path: str, _profile: object, res: Result) -> SummaryRow:
    """One profile's row of the batch summary (partnership, file, best option, score, margin,
    how sure), made where the profile is scored: in a worker, for a parallel batch, so that
    only these few strings travel back. A shared first rank is shown as a tie."""
    first = [r for r in res.ranking if r.rank == 1]
    best = " = ".join(markup(r.title) for r in first)
    if len(first) > 1:
        best = f"tie: {best}"
    sure = res.robustness
    how = (
        "tied: the board chooses"
        if len(first) > 1
        else ("fragile: one step changes it" if sure.one_step else "holds to one-step changes")
    )
    return (markup(res.name), markup(path), best, f"{first[0].score:.1f}", f"{sure.margin:g}", how)


def write_summary(
    console: object,
    items: Iterable[tuple[str, SummaryRow | None, list[Diagnostic]]],
    on_error: list[Diagnostic],
) -> None:
    """A batch at a glance, one row per profile (from `batch.iter_rendered` with
    `summary_row`); `--explain` (or a single profile) gives the full tables."""
    from rich.console import Console
    from rich.table import Table

    assert isinstance(console, Console)
    table = Table(title="Best option per partnership", title_justify="left")
    for col, justify in (
        ("partnership", "left"),
        ("file", "left"),
        ("best option", "left"),
        ("score", "right"),
        ("margin", "right"),
        ("how sure", "left"),
    ):
        table.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
    rows = 0
    for _path, row, errors in items:
        on_error.extend(errors)
        if row is not None:
            table.add_row(*row)
            rows += 1
    if rows:
        console.print(table)
        console.print("[dim]Full tables: ncm score FILE, or --explain for every file.[/dim]")


def write_table(
    console: object,
    pack: ContentPack,
    items: Iterable[Scored],
    top: int | None,
    explain: bool,
    on_error: list[Diagnostic],
) -> None:
    from rich.console import Console
    from rich.table import Table

    escape = markup  # every text below came from a profile, a pack or a file name
    assert isinstance(console, Console)
    for item in items:
        on_error.extend(item.errors)
        if item.result is None:
            continue
        res = item.result
        # The heading is a line of its own: as a table title it would wrap at the table's
        # width and split a long file name.
        console.print(f"[bold]{escape(res.name)}[/bold]  ({escape(item.path)})")
        table = Table()
        table.add_column("#", justify="right")
        table.add_column("Option")
        table.add_column("Score", justify="right")
        acc = any(r.first_rank_acceptability is not None for r in res.ranking)
        if acc:  # SMAA-2: share of plausible weightings in which the option comes first
            table.add_column("First", justify="right")
        table.add_column("", no_wrap=True)
        for r in shown(res.ranking, top):
            bar = "█" * round(r.score / 5)
            # a shared rank reads "=1"; the score keeps two places so a tie is visibly level
            rank = f"={r.rank}" if r.tied_with else str(r.rank)
            tie = " (tie)" if r.tied_with else ""
            closed = escape(f" [closed: {r.gates[0].title}]") if r.gates else ""
            first = [f"{r.first_rank_acceptability:.0%}"] if acc else []
            cells = [rank, escape(r.title) + tie + closed, f"{r.score:.2f}", *first, bar]
            table.add_row(*cells)
        console.print(table)
        for note in res.notes:
            console.print(f"[bold]Note:[/bold] {escape(note)}")
        console.print(escape(res.robustness.sentence))
        if explain:
            for r in shown(res.ranking, top):
                console.print(f"\n[bold]{r.rank}. {escape(r.title)}[/bold] = {r.score:.2f}")
                for c in r.contributions:
                    if c.importance:
                        console.print(
                            f"  {c.points:+7.2f}  {escape(pack.objective_title(c.objective))}"
                            f" (importance {c.importance} x strength {c.strength})"
                        )
                for a in r.adjustments:
                    console.print(
                        f"  {a.points:+7.2f}  {escape(a.title)} [dim]({escape(a.rule)})[/dim]"
                    )
                for g in r.gates:  # a requirement the source states: ranked after open options
                    console.print(
                        f"   closed  {escape(g.title)}: {escape(g.reason)}"
                        f" [dim]({escape(g.rule)})[/dim]"
                    )
        console.print()
