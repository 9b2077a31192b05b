"""Text from files and file names, printed: never raw controls on a terminal or in a CI log,
never Rich markup, never a spreadsheet formula, never invalid UTF-8 (issue 12, items 3, 4, 6
and 10). Each test runs the real `ncm` on real files and looks at the bytes it wrote: in-process
(typer's runner gives the same bytes in a twentieth of the time), and in a child process where
the process matters: a file name given on the command line as bytes that are not UTF-8."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncm_toolkit.cli.main import app

from .conftest import EXAMPLES, MINIMAL, write

# What a terminal or a log viewer acts on, or what hides or reorders text.
RAW = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069"
    "\u2028\u2029\ufeff\ud800-\udfff]"
)
# YAML double-quoted escapes: the raw file text holds no control character at all.
HOSTILE = r"\e[31mRED\a\u009b2J\u202eRTL\u2066iso\u200bzw\u2028ls\u0085nel"
TITLE_HOSTILE = r"\e[31mRED\a\u009b2J\u202eRTL\u2066iso\u200bzw"
NEWLINE = r"ok\n::error file=ci.yml,line=1::pwned"


def _arg(a: object) -> str:
    """An argument as the child's sys.argv would hold it: bytes decoded as Python decodes
    the command line (the file system encoding, undecodable bytes as surrogates)."""
    return os.fsdecode(a) if isinstance(a, bytes | Path) else str(a)


class Ran:
    """What `ncm ARGS` did: its exit code and the bytes it wrote to stdout and stderr."""

    def __init__(self, returncode: int, stdout: bytes, stderr: bytes) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run(*args: object, cwd: Path | None = None) -> Ran:
    """`ncm ARGS` in-process (typer's runner: the real app, real files), stdout and stderr
    byte streams that are no terminal, encoded strictly as UTF-8 as under a UTF-8 locale;
    the terminal variables a CI runner may set are removed, NO_COLOR set. The bytes are the
    ones a child process writes; `run_child` starts one where the process itself matters."""
    env = {"FORCE_COLOR": None, "TERM": None, "NO_COLOR": "1", "COLUMNS": "400"}
    with pytest.MonkeyPatch.context() as mp:
        if cwd is not None:
            mp.chdir(cwd)
        result = CliRunner().invoke(app, [_arg(a) for a in args], env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a crash: what a child would print as an internal error
    return Ran(result.exit_code, result.stdout_bytes, result.stderr_bytes)


def run_child(*args: object) -> subprocess.CompletedProcess[bytes]:
    """`ncm ARGS` in a child process with a UTF-8 locale (as CI runners have), stdout a pipe."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TERM")}
    env.update(LC_ALL="C.UTF-8", NO_COLOR="1", COLUMNS="400")
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1] / "src")
    given = [a if isinstance(a, bytes) else _arg(a) for a in args]
    return subprocess.run(
        [sys.executable, "-m", "ncm_toolkit", *given], capture_output=True, env=env
    )


def clean(proc: Ran | subprocess.CompletedProcess[bytes]) -> tuple[str, str]:
    """stdout and stderr as text; each must be valid UTF-8, hold no raw control or invisible
    character, and have no line that a CI runner would read as a workflow command."""
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    out = out.removeprefix("\ufeff")  # CSV's byte-order mark, for Excel: ours, not the file's
    for name, text in (("stdout", out), ("stderr", err)):
        found = RAW.search(text)
        assert found is None, f"raw {found.group()!r} on {name}:\n{text}"
        starts = [line for line in text.splitlines() if line.lstrip().startswith("::")]
        assert not starts, f"a workflow command on {name}: {starts}"
    assert "internal error" not in err, err
    return out, err


def hostile_profile(path: Path, name: str, risk: str = HOSTILE) -> Path:
    return write(
        path,
        f'schema_version: 1\nname: "{name}"\nobjectives:\n  integrating_primary_care: 4\n'
        f'risks:\n  - "{risk}"\n',
    )


def test_score_table_and_explain_show_escapes(tmp_path: Path) -> None:
    hostile_profile(tmp_path / "p.yaml", HOSTILE)
    for extra in ([], ["--explain"]):
        proc = run("score", tmp_path / "p.yaml", *extra)
        out, _ = clean(proc)
        assert proc.returncode == 0
        assert r"\x1bRED" not in out and r"\x1b[31mRED\x07\x9b2J\u202eRTL\u2066iso\u200bzw" in out


