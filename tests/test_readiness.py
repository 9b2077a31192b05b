"""`ncm readiness`: question ids, the record, init / ask / show, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ncm_toolkit.content import load_pack

PROFILE = """\
schema_version: 2
name: South Borough Partnership
partners:
  - {name: South Borough Hospital NHS Trust, kind: acute_trust}
  - {name: South Borough Council, kind: local_authority}
objectives: {integrating_health_and_social_care: 5}
decision: {option: aco_ico, form: merger_acquisition}
"""


def _init(ncm, tmp_path: Path, name: str = "r.yaml", *extra: str) -> Path:
    prof = tmp_path / "prof.yaml"
    prof.write_text(PROFILE)
    out = tmp_path / name
    result = ncm(
        "readiness", "init", str(prof), "-o", str(out),
        "--role", "Director of Finance", "--organisation", "South Borough Council",
        "--as-of", "2026-01-10", *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return out


def _set(path: Path, qid: str, body: str) -> None:
    text = path.read_text()
    old = f"  {qid}:\n    status: not_considered\n"
    assert old in text
    path.write_text(text.replace(old, f"  {qid}:\n{body}"))


def test_every_question_has_a_unique_id() -> None:
    pack = load_pack()
    ids = [q.id for a in pack.considerations.areas for q in a.questions]
    assert len(ids) == 119 and len(set(ids)) == 119
    assert ids[0] == "form_01" and "wf_03" in ids
    topics = [t.id for t in pack.background.topics]
    assert len(topics) == len(set(topics))


def test_duplicate_and_reused_retired_ids_are_located_errors(ncm, pack_copy: Path) -> None:
    cons = pack_copy / "questions" / "considerations.yaml"
    text = cons.read_text(encoding="utf-8").replace("- id: form_02", "- id: form_01", 1)
    text += "retired:\n  - {id: gov_01, note: merged into gov_02}\n"
    cons.write_text(text, encoding="utf-8")
    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1
    assert "considerations.yaml:15:" in result.stderr
    assert "duplicate question id 'form_01'" in result.stderr
    assert "retired id 'gov_01' is in use" in result.stderr


def test_blocking_rules_name_known_questions(ncm, pack_copy: Path) -> None:
    b = pack_copy / "readiness" / "blocking.yaml"
    b.write_text(b.read_text(encoding="utf-8").replace("form_10", "form_99", 1))
    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1 and "blocking.yaml:" in result.stderr
    assert "unknown question id 'form_99'" in result.stderr


def test_init_lists_every_question_explained_and_validates(ncm, tmp_path: Path) -> None:
    out = _init(ncm, tmp_path)
    text = out.read_text()
    assert text.count("status: not_considered") == 119
    assert "# Have contingency plans and exit agreements been thought through and agreed?" in text
    assert "kind: readiness" in text and 'profile: "prof.yaml"' in text
    ok = ncm("validate", str(out))
    assert ok.exit_code == 0 and "1 file valid" in ok.stdout
    again = ncm("readiness", "init", "-o", str(out), "--partnership", "X", "--role", "r",
                "--organisation", "o")  # fmt: skip
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_record_errors_are_located(ncm, tmp_path: Path) -> None:
    out = _init(ncm, tmp_path)
    _set(out, "form_03", "    status: yes\n    due: soon\n")
    result = ncm("validate", str(out))
    assert result.exit_code == 1
    line = out.read_text().splitlines().index("  form_03:") + 2
    assert f":{line}:" in result.stderr and "answers.form_03.status" in result.stderr
    assert "answers.form_03.due" in result.stderr
    show = ncm("readiness", "show", str(out))
    assert show.exit_code == 1 and "answers.form_03.status" in show.stderr


def test_unknown_and_retired_ids_are_reported_not_dropped(
    ncm, tmp_path: Path, pack_copy: Path
) -> None:
    cons = pack_copy / "questions" / "considerations.yaml"
    cons.write_text(
        cons.read_text(encoding="utf-8")
        + "retired:\n  - {id: form_00, note: split into two, replaced_by: form_01}\n"
    )
    out = _init(ncm, tmp_path)
    out.write_text(
        out.read_text() + "  form_00:\n    status: settled\n  zzz_01:\n    status: open\n"
    )
    v = ncm("validate", "--content", str(pack_copy), str(out))
    assert v.exit_code == 1
    assert "question 'form_00' was retired" in v.stderr and "now form_01" in v.stderr
    assert "unknown question id 'zzz_01'" in v.stderr
    show = ncm("readiness", "show", "--content", str(pack_copy), str(out), "--format", "json")
    assert show.exit_code == 0 and "warning:" in show.stderr and "zzz_01" in show.stderr
    # asking keeps them in the file
    asked = ncm("readiness", "ask", "--content", str(pack_copy), str(out), input="settled\n\n")
    assert asked.exit_code == 0
    assert '  "zzz_01":\n    status: open' in out.read_text()


def test_readiness_per_area_counts_partly_as_half(ncm, tmp_path: Path) -> None:
    out = _init(ncm, tmp_path)
    _set(out, "reg_01", "    status: settled\n")
    _set(out, "reg_02", "    status: partly\n")
    _set(out, "reg_03", "    status: not_applicable\n")
    result = ncm("readiness", "show", str(out), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"file", "partnership", "stakeholder", "as_of", "areas", "blocking",
                         "actions"}  # fmt: skip
    reg = next(a for a in data["areas"] if a["area"] == "regulatory")
    assert reg["settled"] == 1.5 and reg["applicable"] == 4 and reg["readiness"] == 0.375
    assert data["stakeholder"] == {"role": "Director of Finance",
                                   "organisation": "South Borough Council"}  # fmt: skip
    assert data["as_of"] == "2026-01-10"


def test_merger_with_a_council_blocks_pensions_and_terms(ncm, tmp_path: Path) -> None:
    out = _init(ncm, tmp_path)
    _set(out, "form_10", "    status: settled\n")
    _set(out, "acc_06", '    status: open\n    owner: "Head of Legal"\n    due: 2026-03-01\n')
    data = json.loads(ncm("readiness", "show", str(out), "--format", "json").stdout)
    blocking = {b["id"]: b for b in data["blocking"]}
    assert "wf_03" in blocking  # other HR implications: terms and conditions, NHS pension
    assert any("Pensions" in r or "pension" in r.lower() for r in blocking["wf_03"]["reasons"])
    assert "form_10" not in blocking  # settled
    assert "acc_06" in blocking
    assert data["actions"][0]["id"] == "acc_06" and data["actions"][0]["owner"] == "Head of Legal"
    # without a profile there is nothing to block
    plain = tmp_path / "plain.yaml"
    plain.write_text(out.read_text().replace('profile: "prof.yaml"\n', ""))
    data = json.loads(ncm("readiness", "show", str(plain), "--format", "json").stdout)
    assert data["blocking"] == [] and data["plan"] is None
    # unless given
    given = ncm("readiness", "show", str(plain), "--format", "json", "--profile",
                str(tmp_path / "prof.yaml"))  # fmt: skip
    assert "wf_03" in {b["id"] for b in json.loads(given.stdout)["blocking"]}


def test_ask_autosaves_goes_back_and_resumes(ncm, tmp_path: Path) -> None:
    out = _init(ncm, tmp_path)
    # form_01 settled (note), form_02 partly (owner, due, note), back to form_02: open
    script = (
        "settled\nagreed\npartly\nHead of HR\n2026-03-01\n\n"
        "back\nopen\n\nnot-a-date\n2026-02-01\n\n"
    )
    result = ncm("readiness", "ask", str(out), input=script)
    assert result.exit_code == 0, result.stderr
    assert "stopped" in result.stderr and "Area 1 of 12" in result.stderr
    text = out.read_text()
    assert '  form_01:\n    status: settled\n    note: "agreed"' in text
    assert '  form_02:\n    status: open\n    owner: "Head of HR"\n    due: 2026-02-01\n' in text
    assert ncm("validate", str(out)).exit_code == 0
    # resume: the answered questions are skipped
    again = ncm("readiness", "ask", str(out), input="not_applicable\n\n")
    assert "[form_03]" in again.stderr and "[form_01]" not in again.stderr
    assert "  form_03:\n    status: not_applicable" in out.read_text()
    # --ask-all asks the answered ones too
    every = ncm("readiness", "ask", str(out), "--ask-all", "--area", "organisational_form",
                input="")  # fmt: skip
    assert "[form_01]" in every.stderr


def test_scripted_asker_and_interruption_keeps_saved_answers(tmp_path: Path) -> None:
    from ncm_toolkit.readiness import render_record
    from ncm_toolkit.readiness_ask import run_ask
    from ncm_toolkit.readiness_schemas import Readiness

    pack = load_pack()
    record = Readiness.model_validate(
        {"kind": "readiness", "schema_version": 1, "partnership": "P",
         "stakeholder": {"role": "r", "organisation": "o"}, "as_of": "2026-01-01"}
    )  # fmt: skip

    class Scripted:
        def __init__(self, answers: list[str | None]) -> None:
            self.answers = answers

        def say(self, text: str) -> None:
            pass

        def choose(self, prompt: str, choices: list[str], default: str) -> str | None:
            return self.answers.pop(0)

        def text(self, prompt: str, default: str) -> str | None:
            return self.answers.pop(0)

    saved: list[str] = []
    got, done = run_ask(
        pack, record, lambda r: saved.append(render_record(pack, r)),
        Scripted(["settled", "", "open", None]),
    )  # fmt: skip
    # interrupted at form_02's owner: its status, already given, is saved; nothing more
    assert not done and len(saved) == 2
    assert got.answers["form_01"].status == "settled"
    assert got.answers["form_02"].status == "open" and got.answers["form_02"].owner is None


def test_show_formats(ncm, tmp_path: Path) -> None:
    out = _init(ncm, tmp_path)
    _set(out, "acc_06", '    status: open\n    owner: "<b>*x*</b>"\n')
    table = ncm("readiness", "show", str(out))
    assert table.exit_code == 0 and "Organisational Form" in table.stdout
    assert "[open]" in table.stdout
    md = ncm("readiness", "show", str(out), "--format", "md")
    assert "| Workforce |" in md.stdout and "<b>" not in md.stdout
    html = ncm("readiness", "show", str(out), "--format", "html", "-o", str(tmp_path / "r.html"))
    assert html.exit_code == 0
    page = (tmp_path / "r.html").read_text()
    assert "<svg" in page and 'aria-describedby="readiness-table"' in page
    assert 'id="readiness-table"' in page and "&lt;b&gt;" in page and "<b>*x*" not in page
    two = ncm("readiness", "show", str(out), str(out), "--format", "json")
    assert len(json.loads(two.stdout)["results"]) == 2


def test_schema_readiness(ncm) -> None:
    result = ncm("schema", "readiness")
    schema = json.loads(result.stdout)
    assert schema["title"] == "ncm readiness record"
    assert "answers" in schema["properties"]


@pytest.mark.parametrize("status", ["settled", "partly", "open", "not_applicable"])
def test_statuses_are_words(ncm, tmp_path: Path, status: str) -> None:
    out = _init(ncm, tmp_path)
    _set(out, "gov_01", f"    status: {status}\n")
    assert ncm("validate", str(out)).exit_code == 0


def test_text_from_records_is_escaped_when_asked(ncm, tmp_path: Path) -> None:
    out = _init(ncm, tmp_path)
    _set(out, "form_01", '    status: open\n    owner: "HR\\u001b[31m\\u202eX"\n')
    result = ncm("readiness", "ask", str(out), "--ask-all", input="open\n\n\n\n")
    assert result.exit_code == 0
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "\\x1b[31m" in result.stderr


def test_assess_readiness_is_the_report_api(tmp_path: Path, ncm) -> None:
    from ncm_toolkit.api import assess_readiness
    from ncm_toolkit.profile import load_profile

    out = _init(ncm, tmp_path)
    profile, _ = load_profile(tmp_path / "prof.yaml")
    result, warnings = assess_readiness(load_pack(), out, profile)
    assert result is not None and warnings == []
    assert "wf_03" in {b.id for b in result.blocking}


def test_show_takes_a_folder(ncm, tmp_path: Path) -> None:
    folder = tmp_path / "ready"
    folder.mkdir()
    _init(ncm, tmp_path, "ready/a.yaml")
    _init(ncm, tmp_path, "ready/b.yaml")
    shown = json.loads(ncm("readiness", "show", str(folder), "--format", "json").stdout)
    data = shown["results"]  # several records: in the envelope, as `results`
    assert [Path(d["file"]).name for d in data] == ["a.yaml", "b.yaml"]
    assert all(d["blocking"] for d in data)  # profile: ../prof.yaml, relative to the record
    empty = tmp_path / "empty"
    empty.mkdir()
    assert ncm("readiness", "show", str(empty)).exit_code == 2


def test_init_makes_the_record_s_folder_as_ncm_init_does(ncm, tmp_path):
    """The README's first readiness command names a folder that does not exist yet."""
    from .conftest import EXAMPLES

    out = tmp_path / "ready" / "dof.yaml"
    made = ncm("readiness", "init", str(EXAMPLES / "north_practices.yaml"), "-o", str(out),
               "--role", "Director of Finance", "--organisation", "North Council")  # fmt: skip
    assert made.exit_code == 0, made.stderr
    shown = ncm("readiness", "show", str(out.parent), "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    assert '"partnership"' in shown.stdout


def test_input_ending_after_a_status_keeps_that_answer(ncm, tmp_path: Path) -> None:
    """No answer dropped: a piped session that ends after a status (before its owner, date or
    note) saves the status and what else was given, then stops."""
    out = _init(ncm, tmp_path)
    result = ncm("readiness", "ask", str(out), input="settled\nagreed\nopen\nHead of HR\n")
    assert result.exit_code == 0, result.stderr
    assert "stopped" in result.stderr
    text = out.read_text()
    assert '  form_01:\n    status: settled\n    note: "agreed"' in text
    assert '  form_02:\n    status: open\n    owner: "Head of HR"\n' in text
    assert ncm("validate", str(out)).exit_code == 0
