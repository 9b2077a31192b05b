"""The one loader: YAML files in, validated Pydantic models or located diagnostics out.

Valid files take the fast path (`yamlfile.parse`: ruamel's C-backed safe loader, then
Pydantic). Only a file that fails is parsed again, into a node tree whose nodes know their line
and column, to say where each error is, with a hint where one helps.
"""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ncm_toolkit.errors import Diagnostic
from ncm_toolkit.read.yamlfile import (
    MAX_DEPTH,
    MAX_DIAGNOSTICS,
    MAX_FILE_BYTES,
    LoadError,
    compose_nodes,
    decode,
    parse,
    read_text,
    shorten,
)

M = TypeVar("M", bound=BaseModel)

__all__ = [
    "MAX_DEPTH",
    "MAX_DIAGNOSTICS",
    "MAX_FILE_BYTES",
    "LoadError",
    "decode",
    "load_model",
    "locate",
    "parse",
    "read_text",
    "validate_data",
]


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
    tree = node_tree(text)
    out = []
    errors = exc.errors(include_url=False)
    for err in errors[:MAX_DIAGNOSTICS]:
        loc = tuple(p for p in err["loc"] if p != "[key]")
        is_key = "[key]" in err["loc"] or err["type"] == "extra_forbidden"
        line, col = locate(tree, loc, key=is_key)
        msg, hint = _explain(err, model, loc, data)
        out.append(Diagnostic(name, line, col, msg, _dotted(loc) or None, hint))
    out.sort(key=Diagnostic.sort_key)
    if len(errors) > MAX_DIAGNOSTICS:
        more = len(errors) - MAX_DIAGNOSTICS
        out.append(Diagnostic(name, out[-1].line, out[-1].column, f"... and {more} more errors"))
    return out


def _dotted(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for p in loc:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(("." if parts else "") + shorten(str(p)))
    return "".join(parts)


def node_tree(text: str) -> Any:
    """The composed node tree (C parser: fast, and every node has its start mark), for
    placing validation errors; None if it cannot be built."""
    try:
        return _Locator(text)
    except Exception:
        return None


class _Locator:
    def __init__(self, text: str):
        self.yaml, self.root = compose_nodes(text)

    def key_value(self, node: Any) -> Any:
        try:
            return self.yaml.constructor.construct_object(node, deep=True)
        except Exception:
            return getattr(node, "value", None)

    def locate(self, loc: tuple[Any, ...], key: bool) -> tuple[int, int]:
        node = self.root
        if node is None:
            return 1, 1
        mark = node.start_mark
        for i, part in enumerate(loc):
            last = i == len(loc) - 1
            found = None
            if node.id == "mapping":
                for k, v in node.value:
                    kv = self.key_value(k)  # a null key (`~: 3`) too, or its error is put at 1:1
                    if kv == part or str(kv) == str(part):
                        found = k if (last and key) else v
                        nxt = v
                        break
            elif node.id == "sequence" and isinstance(part, int) and part < len(node.value):
                found = nxt = node.value[part]
            if found is None:
                break
            mark, node = found.start_mark, nxt
        return mark.line + 1, mark.column + 1


def locate(tree: Any, loc: tuple[Any, ...], key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the node at `loc` in a `node_tree`; its nearest parent
    when the node is missing; the start of the file when there is no tree."""
    return tree.locate(loc, key) if isinstance(tree, _Locator) else (1, 1)


def _explain(
    err: Any, model: type[BaseModel], loc: tuple[Any, ...], data: Any
) -> tuple[str, str | None]:
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        names = _field_names(model, loc[:-1])
        close = difflib.get_close_matches(shorten(str(loc[-1]), 100), names, n=1)
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
        given = shorten(value)
        if isinstance(value, str) and given in expected:  # `"2"` where the number 2 is meant
            return (
                f"expected the number {given}, got text '{given}'",
                f"write {given} without quotes",
            )
        close = difflib.get_close_matches(given, expected, n=1)
        if close:
            return f"unknown value '{given}'", f"did you mean '{close[0]}'?"
        return f"unknown value '{given}'", (f"one of: {', '.join(expected)}" if expected else None)
    if kind == "string_type" and isinstance(value, int | float | bool):
        shown = "true" if value is True else "false" if value is False else value
        return "expected text, got a number or boolean", f'quote it: "{shown}"'
    if kind == "bool_type" and isinstance(value, str):
        return (
            f"expected true or false, got text '{shorten(value)}'",
            "write true or false, unquoted",
        )
    if (
        kind == "int_type"
        and isinstance(value, str)
        and len(value) < 20
        and value.strip().lstrip("-").isdigit()
    ):
        return (
            f"expected a whole number, got text '{value}'",
            f"write {value.strip()} without quotes",
        )
    if kind == "int_type" and isinstance(value, bool):
        return "expected a whole number, got a boolean", None
    if kind == "int_type" and isinstance(value, float):
        return f"expected a whole number, got {value}", None
    return shorten(str(err["msg"]), 300), None


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
