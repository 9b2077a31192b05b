"""Placing many errors in one large mapping: each key's value is built once (`_Locator`), and
every error still lands on its own line."""

from __future__ import annotations

from ncm_toolkit.read.loader import locate, node_tree


def test_each_of_many_keys_is_placed_on_its_own_line() -> None:
    text = "answers:\n" + "".join(f"  q{i}: {{status: open}}\n" for i in range(300))
    tree = node_tree(text)
    for i in range(300):
        assert locate(tree, ("answers", f"q{i}"), key=True) == (i + 2, 3)
        column = len(f"  q{i}: {{status: o")  # where the value `open` starts
        assert locate(tree, ("answers", f"q{i}", "status")) == (i + 2, column)
    assert locate(tree, ("answers", "q9999")) == (2, 3)  # missing: its parent, as before


def test_a_key_that_is_a_sequence_is_matched_as_parsed() -> None:
    tree = node_tree("? [a, b]\n: 1\nc: 2\n")
    assert locate(tree, (("a", "b"),)) == (2, 3)
    assert locate(tree, ("c",)) == (3, 4)
