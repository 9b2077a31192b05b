"""Pydantic's validation errors in the words of someone writing YAML: one error per fault,
and what a field must hold said from the model's own types ("a whole number from 0 to 5", "a
mapping (`key: value` lines)"), never Pydantic's class or type names. The one place errors
are worded; `loader.diagnostics_from` places them in the file."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
import types
import typing
import unicodedata
from typing import Any

from pydantic import BaseModel, ConfigDict

from ncm_toolkit.bundled import bundled_content_dir
from ncm_toolkit.read.yamlfile import LoadError, parse, read_text, shorten

MISSING = "missing_keys"
"""Our own error type: several required keys missing from one mapping."""
UNION = "union_mismatch"
"""Our own error type: a value that no alternative of a union accepted (see `one_per_fault`)."""


def one_per_fault(errors: list[Any], model: type[BaseModel]) -> list[tuple[Any, tuple[Any, ...]]]:
    """Each error with its location in the file's terms (the union alternative Pydantic tried,
    `bool` or `constrained-str` or a model's name, taken out). The errors of one value that
    every alternative of a union refused become one `UNION` error at that value; errors inside
    an alternative that took the value as far as a mapping are kept alone."""
    kept: list[tuple[int, Any, tuple[Any, ...]]] = []  # (place in Pydantic's order, ...)
    unions: dict[tuple[Any, ...], list[tuple[int, Any, tuple[Any, ...]]]] = {}
    for i, err in enumerate(errors):
        if "[key]" in err["loc"] and not isinstance(err.get("input"), str):
            # `objectives: {1: 5}`: a key that is not text, said as in any other mapping, not
            # as "unknown key" at `objectives[1]` (an index) or `objectives.datetime.date(...)`
            err = {**err, "type": "invalid_key"}
        loc, at = _file_loc(model, tuple(p for p in err["loc"] if p != "[key]"))
        if at is None:
            kept.append((i, err, loc))
        else:
            unions.setdefault(loc[:at], []).append((i, err, loc))
    for where, group in unions.items():
        deeper = [one for one in group if len(one[2]) > len(where)]
        if deeper:
            kept += deeper
        else:  # where the union's first refusal stood
            i, first, _ = group[0]
            kept.append((i, {**first, "type": UNION, "loc": where}, where))
    kept.sort(key=lambda one: one[0])
    missing: dict[tuple[Any, ...], list[str]] = {}
    for _, err, loc in kept:
        if err["type"] == "missing" and loc:
            missing.setdefault(loc[:-1], []).append(str(loc[-1]))
    out: list[tuple[Any, tuple[Any, ...]]] = []
    for _, err, loc in kept:  # one mapping lacking several keys: one error naming them all
        names = missing.get(loc[:-1], []) if err["type"] == "missing" and loc else []
        if len(names) > 1:
            if names[0] == str(loc[-1]):
                out.append(({**err, "type": MISSING, "loc": loc[:-1], "names": names}, loc[:-1]))
        else:
            out.append((err, loc))
    return out


def _file_loc(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], int | None]:
    """`loc` without the union-alternative tags Pydantic puts in it, and the length of the
    location of the first union it passed (None if none)."""
    tp: Any = model
    out: list[Any] = []
    at: int | None = None
    for part in loc:
        tp = _unwrap(tp)
        alternatives = _alternatives(tp)
        if alternatives:  # `part` names the alternative tried, not a key of the file
            if at is None:
                at = len(out)
            tp = next(
                (a for a in alternatives if getattr(_unwrap(a), "__name__", "") == part), None
            )
            continue
        out.append(part)
        tp = _step(tp, part)
    return tuple(out), at


def _alternatives(tp: Any) -> list[Any]:
    """The members of a union of more than one type besides None; else []."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        return members if len(members) > 1 else []
    return []


