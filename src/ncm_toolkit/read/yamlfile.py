"""Reading and parsing YAML from people we do not know: bytes to plain data, or a LoadError
that says where. What libyaml's parser (YAML 1.1) refuses is read once with ruamel's
pure-Python YAML 1.2 parser before it is called invalid, if it has at most `MAX_PURE_CHARS`
characters (that parser takes over a second per MiB).

Files come from people we do not know, so every failure is a located diagnostic
(`FILE:LINE:COL: message`), never an exception, and nothing a file can do costs more than its
size allows. What is accepted and refused:

* Only regular files are read: a directory, FIFO, socket or device is refused without being
  opened for a blocking read, so a FIFO cannot hang a run.
* Files above `MAX_FILE_BYTES` (5 MiB) are refused from their size alone, before being read.
* Text must be UTF-8. A UTF-8 byte-order mark is accepted and ignored, as most tools do;
  UTF-16 and UTF-32 (with or without a BOM) and invalid UTF-8 are refused with the place of the
  first bad byte. Control characters other than tab, newline and carriage return are refused.
* One YAML 1.2 document per file. A `%YAML` directive other than 1.2 is refused (under YAML 1.1
  `yes`/`no`/`on`/`off` would silently become booleans); a second document is refused.
* Nesting deeper than `MAX_DEPTH` (100) levels, flow (`[[[`) or block, and more than
  `MAX_NODES` (20,000) nodes are refused before the parser builds anything.
* Anchors and aliases are legal but limited: at most `MAX_ALIASES` (100) aliases, which may add
  at most `MAX_ALIAS_NODES` (10,000) nodes when expanded (a "billion laughs" bomb is refused),
  never refer to the node that contains them (a cycle), and an anchor name is defined once.
* Duplicate keys are refused, naming the line of both occurrences; tab indentation is refused.

The structural checks run on every file, on the parser's event stream (libyaml: no recursion),
each event checked before anything is built from it (`_fast`: one pass for both).
"""

from __future__ import annotations

import os
import re
import reprlib
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.parser import ParserError
from ruamel.yaml.scanner import ScannerError

from ncm_toolkit.errors import FileProblem
from ncm_toolkit.files import nearby
from ncm_toolkit.read import fastyaml
from ncm_toolkit.read.fastyaml import Yaml12Resolver

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Refuse larger files: no profile or content file comes near this, and it bounds memory."""
MAX_ALIASES = 100
"""Aliases are legal YAML but never needed here; more than this is treated as an alias bomb."""
MAX_ALIAS_NODES = 10_000
"""How many nodes all aliases together may add when expanded (bounds a "billion laughs")."""
MAX_DEPTH = 100
"""Nesting deeper than this is refused before it reaches the parser's recursion."""
MAX_NODES = 20_000
"""YAML nodes (scalars and collections) per file. Building each costs tens of microseconds in
ruamel's constructor, so this bounds the time a file can take; the largest profile the schema
allows (1000 partners, 1000 risks) has about 6,000, the largest bundled content file 1,700."""
MAX_DIAGNOSTICS = 100
"""Diagnostics reported per file; the rest are counted in one last diagnostic."""
MAX_PURE_CHARS = 512 * 1024
"""libyaml refuses a little valid YAML 1.2 (a plain value that starts with `:` inside `[...]` or
`{...}`), which ruamel's pure-Python parser reads, about 100 times slower (over a second of CPU
per MiB). Only files up to this many characters get that second reading, once, so no file costs
more than about a second; a larger file must be YAML that libyaml reads."""

_safe = YAML(typ="safe", pure=False)
_safe.allow_duplicate_keys = False
_safe.Resolver = Yaml12Resolver


def _cannot_read(path: object, exc: OSError) -> str:
    """The OS's refusal in the plain words every command uses ("no such file or folder",
    "permission denied"), as `ncm validate` says it, not Python's "No such file or directory"."""
    return FileProblem.from_os(path, exc, "cannot read").cause


def _pure() -> YAML:
    """ruamel's pure-Python YAML 1.2 parser. libyaml, under the fast loader, is a YAML 1.1
    parser and refuses a little valid YAML 1.2 (`{a: :0}`), some of which ruamel itself
    writes; a file the fast loader refuses is read again with this one before it is called
    invalid. It is slower but the structural limits bound its work."""
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_duplicate_keys = False
    return yaml


