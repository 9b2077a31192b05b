"""The currency layer: which dated notes qualify a statement, and the check that every
statement naming a retired body, programme or rule reaches a reader with its note.

A statement gets a note because it names one of the note's terms (whole word, case as written:
"Monitor" the regulator, not "monitor" the verb), or because the note targets the option or
case study it belongs to. The terms and notes live in `data/currency.yaml`; none are in Python.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ncm_toolkit.errors import Diagnostic
from ncm_toolkit.read.loader import locate, node_tree, read_text
from ncm_toolkit.read.yamlfile import compose_nodes, walk_nodes
from ncm_toolkit.schemas import Currency, CurrencyNote

# Keys whose values are references or labels, not statements a reader takes as fact.
_NOT_STATEMENTS = frozenset(
    {"id", "document", "section", "case_study", "option", "file", "group", "legal_forms"}
)


@lru_cache(maxsize=8)
def _pattern(spellings: tuple[str, ...]) -> re.Pattern[str]:
    alts = sorted(spellings, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in alts) + r")(?!\w)")


def _index(currency: Currency) -> tuple[re.Pattern[str], dict[str, list[str]]]:
    """One pattern for every spelling, and each spelling's note ids."""
    by_spelling: dict[str, list[str]] = {}
    for term in currency.terms:
        for spelling in term.match:
            by_spelling.setdefault(spelling, []).extend(term.notes)
    return _pattern(tuple(by_spelling)), by_spelling


def notes_finder(currency: Currency) -> Callable[[str], list[CurrencyNote]]:
    """`notes_for` with the spelling index built once, for a caller with many statements
    (a report asks about a few hundred)."""
    pattern, by_spelling = _index(currency)

    def find(text: str) -> list[CurrencyNote]:
        wanted = {nid for m in pattern.finditer(text) for nid in by_spelling[m.group(0)]}
        return [n for n in currency.notes if n.id in wanted]

    return find


MAX_TEXTS = 20_000
"""Statements whose notes `pack_notes_finder` keeps per pack, so that it never grows without end."""


def pack_notes_finder(pack: Any) -> Callable[[str], list[CurrencyNote]]:
    """`notes_finder` for a content pack, made once and kept with the pack's derived data,
    remembering each statement's notes (the same bullets are asked about in every report)."""
    made: Callable[[str], list[CurrencyNote]] | None = pack.derived.get("currency_finder")
    if made is None:
        find = notes_finder(pack.currency)
        known: dict[str, list[CurrencyNote]] = {}

        def made(text: str) -> list[CurrencyNote]:
            notes = known.get(text)
            if notes is None:
                if len(known) > MAX_TEXTS:
                    known.clear()
                notes = known[text] = find(text)
            return list(notes)  # a copy: the caller may keep or change its list

        pack.derived["currency_finder"] = made
    return made


def notes_for(currency: Currency, text: str) -> list[CurrencyNote]:
    """The notes that qualify one statement, in the order the file lists them."""
    return notes_finder(currency)(text)


def notes_for_option(currency: Currency, option_id: str) -> list[CurrencyNote]:
    return [n for n in currency.notes if option_id in n.options]


def option_changes(currency: Currency, option_id: str) -> str:
    """The titles of the notes on an option as a whole, for one line ("" when none): what the
    score's closing line and the paper's cover say has changed since the guidance."""
    return "; ".join(n.title for n in notes_for_option(currency, option_id))


def notes_for_area(currency: Currency, area_id: str) -> list[CurrencyNote]:
    return [n for n in currency.notes if area_id in n.areas]


def notes_for_case(currency: Currency, case_id: str) -> list[CurrencyNote]:
    return [n for n in currency.notes if case_id in n.cases]


def note_json(note: CurrencyNote) -> dict[str, Any]:
    src = note.source
    return {
        "id": note.id,
        "as_of": note.as_of,
        "text": " ".join(note.text.split()),
        "source": {
            "publisher": src.publisher,
            "title": src.title,
            "date": src.date,
            "url": src.url,
        },
    }


def note_line(note: CurrencyNote, reviewed: str) -> str:
    """The plain-text form every screen and report uses."""
    s = note.source
    return (
        f"Since then (as of {note.as_of}): {' '.join(note.text.split())} "
        f"[source: {s.publisher}, {s.title}, {s.date}, {s.url}]"
    )


