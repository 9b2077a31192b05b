"""User-facing polish through the real CLI: options never silently ignored, `-o -` never a
file named `-`, error messages in plain words (no Pydantic class or type names) and one per
fault, a "wrote" line on stderr for every file written, the interview's help wrapped under its
indent, the "how sure" sentence in the interview's words."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import EXAMPLES, MINIMAL, write

EAST = EXAMPLES / "east_care_homes.yaml"


# -- `-o -` ------------------------------------------------------------------------------------


def test_assess_dash_output_is_a_usage_error(ncm, tmp_path: Path, monkeypatch) -> None:
    """The interview autosaves to its output as it goes: `-o -` wrote a file named `-`."""
    monkeypatch.chdir(tmp_path)
    r = ncm("assess", "--answers", str(EAST), "-o", "-")
    assert r.exit_code == 2
    assert "ncm: error: -o -:" in r.stderr and "give -o FILE" in r.stderr
    assert r.stdout == ""
    assert not (tmp_path / "-").exists()


def test_readiness_init_dash_output_is_stdout(ncm, tmp_path: Path, monkeypatch) -> None:
    """`ncm readiness init -o -` prints the record, as `ncm init -` prints a profile."""
    monkeypatch.chdir(tmp_path)
    profile = write(tmp_path / "p.yaml", MINIMAL)
    r = ncm(
        "readiness",
        "init",
        str(profile),
        "--role",
        "Director",
        "--organisation",
        "Trust",
        "-o",
        "-",
    )
    assert r.exit_code == 0, r.stderr
    assert not (tmp_path / "-").exists()
    assert "kind: readiness" in r.stdout and 'profile: "p.yaml"' in r.stdout
    assert "wrote" not in r.stderr
    record = write(tmp_path / "r.yaml", r.stdout)
    assert ncm("validate", str(record)).exit_code == 0


# -- `--resume` with `--answers` or `-o` -----------------------------------------------------


def test_layer_answers_puts_the_answers_file_over_the_autosave() -> None:
    """Question by question: a question the answers file answers takes its answer whole (the
    objectives with their importances too); the autosave keeps the rest."""
    from ncm_toolkit.content import load_pack
    from ncm_toolkit.interview import layer_answers

    questions = [q for s in load_pack(None).quick_guide.steps for q in s.questions]
    autosave = {
        "schema_version": 2,
        "name": "Mine",
        "objectives": {"integrating_primary_care": 5, "leveraging_technology": 2},
        "sustainability": {"configuration_must_change": True, "can_do_alone": False},
        "structure": {"lead": "general_practice"},
    }
    given = {
        "schema_version": 1,
        "name": "Mine",
        "objectives": {"integrating_back_office": 3},
        "sustainability": {"can_do_alone": True},
        "risks": ["A risk"],
    }
    merged, replaced = layer_answers(autosave, given, questions)
    assert merged == {
        "schema_version": 2,
        "name": "Mine",
        "objectives": {"integrating_back_office": 3},
        "sustainability": {"configuration_must_change": True, "can_do_alone": True},
        "structure": {"lead": "general_practice"},
        "risks": ["A risk"],
    }
    assert replaced == ["objectives", "sustainability.can_do_alone"]
    assert autosave["objectives"] == {"integrating_primary_care": 5, "leveraging_technology": 2}


def test_unattended_resume_is_a_usage_error_naming_answers(ncm, tmp_path: Path) -> None:
    """Without a terminal `--resume` was ignored beside `--answers` (and named nowhere
    without it): now exit 2, saying to pass the file as `--answers`."""
    autosave = write(tmp_path / "a.yaml", MINIMAL)
    for extra in ([], ["--answers", str(EAST)]):
        r = ncm("assess", "--resume", str(autosave), *extra)
        assert r.exit_code == 2, r.stdout
        assert f"--answers {autosave}" in r.stderr and "--resume" in r.stderr
        assert r.stdout == ""


def test_resume_with_answers_and_output_layers_and_saves_elsewhere(tmp_path: Path) -> None:
    """In a terminal: `--resume a.yaml --answers b.yaml -o c.yaml` goes on from a.yaml with
    b.yaml's answers over it, names what b.yaml replaced, saves to c.yaml and leaves a.yaml
    as it was (both options were silently ignored: the autosave alone, saved in place)."""
    from tests.test_assess import CTRL_C, at_review, ended, load, plain, spawn_sized

    autosave = at_review(tmp_path)
    before = autosave.read_text()
    given = write(
        tmp_path / "b.yaml",
        "schema_version: 1\nname: South Borough integrated care partnership\n"
        "objectives:\n  integrating_primary_care: 5\ngovernance:\n  formality: merger\n",
    )
    child = spawn_sized(
        "--resume",
        str(autosave),
        "--answers",
        str(given),
        "-o",
        "c.yaml",
        cwd=tmp_path,
        rows=24,
        cols=80,
    )
    child.expect("Check your answers")
    head = plain(child.before or "")
    child.send(CTRL_C)
    ended(child)
    assert child.exitstatus == 130
    assert "replaces the answers of" in head and "objectives, governance.formality" in head
    assert autosave.read_text() == before
    saved = load(tmp_path / "c.yaml")
    assert saved["objectives"] == {"integrating_primary_care": 5}
    assert saved["governance"]["formality"] == "merger"
    assert saved["governance"]["accountability"].startswith("An alliance board")
    assert len(saved["partners"]) == 4