def _step(tp: Any, part: Any) -> Any:
    """The type one key or index below `tp` (None when unknown)."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        field = tp.model_fields.get(str(part))
        return None if field is None else _with_metadata(field.annotation, field.metadata)
    if typing.get_origin(tp) is list:
        return typing.get_args(tp)[0]
    if typing.get_origin(tp) is dict:
        return typing.get_args(tp)[1]
    return None


def _with_metadata(tp: Any, metadata: list[Any]) -> Any:
    """A field's type with its constraints (`Field(ge=0)` on the field) kept beside it."""
    return typing.Annotated[tp, *metadata] if metadata else tp


_KINDS = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "date": "a date (YYYY-MM-DD)",
    "datetime": "a date and time",
}


def _bounds(tp: Any) -> dict[str, Any]:
    """The constraints (`ge`, `le`, `min_length`, `max_length`) an Annotated type carries."""
    return _peel(tp)[1]


def describe(tp: Any) -> str | None:
    """What a value of type `tp` is, in the words of someone writing YAML ("a whole number
    from 0 to 5", "a list, each item text"); None when the type is not known."""
    if tp is None:
        return None
    bounds = _bounds(tp)
    base = _unwrap(tp)
    alternatives = _alternatives(base)
    if alternatives:
        words = [w for w in (describe(a) for a in alternatives) if w]
        return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else None
    literals = _literals(base)
    if literals:
        return "one of: " + ", ".join(literals)
    if isinstance(base, type) and issubclass(base, BaseModel):
        return "a mapping (`key: value` lines)"
    origin = typing.get_origin(base)
    if origin is list:
        item = describe(typing.get_args(base)[0])
        return "a list (`- ` lines)" + (f", each item {item}" if item else "")
    if origin is dict:
        value = describe(typing.get_args(base)[1])
        return "a mapping (`key: value` lines)" + (f", each value {value}" if value else "")
    word = _KINDS.get(getattr(base, "__name__", ""))
    if word is None:
        return None
    low, high = bounds.get("ge"), bounds.get("le")
    if word == "a whole number" and low is not None and high is not None:
        return f"a whole number from {low} to {high}"
    return word