def _date_order(note: CurrencyNote, reviewed: str) -> list[tuple[str, tuple[str, ...]]]:
    """A note checked after the notes were reviewed as a whole, or citing a source published
    after the note was checked, has a date that cannot be right (a typo such as 2062, or a
    date guessed): each such date, with where it is. ISO dates, and a period's first part,
    compare as text (`2022` < `2026-11-30` < `2027`)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    if note.as_of > reviewed:
        out.append(
            (f"as_of {note.as_of} is after the notes were reviewed ({reviewed})", ("as_of",))
        )
    published = note.source.date.split("/")[0]
    if published > note.as_of:
        out.append(
            (
                f"the source is dated {note.source.date}, after the note was checked "
                f"({note.as_of}): it cannot have been read then",
                ("source", "date"),
            )
        )
    return out


def check(
    currency: Currency,
    currency_path: Path,
    files: dict[str, Path],
    known_options: set[str],
    known_cases: set[str],
    known_areas: set[str],
) -> list[Diagnostic]:
    """Every note a term names exists; every target exists; and no statement in the pack
    names a retired term that has no note (located at the statement)."""
    out: list[Diagnostic] = []
    note_ids = {n.id for n in currency.notes}
    tree: Any = None

    def where(*path: str | int) -> tuple[int, int]:
        nonlocal tree
        tree = tree if tree is not None else node_tree(read_text(currency_path))
        return locate(tree, path)

    for i, term in enumerate(currency.terms):
        for j, nid in enumerate(term.notes):
            if nid not in note_ids:
                line, col = where("terms", i, "notes", j)
                out.append(
                    Diagnostic(
                        str(currency_path), line, col, f"unknown note '{nid}'", f"terms[{i}].notes"
                    )
                )
    seen: set[str] = set()
    for i, note in enumerate(currency.notes):
        if note.id in seen:
            line, col = where("notes", i, "id")
            out.append(
                Diagnostic(
                    str(currency_path),
                    line,
                    col,
                    f"duplicate note id '{note.id}'",
                    f"notes[{i}].id",
                )
            )
        seen.add(note.id)
        for problem, path in _date_order(note, currency.reviewed):
            line, col = where("notes", i, *path)
            out.append(
                Diagnostic(str(currency_path), line, col, problem, f"notes[{i}]." + ".".join(path))
            )
        for field, known in (
            ("options", known_options),
            ("cases", known_cases),
            ("areas", known_areas),
        ):
            for j, target in enumerate(getattr(note, field)):
                if target not in known:
                    line, col = where("notes", i, field, j)
                    out.append(
                        Diagnostic(
                            str(currency_path),
                            line,
                            col,
                            f"unknown {field[:-1]} '{target}'",
                            f"notes[{i}].{field}",
                        )
                    )
    bare = {
        s: t.term for t in currency.terms if t.status == "retired" and not t.notes for s in t.match
    }
    if bare:
        out += _bare_mentions(bare, files)
    return out


def _bare_mentions(bare: dict[str, str], files: dict[str, Path]) -> list[Diagnostic]:
    """Each statement naming a retired term that has no note, with its line and column."""
    pattern = _pattern(tuple(bare))
    out: list[Diagnostic] = []
    for _rel, path in sorted(files.items()):
        if path.name == "currency.yaml" or not path.is_file():
            continue
        text = read_text(path)
        if not any(w.split()[0] in text for w in bare):
            continue
        root = compose_nodes(text)[1]
        for node in walk_nodes(root):
            if node.id != "mapping":
                continue
            for k, v in node.value:
                if k.id != "scalar" or k.value in _NOT_STATEMENTS:
                    continue
                values = (
                    [v]
                    if v.id == "scalar"
                    else ([x for x in v.value if x.id == "scalar"] if v.id == "sequence" else [])
                )
                for val in values:
                    m = pattern.search(" ".join(str(val.value).split()))
                    if m:
                        line, col = _position(text, val, m.group(0))
                        out.append(
                            Diagnostic(
                                str(path),
                                line,
                                col,
                                f"names '{m.group(0)}' ({bare[m.group(0)]}), "
                                "which no longer exists as written, but has no currency note",
                                str(k.value),
                                "add a dated, sourced note for it to currency.yaml",
                            )
                        )
    return out


def _position(text: str, node: Any, spelling: str) -> tuple[int, int]:
    """Line and column of the term itself inside a (possibly folded) scalar, else its start."""
    start, end = node.start_mark, node.end_mark
    raw = text[start.index : end.index]
    words = r"\s+(?:#?\s*)?".join(re.escape(w) for w in spelling.split())
    found = re.search(r"(?<!\w)" + words + r"(?!\w)", raw)
    if not found:
        return start.line + 1, start.column + 1
    before = raw[: found.start()]
    line = start.line + before.count("\n")
    col = (
        found.start() - (before.rfind("\n") + 1) if "\n" in before else start.column + found.start()
    )
    return line + 1, col + 1
