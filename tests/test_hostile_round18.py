"""Hostile round 18: the two interviews, `ncm assess` (answers files, `--resume`, the end
prompts) and `ncm readiness ask`. The engine is driven by a scripted asker (`Script` of
`test_interview_engine`); a real terminal only where the behaviour needs one. Each test here
failed before its fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ncm_toolkit.content import load_pack
from ncm_toolkit.interview import Interview
from ncm_toolkit.profile import Draft
from ncm_toolkit.read.loader import load_model
from tests.test_interview_engine import PRIMARY, Script, _finish


@pytest.fixture(scope="module")
def pack() -> Any:
    return load_pack()


LONG = "N" * 10_001
"""One character more than a profile's free text holds."""


def test_an_answer_longer_than_a_profile_holds_is_asked_again(pack: Any, tmp_path: Path) -> None:
    """A name (or a risk, a partner's name) of 10,001 characters, a paste gone wrong, was
    taken and autosaved: the review then said "To fix", and `ncm assess --resume` of the
    autosave refused its own file ("name: must be at most 10000 characters long"), so an
    interview stopped there could not go on. Now the answer is refused beside the question,
    offered again to shorten, and every autosave reads back."""
    out = tmp_path / "a.yaml"
    s = Script(
        ("partnership called", LONG),
        ("partnership called", "North"),
        ("Describe", ""),
        ("Partner name", LONG),
        ("Partner name", "North Surgery"),
        ("kind", "gp_practice"),
        ("Partner name", ""),
        ("Which objectives", [PRIMARY]),
        ("Integrating primary care:", "4"),
        ("configuration", True),
        ("alone", False),
        ("known risks", LONG),
        ("known risks", "Premises"),
        ("known risks", KeyboardInterrupt),
    )
    iv = Interview(pack, s, {}, out)
    with pytest.raises(KeyboardInterrupt):
        iv.run()
    iv.save()
    assert len(s.errors) == 3 and all("10000 characters" in e for e in s.errors), s.errors
    assert s.defaults["Partner name (empty to finish):"] == ""
    model, diags = load_model(out, Draft)
    assert model is not None, diags
    assert model.name == "North" and model.risks == ["Premises"]
    assert [p.name for p in model.partners] == ["North Surgery"]


def _decide_steps(pack: Any, data: dict[str, Any], *after: tuple[str, Any]) -> Script:
    from ncm_toolkit.plan import plan_profile
    from ncm_toolkit.profile import Profile

    form = plan_profile(pack, Profile.model_validate({**data, "schema_version": 2}), "mcp").form
    return Script(
        ("option will the partnership pursue", "mcp"),
        ("organisational form", form),
        *after,
    )