def test_a_newline_in_a_name_cannot_start_a_workflow_command(tmp_path: Path) -> None:
    hostile_profile(tmp_path / "p.yaml", NEWLINE, risk=NEWLINE)
    hostile_profile(tmp_path / "q.yaml", NEWLINE, risk="another risk")
    for args in (
        ["score", tmp_path / "p.yaml"],
        ["score", tmp_path / "p.yaml", "--format", "csv"],
        ["compare", tmp_path / "p.yaml", tmp_path / "q.yaml"],  # same name: over time, risks
        ["assess", "--answers", tmp_path / "p.yaml"],  # unattended: the interview's last screen
    ):
        proc = run(*args)
        out, _ = clean(proc)
        assert proc.returncode == 0
        assert r"ok\n\x3a:error file=ci.yml" in out  # no `::` left (test_hostile_round3)


def test_errors_quoting_a_key_or_a_value_show_escapes(tmp_path: Path) -> None:
    write(
        tmp_path / "bad.yaml",
        f'schema_version: 1\nname: x\nobjectives:\n  "{HOSTILE}": 3\n'
        f'partners:\n  - name: "{NEWLINE}"\n    kind: "{HOSTILE}"\n',
    )
    for args in (["validate", tmp_path / "bad.yaml"], ["score", tmp_path / "bad.yaml"]):
        proc = run(*args)
        _, err = clean(proc)
        assert proc.returncode == 1
        assert r"\x1b[31mRED" in err and "bad.yaml:" in err


def test_file_names_with_controls_in_tables_and_diagnostics(tmp_path: Path) -> None:
    name = "x\x1b[2J\u202e\n::error file=a::b"
    good = write(tmp_path / "ok" / (name + ".yaml"), MINIMAL)
    write(tmp_path / "broken" / (name + ".yaml"), "name: [unclosed\n")
    for args, code in (
        (["score", good], 0),
        (["score", tmp_path / "ok", "--format", "csv"], 0),
        (["validate", tmp_path / "broken"], 1),
        (["score", tmp_path / "broken", "--format", "csv"], 1),
        (["report", "--format", "md", "-o", tmp_path / "out", tmp_path / "broken"], 1),
        (["score", tmp_path / "missing\x1b[2J", "--content", tmp_path / "no\x1b]8;;x\x07"], 2),
    ):
        proc = run(*args)
        out, err = clean(proc)
        assert proc.returncode == code, err
        shown = "".join((out + err).split())  # a table's title wraps to the table's width
        assert r"x\x1b[2J\u202e\n\x3a:errorfile=a\x3a:b" in shown or code == 2
    assert r"no\x1b]8;;x\x07" in clean(proc)[1]


@pytest.fixture
def hostile_pack(pack_copy: Path) -> Path:
    """The bundled pack with markup and invisible characters in an option's and a case
    study's titles. (A title is one line: `ncm validate` refuses a line break there, so
    HOSTILE's line and paragraph separators and NEL are left out.)"""
    title = r"GPF [link=https://x.test]click[/link] [/] [bold]" + TITLE_HOSTILE
    for rel, old in (
        ("models/gp_federation.yaml", "title: GP Federation\n"),
        ("case_studies/harness_gp_cooperative.yaml", None),
    ):
        path = pack_copy / rel
        text = path.read_text(encoding="utf-8")
        old = old or next(line + "\n" for line in text.splitlines() if line.startswith("title:"))
        assert old in text
        path.write_text(text.replace(old, f'title: "{title}"\n', 1), encoding="utf-8")
    return pack_copy


LITERAL = "GPF [link=https://x.test]click[/link] [/] [bold]"


def test_pack_titles_are_never_markup_nor_raw_controls(hostile_pack: Path, tmp_path: Path) -> None:
    profiles = [EXAMPLES / "north_practices.yaml", EXAMPLES / "south_borough_integration.yaml"]
    content = ["--content", hostile_pack]
    for args in (
        ["models"],
        ["models", "show", "gp_federation"],
        ["cases"],
        ["cases", "show", "harness_gp_cooperative"],
        ["score", *profiles],
        ["score", *profiles, "--explain"],
        ["compare", *profiles],
        ["score", *profiles, "--format", "table", "-o", tmp_path / "t.txt"],
    ):
        proc = run(*args, *content)
        out, err = clean(proc)
        assert proc.returncode == 0, err
        shown = out or (tmp_path / "t.txt").read_text(encoding="utf-8")
        assert RAW.search(shown) is None
        assert LITERAL in " ".join(shown.split()), (args, shown)