class LoadError(Exception):
    def __init__(self, line: int, column: int, message: str, hint: str | None = None):
        super().__init__(message)
        self.line, self.column, self.message, self.hint = line, column, message, hint


STDIN = "-"
"""The path that means standard input (`ncm score -`); errors name it `<stdin>`."""

_stdin: list[tuple[object, bytes]] = []


def _stdin_bytes() -> bytes:
    """Standard input, read once (a record check and the load both read `-`), bounded; kept
    with the stream it came from, so that a new stdin (a test, the next in-process run) is read
    afresh."""
    import sys

    stream = sys.stdin.buffer
    if not _stdin or _stdin[0][0] is not stream:
        _stdin[:] = [(stream, stream.read(MAX_FILE_BYTES + 1))]
    return _stdin[0][1]


def read_text(path: Path) -> str:
    """Read a YAML file defensively: a regular file, of bounded size, in UTF-8; `-` is
    standard input, read with the same bound."""
    if str(path) == STDIN:
        raw = _stdin_bytes()
        if len(raw) > MAX_FILE_BYTES:
            raise LoadError(1, 1, f"standard input is over the limit of {MAX_FILE_BYTES} bytes")
        return decode(raw)
    try:
        # O_NONBLOCK: opening a FIFO for reading must not wait for a writer. Regular files
        # ignore the flag; anything else is refused from fstat before a byte is read.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except IsADirectoryError:
        raise LoadError(1, 1, "is a directory, expected a YAML file") from None
    except OSError as exc:
        hint = None
        if isinstance(exc, FileNotFoundError):  # a typo of a name beside it?
            hint = nearby(Path(path))
        raise LoadError(1, 1, _cannot_read(path, exc), hint) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise LoadError(1, 1, "is a directory, expected a YAML file")
        if not stat.S_ISREG(st.st_mode):
            raise LoadError(1, 1, "is not a regular file (a FIFO, device or socket?)")
        if st.st_size > MAX_FILE_BYTES:
            raise LoadError(1, 1, _too_big(st.st_size))
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise LoadError(1, 1, _cannot_read(path, exc)) from None
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:  # it grew after fstat
        raise LoadError(1, 1, _too_big(len(raw)))
    return decode(raw)


def _too_big(size: int) -> str:
    return f"file is {size} bytes; the limit is {MAX_FILE_BYTES} bytes ({MAX_FILE_BYTES >> 20} MiB)"


