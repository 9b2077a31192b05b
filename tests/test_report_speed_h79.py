"""Issue 13's reports bar (h79): what a batch of board papers shares is made once per pack,
and the quick tests of a page's safety scan give the answers of the plain searches."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ncm_toolkit import load_pack, load_profile, safe_text
from ncm_toolkit.render.report import ReportInput, environment, render, render_bytes
from ncm_toolkit.scoring import score_profile

from .conftest import EXAMPLES, PROPERTY_EXAMPLES


@settings(max_examples=PROPERTY_EXAMPLES * 5, deadline=None)
@given(st.binary(max_size=40) | st.text(alphabet="#[a", max_size=300).map(str.encode))
def test_the_bracket_search_finds_what_in_finds(data: bytes) -> None:
    assert safe_text._holds_hash_bracket(data) is (b"##[" in data)


def test_many_brackets_before_the_first_command_are_still_searched() -> None:
    page = b"[a" * 200 + b"##["
    assert safe_text._holds_hash_bracket(page)
    assert not safe_text._holds_hash_bracket(b"[#" * 200)


def test_html_bytes_are_html_texts_utf8() -> None:
    for page in ("<p>a\x1b b</p>\n", "<p>\n::error::x ##[y\u202e</p>\n", "<p>plain é</p>\n"):
        assert safe_text.html_bytes(page) == safe_text.html_text(page).encode("utf-8")


def test_a_papers_file_bytes_are_its_text_encoded() -> None:
    pack = load_pack()
    profile, diags = load_profile(EXAMPLES / "north_practices.yaml")
    assert profile is not None, diags
    item = ReportInput(profile, score_profile(pack, profile), "north_practices.yaml")
    env = environment()
    assert render_bytes(pack, item, "html", env) == render(pack, item, "html").encode("utf-8")
    assert render_bytes(pack, item, "md", env) == render(pack, item, "md").encode("utf-8")


def test_what_plans_share_is_made_once_per_pack() -> None:
    from ncm_toolkit.plan import plan_profile

    pack = load_pack()
    profile, diags = load_profile(EXAMPLES / "north_practices.yaml")
    assert profile is not None, diags
    option = score_profile(pack, profile, False).ranking[0].option
    first = plan_profile(pack, profile, option=option)
    pieces = pack.derived["plan_pieces"]
    again = plan_profile(pack, profile, option=first.option)
    assert pack.derived["plan_pieces"] is pieces
    assert again == first
    # the requirements quoted are the pack's, made once: both plans hold the same objects
    assert [i for f in again.forms for i in f.requires] == [
        i for f in first.forms for i in f.requires
    ]
    assert all(
        a is b
        for a, b in zip(
            [i for f in again.forms for i in f.requires],
            [i for f in first.forms for i in f.requires],
            strict=True,
        )
    )


def test_a_papers_pack_pieces_are_made_once_and_reused() -> None:
    """Two papers of one pack: Module 2's questions and the list items of the pack's text
    (requirements, likely topics, Appendix B's questions) are made for the first, reused by
    the second; the papers are those rendered with a fresh pack."""
    import pickle

    pack = load_pack()
    profile, diags = load_profile(EXAMPLES / "north_practices.yaml")
    assert profile is not None, diags
    item = ReportInput(profile, score_profile(pack, profile), "north_practices.yaml")
    first = render(pack, item, "html")
    questions = pack.derived["module2_questions"]
    heads = dict(pack.derived["html_pieces"].heads)
    assert heads and {k[0] for k in heads} >= {"question", "requires"}
    assert render(pack, item, "html") == first
    assert pack.derived["module2_questions"] is questions
    assert pack.derived["html_pieces"].heads == heads
    fresh = pickle.loads(pickle.dumps(pack))  # derived data left behind
    assert render(fresh, item, "html") == first
