"""Excel workbooks (`--format xlsx`): typed cells, a frozen header, one sheet per view.

Analysts open results in Excel; a CSV loses types and, opened carelessly, runs formulas. Here
every text cell is stored as text (never a formula, whatever it starts with), numbers as
numbers, and the file is byte-identical for the same input under SOURCE_DATE_EPOCH."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from ncm_toolkit.clock import source_date
from ncm_toolkit.errors import UsageError
from ncm_toolkit.ranking import closed_by
from ncm_toolkit.safe_text import term

Row = Sequence[str | int | float | None]
MAX_COLUMNS = 16_384
"""Excel's limit (column XFD); openpyxl writes more, which Excel then refuses."""


def workbook_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Row]]]) -> bytes:
    """A workbook with one sheet per (title, header, rows)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        # a header can come from a file too (`compare` labels its columns by file name)
        _append_text_safe(ws, header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        widths = [len(h) for h in header]
        for row in rows:
            _append_text_safe(ws, row)
            for i, v in enumerate(row):
                widths[i] = min(60, max(widths[i], len(str(v)) if v is not None else 0))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for i, w in enumerate(widths):
            ws.column_dimensions[_column(i)].width = w + 2
    stamp = _stamp()
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "ncm"
    buf = io.BytesIO()
    wb.save(buf)
    return _pin_zip_times(buf.getvalue(), stamp)


def _append_text_safe(ws: Any, row: Row) -> None:
    """Append a row whose text cells are shown as escapes (`term`: XML cannot hold C0
    controls) and stored as text: openpyxl stores a string starting with '=' as a formula, so
    every text cell, header or not, is marked text (shown as written, never run)."""
    ws.append([term(v) if isinstance(v, str) else v for v in row])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _stamp() -> datetime:
    pinned = source_date()
    return pinned if pinned is not None else datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _pin_zip_times(data: bytes, stamp: datetime) -> bytes:
    """Rewrite the zip with every entry dated `stamp` (openpyxl dates entries 'now')."""
    when = min(max(stamp, datetime(1980, 1, 1)), datetime(2107, 12, 31)).timetuple()[
        :6
    ]  # zip's range
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" on save
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.isoformat().encode() + rb"Z\g<2>",
                    data,
                )
            dst.writestr(entry, data)
    return out.getvalue()


def score_workbook(items: Iterable[Any], top: int | None, errors: list[Any]) -> bytes:
    """`ncm score --format xlsx`: a Summary sheet (one row a profile), a Ranking sheet (one row
    an option ranked) and an Errors sheet (one row a problem found)."""
    summary: list[Row] = []
    ranking: list[Row] = []
    for item in items:
        errors.extend(item.errors)
        res = item.result
        if res is None:
            continue
        best = res.ranking[0]
        summary.append(
            [
                item.path,
                res.name,
                best.title,
                best.score,
                " ".join(best.tied_with),
                res.robustness.margin,
                res.robustness.sentence,
            ]
        )
        for r in res.ranking[: top or None]:
            ranking.append(
                [
                    item.path,
                    res.name,
                    r.rank,
                    r.option,
                    r.title,
                    r.score,
                    " ".join(r.tied_with),
                    closed_by(r),  # as the CSV's `closed`
                ]
            )
    problems: list[Row] = [[d.file, d.line, d.column, d.field or "", d.message] for d in errors]
    return workbook_bytes(
        [
            (
                "Summary",
                ["profile", "name", "best option", "score", "tied with", "margin", "how sure"],
                summary,
            ),
            (
                "Ranking",
                ["profile", "name", "rank", "option", "title", "score", "tied_with", "closed"],
                ranking,
            ),
            ("Errors", ["file", "line", "column", "field", "message"], problems),
        ]
    )


def compare_workbook(cmp: Any) -> bytes:
    """`ncm compare --format xlsx`: an Objectives sheet (each stakeholder's importance, the
    combined value, the spread and the verdict) and a Rankings sheet (each stakeholder's rank
    and score of every option, the combined ranking, and whose answers close it)."""
    labels = [s.label for s in cmp.stakeholders]
    width = 2 * len(labels) + 5  # a rank and a score each; option, combined (2), spread, closed
    if width > MAX_COLUMNS:  # Excel calls a wider sheet corrupt and repairs it
        raise UsageError(
            f"{len(labels):,} stakeholders need {width:,} columns, more than a "
            f"worksheet holds ({MAX_COLUMNS:,}); use --format json, md or html"
        )
    objectives: list[Row] = [
        [o.title, *o.importances, o.combined, o.spread, o.verdict] for o in cmp.objectives
    ]
    rankings: list[Row] = []
    for o in cmp.options:
        ranks_scores = [v for pair in zip(o.ranks, o.scores, strict=True) for v in pair]
        # whose answers close it (a requirement of the source), so a sheet can tell why a
        # closed option ranks below open ones of lower score; appended last, as in `score`'s
        shut = [label for label, closed in zip(labels, o.closed, strict=True) if closed]
        shut += ["combined"] if o.combined_closed else []
        rankings.append(
            [o.title, *ranks_scores, o.combined_rank, o.combined_score, o.rank_spread,
             ", ".join(shut)]
        )  # fmt: skip
    return workbook_bytes(
        [
            ("Objectives", ["objective", *labels, "combined", "spread", "verdict"], objectives),
            (
                "Rankings",
                [
                    "option",
                    *[f"{label} {what}" for label in labels for what in ("rank", "score")],
                    "combined rank",
                    "combined score",
                    "rank spread",
                    "closed for",
                ],
                rankings,
            ),
        ]
    )