def decode(raw: bytes) -> str:
    """UTF-8 text from a file's bytes (a UTF-8 BOM is dropped); anything else is a LoadError."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        raise LoadError(1, 1, "file is UTF-16 or UTF-32; save it as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw[:2]:
        raise LoadError(
            1, 1, "file is not UTF-8 text (UTF-16, UTF-32 or binary?); save it as UTF-8"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[start : exc.start].decode("utf-8", "replace")) + 1
        raise LoadError(line, col, "invalid UTF-8; save the file as UTF-8") from None
    bad = _CONTROL.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        raise LoadError(line, col, f"control character U+{ord(bad.group()):04X} not allowed")
    return text


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_VERSION = re.compile(r"^%YAML\b.*$", re.MULTILINE)


def _fast(text: str) -> Any | None:
    """One pass over libyaml's events: the structural scan checks each event (raising
    LoadError) before the fast builder (`fastyaml.build`) builds the data from it. None where
    the builder steps aside or libyaml's parser refuses the syntax: the slow path decides. The
    scan sees every event either way, so the slow path only reads files within the limits."""
    checked = _checked(_events(text), text)
    try:
        data = fastyaml.build(checked) if fastyaml.HAVE_LIBYAML else None
        for _ in checked:  # what the builder left unread
            pass
    except YAMLError:  # other syntax errors are left to the slow path, which locates them
        return None
    return data


def _events(text: str) -> Iterator[Any]:
    """libyaml's parser events (`fastyaml.events`); the pure-Python parser's where the C
    extension is missing."""
    return fastyaml.events(text) if fastyaml.HAVE_LIBYAML else _safe.parse(text)


def _checked(events: Iterator[Any], text: str) -> Iterator[Any]:
    """The events, each passed on only once it is within the limits on depth, nodes, aliases,
    anchors, documents and the YAML version; raise LoadError at the first beyond them."""
    stack: list[tuple[str | None, list[int]]] = []  # (anchor, [node count]) per open collection
    sizes: dict[str, int] = {}  # expanded node count of each anchored node
    defined: dict[str, int] = {}  # anchor -> line it was defined on
    aliases = added = documents = nodes = 0
    for ev in events:
        kind = type(ev).__name__
        if kind == "DocumentStartEvent":
            documents += 1
            if documents > 1:
                raise LoadError(*_at(ev), "a second YAML document in the file; expected one")
            version = getattr(ev, "version", None)
            if version and tuple(version) != (1, 2):
                found = _VERSION.search(text)
                line = _line_col(text, found.start())[0] if found else _at(ev)[0]
                raise LoadError(
                    line,
                    1,
                    f"%YAML {'.'.join(map(str, version))} directive not supported; "
                    "YAML 1.2 is used",
                    "remove the line: under YAML 1.1 yes/no/on/off become true/false",
                )
            sizes.clear()
            defined.clear()
            yield ev
            continue
        anchor = getattr(ev, "anchor", None)
        if kind == "AliasEvent":
            aliases += 1
            if aliases > MAX_ALIASES:
                raise LoadError(
                    *_at(ev), f"more than {MAX_ALIASES} aliases: refusing a possible alias bomb"
                )
            if any(a == anchor for a, _ in stack):
                raise LoadError(*_at(ev), f"alias *{anchor} refers to a node that contains it")
            if anchor not in sizes:
                raise LoadError(*_at(ev), f"alias *{anchor} has no anchor &{anchor} before it")
            added += sizes[anchor]
            if added > MAX_ALIAS_NODES:
                raise LoadError(
                    *_at(ev),
                    f"aliases expand to more than {MAX_ALIAS_NODES} nodes: refusing an alias bomb",
                )
            if stack:
                stack[-1][1][0] += sizes[anchor]
            yield ev
            continue
        if anchor is not None and kind in (
            "ScalarEvent",
            "SequenceStartEvent",
            "MappingStartEvent",
        ):
            if anchor in defined:
                raise LoadError(
                    *_at(ev),
                    f"anchor &{anchor} is already defined at line {defined[anchor]}",
                    "give each anchor its own name",
                )
            defined[anchor] = _at(ev)[0]
        if kind in ("ScalarEvent", "SequenceStartEvent", "MappingStartEvent"):
            nodes += 1
            if nodes > MAX_NODES:
                raise LoadError(*_at(ev), f"more than {MAX_NODES} YAML nodes in one file")
        if kind == "ScalarEvent":
            if anchor is not None:
                sizes[anchor] = 1
            if stack:
                stack[-1][1][0] += 1
        elif kind in ("SequenceStartEvent", "MappingStartEvent"):
            if len(stack) >= MAX_DEPTH:
                raise LoadError(*_at(ev), f"nesting is deeper than {MAX_DEPTH} levels")
            stack.append((anchor, [1]))
        elif kind in ("SequenceEndEvent", "MappingEndEvent") and stack:
            done, (count,) = stack.pop()
            if done is not None:
                sizes[done] = count
            if stack:
                stack[-1][1][0] += count
        yield ev


def _at(ev: Any) -> tuple[int, int]:
    """Where an event starts: line and column, 1-based."""
    return ev.start_mark.line + 1, ev.start_mark.column + 1


def parse(text: str) -> Any:
    """Parse one YAML document with the fast loader; raise LoadError with a location. What
    libyaml's parser refuses is read once more, by the YAML 1.2 parser (`_parse_pure`)."""
    data = _parse(text)
    return _join_pairs(data) if _PAIR_ESCAPE.search(text) else data


