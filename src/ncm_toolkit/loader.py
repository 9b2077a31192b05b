"""The one loader: YAML files in, validated Pydantic models or located diagnostics out.

Valid files take the fast path (ruamel's C-backed safe loader, then Pydantic). Only a file that
fails is parsed again with the round-trip loader, whose nodes know their line and column, to
say where each error is.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import Diagnostic

M = TypeVar("M", bound=BaseModel)

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Refuse larger files: no profile or content file comes near this, and it bounds memory."""
MAX_ALIASES = 100
"""Aliases are legal YAML but never needed here; more than this is treated as an alias bomb."""
MAX_DEPTH = 100
"""Nesting deeper than this is refused before it reaches the parser's recursion."""

_safe = YAML(typ="safe", pure=False)
_safe.allow_duplicate_keys = False


class LoadError(Exception):
    def __init__(self, line: int, column: int, message: str, hint: str | None = None):
        super().__init__(message)
        self.line, self.column, self.message, self.hint = line, column, message, hint


def read_text(path: Path) -> str:
    """Read a YAML file defensively: a regular file, of bounded size, in UTF-8."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise LoadError(1, 1, f"cannot read: {exc.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise LoadError(1, 1, "is a directory, expected a YAML file")
    if not stat.S_ISREG(st.st_mode):
        raise LoadError(1, 1, "is not a regular file (a FIFO, device or socket?)")
    if st.st_size > MAX_FILE_BYTES:
        raise LoadError(1, 1, f"file is {st.st_size} bytes; the limit is {MAX_FILE_BYTES} bytes")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise LoadError(1, 1, f"cannot read: {exc.strerror}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(1, 1, "file is UTF-16; save it as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(line, col, "invalid UTF-8; save the file as UTF-8") from None
    _precheck(text)
    return text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _precheck(text: str) -> None:
    """Refuse what the YAML parser handles badly before it sees it (cheap on ordinary files)."""
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise LoadError(line, col, f"control character U+{ord(bad.group()):04X} not allowed")
    if text.count("[") + text.count("{") > MAX_DEPTH:
        depth = deepest = 0
        for ch in text:
            if ch in "[{":
                depth += 1
                deepest = max(deepest, depth)
            elif ch in "]}":
                depth -= 1
        if deepest > MAX_DEPTH:
            raise LoadError(1, 1, f"nesting is deeper than {MAX_DEPTH} levels")
    if "*" in text and _count_aliases(text) > MAX_ALIASES:
        raise LoadError(1, 1, f"more than {MAX_ALIASES} aliases: refusing a possible alias bomb")


def _count_aliases(text: str) -> int:
    try:
        return sum(1 for ev in _safe.parse(text) if type(ev).__name__ == "AliasEvent")
    except YAMLError:
        return 0  # the real load reports the syntax error with its location


def parse(text: str) -> Any:
    """Parse one YAML document with the fast loader; raise LoadError with a location."""
    if text.lstrip().startswith("%YAML 1.1"):
        raise LoadError(1, 1, "%YAML 1.1 directive not supported; YAML 1.2 is used")
    try:
        docs = list(_safe.load_all(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        msg = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if "found character '\\t'" in msg:
            return _raise(line, col, "tab character used for indentation; use spaces")
        if "duplicate key" in msg:
            first = exc.context_mark
            hint = f"first defined at line {first.line + 1}" if first else None
            return _raise(line, col, msg.replace("\n", " "), hint)
        return _raise(line, col, msg.replace("\n", " ") or "invalid YAML")
    except YAMLError as exc:
        return _raise(1, 1, f"invalid YAML: {exc}")
    except RecursionError:
        return _raise(1, 1, f"nesting is deeper than {MAX_DEPTH} levels")
    if len(docs) > 1:
        return _raise(1, 1, f"{len(docs)} YAML documents in one file; expected one")
    if not docs or docs[0] is None:
        return _raise(1, 1, "file is empty")
    return docs[0]


def _raise(line: int, col: int, message: str, hint: str | None = None) -> Any:
    raise LoadError(line, col, message, hint)


def load_model(
    path: Path, model: type[M], display: str | None = None
) -> tuple[M | None, list[Diagnostic]]:
    """Load and validate one file; return the model or every diagnostic found in it."""
    name = display or str(path)
    try:
        text = read_text(path)
        data = parse(text)
    except LoadError as exc:
        return None, [Diagnostic(name, exc.line, exc.column, exc.message, hint=exc.hint)]
    return validate_data(data, model, name, text)


def validate_data(
    data: Any, model: type[M], name: str, text: str
) -> tuple[M | None, list[Diagnostic]]:
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, diagnostics_from(exc, model, name, text, data)


def diagnostics_from(
    exc: ValidationError, model: type[BaseModel], name: str, text: str, data: Any
) -> list[Diagnostic]:
    tree = _roundtrip(text)
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if p != "[key]")
        is_key = "[key]" in err["loc"] or err["type"] == "extra_forbidden"
        line, col = locate(tree, loc, key=is_key)
        msg, hint = _explain(err, model, loc, data)
        out.append(Diagnostic(name, line, col, msg, _dotted(loc) or None, hint))
    return sorted(out, key=Diagnostic.sort_key)


def _dotted(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for p in loc:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts)


def _roundtrip(text: str) -> Any:
    try:
        return YAML(typ="rt").load(text)
    except YAMLError:
        return None


def locate(tree: Any, loc: tuple[Any, ...], key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the node at `loc` in a round-trip tree; its nearest parent
    when the node is missing."""
    node = tree
    pos = (0, 0)
    if isinstance(node, CommentedMap | CommentedSeq):
        pos = (node.lc.line, node.lc.col)
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, CommentedMap) and part in node:
            pos = node.lc.key(part) if (last and key) else node.lc.value(part)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            pos = node.lc.item(part)
            node = node[part]
        else:
            break
        if isinstance(node, CommentedMap | CommentedSeq) and not last:
            pos = (node.lc.line, node.lc.col)
    return pos[0] + 1, pos[1] + 1


