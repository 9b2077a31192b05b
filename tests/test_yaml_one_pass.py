"""The structural scan and the fast builder share one pass over libyaml's events
(`yamlfile._fast`): where the builder steps aside early, the scan must still see the rest of
the file before the slow path (which has no limits of its own) reads it."""

from __future__ import annotations

import pytest

from ncm_toolkit.read import fastyaml
from ncm_toolkit.read.yamlfile import MAX_DEPTH, LoadError, parse

# Each opens with something the fast builder leaves to the slow path: an explicit tag, an
# alias, a duplicate key, a merge key.
STEP_ASIDE = ["a: !!str x\n", "a: &x 1\nb: *x\n", "a: 1\na: 2\n", "<<: {a: 1}\n"]
BOMB = "l0: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"l{i}: &{chr(97 + i)} [{', '.join([f'*{chr(96 + i)}'] * 10)}]\n" for i in range(1, 6)
)
DEEP = "z: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"


@pytest.mark.parametrize("opening", STEP_ASIDE)
@pytest.mark.parametrize(("tail", "words"), [(BOMB, "alias"), (DEEP, "nesting is deeper")])
def test_the_scan_reads_on_where_the_builder_stops(opening: str, tail: str, words: str) -> None:
    assert fastyaml.load(opening) is None  # the builder does step aside here
    with pytest.raises(LoadError) as refused:
        parse(opening + tail)
    assert words in refused.value.message


def test_an_anchor_alone_is_left_to_the_slow_path() -> None:
    """The builder alone (`fastyaml.load`) must refuse what ruamel refuses: an anchor defined
    twice, with no alias, is an error there (hypothesis found it)."""
    assert fastyaml.load("key: 0\nlist: [&a x, 0]\nmap:\n  0: &a x\n") is None
    with pytest.raises(LoadError, match="anchor &a is already defined"):
        parse("key: 0\nlist: [&a x, 0]\nmap:\n  0: &a x\n")


def test_an_ordinary_file_is_built_in_the_one_pass() -> None:
    text = "a: 1\nb: [x, 2.5, true, null, 0x1F, '3']\nc: {d: e}\n"
    assert parse(text) == fastyaml.load(text)
    assert fastyaml.load(text) == {
        "a": 1, "b": ["x", 2.5, True, None, 31, "3"], "c": {"d": "e"}
    }  # fmt: skip
