"""More hostile inputs, found by a fresh hunt: each through the real CLI, each failing without
its fix. (The older hunts are in test_hostile.py and test_untrusted_*.py.)"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, write

PROFILE = """\
schema_version: 1
name: "{name}"
partners:
  - name: "p\\0\\x08"
    kind: acute_trust
objectives:
  integrating_primary_care: 3
risks:
  - "r\\0\\x0c\\e[2J"
"""
CONTROLS = "a\\0b\\x0b\\e[31mred\\u202e\\uFFFE\\uFFFF =cmd"
"""A name holding (through YAML escapes) NUL, VT, ESC, a bidi override and the two
noncharacters XML cannot hold."""
WHO = ("--role", "Director of Finance", "--organisation", "North Trust")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return write(tmp_path / "hostile.yaml", PROFILE.format(name=CONTROLS))


def _xml_parts(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))


def test_controls_and_noncharacters_do_not_crash_a_workbook_or_a_word_paper(
    ncm, hostile: Path, tmp_path: Path
) -> None:
    """openpyxl and python-docx refuse text XML cannot hold: that was an internal error."""
    book, paper = tmp_path / "s.xlsx", tmp_path / "p.docx"
    r = ncm("score", str(hostile), "-o", str(book))
    assert r.exit_code == 0, r.output
    r = ncm("report", str(hostile), "-o", str(paper))
    assert r.exit_code == 0, r.output
    for data in (book.read_bytes(), paper.read_bytes()):
        text = _xml_parts(data)
        assert "\\x1b" in text and "\\uffff" in text  # shown as escapes, as on a terminal
        assert "\x1b" not in text and "\x00" not in text and "\uffff" not in text


def test_no_raw_control_reaches_a_markdown_paper_or_summary(
    ncm, hostile: Path, tmp_path: Path
) -> None:
    """`cat north.md` (or a job summary) must not run a terminal escape from a profile."""
    paper = tmp_path / "p.md"
    assert ncm("report", str(hostile), "-o", str(paper)).exit_code == 0
    text = paper.read_text(encoding="utf-8")
    assert "\\\\x1b\\[31mred\\\\u202e" in text  # the escapes, backslash-escaped for Markdown
    bad = [c for c in text if (ord(c) < 32 and c not in "\n") or 0x7F <= ord(c) <= 0x9F]
    assert not bad and "\u202e" not in text and "\uffff" not in text


@pytest.mark.parametrize("value", ["abc", "-5", "1e9", "99999999999999", "253402300800"])
def test_a_malformed_source_date_epoch_is_a_usage_error(
    ncm, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str
) -> None:
    """Was an internal error (xlsx: int('abc'), a year out of range), a "template error" at
    templates/report.md.j2:1:1, or silently ignored (docx, md): output then differed from run
    to run although SOURCE_DATE_EPOCH was set to pin it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    profile = str(EXAMPLES / "north_practices.yaml")
    for args in (
        ("score", profile, "-o", str(tmp_path / "s.xlsx")),
        ("report", profile, "-o", str(tmp_path / "p.md")),
        ("report", profile, "-o", str(tmp_path / "p.docx")),
    ):
        r = ncm(*args)
        assert r.exit_code == 2, (args, r.output)
        assert "$SOURCE_DATE_EPOCH" in r.stderr and repr(value) in r.stderr
        assert "internal error" not in r.stderr and "template" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_last_source_date_epoch_still_makes_a_workbook(
    ncm, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """9999-12-31 is legal, but a zip entry's year stops at 2107: that was an internal error."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    profile = str(EXAMPLES / "north_practices.yaml")
    assert ncm("score", profile, "-o", str(tmp_path / "s.xlsx")).exit_code == 0
    assert ncm("report", profile, "-o", str(tmp_path / "p.docx")).exit_code == 0
    with zipfile.ZipFile(tmp_path / "s.xlsx") as z:
        assert z.infolist()[0].date_time[0] == 2107


def test_output_over_an_input_file_is_refused_even_with_force(ncm, tmp_path: Path) -> None:
    """`-o` naming the profile (or a link to it) with --force replaced the profile with its
    own scores, report or plan."""
    profile = tmp_path / "north.yaml"
    profile.write_bytes((EXAMPLES / "north_practices.yaml").read_bytes())
    other = str(EXAMPLES / "east_care_homes.yaml")
    before = profile.read_bytes()
    (tmp_path / "link.yaml").symlink_to(profile)
    for args in (
        ("score", str(profile), "-o", str(profile), "--format", "json"),
        ("score", str(profile), "-o", str(tmp_path / "link.yaml"), "--format", "csv"),
        ("report", str(profile), "-o", str(profile), "--format", "md"),
        ("plan", str(profile), "-o", str(profile), "--format", "md"),
        ("compare", str(profile), other, "-o", str(profile), "--format", "json"),
    ):
        r = ncm(*args, "--force")
        assert r.exit_code == 2, (args, r.output)
        assert "is an input file" in r.stderr
        assert profile.read_bytes() == before


def test_readiness_show_over_its_record_is_refused(ncm, tmp_path: Path) -> None:
    record = tmp_path / "r.yaml"
    profile = str(EXAMPLES / "north_practices.yaml")
    assert ncm("readiness", "init", profile, "-o", str(record), *WHO).exit_code == 0
    before = record.read_bytes()
    for target in (str(record), profile):
        args = ("readiness", "show", str(record), "--profile", profile, "-o", target)
        r = ncm(*args, "--force", "--format", "json")
        assert r.exit_code == 2 and "is an input file" in r.stderr, r.output
    assert record.read_bytes() == before


def test_compare_and_readiness_show_take_the_format_from_the_suffix(ncm, tmp_path: Path) -> None:
    """Their help says `-o compare.html` / `-o readiness.html`; both wrote a plain-text table
    under that name."""
    a, b = (str(EXAMPLES / n) for n in ("north_practices.yaml", "east_care_homes.yaml"))
    html = tmp_path / "c.html"
    assert ncm("compare", a, b, "-o", str(html)).exit_code == 0
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert ncm("compare", a, b, "-o", str(tmp_path / "c.xlsx")).exit_code == 0
    assert zipfile.is_zipfile(tmp_path / "c.xlsx")
    record = tmp_path / "r.yaml"
    assert ncm("readiness", "init", a, "-o", str(record), *WHO).exit_code == 0
    shown = tmp_path / "r.html"
    assert ncm("readiness", "show", str(record), "-o", str(shown)).exit_code == 0
    assert shown.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_columns_zero_still_prints(ncm, monkeypatch: pytest.MonkeyPatch) -> None:
    """COLUMNS=0 made Rich print nothing at all, with exit 0: a ranking lost in a CI log."""
    monkeypatch.setenv("COLUMNS", "0")
    r = ncm("score", str(EXAMPLES / "north_practices.yaml"))
    assert r.exit_code == 0 and "GP Federation" in r.stdout
    r = ncm("validate", str(EXAMPLES / "north_practices.yaml"))
    assert r.exit_code == 0 and "ok: 1 file valid" in r.stdout


def _closed_stdout(*args: str, cwd: Path) -> tuple[int, str]:
    """`ncm ARGS >&-` in a child process: the closed descriptor is what is tested."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "ncm_toolkit", *args],
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),  # the child starts with stdout closed
        cwd=cwd,
        env=env,
        text=True,
        timeout=60,
    )
    return proc.returncode, proc.stderr


