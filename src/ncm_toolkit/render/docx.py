"""The board paper as an editable Word document: the Markdown paper (the same structure and
words) laid out with real heading styles, tables and lists, and the acceptability chart as a
PNG. Byte-identical under SOURCE_DATE_EPOCH: zip entry times and core properties are pinned."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from typing import Any

from ncm_toolkit.clock import source_date
from ncm_toolkit.safe_text import term, xml_text
from ncm_toolkit.scoring import Result

_INLINE = re.compile(r"(?<!\\)(\*\*(?:[^*\\]|\\.)+\*\*|\*(?:[^*\\]|\\.)+\*)")
"""Bold and italic runs; an escaped asterisk (text from a file) is neither."""
_ESCAPE = re.compile(r"\\(.)")


def _plain(text: str) -> str:
    """Markdown-escaped text as plain text: escapes, joiners, code fences and <url> removed."""
    text = xml_text(text.replace("\u200d", ""))
    text = re.sub(r"(`+)\s?(.*?)\s?\1", r"\2", text)
    text = re.sub(r"<(https?:[^>]+)>", r"\1", text)
    return _ESCAPE.sub(r"\1", text)


def _runs(paragraph: Any, text: str) -> None:
    """Add `text` to the paragraph, `**bold**` and `*italic*` as runs."""
    for piece in _INLINE.split(text):
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            paragraph.add_run(_plain(piece[2:-2])).bold = True
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            paragraph.add_run(_plain(piece[1:-1])).italic = True
        else:
            paragraph.add_run(_plain(piece))


def _cells(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", inner)]


def png_chart(values: list[tuple[int, bool]], width: int = 480, row: int = 22) -> bytes:
    """A small horizontal bar chart (bars only; the caption carries the words) as PNG bytes,
    drawn without a browser: each value 0-100, the recommended ones in NHS blue."""
    height = max(1, len(values)) * row + 4
    blue, grey, white = (0, 94, 184), (118, 134, 146), (255, 255, 255)
    rows = []
    for y in range(height):
        line = bytearray(b"\x00")  # filter: none
        k, offset = divmod(y - 2, row)
        for x in range(width):
            colour = white
            if 0 <= k < len(values) and 3 <= offset < row - 3:
                value, top = values[k]
                if x < round(value * (width - 8) / 100):
                    colour = blue if top else grey
            line += bytes(colour)
        rows.append(bytes(line))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _when() -> dt.datetime:
    pinned = source_date()
    if pinned is not None:
        return pinned
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


TITLE_MAX = 255
"""python-docx refuses a core property longer than this (a ValueError); a profile's name may be
10,000 characters, so the document's title is shortened (the paper keeps the whole name)."""


def _core_title(title: str) -> str:
    """TITLE, cut to TITLE_MAX characters with an ellipsis when longer. The title is made
    from a profile's name (raw, unlike the paper's text, which comes escaped from the
    Markdown), so the caller passes it through `term`: a title bar, a file list or a search
    result shows it as one line, with no bidi override reordering it."""
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "\u2026"


def markdown_to_docx(markdown: str, result: Result | None, title: str) -> bytes:
    """The Markdown board paper as .docx bytes; the chart goes after the cover table."""
    import docx
    from docx.shared import Cm

    doc = docx.Document()
    lines = markdown.splitlines()
    _page_setup(doc, markdown, Cm)
    i = 0
    chart_done = result is None
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if line.startswith("|"):
            block = []
            while i < len(lines) and lines[i].startswith("|"):
                block.append(lines[i])
                i += 1
            rows = [_cells(b) for b in block if not re.fullmatch(r"\|[-:| ]+\|", b.strip())]
            ncols = max(len(r) for r in rows)
            table = doc.add_table(rows=0, cols=ncols)
            table.style = "Table Grid"
            for n, cells in enumerate(rows):
                row = table.add_row().cells
                for c, text in enumerate(cells):
                    p = row[c].paragraphs[0]
                    _runs(p, text)
                    if n == 0:
                        for run in p.runs:
                            run.bold = True
            if not chart_done and result is not None:
                _chart(doc, result, Cm)
                chart_done = True
            continue
        m = re.match(r"(#{1,4}) (.*)", line)
        if m:
            doc.add_heading(_plain(m[2]), level=len(m[1]) - 1 if len(m[1]) > 1 else 0)
        elif re.match(r"\s*- ", line):
            level = 2 if line.startswith("  ") else 1
            text = re.sub(r"^\s*- (\[ \] )?", "", line)
            box = "\u2610 " if "- [ ] " in line else ""
            p = doc.add_paragraph(style="List Bullet" if level == 1 else "List Bullet 2")
            _runs(p, box + text)
        elif line.startswith("> "):
            _runs(doc.add_paragraph(style="Quote"), line[2:])
        else:
            _runs(doc.add_paragraph(), line)
        i += 1
    props = doc.core_properties
    when = _when()
    props.title = _core_title(term(title))  # one line, as a title bar or a file list shows it
    props.author = "ncm"
    props.last_modified_by = "ncm"
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    return _pinned_zip(raw.getvalue(), when)


_STAMP = re.compile(r"Generated (.+?) by ncm (\S+) ")
"""The paper's date and version, from the Markdown paper's first lines."""


def _page_setup(doc: Any, markdown: str, cm: Any) -> None:
    """A4 (python-docx's default is US Letter) and a footer on every page with the paper's
    date, version and "Page N of M", as a board's printed papers carry them."""
    section = doc.sections[0]
    section.page_width, section.page_height = cm(21), cm(29.7)
    section.left_margin = section.right_margin = cm(2)
    section.top_margin = section.bottom_margin = cm(2)
    found = _STAMP.search("\n".join(markdown.splitlines()[:6]))
    p = section.footer.paragraphs[0]
    words = "Board paper: choosing a new model of care"
    if found:
        words += f" \u00b7 {found[1]} \u00b7 ncm {found[2]}"
    p.add_run(_plain(words) + " \u00b7 Page ")
    _field(p, "PAGE")
    p.add_run(" of ")
    _field(p, "NUMPAGES")


def _field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), ("end", None)):
        run = paragraph.add_run()
        if kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        if kind == "separate":
            paragraph.add_run("1")


def _chart(doc: Any, result: Result, cm: Any) -> None:
    shown = [r for r in result.ranking if r.first_rank_acceptability]
    if not shown:
        return
    values = [(round((r.first_rank_acceptability or 0) * 100), r.rank == 1) for r in shown]
    doc.add_picture(io.BytesIO(png_chart(values)), width=cm(10))
    # the titles come from the content pack, not from the (already safe) Markdown paper
    words = "; ".join(f"{term(r.title)}: {v}%" for r, (v, _) in zip(shown, values, strict=True))
    doc.add_paragraph(
        "Figure: how often each option comes first when each importance is moved by up to "
        f"one step ({words}).",
        style="Caption",
    )


def _pinned_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same zip with every entry's time pinned (python-docx stamps the current time)."""
    zip_range = (dt.datetime(1980, 1, 1), dt.datetime(2107, 12, 31))
    stamp = min(max(when, zip_range[0]), zip_range[1]).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            pinned = zipfile.ZipInfo(info.filename, date_time=stamp)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = 0o644 << 16
            dst.writestr(pinned, src.read(info.filename))
    return out.getvalue()
