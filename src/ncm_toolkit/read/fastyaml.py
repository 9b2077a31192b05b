"""The fast path for YAML that is well formed: libyaml composes the node tree, and plain data is
built from it here, for the handful of tags a profile or content file uses.

ruamel's safe constructor costs about twice what libyaml's parsing does (a class built per
call, a resolver walk per scalar, generic dispatch per node). Most files in a batch are
ordinary, so `load` builds them directly and gives up (`None`) on anything unusual: an
explicit or unknown tag, a merge key, a duplicate key, an unhashable key, a second document,
an empty file, a syntax error. The caller then loads the file again the slow way, which
accepts or refuses it with a located message. The result is the same data either way
(a test compares them value and type for generated and mutated files).

Structural limits (depth, aliases, size) are checked before this runs (`yamlfile.parse`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
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

_scalars = SafeConstructor()
"""ruamel's own rules for the rarer int, float and bool spellings (0x1F, 1_000, .inf, True)."""


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


if CParser is not None:

    class _Composer(CParser, _MemoResolver):  # type: ignore[misc]
        """libyaml's reader, scanner, parser and composer, with the memoised resolver."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            _MemoResolver.__init__(self, version=None, loadumper=self)


HAVE_LIBYAML = CParser is not None


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
        composer = _Composer(text)
        try:
            node = composer.get_single_node()
        finally:
            composer.dispose()
        return None if node is None else _build(node)
    except Exception:  # syntax errors, two documents, _Unusual, deep recursion: slow path
        return None


def _build(node: Any) -> Any:
    cls, tag = type(node), node.ctag.suffix
    if cls is ScalarNode:
        text = node.value
        if tag == _STR:
            return text
        if tag == _INT:
            if text.isdecimal() and text.isascii() and (text[0] != "0" or text == "0"):
                return int(text)
            return _scalars.construct_yaml_int(node)
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return _scalars.construct_yaml_bool(node)
        if tag == _FLOAT:
            return _scalars.construct_yaml_float(node)
    elif cls is MappingNode and tag == _MAP:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(key_node)
            if key in out:  # also raises TypeError for an unhashable key
                raise _Unusual
            out[key] = _build(value_node)
        return out
    elif cls is SequenceNode and tag == _SEQ:
        return [_build(item) for item in node.value]
    raise _Unusual
