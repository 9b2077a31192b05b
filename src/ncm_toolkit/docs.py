"""Documentation derived from the Pydantic models, so the README cannot drift from the format."""

from __future__ import annotations

import datetime as dt
import typing

from pydantic import BaseModel


def _type_name(tp: object) -> str:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, __import__("types").UnionType):
        return " or ".join(_type_name(a) for a in args if a is not type(None))
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"mapping of {_type_name(args[0])} to {_type_name(args[1])}"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "mapping"
    names: dict[object, str] = {
        str: "text",
        int: "integer",
        bool: "`true` \\| `false`",
        dt.date: "date (YYYY-MM-DD)",
    }
    return names.get(tp, str(tp))


def field_table(model: type[BaseModel], prefix: str = "") -> str:
    """A Markdown table of a model's fields: name, type, required, description."""
    lines = ["| field | type | required | meaning |", "|---|---|---|---|"] if not prefix else []
    for name, info in model.model_fields.items():
        tp = _type_name(info.annotation)
        if len(tp) > 60:
            tp = tp[:57] + "…"
        req = "yes" if info.is_required() else "no"
        desc = (info.description or "").replace("|", "\\|")
        lines.append(f"| `{prefix}{name}` | {tp} | {req} | {desc} |")
    return "\n".join(lines) + "\n"