def test_a_closed_stdout_is_one_line_and_never_takes_an_output_file(tmp_path: Path) -> None:
    """Python leaves sys.stdout None when descriptor 1 is closed: `validate` and `--format
    json` were internal errors, a table was lost with exit 0, `--version` a traceback. A
    command writing a file (-o) still works, and the file does not take descriptor 1."""
    profile = str(EXAMPLES / "north_practices.yaml")
    for args in (
        ("validate", profile),
        ("score", profile, "--format", "json"),
        ("score", profile),
        ("--version",),
    ):
        code, err = _closed_stdout(*args, cwd=tmp_path)
        assert code == 1, (args, err)
        assert err.strip().splitlines() == [
            "ncm: error: <stdout>: cannot use it: Bad file descriptor"
        ]
    code, err = _closed_stdout("score", profile, "-o", "s.json", cwd=tmp_path)
    assert code == 0, err
    assert (tmp_path / "s.json").read_text(encoding="utf-8").startswith("{")


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("true", "schema_version: expected a whole number, got true"),
        ("2.0", "schema_version: expected a whole number, got 2.0"),
        ('"2"', "schema_version: expected the number 2, got text '2' (hint: write 2 "),
    ],
)
def test_a_schema_version_must_be_written_as_a_number(
    ncm, tmp_path: Path, written: str, message: str
) -> None:
    """`true` and `2.0` equal 1 and 2 in Python, so they passed as versions; `"2"` was
    answered "unknown value '2' (hint: did you mean '2'?)"."""
    body = (EXAMPLES / "north_practices.yaml").read_text(encoding="utf-8")
    profile = write(
        tmp_path / "p.yaml", body.replace("schema_version: 1", f"schema_version: {written}")
    )
    r = ncm("validate", str(profile))
    assert r.exit_code == 1 and f"p.yaml:1:17: {message}" in r.stderr, r.output
    version = written.replace("2", "1")  # a readiness record's only version is 1
    record = write(tmp_path / "r.yaml", f"kind: readiness\nschema_version: {version}\n")
    assert "schema_version: expected" in ncm("validate", str(record)).stderr


