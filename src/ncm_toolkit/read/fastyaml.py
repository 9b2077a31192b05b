"""The fast path for YAML that is well formed: plain data built straight from libyaml's parser
events (no node tree), for the handful of tags a profile or content file uses.

ruamel's safe constructor costs about twice what libyaml's parsing does (a class built per call,
a resolver walk per scalar, generic dispatch per node). Most files in a batch are ordinary, so
`build` builds them directly and gives up (`None`) on anything unusual: an explicit or unknown
tag, an anchor or alias, a merge key, a duplicate key, an unhashable key, a scalar ruamel
refuses, an empty file. The caller then loads the file again the slow way, which accepts or
refuses it with a located message. The result is the same data either way (a test compares them
value and type for generated and mutated files).

`yamlfile.parse` feeds `build` the events its structural scan (depth, aliases, size) has
checked, in the same pass over the file; `load` is the builder alone, on a whole text.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

try:  # libyaml's parser through ruamel.yaml.clib; absent on PyPy and some platforms
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - exercised only where the C extension is missing
    CParser = None

_P = "tag:yaml.org,2002:"
_STR, _INT, _BOOL, _NULL, _FLOAT, _MAP, _SEQ = (
    _P + s for s in ("str", "int", "bool", "null", "float", "map", "seq")
)
_MEMO_MAX = 4096
_MEMO_TEXT = 64
"""Only short scalars (ids, numbers, booleans) are remembered: a batch of files with long
text must not fill memory through the memo."""
_tags: dict[str, Any] = {}
"""Tag of each plain scalar seen: a profile repeats the same ids, numbers and booleans, and the
resolver's regex walk is the same for the same text under YAML 1.2."""


class Yaml12Resolver(VersionedResolver):
    """YAML 1.2 only: any other `%YAML` directive is refused before parsing, so the version
    need not be looked up again for every scalar (a third of the parse time otherwise)."""

    @property
    def processing_version(self) -> Any:
        return (1, 2)

    @property
    def versioned_resolver(self) -> Any:
        table = self.__dict__.get("_ncm_table")
        if table is None:
            table = self.__dict__["_ncm_table"] = super().versioned_resolver
        return table


class _Unusual(Exception):
    """Something the fast path does not build; the slow path decides."""


class _MemoResolver(Yaml12Resolver):
    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0]:
            tag = _tags.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= _MEMO_TEXT and len(_tags) < _MEMO_MAX:
                    _tags[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


HAVE_LIBYAML = CParser is not None
_resolver = _MemoResolver(version=None)
_scalars = SafeConstructor(loader=SimpleNamespace(_resolver=_resolver))
"""ruamel's own rules, under YAML 1.2, for the rarer int, float and bool spellings (0x1F,
1_000, 1e3, .inf, True)."""


def events(text: str) -> Iterator[Any]:
    """libyaml's parser events, from the parser alone (`YAML.parse` builds a loader class for
    every file and keeps a record of each call in the shared `YAML` object)."""
    parser = CParser(text)
    try:
        while parser.check_event():
            yield parser.get_event()
    finally:
        parser.dispose()


def load(text: str) -> Any | None:
    """The document's data, or None when the file needs the slow path."""
    if CParser is None:
        return None
    try:
        return build(events(text))
    except Exception:  # syntax errors: slow path
        return None


_NO_KEY: Any = object()


def build(stream: Iterator[Any]) -> Any | None:
    """The data of the one document in a parser's event stream, built as the events come (no
    node tree); None for an empty or null document, or, with the stream's remaining events left
    unread, at anything unusual. Errors of the parser itself are raised."""
    stack: list[list[Any]] = []  # [list or dict, key waiting for its value] per open collection
    root: Any = None
    for ev in stream:
        cls = type(ev)
        if cls is ScalarEvent:
            if ev.ctag is not None or ev.anchor is not None:
                return None
            try:
                value = _scalar(ev.value, ev.implicit)
            except Exception:  # a scalar ruamel cannot build either (5000 digits): slow path
                return None
            if value is _NO_KEY:
                return None
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            if ev.ctag is not None or ev.anchor is not None:
                return None
            stack.append([{} if cls is MappingStartEvent else [], _NO_KEY])
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            value = stack.pop()[0]
        elif cls is AliasEvent:
            return None
        else:  # stream and document start and end
            continue
        if not stack:
            root = value
            continue
        top = stack[-1]
        into = top[0]
        if type(into) is list:
            into.append(value)
        elif top[1] is _NO_KEY:
            try:
                if value in into:  # a duplicate key; TypeError for an unhashable one
                    return None
            except TypeError:
                return None
            top[1] = value
        else:
            into[top[1]] = value
            top[1] = _NO_KEY
    return root


def _scalar(text: str, implicit: Any) -> Any:
    """A scalar's value by YAML 1.2's rules, or _NO_KEY for a tag the fast path leaves to the
    slow one (a merge key `<<`, a timestamp)."""
    tag = _resolver.resolve(ScalarNode, text, implicit).suffix
    if tag == _STR:
        return text
    if tag == _INT:
        if text.isdecimal() and text.isascii() and (text[0] != "0" or text == "0"):
            return int(text)
        return _scalars.construct_yaml_int(ScalarNode(tag, text))
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return _scalars.construct_yaml_bool(ScalarNode(tag, text))
    if tag == _FLOAT:
        return _scalars.construct_yaml_float(ScalarNode(tag, text))
    return _NO_KEY
