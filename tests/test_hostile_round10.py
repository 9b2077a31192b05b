"""Hostile input, round 10: the surfaces earlier rounds touched least. `ncm readiness ask` fed
answers longer than a record holds, `ncm compare` of one respondent's copies (profiles and
readiness records of the same date), CI annotations (`ncm validate --format github`) and the
readiness papers' own punctuation. Each test runs the real CLI on real files and fails
without its fix."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ruamel.yaml import YAML

from .conftest import EXAMPLES, posix_only, write

NORTH = EXAMPLES / "north_practices.yaml"


def _record(ncm, tmp_path: Path, name: str = "r.yaml", role: str = "DoF") -> Path:
    out = tmp_path / name
    made = ncm(
        "readiness", "init", str(NORTH), "-o", str(out), "--role", role, "--organisation", "Org"
    )
    assert made.exit_code == 0, made.output
    return out


def _answers(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))["answers"]


def test_readiness_ask_refuses_an_owner_longer_than_a_record_holds(ncm, tmp_path: Path) -> None:
    """An owner of 400 characters typed (or piped) at `ncm readiness ask` passed the prompt,
    then the record's model refused it: "ncm: internal error: ValidationError ... String
    should have at most 300 characters" (exit 1), and the status, due date and note given for
    the question were lost. Now the prompt says the limit and asks again, as it does for a
    due date that is not a date; a note over 10,000 characters likewise."""
    record = _record(ncm, tmp_path)
    script = "open\n" + "O" * 400 + "\nDirector of Finance\n2026-01-31\n" + "N" * 10_001
    script += "\nshort note\nsave and stop\n"
    r = ncm("readiness", "ask", str(record), input=script)
    assert r.exit_code == 0, r.output
    assert "internal error" not in r.output and "ValidationError" not in r.output
    assert "owner: at most 300 characters" in r.stderr, r.stderr
    assert "note: at most 10000 characters" in r.stderr, r.stderr
    first = _answers(record)["form_01"]
    assert first["status"] == "open"
    assert first["owner"] == "Director of Finance"
    assert str(first["due"]) == "2026-01-31"
    assert first["note"] == "short note"


def _respondent(profile: Path, role: str, as_of: str) -> Path:
    text = NORTH.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 2")
    text += f"respondent:\n  role: {role}\n  organisation: North Council\nas_of: {as_of}\n"
    return write(profile, text)


def test_compare_says_when_one_respondent_answered_twice_on_one_date(ncm, tmp_path: Path) -> None:
    """Two profiles by one respondent (the same role and organisation) of the same date, a
    copy kept by mistake or an answer sent twice, were counted as two stakeholders who agree
    ("Every stakeholder ranks GP Federation first (2 of 2)") without a word: one person's view
    taken for a partnership's. Two such profiles of different dates are read over time, and
    among three or more the reader is told; now the same date is said too, in every format."""
    a = _respondent(tmp_path / "a.yaml", "Director of Finance", "2026-03-01")
    b = _respondent(tmp_path / "b.yaml", "director of  finance", "2026-03-01")
    c = _respondent(tmp_path / "c.yaml", "GP lead", "2026-03-01")
    for files in ((a, b), (a, b, c)):
        r = ncm("compare", *map(str, files))
        assert r.exit_code == 0, r.output
        said = " ".join(r.stdout.split())
        assert "a and b are one respondent's answers of the same date" in said, said
        md = ncm("compare", *map(str, files), "--format", "md")
        assert "a and b are one respondent's answers of the same date" in " ".join(
            md.stdout.split()
        )
    r = ncm("compare", str(a), str(c))
    assert "same date" not in r.stdout


def test_readiness_compare_refuses_one_stakeholders_two_records_of_one_date(
    ncm, tmp_path: Path
) -> None:
    """Two records of one stakeholder with the same `as_of` (a copy edited apart) were read as
    a change over time, "DoF, Org: 2026-12-01 -> 2026-12-01", the later file name taken as the
    stakeholder's current view and the other's answers left out of the disagreements without a
    word. Neither is later: now it is invalid input (exit 1) naming both files and the line of
    the second's `as_of`. The stakeholder is matched as a profile's respondent is (case and
    spaces aside), so "dof " is the same stakeholder, not a second one who disagrees."""
    a = _record(ncm, tmp_path, "a.yaml")
    b = _record(ncm, tmp_path, "b.yaml", role="dof ")
    text = b.read_text(encoding="utf-8").replace(
        "  form_01:\n    status: not_considered", "  form_01:\n    status: open", 1
    )
    b.write_text(text, encoding="utf-8")
    r = ncm("compare", str(a), str(b))
    assert r.exit_code == 1, r.output
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("as_of:"))
    assert re.search(rf"b\.yaml:{line}:1: as_of: .*same date as .*a\.yaml", r.stderr), r.stderr
    assert "->" not in r.stdout
    later = text.replace("as_of: ", "as_of: 2027-01-01\n#", 1)  # one date apart: over time
    b.write_text(later, encoding="utf-8")
    r = ncm("compare", str(a), str(b))
    assert r.exit_code == 0, r.output
    assert "DoF, Org: " in r.stdout and "-> 2027-01-01" in r.stdout, r.stdout
    assert "form_01: not_considered -> open" in r.stdout


def test_github_annotations_carry_no_raw_control_nor_old_workflow_command(
    ncm, tmp_path: Path
) -> None:
    """`ncm validate --format github` escaped only `%`, CR and LF (and `:` `,` in the file
    name), so a key or a file name from the file put a raw ESC sequence, a bidi override and
    a line separator into the CI log, and `##[error]`, the runner's older command syntax that
    it obeys anywhere in a line, into an annotation: a second, forged error. The text format
    showed them as escapes; the annotations now do the same."""
    folder = tmp_path / "e\x1b[31m##[warning]"
    key = "a\\e[2Jb\\u2028c\\x85d\\u202e##[error]forged"
    write(folder / "p.yaml", f'schema_version: 1\nname: X\nobjectives:\n  "{key}": 3\n')
    r = ncm("validate", str(folder), "--format", "github")
    assert r.exit_code == 1
    (line,) = [ln for ln in r.stdout.splitlines() if ln.startswith("::")]
    assert line.startswith("::error file="), line
    assert ",line=4,col=3,title=ncm validate::" in line
    assert "##[" not in line, line
    assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202e]", line), line
    assert "\\x1b[2J" in line and "\\u202e" in line


def test_readiness_papers_end_a_reason_with_one_full_stop(ncm, tmp_path: Path) -> None:
    """`ncm readiness show --format md` (and html, and so docx) wrote each blocking question's
    reasons as "Because: ... before it is set up.." : the sentence's own full stop, then the
    one the paper adds. One full stop now, whichever way the reason ends."""
    record = _record(ncm, tmp_path)
    for fmt in ("md", "html"):
        r = ncm("readiness", "show", str(record), "--format", fmt)
        assert r.exit_code == 0, r.output
        assert "Because:" in r.stdout
        assert "set up.." not in r.stdout and not re.search(r"[.!?]\.(\s|<|$)", r.stdout)


@posix_only
def test_compare_labels_two_stakeholders_apart_when_their_names_show_alike(
    ncm, tmp_path: Path
) -> None:
    """Labels were made unique on the file names as given, then shown safely: a name holding
    ESC (shown `a\\x1b`) and one holding a backslash, `x`, `1`, `b` (shown the same), or two
    names that are not UTF-8 (each shown with U+FFFD), gave two stakeholders one label, so
    "5 (a\\x1b); 1 (a\\x1b)" said nothing of who holds which view, in every format. Labels
    that would show alike are now numbered in the order given."""
    esc = write(tmp_path / "a\x1b.yaml", NORTH.read_text(encoding="utf-8"))
    text = NORTH.read_text(encoding="utf-8").replace("primary_care: 5", "primary_care: 1")
    lit = write(tmp_path / "a\\x1b.yaml", text)
    r = ncm("compare", str(esc), str(lit), "--format", "json")
    assert r.exit_code == 0, r.output
    labels = [s["label"] for s in json.loads(r.stdout)["stakeholders"]]
    assert labels == ["a\x1b (1)", "a\\x1b (2)"], labels
    said = " ".join(ncm("compare", str(esc), str(lit)).stdout.split())
    assert "5 (a\\x1b (1)); 1 (a\\x1b (2))" in said, said


def test_readiness_ask_says_a_due_date_in_the_right_form_is_no_such_date(
    ncm, tmp_path: Path
) -> None:
    """A due date typed as 2026-02-30 was answered "not a date: write it as YYYY-MM-DD",
    which it is: the prompt now says what a record file says of it, "no such date", and the
    form hint stays for text of another form (2026-W05)."""
    record = _record(ncm, tmp_path)
    script = "open\nCFO\n2026-02-30\n2026-W05\n2026-02-28\n\nsave and stop\n"
    r = ncm("readiness", "ask", str(record), input=script)
    assert r.exit_code == 0, r.output
    assert "no such date: 2026-02-30" in r.stderr, r.stderr
    assert r.stderr.count("not a date: write it as YYYY-MM-DD") == 1, r.stderr
    assert str(_answers(record)["form_01"]["due"]) == "2026-02-28"