_PAIR_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89abAB]")
"""An escape of the first half of a UTF-16 surrogate pair, as JSON writes a character above
U+FFFF (`json.dumps` by default, most JSON tools): `"\\ud83d\\ude00"` is one emoji."""
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _join_pairs(data: Any) -> Any:
    """DATA with every surrogate pair in its text (keys too) made the one character it
    encodes: YAML 1.2 is a superset of JSON, whose `\\uD83D\\uDE00` is one character, but
    the YAML parsers build two halves, which no text can hold. A half without its other half is
    left for validation to refuse, located."""
    if isinstance(data, str):
        return _PAIR.sub(_one_character, data) if _PAIR.search(data) else data
    if isinstance(data, dict):
        return {_join_pairs(k): _join_pairs(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_join_pairs(v) for v in data]
    return data


def _one_character(m: re.Match[str]) -> str:
    high, low = (ord(c) for c in m.group())
    return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


def _parse(text: str) -> Any:
    data = _fast(text)  # the structural scan, always
    if data is not None:
        return data
    try:
        docs = _load_docs(_safe, text)
    except (ScannerError, ParserError) as exc:
        return _parse_pure(text, exc)
    except Exception as exc:
        return _refuse(exc, text)
    if len(docs) > 1:
        line, col = _second_document(text)
        return _raise(line, col, "a second YAML document in the file; expected one")
    if not docs or docs[0] is None:
        return _raise(1, 1, "file is empty")
    return docs[0]


def _parse_pure(text: str, refused: MarkedYAMLError) -> Any:
    """A file libyaml's parser refused, read by the YAML 1.2 parser: one pass, whose node tree
    also places any later error (`_pure_tree`). Above MAX_PURE_CHARS, libyaml's error stands."""
    if len(text) > MAX_PURE_CHARS:
        return _raise(*_explain_yaml_error(refused, text))
    try:
        yaml, root = _pure_tree(text)
        if root is None:
            return _raise(1, 1, "file is empty")
        return yaml.constructor.construct_document(root)
    except LoadError:
        raise
    except Exception as exc:
        return _refuse(exc, text)


def _refuse(exc: Exception, text: str) -> Any:
    """The located LoadError for what reading a YAML text raised, whichever parser read it."""
    directive = _unsupported_version(text)
    if directive is not None:  # `%YAML 1.3`: the parsers' own words were Python's `(1, 3)`
        return _raise(*directive)
    if isinstance(exc, MarkedYAMLError):
        return _raise(*_explain_yaml_error(exc, text))
    if isinstance(exc, YAMLError):
        return _raise(1, 1, f"invalid YAML: {shorten(str(exc), 200)}")
    if isinstance(exc, RecursionError):
        return _raise(1, 1, f"nesting is deeper than {MAX_DEPTH} levels")
    return _raise(*_bad_scalar(text, exc))  # a scalar no constructor can build (5000 digits)


def _unsupported_version(text: str) -> tuple[int, int, str, str | None] | None:
    """A `%YAML` directive other than 1.2 that the parsers refuse outright (`%YAML 1.3`,
    `%YAML 2.0`), said as a `%YAML 1.1` one is (`_checked`), at its line."""
    for found in _VERSION.finditer(text):
        words = found.group().split("#")[0].split()
        version = words[1] if len(words) > 1 else ""
        if version == "1.2":
            continue
        shown = f"%YAML {shorten(version, 20)}" if version else "%YAML"
        line = _line_col(text, found.start())[0]
        return line, 1, f"{shown} directive not supported; YAML 1.2 is used", "remove the line"
    return None


class _Replay:
    """A parser that replays recorded events, so that composing costs no second parse."""

    def __init__(self, events: list[Any]) -> None:
        self.events, self.at = events, 0

    def check_event(self, *choices: Any) -> bool:
        if self.at >= len(self.events):
            return False
        return not choices or isinstance(self.events[self.at], choices)

    def peek_event(self) -> Any:
        return self.events[self.at]

    def get_event(self) -> Any:
        self.at += 1
        return self.events[self.at - 1]

    def dispose(self) -> None:
        self.events = []


_last_pure: tuple[str, YAML, Any] | None = None
"""The last file read by the YAML 1.2 parser and its node tree: placing a validation error in
it needs the tree, and a second pure-Python parse would cost as much as the first."""


def _pure_tree(text: str) -> tuple[YAML, Any]:
    """The node tree of `text` from one pass of the YAML 1.2 parser: its events are checked
    against the structural limits as they come (so a hostile file stops early), recorded, and
    composed; raise LoadError or YAMLError."""
    global _last_pure
    if _last_pure is not None and _last_pure[0] == text:
        return _last_pure[1], _last_pure[2]
    _last_pure = None
    events: list[Any] = []

    def recorded() -> Iterator[Any]:
        for ev in _pure().parse(text):
            events.append(ev)
            yield ev

    for _ in _checked(recorded(), text):
        pass
    yaml = _pure()
    yaml._parser = _Replay(events)  # type: ignore[attr-defined]
    root = yaml.composer.get_single_node()
    _last_pure = (text, yaml, root)
    return yaml, root


def _load_docs(yaml: YAML, text: str) -> list[Any]:
    """The first document, and the start of a second if there is one."""
    docs: list[Any] = []
    try:
        for doc in yaml.load_all(text):
            docs.append(doc)
            if len(docs) > 1:
                break
    finally:
        del yaml.doc_infos[:]  # ruamel keeps one record per call: memory would grow per file
    return docs


def compose_nodes(text: str) -> tuple[YAML, Any]:
    """The node tree (each node with its start mark) and the YAML whose constructor builds
    values from it; from the fast parser, or the YAML 1.2 one where libyaml's parser refuses
    (up to MAX_PURE_CHARS)."""
    yaml = YAML(typ="safe", pure=False)
    try:
        return yaml, yaml.compose(text)
    except (ScannerError, ParserError):
        if len(text) > MAX_PURE_CHARS:
            raise
        return _pure_tree(text)


_TOKEN_TUPLE = re.compile(r"\(('<[\w ]+>'),\)")


def _explain_yaml_error(exc: MarkedYAMLError, text: str) -> tuple[int, int, str, str | None]:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    msg = " ".join(str(p) for p in (exc.context, exc.problem) if p).replace("\n", " ")
    msg = _TOKEN_TUPLE.sub(r"\1", msg)  # ruamel's "but found ('<stream end>',)": Python's text
    lines = text.splitlines()
    bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = bad_line[: len(bad_line) - len(bad_line.lstrip())]
    if "\t" in indent or bad_line[col - 1 : col] == "\t":
        tab = bad_line.index("\t") + 1
        return line, tab, "tab character used for indentation; use spaces", None
    if "duplicate key" in msg:
        key, first = _first_of_duplicate(text, exc)
        if first is not None:
            return (
                line,
                col,
                f"{_field_at(text, exc.problem_mark)}duplicate key '{shorten(key)}': defined "
                f"at line {first[0]} and again at line {line}",
                "each key may appear once in a mapping",
            )
        return line, col, _field_at(text, exc.problem_mark) + shorten(msg, 300), None
    if "duplicate anchor" in msg and exc.context_mark:
        return (
            line,
            col,
            f"anchor is already defined at line {exc.context_mark.line + 1}",
            "give each anchor its own name",
        )
    where = _field_at(text, exc.problem_mark) if isinstance(exc, ConstructorError) else ""
    return line, col, where + (shorten(msg, 300) or "invalid YAML"), None


def _field_at(text: str, mark: Any) -> str:
    """`FIELD: ` for the deepest field whose node holds MARK (where the constructor refused
    something: an unhashable key, a merge of a scalar), or "" when none is known. The parser's
    own errors (a missing `:`) come before any node is built, so they have no field."""
    if mark is None:
        return ""
    try:
        root = compose_nodes(text)[1]
    except Exception:
        return ""
    where = (mark.line, mark.column)
    best = ""
    for node, field in walk_fields(root):
        start, end = node.start_mark, node.end_mark
        inside = (start.line, start.column) <= where < (end.line, end.column) or (
            (start.line, start.column) == where
        )
        if field and inside and len(field) >= len(best):
            best = field
    return f"{best}: " if best else ""


def _first_of_duplicate(text: str, exc: MarkedYAMLError) -> tuple[str, tuple[int, int] | None]:
    """The duplicated key and where it first appears, found on the composed node tree."""
    mark = exc.problem_mark
    if mark is None:
        return "", None
    try:
        root = compose_nodes(text)[1]
    except Exception:
        return "", None
    for node in walk_nodes(root):
        if node.id != "mapping":
            continue
        keys = [k for k, _ in node.value]
        for i, k in enumerate(keys):
            if (k.start_mark.line, k.start_mark.column) == (mark.line, mark.column):
                for earlier in keys[:i]:
                    if (earlier.tag, earlier.value) == (k.tag, k.value):
                        m = earlier.start_mark
                        return str(k.value), (m.line + 1, m.column + 1)
    return "", None


def walk_nodes(root: Any) -> Iterator[Any]:
    """Every node of a composed tree once, in document order, without recursion (aliases make
    it a graph, and nesting may be deep)."""
    return (node for node, _ in walk_fields(root))


def walk_fields(root: Any) -> Iterator[tuple[Any, str]]:
    """`walk_nodes`, each node with the dotted field it fills (`decision.agreed_on`,
    `partners[0].kind`; empty for a key or the root), so that a value the constructor refuses
    (a date `2026-13-45`) is reported with its field."""
    todo: list[tuple[Any, str]] = [(root, "")]
    seen: set[int] = set()
    while todo:
        node, field = todo.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        yield node, field
        if node.id == "mapping":
            for key, value in reversed(node.value):
                name = str(key.value) if key.id == "scalar" else "?"
                todo.append((value, f"{field}.{name}" if field else name))
                todo.append((key, ""))
        elif node.id == "sequence":
            todo += [(n, f"{field}[{i}]") for i, n in reversed(list(enumerate(node.value)))]


def _second_document(text: str) -> tuple[int, int]:
    starts: list[Any] = []
    for yaml in (_safe, _pure()):
        try:
            starts = [ev for ev in yaml.parse(text) if type(ev).__name__ == "DocumentStartEvent"]
            break
        except YAMLError:
            continue
    if len(starts) < 2:
        return 1, 1
    mark = starts[1].start_mark
    return mark.line + 1, mark.column + 1


def _bad_scalar(text: str, exc: Exception) -> tuple[int, int, str, str | None]:
    """Locate the scalar the constructor failed on, by building each scalar on its own."""
    reason = shorten(str(exc), 200) or "invalid YAML"  # an `assert` has no message
    if "integer string conversion" in reason:  # Python's guard; its hint is for programmers
        reason = f"a number of more than {sys.get_int_max_str_digits()} digits"
    try:
        yaml, root = compose_nodes(text)
        for node, field in walk_fields(root):
            twice = _omap_duplicate(node)
            if twice is not None:
                key, first, again = twice
                return (
                    again.line + 1,
                    again.column + 1,
                    f"{field + ': ' if field else ''}duplicate key '{shorten(key)}': defined at "
                    f"line {first.line + 1} and again at line {again.line + 1}",
                    "each key may appear once in a mapping",
                )
            if node.id != "scalar":
                continue
            try:
                yaml.constructor.construct_object(node, deep=True)
            except Exception:
                m = node.start_mark
                where = f"{field}: " if field else ""
                return m.line + 1, m.column + 1, f"{where}cannot read this value: {reason}", None
    except Exception:
        pass
    return 1, 1, f"cannot read the file: {reason}", None


def _omap_duplicate(node: Any) -> tuple[str, Any, Any] | None:
    """The key an ordered map (`!!omap`, a list of one-key mappings) has twice, with the marks
    of both: ruamel's constructor only `assert`s that it has not, which says nothing."""
    if node.id != "sequence" or not node.tag.endswith(":omap"):
        return None
    seen: dict[tuple[str, Any], Any] = {}
    for item in node.value:
        if item.id != "mapping":
            continue
        for key, _ in item.value:
            if key.id != "scalar":
                continue
            if (key.tag, key.value) in seen:
                return str(key.value), seen[(key.tag, key.value)], key.start_mark
            seen[(key.tag, key.value)] = key.start_mark
    return None


_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = 60


def shorten(value: Any, limit: int = 60) -> str:
    """A value for a message: bounded in length, however big or nested the input."""
    text = value if isinstance(value, str) else _repr.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _raise(line: int, col: int, message: str, hint: str | None = None) -> Any:
    raise LoadError(line, col, message, hint)
