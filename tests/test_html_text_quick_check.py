"""`safe_text.html_text` tests a page quickly for a possible workflow command before the
rewrite (whose regular expression cost about 2 ms a board paper, most of the whole-page scan):
the quick test must never miss a page the rewrite would change."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ncm_toolkit import safe_text

from .conftest import PROPERTY_EXAMPLES

TEXT = st.text(alphabet=":#[ \ta\n<>/stylescript", max_size=60)


@settings(max_examples=PROPERTY_EXAMPLES * 5, deadline=None)
@given(TEXT)
def test_the_quick_test_never_misses_what_the_rewrite_changes(page: str) -> None:
    if safe_text._no_workflow_command(page) != page:
        assert safe_text._may_hold_workflow_command(page), repr(page)


def test_an_ordinary_style_sheet_needs_no_rewrite() -> None:
    page = "<style>\n  a::before { content: '' }\n</style>\n<p>North: a::b</p>\n"
    assert not safe_text._may_hold_workflow_command(page)
    assert safe_text.html_text(page) == page