def _explain(
    err: Any, model: type[BaseModel], loc: tuple[Any, ...], data: Any
) -> tuple[str, str | None]:
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        names = _field_names(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), names, n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else (f"allowed keys: {', '.join(names)}" if names else None)
        )
        return "unknown key", hint
    if kind == "missing":
        return "required field is missing", None
    if kind in ("literal_error", "enum"):
        expected = _literal_values(model, loc)
        close = difflib.get_close_matches(str(value), expected, n=1)
        if close:
            return f"unknown value '{value}'", f"did you mean '{close[0]}'?"
        return f"unknown value '{value}'", (f"one of: {', '.join(expected)}" if expected else None)
    if kind == "string_type" and isinstance(value, int | float | bool):
        shown = "true" if value is True else "false" if value is False else value
        return "expected text, got a number or boolean", f'quote it: "{shown}"'
    if kind == "bool_type" and isinstance(value, str):
        return f"expected true or false, got text '{value}'", "write true or false, unquoted"
    if kind == "int_type" and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return (
            f"expected a whole number, got text '{value}'",
            f"write {value.strip()} without quotes",
        )
    if kind == "int_type" and isinstance(value, bool):
        return "expected a whole number, got a boolean", None
    if kind == "int_type" and isinstance(value, float):
        return f"expected a whole number, got {value}", None
    return str(err["msg"]), None


def _field_names(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    target = _type_at(model, loc)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return list(target.model_fields)
    args = typing.get_args(target)
    if typing.get_origin(target) is dict and args:
        return list(_literals(args[0]))
    return []


def _literal_values(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    target = _type_at(model, loc)
    values = list(_literals(target))
    if not values:  # a dict key: its Literal lies on the dict type
        parent = _type_at(model, loc[:-1])
        args = typing.get_args(parent)
        if typing.get_origin(parent) is dict and args:
            values = list(_literals(args[0]))
    return values


def _literals(tp: Any) -> list[str]:
    tp = _unwrap(tp)
    if typing.get_origin(tp) is typing.Literal:
        return [str(a) for a in typing.get_args(tp)]
    out: list[str] = []
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        for a in typing.get_args(tp):
            out += _literals(a)
    return out


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            non_none = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(non_none) != 1:
                return tp
            tp = non_none[0]
        else:
            return tp


def _type_at(model: Any, loc: tuple[Any, ...]) -> Any:
    tp: Any = model
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            if field is None:
                return None
            tp = field.annotation
        elif typing.get_origin(tp) is list:
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
        else:
            return None
    return _unwrap(tp)
