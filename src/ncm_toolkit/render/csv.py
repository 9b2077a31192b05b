"""CSV output of `ncm score`: UTF-8 with a byte-order mark, every text cell made safe for
spreadsheets (`safe_text.csv_cell`), numbers left as numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TextIO

from ncm_toolkit.batch import Rendered
from ncm_toolkit.errors import Diagnostic
from ncm_toolkit.ranking import closed_by
from ncm_toolkit.safe_text import csv_cell
from ncm_toolkit.scoring import METHOD_VERSION, Result, shown

CSV_COLUMNS = [
    "profile",
    "name",
    "rank",
    "option",
    "title",
    "score",
    "tied_with",
    "method_version",
    "closed",
]
"""`closed`, added last (a column is appended, never moved): the requirement that rules the
option out, as the table's `[closed: ...]`, empty for an open option. A closed option ranks
after every open one whatever its score, which a spreadsheet could not otherwise tell."""


def score_csv_stream(out: TextIO, items: Iterable[Rendered], on_error: list[Diagnostic]) -> None:
    """A byte-order mark (Excel reads UTF-8 only with one: without it "Ynys Môn" and curly
    quotes are garbled), the header, then each profile's rows (`score_result_csv`), in order."""
    out.write("\ufeff" + ",".join(CSV_COLUMNS) + "\n")
    for _path, text, found in items:
        on_error.extend(found)
        if text is not None:
            out.write(text)


def score_result_csv(path: str, result: Result, top: int | None) -> str:
    """A profile's CSV rows: one per option ranked. Text cells go through
    `safe_text.csv_cell` (no formula, no raw control); rank and score stay numbers."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    path_cell, name = csv_cell(path), csv_cell(result.name)
    for r in shown(result.ranking, top):
        tied = csv_cell(" ".join(r.tied_with))
        row = [path_cell, name, r.rank, csv_cell(r.option), csv_cell(r.title), f"{r.score:.2f}"]
        writer.writerow([*row, tied, METHOD_VERSION, csv_cell(closed_by(r))])
    return buf.getvalue()