def _given(value: Any) -> str:
    """What the file held, in the same words."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, float) and math.isnan(value):
        return "not-a-number (.nan)"
    if isinstance(value, float) and math.isinf(value):  # `.inf`, or `1e400` read as infinity
        return "an infinite number (.inf, or a number too large to hold)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, str):
        return f"text '{shorten(value)}'"
    if isinstance(value, bytes | bytearray):
        return "binary data (a `!!binary` value)"
    if isinstance(value, set | frozenset):
        return "a set (a `!!set` value)"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a value of a YAML type this file does not take"


def _with_odd_characters(hint: str | None, written: Any) -> str | None:
    """`hint`, with what makes `written` (a key or an id, all plain ASCII in a profile and a
    pack) unlike the name it looks like: a space around it, or a letter from another script
    or a no-break space pasted from a document (`nаme` with a Cyrillic а, `name\u00a0`): it
    shows as the very name "did you mean 'name'?" offers."""
    if not isinstance(written, str) or not hint or not hint.startswith("did you mean"):
        return hint  # said only beside the name it looks like
    notes = ["it has a space at its start or end"] if written != written.strip(" \t") else []
    odd = [c for c in dict.fromkeys(written) if not c.isascii()][:3]
    if odd:
        named = (f"U+{ord(c):04X} {unicodedata.name(c, '(no name)')}" for c in odd)
        notes.append(f"it holds {', '.join(named)}, where ids are plain ASCII")
    return f"{hint} {'; '.join(notes)}" if notes else hint


def _controls_only(value: str, pattern: str) -> str | None:
    """What breaks `value`'s line when control characters the pattern refuses (a line break)
    are all that keep it from matching, in words: "a line break (U+000A)"."""
    try:
        odd = [
            c
            for c in dict.fromkeys(value)
            if unicodedata.category(c) in ("Cc", "Zl", "Zp") and not re.fullmatch(pattern, c)
        ]
        if not odd or not re.fullmatch(pattern, "".join(c for c in value if c not in odd)):
            return None
    except re.error:  # a pattern Python's re does not read
        return None
    named = [
        f"{'a line break' if c in _BREAKS else 'a control character'} (U+{ord(c):04X})"
        for c in odd[:3]
    ]
    return ", ".join(named)


_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")


def _keys_hint(tp: Any) -> str | None:
    """The keys a mapping may hold, as a hint beside "must be a mapping"."""
    base = _unwrap(tp)
    if isinstance(base, type) and issubclass(base, BaseModel):
        return "its keys: " + ", ".join(base.model_fields)
    if typing.get_origin(base) is dict:
        keys = _literals(typing.get_args(base)[0])
        return "its keys: " + ", ".join(keys) if keys else None
    return None


_LIMITS = {
    "greater_than_equal": ("ge", "must be {} or more"),
    "less_than_equal": ("le", "must be {} or less"),
    "greater_than": ("gt", "must be more than {}"),
    "less_than": ("lt", "must be less than {}"),
    "string_too_long": ("max_length", "must be at most {} characters long"),
    "string_too_short": ("min_length", "must be at least {} characters long"),
    "too_long": ("max_length", "must have at most {} items"),
    "too_short": ("min_length", "must have at least {} items"),
}
_PREFIXES = ("Value error, ", "Assertion failed, ")


def explain(
    err: Any, model: type[BaseModel], loc: tuple[Any, ...], data: Any
) -> tuple[str, str | None]:
    kind, value = err["type"], err.get("input")
    if not loc and isinstance(value, str | int | float) and not isinstance(value, bool):
        # the whole file is one value: described, never quoted, since the file may be any
        # file (a record's `profile:`, a link in a folder), a credential's one line too
        shape = describe(model) or "a mapping (`key: value` lines)"
        what = "text" if isinstance(value, str) else "a number"
        return f"must be {shape}, got {what} (the whole file is one value)", _keys_hint(model)
    if kind == "extra_forbidden":
        names = _field_names(model, loc[:-1])
        close = difflib.get_close_matches(shorten(str(loc[-1]), 100), names, n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else (f"allowed keys: {', '.join(names)}" if names else None)
        )
        return "unknown key", _with_odd_characters(hint, loc[-1])
    if kind == "missing":
        expected = _type_at(model, loc, keep=True)
        if typing.get_origin(_unwrap(expected)) is dict and _keys_hint(expected):
            # `objectives` left out: what it holds, and its keys
            return "required field is missing", f"{describe(expected)}; {_keys_hint(expected)}"
        choices = _literals(expected)
        if choices:
            return "required field is missing", "one of: " + ", ".join(choices)
        return "required field is missing", _what_it_holds(model, loc, expected)
    if kind == MISSING:
        return "required keys are missing: " + ", ".join(shorten(n) for n in err["names"]), None
    if kind in ("literal_error", "enum"):
        expected = _literal_values(model, loc)
        given = shorten(value)
        if isinstance(value, str) and given in expected:  # `"2"` where the number 2 is meant
            return (
                f"expected the number {given}, got text '{given}'",
                f"write {given} without quotes",
            )
        if not isinstance(value, str | int | float | dt.date):  # not Python's `{'x': 1}`
            return f"must be one of: {', '.join(expected)}, got {_given(value)}", None
        is_key = "[key]" in err["loc"]  # `objectives: {Integrating primary care: 4}`
        what = "unknown key" if is_key else f"unknown value '{given}'"
        field = loc[-2] if is_key and len(loc) > 1 else (loc[-1] if loc else "")
        hint = suggest(given, expected, str(field))
        hint = hint or (f"one of: {', '.join(expected)}" if expected else None)
        return what, _with_odd_characters(hint, value)
    if kind == "string_type" and isinstance(value, int | float | bool):
        shown = "true" if value is True else "false" if value is False else value
        return "expected text, got a number or boolean", f'quote it: "{shown}"'
    if kind == "string_type" and isinstance(value, dt.date):  # `name: 2024-01-01`
        return "expected text, got a date", f'quote it: "{value.isoformat()}"'
    if kind == "string_unicode":  # a `\ud800` escape: half of a pair, no character
        return (
            "must be text, got an escape that is half of a character (\\ud800-\\udfff)",
            "write the character itself, or both halves of its pair",
        )
    if kind == "string_pattern_mismatch" and isinstance(value, str):
        said = _controls_only(value, str((err.get("ctx") or {}).get("pattern", "")))
        if said:  # a title written over two lines: not Pydantic's pattern
            return f"must be one line of text, got {said}", "write it on one line"
    if kind == "int_parsing_size":
        return f"must be a whole number, got one of {len(str(value))} digits", None
    if kind == "invalid_key":  # `? [a, b]`: YAML allows any key, a profile only text
        return (
            f"a key must be text, got {_given(list(value) if isinstance(value, tuple) else value)}",
            None,
        )
    if kind == "bool_type" and isinstance(value, str):
        meant = _YES_NO.get(value.strip().lower())
        if meant in ("true", "false") and value.strip().lower() == meant:  # `"true"`
            hint = f"write {meant} without quotes"
        elif meant:  # YAML 1.1 read `yes` as true; YAML 1.2, as this reader, as text
            said = shorten(value)
            hint = f"did you mean {meant}? YAML reads {said} as text: write true or false, unquoted"
        else:
            hint = "write true or false, unquoted"
        return f"expected true or false, got text '{shorten(value)}'", hint
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
        holds = describe(_type_at(model, loc, keep=True))
        if holds and holds.startswith("a whole number from "):  # say the range too
            return f"must be {holds}, got {_given(value)}", None
        return f"expected a whole number, got {value}", None
    return _plain(err, model, loc, value)


def _plain(
    err: Any, model: type[BaseModel], loc: tuple[Any, ...], value: Any
) -> tuple[str, str | None]:
    """Any other error, said from the model's types: what the field must hold and what the
    file gave. Pydantic's own message is kept only when it names no type of ours (a
    validator's sentence, without Pydantic's "Value error, " in front)."""
    kind, msg = err["type"], str(err["msg"])
    ctx = err.get("ctx") or {}
    if kind in _LIMITS:
        key, words = _LIMITS[kind]
        holds = describe(_type_at(model, loc, keep=True))
        if kind.endswith("_equal") and holds and holds.startswith("a whole number from "):
            return f"must be {holds}, got {_given(value)}", None  # importance 6: say 0 to 5
        if ctx.get(key) is not None:
            if kind == "string_too_short" and ctx[key] == 1:
                return "must not be empty", None
            return words.format(ctx[key]), None
    for prefix in _PREFIXES:
        if msg.startswith(prefix):
            return shorten(msg[len(prefix) :], 300), None
    expected = _type_at(model, loc, keep=True)
    if kind == UNION or kind.endswith(("_type", "_parsing")) or kind.startswith("date"):
        holds = describe(expected)
        if holds:
            return f"must be {holds}, got {_given(value)}", _named_hint(
                expected, loc, value
            ) or _keys_hint(expected)
    if msg.startswith("Input should be "):  # never a class name (`instance of Partner`)
        msg = "must be " + msg[len("Input should be ") :].split(" or instance of ")[0]
    return shorten(msg, 300), None


def _named_hint(tp: Any, loc: tuple[Any, ...], value: Any) -> str | None:
    """A list item written as a plain name (`- South Borough Council`) where a mapping with
    a `name` is expected: how to write it."""
    base = _unwrap(tp)
    if not (isinstance(value, str) and loc and isinstance(loc[-1], int)):
        return None
    if not (isinstance(base, type) and issubclass(base, BaseModel)):
        return None
    fields = base.model_fields
    if "name" not in fields or "\n" in value:
        return None
    others = [f"`{k}:`" for k, f in fields.items() if k != "name" and f.is_required()]
    below = f" with {', '.join(others)} below it" if others else ""
    return f"write `- name: {shorten(value)}`{below}"


_YES_NO = {
    **dict.fromkeys(("yes", "y", "on", "true", "t"), "true"),
    **dict.fromkeys(("no", "n", "off", "false", "f"), "false"),
}
"""Text written for a yes or no answer (YAML 1.1's booleans, which YAML 1.2 reads as text)."""

WORDS_FILE = "words.yaml"
"""The suggestions' file, in the bundled `data/` (always that one: a suggestion is not content)."""


Meant = dict[str, str | list[str]]
"""A word -> the value, or values, it likely means."""


class WordsFile(BaseModel):
    """data/words.yaml's shape, checked by `ncm validate` of the pack: per field, each word
    and the value or values it likely means."""

    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)  # built if read

    kind: Meant = {}
    formality: Meant = {}
    integration_form: Meant = {}
    scope: Meant = {}
    lead: Meant = {}
    population: Meant = {}
    practices: Meant = {}
    objectives: Meant = {}


