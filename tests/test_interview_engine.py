"""The interview engine driven by a scripted asker: every path, no terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ncm_toolkit.content import load_pack
from ncm_toolkit.interview import (
    Back,
    Interview,
    NobodyAsker,
    ReviewPage,
    dump_profile,
    read_pending,
    read_progress,
)
from ncm_toolkit.schemas import Choice, Question


@pytest.fixture(scope="module")
def pack():
    return load_pack()


class Script:
    """Answers in order; an exception class or instance in the script is raised instead.
    Each answer is checked against the start of the prompt it is meant for."""

    def __init__(self, *steps: tuple[str, Any]):
        self.steps = list(steps)
        self.asked: list[str] = []
        self.headings: list[str] = []
        self.notes: list[str] = []
        self.errors: list[str] = []
        self.defaults: dict[str, Any] = {}
        self.reviews: list[ReviewPage] = []
        self.screen = (80, 24)

    def _next(self, prompt: str, default: Any = None) -> Any:
        self.asked.append(prompt)
        self.defaults[prompt] = default
        assert self.steps, f"unexpected question: {prompt}"
        expect, answer = self.steps.pop(0)
        assert expect in prompt, f"expected {expect!r}, asked {prompt!r}"
        if isinstance(answer, BaseException) or (
            isinstance(answer, type) and issubclass(answer, BaseException)
        ):
            raise answer
        return answer

    def text(self, q: Question, default: str, error: str | None) -> str:
        if error:
            self.errors.append(error)
        return str(self._next(q.prompt, default))

    def confirm(self, q: Question, default: bool | None) -> bool:
        return bool(self._next(q.prompt, default))

    def select(self, q: Question, choices: list[Choice], default: str | None) -> str:
        answer = str(self._next(q.prompt, default))
        assert answer in {c.value for c in choices}, answer
        return answer

    def checkbox(self, q: Question, choices: list[Choice], checked: list[str], error: str | None):
        if error:
            self.errors.append(error)
        return list(self._next(q.prompt, checked))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def heading(self, title: str, intro: str | None) -> None:
        self.headings.append(title)

    def review(self, page: ReviewPage, problems: list[str]) -> str:
        self.reviews.append(page)
        return str(self._next("REVIEW"))

    def size(self) -> tuple[int, int]:
        return self.screen


PRIMARY, HSC = "integrating_primary_care", "integrating_health_and_social_care"
STRUCTURE = [
    ("come together", "not_known"),
    ("whole organisations", "not_known"),
    ("Who leads", "not_known"),
    ("Which population", "not_known"),
    ("acute hospital", "not_known"),
    ("capitated", "not_known"),
    ("GP practices", "not_known"),
    ("special measures", "not_known"),
    ("Your role", ""),
    ("organisation you answer", ""),
]


def full(*extra: tuple[str, Any]) -> list[tuple[str, Any]]:
    return [
        ("partnership called", "Riverside"),
        ("Describe", ""),
        ("Partner name", "Riverside Surgery"),
        ("kind", "gp_practice"),
        ("Partner name", ""),
        ("Which objectives", [PRIMARY, HSC]),
        ("Integrating primary care:", "5"),
        ("Integrating health and social care:", "4"),
        ("configuration", True),
        ("alone", False),
        ("known risks", "Premises"),
        ("known risks", ""),
        ("commissioning", True),
        ("organisational integration", "contractual"),
        ("governance and accountability", ""),
        *STRUCTURE,
        *extra,
    ]


def test_full_walk_saves_a_valid_profile_with_step_headings(pack, tmp_path):
    out = tmp_path / "a.yaml"
    s = Script(*full(("REVIEW", "score")))
    iv = Interview(pack, s, {}, out)
    data = iv.run()
    assert not s.steps
    assert data["objectives"] == {PRIMARY: 5, HSC: 4}
    assert data["partners"] == [{"name": "Riverside Surgery", "kind": "gp_practice"}]
    assert data["risks"] == ["Premises"]
    assert "Step 2 of 6: Sustainability" in s.headings
    assert s.headings[0] == "The partnership"
    assert read_progress(out.read_text()) == "review"
    groups = iv.groups()
    assert [g.title for g in groups][:3] == [
        "The partnership",
        "Step 1 of 6: Level of integration",
        "Step 2 of 6: Sustainability",
    ]
    flat = {i.action: i.answer for g in groups for i in g.items}
    assert flat["partners:0"] == "Riverside Surgery (GP practice)"
    assert flat[f"importance:{PRIMARY}"].startswith("5")
    assert flat["lead"] == "Not known"


def test_required_text_error_is_shown_with_the_question(pack):
    s = Script(
        ("partnership called", "  "), ("partnership called", "X"), ("Describe", KeyboardInterrupt)
    )
    iv = Interview(pack, s)
    with pytest.raises(KeyboardInterrupt):
        iv.run()
    assert s.errors == ["An answer is required."]
    assert iv.position == "description"
    assert iv.data["name"] == "X"


def test_answers_file_layers_only_the_open_questions_are_asked(pack, tmp_path):
    given = {
        "name": "Given",
        "objectives": {PRIMARY: 4},
        "sustainability": {"configuration_must_change": True, "can_do_alone": False},
    }
    s = Script(
        ("Describe", ""),
        ("Partner name", ""),
        ("known risks", ""),
        ("commissioning", False),
        ("organisational integration", "informal"),
        ("governance", ""),
        *STRUCTURE,
        ("REVIEW", "score"),
    )
    data = Interview(pack, s, dict(given), tmp_path / "o.yaml").run()
    assert not s.steps
    assert data["name"] == "Given" and data["objectives"] == {PRIMARY: 4}
    assert "No partners added" in s.notes[0]


def test_ask_all_revisits_answers_with_them_as_defaults(pack):
    given = {"name": "Given", "objectives": {PRIMARY: 4}}
    s = Script(("partnership called", KeyboardInterrupt))
    iv = Interview(pack, s, dict(given), ask_all=True)
    with pytest.raises(KeyboardInterrupt):
        iv.run()
    assert s.defaults["What is the partnership called?"] == "Given"


def test_unattended_leaves_open_steps_unanswered(pack):
    given = {"name": "Given", "objectives": {PRIMARY: 4}}
    iv = Interview(pack, NobodyAsker(), dict(given))
    data = iv.run()
    assert data == {"name": "Given", "objectives": {PRIMARY: 4}}
    steps = iv.unanswered_steps()
    assert "Step 2 of 6: Sustainability" in steps
    assert "Step 1 of 6: Level of integration" not in steps
    assert "Step 5 of 6: Clarity of purpose" in steps  # the formality, not the free text


def test_unattended_complete_file_names_only_what_counts(pack):
    given = {
        "name": "G",
        "partners": [{"name": "P", "kind": "gp_practice"}],
        "objectives": {PRIMARY: 4},
        "risks": ["r"],
        "sustainability": {"configuration_must_change": True, "can_do_alone": False},
        "commissioning": {"functions_remain": True},
        "governance": {"formality": "informal"},
    }
    iv = Interview(pack, NobodyAsker(), given)
    iv.run()
    assert iv.unanswered_steps() == [
        "Step 6 of 6: The partnership's structure (the source's distinctions between the options)"
    ]


def test_back_goes_to_previous_question_and_keeps_answers(pack):
    s = Script(
        ("partnership called", "A"),
        ("Describe", Back),
        ("partnership called", "B"),
        ("Describe", "d"),
        ("Partner name", "P1"),
        ("kind", Back),  # back to this partner's name, not dropped
        ("Partner name", "P1b"),
        ("kind", "acute_trust"),
        ("Partner name", KeyboardInterrupt),
    )
    iv = Interview(pack, s)
    with pytest.raises(KeyboardInterrupt):
        iv.run()
    assert s.defaults["What is the partnership called?"] == "A"
    assert iv.data["name"] == "B"
    assert iv.data["partners"] == [{"name": "P1b", "kind": "acute_trust"}]
    assert s.defaults["Partner name (empty to finish):"] == ""


def test_interrupted_ratings_are_pending_not_three_and_resume_there(pack, tmp_path):
    out = tmp_path / "a.yaml"
    s = Script(*full()[:7], ("Integrating health and social care:", KeyboardInterrupt))
    iv = Interview(pack, s, {}, out)
    with pytest.raises(KeyboardInterrupt):
        iv.run()
    text = out.read_text()
    assert read_progress(text) == f"importance:{HSC}"
    assert read_pending(text) == [HSC]
    from ruamel.yaml import YAML

    saved = YAML(typ="safe").load(text)
    assert saved["objectives"] == {PRIMARY: 5}  # no invented 3 for the one not rated
    s2 = Script(("Integrating health and social care:", "2"), ("configuration", KeyboardInterrupt))
    iv2 = Interview.resumed(pack, s2, saved, text, out)
    with pytest.raises(KeyboardInterrupt):
        iv2.run()
    assert iv2.data["objectives"] == {PRIMARY: 5, HSC: 2}
    again = YAML(typ="safe").load(out.read_text())  # the resumed file, saved at the interrupt
    assert again["objectives"] == {PRIMARY: 5, HSC: 2}
    assert again["partners"] == [{"name": "Riverside Surgery", "kind": "gp_practice"}]
    assert read_progress(out.read_text()) == "configuration_must_change"


def test_back_after_resume_reaches_the_question_before(pack, tmp_path):
    data = {"name": "N", "objectives": {PRIMARY: 3}}
    text = dump_profile(data, "configuration_must_change")
    s = Script(
        ("configuration", Back),
        ("Integrating primary care:", "5"),
        ("configuration", KeyboardInterrupt),
    )
    iv = Interview.resumed(pack, s, dict(data), text, None)
    with pytest.raises(KeyboardInterrupt):
        iv.run()
    assert iv.data["objectives"] == {PRIMARY: 5}


def test_old_autosave_with_threes_is_read_as_pending(pack):
    data = {"name": "N", "objectives": {PRIMARY: 5, HSC: 3}}
    text = dump_profile(data, f"importance:{HSC}")
    iv = Interview.resumed(pack, Script(), data, text, None)
    assert iv.pending == [HSC] and data["objectives"] == {PRIMARY: 5}


def test_review_change_of_one_importance_and_one_risk(pack, tmp_path):
    out = tmp_path / "a.yaml"
    s = Script(
        *full(("REVIEW", f"importance:{HSC}")),
        ("Integrating health and social care:", "1"),
        ("REVIEW", "risks"),
        ("known risks", "edit:0"),
        ("known risks", "Premises unfit"),
        ("known risks", "add"),
        ("known risks", "Workforce gaps"),
        ("known risks", ""),
        ("REVIEW", "objectives"),
        ("Which objectives", [PRIMARY, "integrating_back_office"]),
        ("Integrating back office", KeyboardInterrupt),
    )
    iv = Interview(pack, s, {}, out)
    with pytest.raises(KeyboardInterrupt):
        iv.run()
    assert iv.data["risks"] == ["Premises unfit", "Workforce gaps"]
    assert iv.data["objectives"] == {PRIMARY: 5}
    assert iv.pending == ["integrating_back_office"]
    # interrupted during a change: the autosave returns to the review, no walk again
    assert read_progress(out.read_text()) == "review"


def test_review_back_reasks_the_last_question_then_returns(pack):
    s = Script(*full(("REVIEW", "back")), ("organisation you answer", "Trust"), ("REVIEW", "score"))
    data = Interview(pack, s).run()
    assert data["respondent"]["organisation"] == "Trust"
    assert data["schema_version"] == 2


def test_score_refused_while_the_profile_is_incomplete(pack):
    s = Script(
        ("REVIEW", "score"), ("REVIEW", "name"), ("partnership called", "N"), ("REVIEW", "score")
    )
    text = dump_profile({"objectives": {PRIMARY: 2}}, "review")
    iv = Interview.resumed(pack, s, {"objectives": {PRIMARY: 2}}, text, None)
    assert iv.run()["name"] == "N"


def test_choice_titles_not_ids_in_review(pack):
    data = {
        "name": "N",
        "objectives": {PRIMARY: 2},
        "structure": {"lead": "acute_trust"},
        "governance": {"formality": "contractual"},
    }
    iv = Interview(pack, Script(), data)
    answers = [i.answer for g in iv.groups() for i in g.items]
    assert "An acute (hospital) trust" in answers
    assert not any("acute_trust" in a for a in answers)


def test_list_remove_and_partner_remove(pack):
    data = {
        "name": "N",
        "risks": ["a", "b"],
        "partners": [{"name": "X", "kind": "gp_practice"}, {"name": "Y", "kind": "acute_trust"}],
    }
    s = Script(
        ("known risks", "drop:0"),
        ("known risks", "keep"),
        ("partner organisations", "drop:1"),
        ("partner organisations", "keep"),
    )
    iv = Interview(pack, s, data)
    iv.change("risks")
    iv.change("partners")
    assert data["risks"] == ["b"]
    assert data["partners"] == [{"name": "X", "kind": "gp_practice"}]


def test_decision_kept_in_dump(pack):
    text = dump_profile({"name": "N", "decision": {"option": "multi_site_trust"}})
    assert text.startswith("schema_version: 2")
    assert "decision:" in text


def test_back_passes_over_notes(pack):
    data = {"name": "N", "objectives": {PRIMARY: 3}}
    text = dump_profile(data, "configuration_must_change")
    s = Script(
        ("configuration", False),
        ("alone", True),
        ("known risks", Back),
        ("alone", KeyboardInterrupt),
    )
    iv = Interview.resumed(pack, s, dict(data), text, None)
    with pytest.raises(KeyboardInterrupt):
        iv.run()
    assert len(s.notes) == 1  # the note was shown once, not again on the way back
    assert s.defaults["Can you do this alone?"] is True


# -- after the ranking: the decision and the end prompts, scripted -------------------------

TIED = {"name": "t", "objectives": {"integrating_primary_and_secondary_care": 2}}


def _finish(pack, data, script, saved):
    import typer

    from ncm_toolkit.cli.assess_end import finish

    with pytest.raises(typer.Exit) as exc:
        finish(pack, data, interactive=True, saved=saved, asker=script)
    return exc.value.exit_code


def test_shared_first_rank_asks_with_no_default_and_saves_the_decision(pack, tmp_path, monkeypatch):
    from ncm_toolkit.plan import top_options
    from ncm_toolkit.profile import Profile

    tied = top_options(pack, Profile.model_validate(TIED))
    assert len(tied) > 1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    data: dict[str, Any] = dict(TIED)
    s = Script(
        ("option will the partnership pursue", tied[1]),
        ("organisational form", "__default__"),
        ("Who agreed", "joint programme board"),
        ("Save the profile as", ""),
        ("Write a report", "none"),
    )
    s.steps[1] = ("organisational form", None)  # filled below with the offered default

    real_select = s.select

    def select(q, choices, default):
        if s.steps and s.steps[0] == ("organisational form", None):
            s.steps[0] = ("organisational form", default)
        return real_select(q, choices, default)

    s.select = select  # type: ignore[method-assign]
    assert _finish(pack, data, s, tmp_path / "p.yaml") == 0
    assert s.defaults["Which option will the partnership pursue?"] is None
    assert any("first rank is shared" in n for n in s.notes)
    d = data["decision"]
    assert d["option"] == tied[1] and d["agreed_by"] == "joint programme board"
    assert str(d["agreed_on"]) == "1970-01-02"
    assert data["schema_version"] == 2
    from ncm_toolkit.read.loader import load_model

    model, diags = load_model(tmp_path / "p.yaml", Profile)
    assert model is not None and model.decision is not None, diags


def test_back_at_the_first_end_prompt_returns_to_the_review(pack, tmp_path):
    s = Script(("option will the partnership pursue", Back))
    data = {"name": "t", "objectives": {PRIMARY: 4}}
    with pytest.raises(Back):
        _finish(pack, data, s, tmp_path / "p.yaml")


def test_declining_to_overwrite_a_report_asks_another_name(pack, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.md").write_text("keep me")
    data = {"name": "t", "objectives": {PRIMARY: 4}}
    top = None

    class Top(Script):
        def select(self, q, choices, default):
            nonlocal top
            if "pursue" in q.prompt:
                top = default
            return super().select(q, choices, default)

    s = Top(
        ("option will the partnership pursue", "mcp"),
        ("organisational form", None),
        ("Who agreed", ""),
        ("Save the profile as", str(tmp_path / "missing" / "p.yaml")),  # no such folder
        ("Save the profile as", ""),
        ("Write a report", "md"),
        ("Report file", "old.md"),
        ("exists. Overwrite", False),
        ("Report file", "new.md"),
    )
    plan_forms = {}

    def select(q, choices, default):
        if "organisational form" in q.prompt:
            plan_forms["default"] = default
            s.steps[0] = ("organisational form", default)
        return Top.select(s, q, choices, default)

    s.select = select  # type: ignore[method-assign]
    assert _finish(pack, data, s, tmp_path / "p.yaml") == 0
    assert (tmp_path / "old.md").read_text() == "keep me"
    assert (tmp_path / "new.md").read_text().startswith("#")
    assert any("Not saved" in n for n in s.notes)
    assert "agreed_by" not in data["decision"]
    decision: Any = data["decision"]
    assert decision["form"] == plan_forms["default"]


def test_resume_keeps_a_hand_edited_file_until_an_answer_changes(pack, tmp_path):
    from ruamel.yaml import YAML

    out = tmp_path / "a.yaml"
    data = {"name": "N", "objectives": {PRIMARY: 3}}
    out.write_text(dump_profile(data, "description") + "# a note the analyst added\n")
    text = out.read_text()
    s = Script(("Describe", KeyboardInterrupt))
    iv = Interview.resumed(pack, s, YAML(typ="safe").load(text), text, out)
    with pytest.raises(KeyboardInterrupt):
        iv.run()
    iv.save()
    assert out.read_text() == text
    s.steps = [("Describe", "d"), ("Partner name", KeyboardInterrupt)]
    with pytest.raises(KeyboardInterrupt):
        iv.run()
    assert "a note the analyst added" not in out.read_text()
    assert read_progress(out.read_text()) == "partners"


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (200, 50)])
def test_review_pages_fit_the_screen_one_step_at_a_time(pack, size):
    from ncm_toolkit.interview import review_pages

    body = Path(__file__).parent.parent / "examples/profiles/south_borough_integration.yaml"
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(body.read_text())
    iv = Interview(pack, Script(), data)
    groups = iv.groups()
    width, height = size
    pages = review_pages(groups, width, height)
    for p in pages:
        used = sum(len(i.lines(width)) for i in p.items)
        # blank line, heading, step title, menu prompt; score, next, previous, back
        assert used + 8 <= height, (p.title, used)
        assert all(len(line) <= width - 4 for i in p.items for line in i.lines(width))
        assert p.count == len(pages)
    # every answer once, in order; a page never mixes two steps
    assert [i.action for p in pages for i in p.items] == [i.action for g in groups for i in g.items]
    titles = {g.title for g in groups}
    assert all(p.title.removesuffix(" (continued)") in titles for p in pages)
    assert len(pages) >= len(groups)
    if height <= 20:  # the partnership's structure (ten answers) runs onto a second page
        assert any(p.title.endswith("(continued)") for p in pages)


def test_review_paging_and_changes_per_list_entry_return_to_the_page(pack, tmp_path):
    s = Script(
        *full(("REVIEW", "next")),
        ("REVIEW", "next"),
        ("REVIEW", "prev"),
        ("REVIEW", "prev"),
        ("REVIEW", "prev"),  # no page before the first: stays
        ("REVIEW", "partners:0"),
        ("Partner name", "Riverside Health Centre"),
        ("kind", Back),  # back to the name, kept
        ("Partner name", "Riverside Health Centre"),
        ("kind", "gp_practice"),
        ("REVIEW", "next"),
        ("REVIEW", "next"),
        ("REVIEW", "next"),
        ("REVIEW", "risks:0"),
        ("known risks", "Premises unfit"),
        ("REVIEW", "score"),
    )
    iv = Interview(pack, s, {}, tmp_path / "a.yaml")
    data = iv.run()
    assert [p.number for p in s.reviews] == [1, 2, 3, 2, 1, 1, 1, 2, 3, 4, 4]
    assert s.reviews[0].title == "The partnership"
    assert "risks:0" in {i.action for i in s.reviews[9].items}
    assert s.defaults["Partner name (empty to remove):"] == "Riverside Health Centre"
    assert data["partners"] == [{"name": "Riverside Health Centre", "kind": "gp_practice"}]
    assert data["risks"] == ["Premises unfit"]


def test_review_emptied_list_entry_is_removed(pack):
    data = {"name": "N", "objectives": {PRIMARY: 2}, "risks": ["A", "B"]}
    text = dump_profile(data, "review")
    s = Script(("REVIEW", "risks:0"), ("known risks", ""), ("REVIEW", "score"))
    out = Interview.resumed(pack, s, data, text, None).run()
    assert out["risks"] == ["B"]
