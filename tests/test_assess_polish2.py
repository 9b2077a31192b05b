"""`ncm assess` as a first-time user meets it at 80x24 and 60x20 (H51's walk in tmux): the
review shows each answer apart from its question, the end prompts' scores read as the
ranking table's, every numbered step says how many there are, wrapped choices hang under
their own first letter."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from ruamel.yaml import YAML

from ncm_toolkit.content import load_pack
from ncm_toolkit.interview import Interview, ReviewItem, review_pages, step_title
from ncm_toolkit.profile import Profile
from ncm_toolkit.scoring import score_profile
from ncm_toolkit.vocabulary import OBJECTIVE_IDS

from .conftest import EXAMPLES, ncm_in_terminal
from .test_interview_engine import Script

SOUTH = EXAMPLES / "south_borough_integration.yaml"


@pytest.fixture(scope="module")
def pack():
    return load_pack()


def _south() -> dict[str, Any]:
    return YAML(typ="safe").load(SOUTH.read_text())


# -- 1. the review page: the answer apart from its question ---------------------------------


def test_review_answer_is_on_its_own_line_after_an_arrow():
    item = ReviewItem("What is the partnership called?", "South Borough", "name")
    assert item.lines(80) == ["What is the partnership called?", "  → South Borough"]
    yes = ReviewItem("Can you do this alone?", "No", "can_do_alone")
    assert yes.lines(80) == ["Can you do this alone?", "  → No"]


def test_review_long_question_and_answer_wrap_apart_within_the_width():
    q = "Describe the partnership in a sentence (optional). " * 2
    a = "Five practices and the trust share one budget for frail older people. " * 3
    lines = ReviewItem(q, a, "description").lines(60)
    arrow = next(n for n, line in enumerate(lines) if line.startswith("  → "))
    assert arrow >= 2  # the question's own lines first, then the answer's
    assert all(not line.startswith(" ") for line in lines[:arrow])  # the question flush
    assert all(line.startswith("    ") for line in lines[arrow + 1 :])  # the answer hangs
    assert " ".join(" ".join(lines[arrow:]).replace("→", "").split()) == " ".join(a.split())
    assert all(len(line) <= 56 for line in lines)


def test_review_list_entries_sit_under_their_question(pack):
    iv = Interview(pack, Script(), _south())
    first = iv.groups()[0]
    lines = [line for i in first.items for line in i.lines(80)]
    assert "  → 4 listed (choose to add or remove)" in lines
    assert "  1. South Borough Hospitals NHS Trust (Acute hospital trust)" in lines
    # a long entry hangs under its own text, not under its number
    entry = ReviewItem("2.", "South Borough Community Health NHS Trust " * 3, "partners:1")
    wrapped = entry.lines(60)
    assert wrapped[0].startswith("  2. South") and all(
        w[:5] == "     " and w[5] != " " for w in wrapped[1:]
    )


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
def test_review_pages_with_answers_apart_still_fit(pack, size):
    width, height = size
    pages = review_pages(Interview(pack, Script(), _south()).groups(), width, height)
    for p in pages:
        used = sum(len(i.lines(width)) for i in p.items)
        assert used + 8 <= height, (p.title, used)


# -- 2. the end prompts: scores as the table shows them ------------------------------------


class Recorder:
    """Takes the default at every end prompt and keeps the choices offered."""

    def __init__(self) -> None:
        self.offered: dict[str, list[Any]] = {}

    def select(self, q: Any, choices: list[Any], default: str | None) -> str:
        self.offered[q.prompt] = choices
        return default or choices[0].value

    def text(self, q: Any, default: str, error: str | None) -> str:
        return default

    def note(self, text: str) -> None:
        return None


def _decide_on(pack, data: dict[str, Any]) -> tuple[Recorder, str]:
    from ncm_toolkit.batch import Scored
    from ncm_toolkit.cli.assess_end import decide
    from ncm_toolkit.render.terminal import score_tables

    profile = Profile.model_validate(data)
    result = score_profile(pack, profile)
    out = io.StringIO()
    console = Console(file=out, width=80, no_color=True)
    score_tables(console, pack, [Scored("p", profile, result, [])], None, False, [])
    rec = Recorder()
    decide(pack, data, result, rec, console, None)
    return rec, out.getvalue()


def test_option_pick_list_scores_read_as_the_table(pack):
    rec, table = _decide_on(pack, _south())
    options = rec.offered["Which option will the partnership pursue?"]
    scores = [re.search(r"\((\d+\.\d\d)(; closed)?\)$", c.title) for c in options]
    assert all(scores), [c.title for c in options]
    for c, m in zip(options, scores, strict=True):
        assert m is not None
        assert f"│ {m.group(1)} │" in table or f"│  {m.group(1)} │" in table, c.title
    assert any(c.title.endswith("(0.00)") for c in options)  # not "(0)"
    # the table marks an option closed: so does the list
    closed = [c for c in options if c.title.endswith("; closed)")]
    assert [c.value for c in closed] == ["enhanced_health_in_care_homes"]
    assert "[closed:" in table


def test_form_pick_list_says_which_forms_do_not_fit(pack):
    from ncm_toolkit.plan import plan_profile

    rec, _ = _decide_on(pack, _south())
    forms = rec.offered["Which organisational form do the partners agree?"]
    option = rec.offered["Which option will the partnership pursue?"][0].value
    profile = Profile.model_validate({**_south(), "decision": None, "schema_version": 2})
    plan = plan_profile(pack, profile, option)
    fits = {f.form: f.fits for f in plan.forms}
    assert not all(fits.values()), "the test needs a form that does not fit"
    for c in forms:
        assert c.title.endswith(" (does not fit)") == (not fits[c.value]), c.title


def _result_text(pack, data: dict[str, Any]) -> str:
    from ncm_toolkit.cli.assess_end import result_screen

    result = score_profile(pack, Profile.model_validate(data))
    out = io.StringIO()
    result_screen(Console(file=out, width=200, no_color=True), pack, result, None)
    return out.getvalue()


def test_tie_and_cap_totals_read_as_the_table(pack):
    tied = _result_text(  # a shared first rank at 21.30: ":g" printed "21.3"
        pack,
        {
            "name": "t",
            "objectives": {
                "integrating_primary_and_secondary_care": 3,
                "integrating_health_and_social_care": 4,
            },
        },
    )
    assert "share the first rank with equal totals (21.30)" in " ".join(tied.split()), tied
    capped = _result_text(
        pack,
        {
            "schema_version": 2,
            "name": "gp",
            "objectives": dict.fromkeys(OBJECTIVE_IDS, 5),
            "partners": [
                {"name": "A", "kind": "gp_practice"},
                {"name": "B", "kind": "gp_practice"},
            ],
            "sustainability": {"configuration_must_change": True},
            "structure": {"lead": "general_practice"},
        },
    )
    assert re.search(r"the parts add up to \d+\.\d\d, shown as 100\.00", capped), capped


# -- 3. the step count on every numbered step ----------------------------------------------


def test_every_numbered_step_says_its_count_the_structure_too(pack):
    steps = pack.quick_guide.steps
    last = max(s.number for s in steps)
    titles = {s.id: step_title(s, steps) for s in steps}
    assert titles["structure"].startswith(f"Step {last} of {last}: The partnership's structure")
    for s in steps:
        if s.number >= 1:
            assert titles[s.id].startswith(f"Step {s.number} of {last}: "), titles[s.id]
    assert titles["about"] == "The partnership"  # the preliminaries: no number


class SkipAll(Script):
    """ "Not known" or nothing to every question; the review done at once."""

    def select(self, q: Any, choices: list[Any], default: str | None) -> str:
        return "not_known"

    def text(self, q: Any, default: str, error: str | None) -> str:
        return ""

    def review(self, page: Any, problems: list[str]) -> str:
        return "done"


def test_structure_heading_shown_with_its_count(pack):
    data = {k: v for k, v in _south().items() if k not in ("structure", "respondent")}
    s = SkipAll()
    Interview(pack, s, data).run()
    assert s.headings == [
        "Step 6 of 6: The partnership's structure (the source's distinctions between the options)"
    ]


# -- 4. wrapped choices hang under their own first letter ----------------------------------


@pytest.mark.parametrize(("kind", "lead"), [("numbered", 6), ("tick", 5), ("filter", 3)])
def test_wrapped_choice_continues_under_its_first_letter(monkeypatch, kind, lead):
    from ncm_toolkit.cli.assess_asker import CHOICE_LEAD, TerminalAsker

    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("LINES", "20")
    asker = TerminalAsker(Console(file=io.StringIO(), width=60))
    title = "Independent organisations join a group under common control of one board"
    assert CHOICE_LEAD[kind] == lead
    lines = asker._title(title, CHOICE_LEAD[kind]).split("\n")
    assert len(lines) > 1
    for line in lines[1:]:
        assert line.startswith(" " * lead) and line[lead] != " ", lines
    assert all(len(line) + (lead if n == 0 else 0) <= 59 for n, line in enumerate(lines))


def test_numbered_choice_wraps_under_its_title_in_a_terminal(tmp_path: Path):
    """At 60 columns the structure step's second choice wraps: its continuation starts in the
    column of its first letter, past `2) `."""
    import os

    path = tmp_path / "a.yaml"
    path.write_text(
        "# ncm assess: next question: integration_form\n" + SOUTH.read_text(), encoding="utf-8"
    )
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "COLUMNS": "60",
        "LINES": "20",
        "TERM": "xterm",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    child = ncm_in_terminal(
        "assess", "--resume", str(path), cwd=tmp_path, env=env, rows=20, cols=60
    )
    seen = io.StringIO()
    child.logfile_read = seen
    child.expect("Step 6 of 6: The partnership's structure")
    child.expect("None of these")
    child.send("\x03")
    child.expect(__import__("pexpect").EOF)
    child.close()
    text = re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]", "", seen.getvalue())
    lines = text.replace("\r", "").split("\n")
    first = next(n for n, line in enumerate(lines) if "3) Independent organisations" in line)
    col = lines[first].index("Independent")
    cont = lines[first + 1]
    assert cont.strip() and len(cont) - len(cont.lstrip()) == col, (lines[first], cont)


def test_each_adjustment_is_named_once_per_option(pack):
    """The result screen's sentence names an option's largest adjustment with its points, and
    the "adjustment:" lines under it named it again ("partnership of GP practices only (+10)"
    twice for the same option). Now each adjustment is named once; the others keep their line."""
    text = _result_text(
        pack,
        {
            "schema_version": 2,
            "name": "gp",
            "objectives": {"integrating_primary_care": 5},
            "partners": [
                {"name": "A", "kind": "gp_practice"},
                {"name": "B", "kind": "gp_practice"},
            ],
        },
    )
    # GP federation and super-practice, each once
    flat = " ".join(text.lower().split())
    assert flat.count("partnership of gp practices only") == 2, text
    assert "partnership of gp practices only (+10)" in flat, text
