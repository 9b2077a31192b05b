"""Board papers made quicker without changing a byte: the finishing pass's quick test for
characters to write as references, and the pack-derived parts of a paper made once per pack."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ncm_toolkit import load_pack, load_profile, safe_text, score_profile
from ncm_toolkit.content import ContentPack
from ncm_toolkit.render.fragments import Fragments
from ncm_toolkit.render.report import (
    HtmlBullets,
    HtmlPieces,
    Part,
    ReportInput,
    build_context,
    environment,
    render,
)

from .conftest import EXAMPLES, PROPERTY_EXAMPLES, ROOT


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


# -- the pack's parts of a paper, made once per pack ----------------------------------------

PROFILES = sorted((ROOT / "tests" / "case_profiles").glob("*.yaml")) + sorted(
    EXAMPLES.glob("*.yaml")
)


def _items(pack: ContentPack) -> list[ReportInput]:
    out = []
    for path in PROFILES:
        profile, _diags = load_profile(path)
        if profile is not None:
            out.append(ReportInput(profile, score_profile(pack, profile), "p.yaml"))
    assert len(out) >= 10
    return out


def _alone(pack: ContentPack, item: ReportInput, part: Part = "all") -> str:
    """The paper rendered with none of the blocks the pack's earlier papers left behind."""
    pack.derived.pop("report_fragments", None)
    return render(pack, item, "html", part=part)


@pytest.fixture(scope="module")
def items() -> list[ReportInput]:
    return _items(load_pack())


def test_a_paper_from_the_shared_fragments_equals_one_rendered_alone(
    items: list[ReportInput],
) -> None:
    pack = load_pack()
    for part in ("all", "appendix"):
        alone = [_alone(pack, i, part) for i in items]
        # every paper after the first meets blocks that earlier papers made, in two orders
        pack.derived.pop("report_fragments")
        assert [render(pack, i, "html", part=part) for i in items] == alone
        assert [render(pack, i, "html", part=part) for i in reversed(items)] == alone[::-1]
        assert pack.derived["report_fragments"].blocks  # the blocks were shared, not remade


def test_two_packs_in_one_process_each_get_their_own_fragments(pack_copy: Path) -> None:
    for model in (pack_copy / "models").glob("*.yaml"):
        text = model.read_text(encoding="utf-8")
        model.write_text(
            text.replace("summary: >-\n  ", "summary: >-\n  In the other pack. ", 1),
            encoding="utf-8",
        )
    ours, other = load_pack(), load_pack(pack_copy)
    profile, _diags = load_profile(EXAMPLES / "north_practices.yaml")
    assert profile is not None
    items = {
        p.digest: ReportInput(profile, score_profile(p, profile), "p.yaml") for p in (ours, other)
    }
    papers = [render(p, items[p.digest], "html") for p in (ours, other, ours, other)]
    assert papers[0] == papers[2] and papers[1] == papers[3]
    assert "In the other pack." not in papers[0]
    assert papers[1].count('<p class="lede">In the other pack. ') >= 3
    assert ours.derived["report_fragments"] is not other.derived["report_fragments"]
    assert papers[1] == _alone(other, items[other.digest])


class _Recording(set[str]):
    """A paper's seen keys that remember every key asked about."""

    asked: set[str]

    def __contains__(self, key: object) -> bool:
        self.asked.add(str(key))
        return super().__contains__(key)


def test_an_options_block_asks_only_about_its_own_keys(items: list[ReportInput]) -> None:
    """`Fragments.option_guidance` keys a block by the paper's seen keys among
    `HtmlPieces.keys_of`: the block must depend on no other key."""
    pack = load_pack()
    fragments = Fragments(environment(), pack)
    for item in items:
        context = build_context(pack, item)
        paper = HtmlBullets(HtmlPieces.of(pack), context["fresh"])
        for top in context["top"]:
            seen = _Recording(paper.fresh.seen)
            seen.asked = set()
            paper.fresh.seen = seen
            fragments.macro("option_guidance")(top.option, top.cases, paper)
            assert seen.asked <= paper.pieces.keys_of(top.option, top.cases)
