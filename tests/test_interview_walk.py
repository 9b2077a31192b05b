"""What a first-time user tripped on in `ncm assess` (H48's walk in tmux), each fixed and
kept fixed: the engine driven by the scripted asker of test_interview_engine, the layout by
Rich consoles of a fixed width."""

from __future__ import annotations

from typing import Any

import pytest

from ncm_toolkit.content import load_pack
from ncm_toolkit.interview import HANDLERS, Back, Interview
from tests.test_interview_engine import Script


@pytest.fixture(scope="module")
def pack() -> Any:
    return load_pack()


RISKS_FIRST = {
    "schema_version": 1,
    "name": "North",
    "objectives": {"integrating_primary_care": 3},
    "sustainability": {"configuration_must_change": True, "can_do_alone": False},
}


def ask(iv: Interview, qid: str) -> None:
    """One question asked as the walk asks it (not from the review)."""
    q = next(x for x in iv.questions if x.id == qid)
    HANDLERS[q.type].ask(iv, q, False)


def test_a_second_risk_typed_after_the_first_is_kept(pack: Any) -> None:
    """The question says "One per entry; leave empty to finish": the second risk typed went
    to a Keep/Add menu instead (its Enter chose "Keep these"), and the risk was lost."""
    s = Script(
        ("known risks", "Lease ends in 2027"),
        ("known risks", "Community trust in financial difficulty"),
        ("known risks", ""),
    )
    iv = Interview(pack, s, dict(RISKS_FIRST))
    ask(iv, "risks")
    assert iv.data["risks"] == ["Lease ends in 2027", "Community trust in financial difficulty"]


def test_back_at_the_next_risk_offers_the_ones_typed(pack: Any) -> None:
    """Back at the next entry goes to the menu of the entries so far (change or remove one);
    "Add another" then goes on typing entries until one is left empty."""
    s = Script(
        ("known risks", "Lease ends"),
        ("known risks", Back),
        ("known risks", "edit:0"),
        ("known risks", "Lease ends in 2027"),
        ("known risks", "add"),
        ("known risks", "Workforce gaps"),
        ("known risks", "Estates"),
        ("known risks", ""),
    )
    iv = Interview(pack, s, dict(RISKS_FIRST))
    ask(iv, "risks")
    assert not s.steps
    assert iv.data["risks"] == ["Lease ends in 2027", "Workforce gaps", "Estates"]
