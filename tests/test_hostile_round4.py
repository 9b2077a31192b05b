"""Hostile input, round 4: faults found by running the real `ncm` on bad, odd and malicious
files, content packs and terminals after the earlier rounds (test_hostile*.py,
test_untrusted_*.py). Each test runs the real CLI on real files and fails without its fix."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from .conftest import (
    MINIMAL,
    ncm_in_terminal,
    posix_only,
    readiness_ask_in_terminal,
    terminal_class,
    write,
)


def _cells(path: Path) -> list[tuple[str, str, object]]:
    """Every cell of a workbook: (sheet, data type, value)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return [(ws.title, c.data_type, c.value) for ws in wb for row in ws.iter_rows() for c in row]


def test_a_workbook_header_from_a_file_name_is_text_never_a_formula(ncm, tmp_path: Path) -> None:
    """`compare --format xlsx` heads its columns with the stakeholders' file names: a name
    starting with `=` was stored as a formula, and one with a control character stopped the
    command with an internal error (XML cannot hold it)."""
    views = tmp_path / "views"
    write(views / "=1+1.yaml", MINIMAL)
    write(views / "a\x1bb.yaml", MINIMAL.replace("4", "2"))
    out = tmp_path / "c.xlsx"
    r = ncm("compare", str(views), "-o", str(out))
    assert r.exit_code == 0, r.stderr
    cells = _cells(out)
    assert not [c for c in cells if c[1] == "f"]
    values = {c[2] for c in cells}
    assert {"=1+1", "a\\x1bb", "=1+1 rank"} <= values


# --- `ncm assess` in a real terminal ------------------------------------------------------

TERM_ENV = {
    **os.environ,
    "NO_COLOR": "1",
    "TERM": "xterm",
    "PROMPT_TOOLKIT_NO_CPR": "1",
    "PS1": "SH$ ",
}


@posix_only
def test_a_paste_with_escapes_and_line_breaks_is_asked_again_cleaned(tmp_path: Path) -> None:
    """A paste into a one-line answer (bracketed, as terminals send it) with a colour
    sequence, a window-title sequence, a bell and a second line was saved as the
    partnership's name, controls and all; it is now one line without them, shown for
    the user to keep with Enter."""
    import pexpect

    out = tmp_path / "out.yaml"
    child = ncm_in_terminal("assess", "-o", str(out), cwd=tmp_path, env=TERM_ENV, rows=40, cols=80)
    child.expect("partnership called")
    child.send("\x1b[200~North\x1b[31m red\x07 \x1b]0;title\x07end\r\nmore\x1b[201~\r")
    child.expect("control characters taken out")
    child.send("\r")
    child.expect("Describe")
    child.send("\x03")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    saved = out.read_text(encoding="utf-8")
    assert "name: North red end more\n" in saved, saved


@posix_only
def test_ctrl_z_suspends_the_interview_and_fg_resumes_it(tmp_path: Path) -> None:
    """Ctrl-Z in a text answer was typed into it (the name saved as "ab\\x1acd") instead of
    suspending the interview as any terminal program does; now the shell says Stopped and
    `fg` carries on with the same question."""
    import pexpect

    out = tmp_path / "out.yaml"
    shell = terminal_class()(
        "bash",
        ["--norc", "--noprofile", "-i"],
        cwd=str(tmp_path),
        env=TERM_ENV,
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 80),
    )
    shell.delaybeforesend = None
    shell.expect_exact("SH$ ")
    shell.sendline(f"{sys.executable} -m ncm_toolkit assess -o {out}")
    shell.expect("partnership called")
    shell.send("ab\x1a")
    shell.expect("Stopped", timeout=5)
    shell.expect_exact("SH$ ")
    shell.sendline("fg")
    shell.expect("partnership called")
    shell.send("cd\r")
    shell.expect("Describe")
    shell.send("\x03")
    shell.expect_exact("SH$ ")
    shell.sendline("exit")
    shell.expect(pexpect.EOF)
    assert "name: abcd\n" in out.read_text(encoding="utf-8")


def _readiness_ask(tmp_path: Path) -> tuple[Any, Path]:
    """`ncm readiness ask` on a new record, in a real terminal, at its first status."""
    child, record = readiness_ask_in_terminal(tmp_path, TERM_ENV)
    child.expect("status")
    return child, record


@posix_only
def test_readiness_ask_ctrl_d_in_a_text_answer_keeps_the_status_given(tmp_path: Path) -> None:
    """Ctrl-D at "owner" after a status was "Aborted!", exit 1 (invalid input), and the
    status just chosen was lost; now it is saved and the session stops, exit 130 as after
    Ctrl-C (the contract; it was 0, as at the end of piped input, until round 18)."""
    import pexpect

    child, record = _readiness_ask(tmp_path)
    child.send("\x1b[A\r")  # from not_considered up to open
    child.expect("owner")
    child.send("\x04")
    child.expect(pexpect.EOF)
    child.close()
    assert "Aborted" not in child.before
    assert child.exitstatus == 130
    assert "stopped: the answers so far are saved" in child.before
    assert "status: open" in record.read_text(encoding="utf-8")


@posix_only
def test_readiness_ask_ctrl_d_at_a_status_stops(tmp_path: Path) -> None:
    """Ctrl-D at a status list did nothing (the interview, `ncm assess`, stops on it)."""
    import pexpect

    child, _ = _readiness_ask(tmp_path)
    child.send("\x04")
    child.expect("stopped: the answers so far are saved", timeout=5)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130  # the contract: 130 after Ctrl-C or Ctrl-D


@posix_only
def test_assess_into_a_missing_folder_says_so_before_the_first_question(tmp_path: Path) -> None:
    """`ncm assess -o nodir/x.yaml` in a terminal showed the first step, then "Stopped. Your
    last answer could not be saved" (none was given) and "Continue with: ncm assess --resume
    nodir/x.yaml", a file that cannot exist; now one error naming the path and the cause
    before anything is asked, exit 1, as every other output into a missing folder."""
    import pexpect

    child = ncm_in_terminal(
        "assess", "-o", "nodir/x.yaml", cwd=tmp_path, env=TERM_ENV, rows=40, cols=80
    )
    child.expect(pexpect.EOF)
    child.close()
    said = child.before
    assert "ncm: error: nodir/x.yaml: cannot write: no such folder: nodir" in said
    assert "--resume" not in said and "partnership" not in said
    assert child.exitstatus == 1


@posix_only
def test_assess_in_a_terminal_narrower_than_a_choice_still_asks(tmp_path: Path) -> None:
    """In a terminal six columns wide (a split pane, a window dragged narrow mid-question)
    the first list of choices was an internal error ("invalid width -2"); now it is laid out
    for 20 columns and the terminal wraps it."""
    import pexpect

    out = tmp_path / "out.yaml"
    child = ncm_in_terminal("assess", "-o", str(out), cwd=tmp_path, env=TERM_ENV, rows=8, cols=6)
    for answer in ("North\r", "\r", "Riverside\r"):
        child.expect(r"k\)")  # the end of "(Esc back)", however it wraps
        child.send(answer)
    child.expect(["»", "internal error"])  # the pointer of the first list
    assert "internal error" not in child.after
    child.send("\x03")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "name: North" in out.read_text(encoding="utf-8")
