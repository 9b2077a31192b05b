"""What a first-time user tripped on in `ncm assess` (H48's walk in tmux), each fixed and
kept fixed: the engine driven by the scripted asker of test_interview_engine, the layout by
Rich consoles of a fixed width."""

from __future__ import annotations

from pathlib import Path
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


def _printed(width: int, draw: Any) -> list[str]:
    """What `draw(console)` prints on a terminal `width` columns wide, as plain lines."""
    import io

    from rich.console import Console

    out = io.StringIO()
    draw(Console(file=out, width=width, highlight=False, color_system=None, soft_wrap=False))
    return out.getvalue().splitlines()


def test_reasons_and_pros_wrap_under_their_own_text(pack: Any) -> None:
    """The result screen's reasons for the top three, and each form's pros, cons and needs,
    went back to column 0 when they wrapped at 80 columns: one block, hard to read."""
    from ncm_toolkit.cli.assess_end import _hang, result_screen
    from ncm_toolkit.profile import Profile
    from ncm_toolkit.scoring import score_profile

    objectives = {"integrating_primary_care": 5, "integrating_primary_and_secondary_care": 4}
    profile = Profile.model_validate({**RISKS_FIRST, "objectives": objectives})
    result = score_profile(pack, profile)
    lines = _printed(80, lambda c: result_screen(c, pack, result, None))
    start = next(i for i, ln in enumerate(lines) if ln.startswith("  1. "))
    following = lines[start + 1]
    assert following.startswith("     "), lines[start : start + 3]  # under the text, not at 0
    pro = "Economies of scale cut management costs, and care is better coordinated " * 2
    lines = _printed(60, lambda c: _hang(c, "+", pro, 2))
    assert len(lines) > 1 and all(ln.startswith("    ") for ln in lines[1:]), lines
    assert all(len(ln) <= 60 for ln in lines)


def test_help_read_before_its_question_stands_alone(pack: Any) -> None:
    """Help is printed above its question, so it is read first: "For example, a provider..."
    came before anything it was an example of; and a user without the slide packs was sent
    to "the legal models in the pack", "Module 1" or "(Hempsons)"."""
    texts = [s.intro or "" for s in pack.quick_guide.steps]
    texts += [q.help or "" for s in pack.quick_guide.steps for q in s.questions]
    for text in texts:
        assert not text.lower().startswith("for example"), text
        for pointer in ("in the pack", "the pack names", "module 1", "(hempsons)"):
            assert pointer not in " ".join(text.lower().split()), text
    capitated = next(
        q for s in pack.quick_guide.steps for q in s.questions if q.id == "capitated_budget"
    )
    assert "capitated budget is" in (capitated.help or "")  # the term said before it is used


@pytest.mark.parametrize("fmt", ["html", "none"])
def test_the_end_says_what_to_open_and_what_comes_next(
    pack: Any, tmp_path: Any, capsys: Any, monkeypatch: Any, fmt: str
) -> None:
    """The interview ended on "Report written: FILE" (or, with no report, on "Profile saved")
    and the workforce list pointed at `ncm plan PROFILE` though the profile had a name."""
    import typer

    from ncm_toolkit.cli.assess_end import finish

    monkeypatch.chdir(tmp_path)
    saved = Path("north.yaml")  # in tmp_path: short, never wrapped
    steps: list[tuple[str, Any]] = [
        ("Which option", "mcp"),
        ("organisational form", "alliance"),
        ("Who agreed", "Joint programme board"),
        ("Save the profile as", str(saved)),
        ("Write a report", fmt),
    ]
    if fmt == "html":
        steps.append(("Report file", "north.html"))
    s = Script(*steps)
    s.select = lambda q, choices, default: s._next(q.prompt, default)  # type: ignore[method-assign]
    with pytest.raises(typer.Exit):
        finish(pack, dict(RISKS_FIRST), interactive=True, saved=saved, asker=s)
    out = " ".join(capsys.readouterr().out.split())
    assert f"The full list: ncm plan {saved}" in out
    assert f"Next: ncm plan {saved}" in out
    assert f"ncm readiness init {saved} -o ready/ROLE.yaml" in out
    if fmt == "html":
        assert "Open north.html in a browser" in out
    else:
        assert f"ncm report {saved} -o PAPER.html" in out


def test_a_dumb_terminal_is_laid_out_at_its_own_width(tmp_path: Path) -> None:
    """With TERM=dumb (an editor's shell) Rich assumed 80 columns: in a terminal 60 wide the
    introduction and help were broken mid-word by the terminal ("in t" / "he partnership")."""
    import os

    import pexpect

    from tests.conftest import ncm_in_terminal

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env.update(TERM="dumb", PROMPT_TOOLKIT_NO_CPR="1")
    child = ncm_in_terminal("assess", cwd=tmp_path, env=env, rows=20, cols=60)
    child.expect_exact("Esc back")
    rich_part = (child.before or "").split("\x1b")[0]  # before the prompt's own output
    printed = rich_part.replace("\r\n", "\n").split("\n")
    assert any("Who is this assessment for" in ln for ln in printed), printed
    assert all(len(ln) <= 60 for ln in printed), printed
    child.send("\x03")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