def test_who_agreed_longer_than_a_decision_holds_is_asked_again(
    pack: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Who agreed this?" answered with 201 characters (a decision's `agreed_by` holds 200)
    was an internal error (pydantic's ValidationError) after the whole interview, and the
    decision was lost; now it is refused beside the question and asked again."""
    monkeypatch.chdir(tmp_path)
    data: dict[str, Any] = {"name": "t", "objectives": {PRIMARY: 4}}
    s = _decide_steps(
        pack,
        data,
        ("Who agreed", "B" * 201),
        ("Who agreed", "joint programme board"),
        ("Save the profile as", ""),
        ("Write a report", "none"),
    )
    assert _finish(pack, data, s, tmp_path / "p.yaml") == 0
    assert not s.steps
    assert s.errors and "200 characters" in s.errors[0]
    assert data["decision"]["agreed_by"] == "joint programme board"


def test_end_prompts_refuse_a_name_that_cannot_be_or_promises_another_format(
    pack: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At "Save the profile as:" a name too long for the file system (a paste) was an
    internal error ("OSError: File name too long"); `north.html` there got the profile's YAML,
    and "Report file: paper.yaml" a Markdown paper that `ncm validate .` then reads as a
    broken profile (the options refuse both since round 17). Each is now a note and the
    name asked again."""
    monkeypatch.chdir(tmp_path)
    data: dict[str, Any] = {"name": "t", "objectives": {PRIMARY: 4}}
    s = _decide_steps(
        pack,
        data,
        ("Who agreed", ""),
        ("Save the profile as", "a" * 300 + ".yaml"),
        ("Save the profile as", "north.html"),
        ("Save the profile as", "north.yaml"),
        ("Write a report", "md"),
        ("Report file", "b" * 300 + ".md"),
        ("Report file", "paper.yaml"),
        ("Report file", "paper.html"),
        ("Report file", "paper.md"),
    )
    assert _finish(pack, data, s, tmp_path / "p.yaml") == 0
    assert not s.steps
    assert sorted(p.name for p in tmp_path.iterdir()) == ["north.yaml", "p.yaml", "paper.md"]
    assert len(s.notes) == 5, s.notes
    assert any("html" in n and "YAML" in n for n in s.notes), s.notes


def test_resume_with_answers_taking_the_objectives_asks_no_rating_of_the_autosave(
    pack: Any, tmp_path: Path
) -> None:
    """`ncm assess --resume auto.yaml --answers top.yaml`: the README says a question the
    answers file answers "takes its answer whole (the objectives with their importances)".
    An autosave stopped with an objective still to rate (`# ncm assess: to rate: ...`) had
    that objective asked and added to the answers file's objectives, which named only
    others. Now the answers file's objectives stand as given; the rest goes on."""
    from ncm_toolkit.interview import dump_profile

    base = {"name": "N", "objectives": {PRIMARY: 3}}
    back_office, tech = "integrating_back_office", "leveraging_technology"
    text = dump_profile(base, f"importance:{back_office}", [back_office])
    s = Script(("configuration", KeyboardInterrupt))
    iv = Interview.resumed(pack, s, base, text, tmp_path / "a.yaml", over={"objectives": {tech: 4}})
    assert iv.replaced == ["objectives"]
    with pytest.raises(KeyboardInterrupt):
        iv.run()
    assert iv.data["objectives"] == {tech: 4} and not iv.pending


def test_readiness_ask_with_nothing_to_ask_says_so(ncm: Any, tmp_path: Path) -> None:
    """`ncm readiness ask FILE` on a record whose every question is answered (here each
    `not_applicable`) asked nothing and said "done: every question asked; saved in FILE",
    though nothing was asked or saved; now it says there was nothing to ask and how to ask
    again, and leaves the file as it was."""
    record = tmp_path / "r.yaml"
    made = ncm(
        "readiness", "init", "--partnership", "P", "--role", "DoF", "--organisation", "Org",
        "--as-of", "2026-01-01", "-o", str(record),
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    record.write_text(
        record.read_text(encoding="utf-8").replace("not_considered", "not_applicable"),
        encoding="utf-8",
    )
    before = record.read_bytes()
    for area in ([], ["--area", "workforce"]):
        asked = ncm("readiness", "ask", str(record), *area, input="")
        assert asked.exit_code == 0, asked.stderr
        assert "every question asked" not in asked.stderr
        assert "nothing to ask" in asked.stderr and "--ask-all" in asked.stderr
    assert record.read_bytes() == before


def test_answers_saying_no_partners_and_no_risks_are_answers(ncm: Any, tmp_path: Path) -> None:
    """An answers file with every step answered, `partners: []` and `risks: []` among them
    ("none", as a profile may say), was told "Unanswered in FILE: The partnership; Step 3 of
    6: Risks and accountability. The ranking ignores them." (and a terminal asked both
    again); an empty list given is an answer, kept as written."""
    full = tmp_path / "full.yaml"
    full.write_text(
        "schema_version: 2\nname: North\ndescription: d\npartners: []\n"
        "objectives: {integrating_primary_care: 4}\n"
        "sustainability: {configuration_must_change: true, can_do_alone: false}\nrisks: []\n"
        "commissioning: {functions_remain: true}\n"
        "governance: {formality: contractual, accountability: x}\n"
        "structure: {integration_form: network, scope: whole_organisations, lead: other,"
        " population: place, acute_inside: true, capitated_budget: false, practices: merge,"
        " special_measures: false}\n"
        "respondent: {role: R, organisation: O}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.yaml"
    done = ncm("assess", "--answers", str(full), "-o", str(out))
    assert done.exit_code == 0, done.stderr
    assert "Unanswered" not in done.stdout, done.stdout
    saved = out.read_text(encoding="utf-8")
    assert "partners: []" in saved and "risks: []" in saved


def test_review_lines_of_wide_characters_fit_the_terminal(pack: Any) -> None:
    """The review wrapped answers with `textwrap`, which counts characters: a partner named
    in CJK or a risk with emoji (two columns each) made lines up to twice the width, which
    the terminal broke mid-word, and the page, cut to fit the screen by its line count,
    taller than the screen. Each line now fits in columns, menu pointer included."""
    from rich.cells import cell_len

    from ncm_toolkit.interview import review_pages

    data = {
        "name": "North 🏥🏥🏥🏥🏥🏥🏥🏥🏥🏥 Partnership of hospitals",
        "partners": [{"name": "医院" * 25, "kind": "acute_trust"}],
        "objectives": {PRIMARY: 4},
        "risks": ["⚠️ estates 🏚️🏚️🏚️🏚️🏚️🏚️🏚️🏚️🏚️🏚️🏚️🏚️ and the rest", "Zoë’s café ﷽ עברית"],
    }
    width = 40
    for page in review_pages(Interview(pack, Script(), data).groups(), width, 24):
        for item in page.items:
            for line in item.lines(width):
                assert cell_len(line) + 3 <= width, line  # ` » ` before each line
