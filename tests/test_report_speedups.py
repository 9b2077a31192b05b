"""The HTML paper's guidance and currency notes are made once per content pack
(`report.HtmlPieces`, in the pack's derived data): two packs in one process each print their
own, and a paper still prints each bullet and note once (issue 13)."""

from __future__ import annotations

import dataclasses
import re

from ncm_toolkit import load_pack, load_profile, render_report
from ncm_toolkit.content import ContentPack

from .conftest import EXAMPLES


def _profile() -> object:
    profile, diags = load_profile(EXAMPLES / "north_practices.yaml")
    assert profile is not None, diags
    return profile


def _reworded(pack: ContentPack, word: str) -> ContentPack:
    """A second pack in memory: every option's first benefit and every currency note end with
    WORD (a pack of its own: nothing derived is carried over)."""
    options = {
        k: o.model_copy(
            update={
                "benefits": [
                    b.model_copy(update={"text": f"{b.text} {word}"}) for b in o.benefits[:1]
                ]
                + o.benefits[1:]
            }
        )
        for k, o in pack.options.items()
    }
    notes = [n.model_copy(update={"text": f"{n.text} {word}"}) for n in pack.currency.notes]
    currency = pack.currency.model_copy(update={"notes": notes})
    return dataclasses.replace(pack, options=options, currency=currency)


def test_two_packs_in_one_process_each_print_their_own_guidance_and_notes() -> None:
    first = load_pack()
    second = _reworded(load_pack(), "Zanzibar")
    profile = _profile()
    before = render_report(first, profile)
    other = render_report(second, profile)
    again = render_report(first, profile)
    assert before == again and "Zanzibar" not in before
    # the second pack's benefits (Appendix A) and notes (under the statements they qualify)
    assert re.search(r"<li>[^<]* Zanzibar", other)
    assert re.search(r'<p class="currency">.*? Zanzibar <span class="currency__source">', other)
    assert first.derived["html_pieces"] is not second.derived["html_pieces"]


def test_a_paper_prints_each_bullet_and_note_once() -> None:
    paper = render_report(load_pack(), _profile())
    items = re.findall(r"^  <li>(.*?)(?:    <p class=\"currency\"|</li>)", paper, re.M)
    assert items and len(items) == len(set(items))
    notes = re.findall(r'<p class="currency">(.*?)</p>', paper)
    assert notes and len(notes) == len(set(notes))


def test_a_copied_pack_starts_with_nothing_derived() -> None:
    """`dataclasses.replace` makes a new pack: it must not share the original's derived data
    (the scoring plan, the acceptability draws, the paper's pieces), or the copy would score
    and print with the original's rules and words."""
    from ncm_toolkit import score_profile

    pack = load_pack()
    score_profile(pack, _profile())
    assert pack.derived  # the scoring plan, made once for this pack
    copy = dataclasses.replace(pack)
    assert copy.derived == {} and copy.derived is not pack.derived
