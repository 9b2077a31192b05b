"""The one loader: YAML files in, validated Pydantic models or located diagnostics out.

Valid files take the fast path (`yamlfile.parse`: ruamel's C-backed safe loader, then
Pydantic). Only a file that fails is parsed again, into a node tree whose nodes know their line
and column, to say where each error is, with a hint where one helps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ncm_toolkit.errors import Diagnostic
from ncm_toolkit.read.wording import explain, one_per_fault
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
    "diagnostics_from",
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
    exc: ValidationError,
    model: type[BaseModel],
    name: str,
    text: str,
    data: Any,
    prefix: tuple[Any, ...] = (),
) -> list[Diagnostic]:
    """Pydantic's errors as located diagnostics in the user's words: one per fault (a value
    no alternative of a union accepts is one error, not one per alternative; the same fault
    reached twice is reported once), and what the field must hold said from the model's own
    types, never Pydantic's class or type names (`wording`, the one place errors are worded).
    `prefix`: where in the file the validated `data` lies (a section checked on its own)."""
    tree = node_tree(text)
    out: list[Diagnostic] = []
    seen: set[tuple[int, int, str | None, str]] = set()
    errors = one_per_fault(exc.errors(include_url=False), model)
    for err, loc in errors[:MAX_DIAGNOSTICS]:
        is_key = "[key]" in err["loc"] or err["type"] in ("extra_forbidden", "invalid_key")
        line, col = locate(tree, prefix + loc, key=is_key)
        msg, hint = explain(err, model, loc, data)
        if hint is not None and hint.startswith("quote it: "):  # `name: 012`: "012", not "12"
            raw = tree.scalar_text(prefix + loc) if isinstance(tree, _Locator) else None
            hint = f'quote it: "{raw}"' if raw else hint
        field = prefix + (loc[:-1] if err["type"] == "invalid_key" else loc)  # not `('a', 'b')`
        d = Diagnostic(name, line, col, msg, _dotted(field) or None, hint)
        if (line, col, d.field, msg) not in seen:
            seen.add((line, col, d.field, msg))
            out.append(d)
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
            parts.append(("." if parts else "") + (shorten(str(p)) or "''"))  # `"": 3` too
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
        self._keys: dict[Any, Any] = {}
        """Each key node's value, built once: placing 800 errors in one mapping of 800 keys
        built 640,000 keys (2 s), not 800."""

    def key_value(self, node: Any) -> Any:
        if node in self._keys:
            return self._keys[node]
        try:
            value = self.yaml.constructor.construct_object(node, deep=True)
            if isinstance(value, list):
                value = tuple(value)  # a `? [a, b]` key, as parsed
        except Exception:
            value = getattr(node, "value", None)
        self._keys[node] = value
        return value

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
                    if kv == part or str(kv) == str(part) or _as_pydantic_names(kv) == part:
                        found = k if (last and key) else v
                        nxt = v
                        break
            elif node.id == "sequence" and isinstance(part, int) and part < len(node.value):
                found = nxt = node.value[part]
            if found is None:
                break
            mark, node = found.start_mark, nxt
        return mark.line + 1, mark.column + 1

    def scalar_text(self, loc: tuple[Any, ...]) -> str | None:
        """The text of the plain scalar at `loc` as written (`0x1F`, `012`, `1e5`), which
        YAML read as a number, a boolean or a date; None if there is none, or it is quoted."""
        node = self.root
        for part in loc:
            if node is None or node.id != "mapping":
                if node is not None and node.id == "sequence" and isinstance(part, int):
                    node = node.value[part] if part < len(node.value) else None
                    continue
                return None
            node = next((v for k, v in node.value if str(self.key_value(k)) == str(part)), None)
        if node is None or node.id != "scalar" or node.style or '"' in node.value:
            return None
        return str(node.value)


def _as_pydantic_names(key: Any) -> Any:
    """A key that is not text as Pydantic's error location names it (`repr`: a date key
    `2020-01-01` is `datetime.date(2020, 1, 1)` there); text keys are compared as they are."""
    return key if isinstance(key, str) else repr(key)


def locate(tree: Any, loc: tuple[Any, ...], key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the node at `loc` in a `node_tree`; its nearest parent
    when the node is missing; the start of the file when there is no tree."""
    return tree.locate(loc, key) if isinstance(tree, _Locator) else (1, 1)


def at(
    path: Path,
    where: tuple[Any, ...],
    message: str,
    field_name: str | None = None,
    hint: str | None = None,
) -> Diagnostic:
    """A diagnostic at the node `where` of a file that parsed (located by a second, rare parse:
    valid packs never pay for it)."""
    line, col = locate(node_tree(read_text(path)), where)
    return Diagnostic(str(path), line, col, message, field_name, hint)
