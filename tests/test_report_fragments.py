"""Board papers made quicker without changing a byte: the finishing pass's quick test for
characters to write as references, and the pack-derived parts of a paper made once per pack."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ncm_toolkit import safe_text

from .conftest import PROPERTY_EXAMPLES


def test_the_quick_search_finds_every_character_the_rewrite_changes() -> None:
    """Every code point of the BMP (where every such character is) and a sample of the rest:
    found exactly when the rewrite's own regular expression finds it."""
    for code in [*range(0x10000), *range(0x10000, 0x110000, 251), 0x10FFFF]:
        ch = chr(code)
        expected = safe_text._HTML_UNSAFE.search(ch) is not None
        assert safe_text._html_unsafe_in(ch) is expected, hex(code)


MIXED = st.text(
    alphabet=st.one_of(
        st.sampled_from("<p>a: \t\n\r–…·\x1b\x85\u200d\u202e\ufeff\ud800\udfff\x7f"),
        st.characters(),
    ),
    max_size=80,
)


@settings(max_examples=PROPERTY_EXAMPLES * 5, deadline=None)
@given(MIXED)
def test_the_quick_search_agrees_with_the_regular_expression(page: str) -> None:
    assert safe_text._html_unsafe_in(page) is (safe_text._HTML_UNSAFE.search(page) is not None)