def _norm(word: str) -> str:
    """A word as compared with data/words.yaml: lower case, spaces, hyphens and underscores
    alike."""
    return " ".join(re.split(r"[\s_\-]+", word.strip().lower())).strip()


@functools.cache
def words() -> dict[str, dict[str, list[str]]]:
    """data/words.yaml: per field, the words an analyst may write and the values they likely
    mean (suggestions only). Empty when the file cannot be read: a suggestion is a help, never
    a reason to fail."""
    try:
        raw = parse(read_text(bundled_content_dir() / WORDS_FILE))
    except (LoadError, OSError):
        return {}
    out: dict[str, dict[str, list[str]]] = {}
    for field, table in (raw or {}).items() if isinstance(raw, dict) else ():
        if isinstance(table, dict):
            out[str(field)] = {
                _norm(str(k)): [str(x) for x in (v if isinstance(v, list) else [v])]
                for k, v in table.items()
            }
    return out


def suggest(given: str, expected: list[str], field: str) -> str | None:
    """ "did you mean ...?" for a value not allowed: a word of data/words.yaml for this field
    first (`council` -> local_authority), else the closest allowed value by spelling."""
    meant = [m for m in words().get(field, {}).get(_norm(given), []) if m in expected]
    if not meant:
        spelt = _norm(given).replace(" ", "_")
        meant = difflib.get_close_matches(spelt, expected, n=1) or difflib.get_close_matches(
            given, expected, n=1
        )
    if not meant:
        return None
    return "did you mean " + " or ".join(f"'{m}'" for m in meant) + "?"


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
    """The type without `Annotated` and without `| None`."""
    return _peel(tp)[0]