def test_a_null_key_is_located_on_its_line(ncm, tmp_path: Path) -> None:
    """`~: 3` was reported at 1:1 (top level) or at the mapping around it (in a partner)."""
    top = write(tmp_path / "top.yaml", "schema_version: 1\nname: X\n~: 3\n")
    partner = write(
        tmp_path / "partner.yaml",
        "schema_version: 1\nname: X\npartners:\n  - name: A\n    kind: acute_trust\n"
        "    ~: x\nobjectives:\n  integrating_primary_care: 3\n",
    )
    assert "top.yaml:3:" in ncm("validate", str(top)).stderr
    assert "partner.yaml:6:" in ncm("validate", str(partner)).stderr


def test_validate_refuses_a_decision_form_that_plan_and_report_refuse(ncm, tmp_path: Path) -> None:
    """`ncm validate` passed a profile whose decision names no form of the pack; `ncm plan`
    and `ncm report` then refused it, so CI went green on a profile that cannot be reported."""
    profile = write(
        tmp_path / "p.yaml",
        "schema_version: 2\nname: X\nobjectives:\n  integrating_primary_care: 3\n"
        "decision: {option: gp_federation, form: no_such_form}\n",
    )
    r = ncm("validate", str(profile))
    assert (
        r.exit_code == 1 and "p.yaml:5:41: decision.form: unknown form 'no_such_form'" in r.stderr
    )
    assert ncm("report", str(profile), "-o", str(tmp_path / "p.md")).exit_code == 1
    profile.write_text(profile.read_text().replace("no_such_form", "alliance"))
    assert ncm("validate", str(profile)).exit_code == 0


def test_init_shows_a_file_name_safely_and_suggests_commands_that_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ncm init` echoed the file name raw (click strips ANSI only off a terminal, so an ESC
    reached the terminal), and suggested `ncm validate -x.yaml` (an option) or `ncm validate
    my profile.yaml` (two files)."""
    from typer.testing import CliRunner

    from ncm_toolkit.cli.main import app

    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(app, ["init", "--", "-a\x1b[31m b.yaml"], color=True)
    assert run.exit_code == 0, run.output
    assert "\x1b" not in run.stderr and "wrote -a\\x1b[31m b.yaml" in run.stderr
    assert "`ncm validate './-a\\x1b[31m b.yaml'`" in run.stderr
    assert (tmp_path / "-a\x1b[31m b.yaml").is_file()


def test_migrate_shows_a_file_name_through_term(ncm, tmp_path: Path) -> None:
    """`ncm migrate` printed the file name raw (`print`, not through `safe_text.term`)."""
    name = tmp_path / "e\x1b[31mvil.yaml"
    name.write_bytes((EXAMPLES / "north_practices.yaml").read_bytes())
    for said in ("migrated to version 2", "already version 2, unchanged"):
        r = ncm("migrate", str(name))
        assert r.exit_code == 0 and "\x1b" not in r.stdout
        assert f"e\\x1b[31mvil.yaml: {said}" in r.stdout


def test_a_system_error_names_the_path_through_term(ncm, tmp_path: Path) -> None:
    """A system error (here: a missing folder) quoted the path raw in `ncm: error: PATH: ...`."""
    target = tmp_path / "no\x1b]such" / "s.json"
    r = ncm("score", str(EXAMPLES / "north_practices.yaml"), "-o", str(target))
    assert r.exit_code == 1 and "\x1b" not in r.stderr and "no\\x1b]such" in r.stderr


def test_compare_refuses_one_file_given_twice(ncm, tmp_path: Path) -> None:
    """`ncm compare a.yaml ./a.yaml` compared a stakeholder with itself: "every stakeholder
    ranks ... first (2 of 2)", agreement out of nothing."""
    a = tmp_path / "a.yaml"
    a.write_bytes((EXAMPLES / "north_practices.yaml").read_bytes())
    (tmp_path / "b.yaml").symlink_to(a)
    r = ncm("compare", str(a), str(tmp_path / "." / "a.yaml"))
    assert r.exit_code == 2 and "a.yaml is given twice" in r.stderr, r.output
    r = ncm("compare", str(a), str(tmp_path / "b.yaml"))
    assert r.exit_code == 2 and "(the same file)" in r.stderr, r.output