def test_json_keeps_exact_values_with_escaped_invisible_characters(tmp_path: Path) -> None:
    hostile_profile(tmp_path / "p.yaml", HOSTILE)
    proc = run("score", tmp_path / "p.yaml", "--format", "json")
    out, _ = clean(proc)
    expected = "\x1b[31mRED\x07\x9b2J\u202eRTL\u2066iso\u200bzw\u2028ls\x85nel"
    assert json.loads(out)["results"][0]["name"] == expected


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_cells_cannot_be_formulas(tmp_path: Path) -> None:
    names = {
        "=1+1.yaml": '=HYPERLINK("http://x.test","y")',
        "@SUM(1).yaml": "  +cmd|' /C calc'!A0",
        "plain.yaml": "\tat -2+3",
        "number.yaml": "-5",
    }
    for file, name in names.items():
        write(tmp_path / file, MINIMAL.replace("Minimal partnership", json.dumps(name)))
    proc = run("score", ".", "--format", "csv", cwd=tmp_path)
    out, _ = clean(proc)
    rows = {r["profile"]: r for r in csv_rows(out) if r["rank"] == "1"}
    assert set(rows) == {"'=1+1.yaml", "'@SUM(1).yaml", "plain.yaml", "number.yaml"}
    assert rows["'=1+1.yaml"]["name"] == '\'=HYPERLINK("http://x.test","y")'
    assert rows["'@SUM(1).yaml"]["name"] == "'  +cmd|' /C calc'!A0"
    assert rows["plain.yaml"]["name"] == r"'\tat -2+3"  # a TAB first: shown as \t, and quoted
    assert rows["number.yaml"]["name"] == "-5"  # a number stays a number
    assert all(float(r["score"]) >= 0 for r in rows.values())


BAD = b"bad\xff\xfe.yaml"


@pytest.fixture
def non_utf8(tmp_path: Path) -> Path:
    """A folder with a valid profile whose file name is not UTF-8, and another one."""
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), BAD), "w", encoding="utf-8") as fh:
        fh.write(MINIMAL)
    with open(os.path.join(os.fsencode(folder), b"other\xe9.yaml"), "w", encoding="utf-8") as fh:
        fh.write(MINIMAL)
    return folder


SHOWN = "bad\ufffd\ufffd.yaml"


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_non_utf8_file_names_score(non_utf8: Path, tmp_path: Path, fmt: str) -> None:
    given = os.path.join(os.fsencode(non_utf8), BAD)
    proc = run("score", given, "--format", fmt)
    out, err = clean(proc)
    assert proc.returncode == 0, err
    assert SHOWN in out
    target = tmp_path / f"out.{fmt}"
    proc = run("score", non_utf8, "--format", fmt, "-o", target)
    clean(proc)
    assert proc.returncode == 0, proc.stderr
    text = target.read_bytes().decode("utf-8")
    assert SHOWN in text and "other\ufffd.yaml" in text
    if fmt == "json":
        profiles = [r["profile"] for r in json.loads(text)["results"]]
        assert profiles == [str(non_utf8 / SHOWN), str(non_utf8 / "other\ufffd.yaml")]


def test_non_utf8_file_name_on_a_real_command_line(non_utf8: Path) -> None:
    """The bytes reach a real process's argv, undecoded: Python's own decoding of them (the
    in-process tests above pass what it gives) and a real UTF-8 stdout pipe."""
    proc = run_child("score", os.path.join(os.fsencode(non_utf8), BAD), "--format", "table")
    out, err = clean(proc)
    assert proc.returncode == 0, err
    assert SHOWN in out


def test_non_utf8_file_names_report_validate_compare(non_utf8: Path, tmp_path: Path) -> None:
    for fmt in ("md", "html"):
        out_dir = tmp_path / f"reports-{fmt}"
        proc = run("report", non_utf8, "--format", fmt, "-o", out_dir)
        clean(proc)
        assert proc.returncode == 0, proc.stderr
        reports = sorted(out_dir.iterdir())
        assert len(reports) == 2
        assert any(SHOWN in p.read_bytes().decode("utf-8") for p in reports)
    proc = run("validate", non_utf8, "--format", "json")
    out, _ = clean(proc)
    assert json.loads(out)["valid"] is True
    write(non_utf8.parent / "broken" / "x.yaml", "name: [unclosed\n")
    with open(os.path.join(os.fsencode(non_utf8.parent / "broken"), BAD), "w") as fh:
        fh.write("name: [unclosed\n")
    proc = run("validate", non_utf8.parent / "broken", "--format", "json")
    out, _ = clean(proc)
    assert str(non_utf8.parent / "broken" / SHOWN) in [e["file"] for e in json.loads(out)["errors"]]
    for fmt in ("table", "json", "md"):
        proc = run("compare", non_utf8, "--format", fmt)
        out, _ = clean(proc)
        assert proc.returncode == 0 and SHOWN in out, proc.stderr