def _peel(tp: Any) -> tuple[Any, dict[str, Any]]:
    """The type without `Annotated` and `| None` around it, and the constraints the
    `Annotated` layers carried (a union of several types is kept whole)."""
    found: dict[str, Any] = {}
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            args = typing.get_args(tp)
            for meta in args[1:]:
                for m in [meta, *getattr(meta, "metadata", [])]:
                    for key in ("ge", "le", "gt", "lt", "min_length", "max_length"):
                        if getattr(m, key, None) is not None:
                            found[key] = getattr(m, key)
            tp = args[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp, found
            tp = members[0]
        else:
            return tp, found


def _what_it_holds(model: Any, loc: tuple[Any, ...], expected: Any) -> str | None:
    """A required field left out, in plain words from the schema: its kind of value and what
    it is for (`name`: "text, the partnership's name"), else None."""
    parent = _type_at(model, loc[:-1]) if loc else None
    field = (
        parent.model_fields.get(str(loc[-1]))
        if isinstance(parent, type) and issubclass(parent, BaseModel)
        else None
    )
    meaning = (field.description or "").strip().rstrip(".") if field is not None else ""
    if meaning[:1].isupper() and meaning[1:2].islower():
        meaning = meaning[0].lower() + meaning[1:]  # "The partnership's name." mid-sentence
    shape = describe(expected)
    return ", ".join(x for x in (shape, meaning) if x) or None


def _type_at(model: Any, loc: tuple[Any, ...], keep: bool = False) -> Any:
    """The type at `loc` (a location in the file's terms); `keep`: with its constraints."""
    tp: Any = model
    for part in loc:
        tp = _step(_unwrap(tp), part)
        if tp is None:
            return None
    return tp if keep else _unwrap(tp)
