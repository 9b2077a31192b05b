"""`ncm assess` driven in a real pseudo-terminal (pexpect), and unattended without one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from ruamel.yaml import YAML

from .conftest import EXAMPLES

DOWN, SPACE, ENTER, BACK, CTRL_C = "\x1b[B", " ", "\r", "\x02", "\x03"
ESC, CTRL_D = "\x1b", "\x04"
ENV = {
    **os.environ,
    "NO_COLOR": "1",
    "COLUMNS": "60",
    "LINES": "40",
    "TERM": "xterm",
    "PROMPT_TOOLKIT_NO_CPR": "1",
}


def spawn(*args: str, cwd: Path) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "ncm_toolkit", "assess", *args],
        cwd=str(cwd),
        env=ENV,
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 60),
    )
    return child


def send(child: pexpect.spawn, *keys: str) -> None:
    for k in keys:
        child.send(k)


def load(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text())


def answer_first_steps(child: pexpect.spawn) -> None:
    child.expect("partnership called")
    child.sendline("Riverside [bold]alliance[/x]")
    child.expect("Describe the partnership")
    child.sendline("")
    child.expect("Partner name")
    child.sendline("Riverside Surgery")
    child.expect("kind of organisation")
    send(child, DOWN * 5, ENTER)  # gp_practice
    child.expect("Partner name")
    child.sendline("")
    child.expect("Which objectives")
    send(child, SPACE, DOWN, DOWN, SPACE, ENTER)  # primary care, health and social care


def test_full_interview_with_back_and_review(tmp_path):
    out = tmp_path / "answers.yaml"
    child = spawn("-o", str(out), cwd=tmp_path)
    answer_first_steps(child)
    child.expect("How important")
    send(child, DOWN, DOWN, ENTER)  # 3 -> 5 for integrating primary care
    child.expect("Integrating health and social care: How important")
    send(child, BACK)  # back to the previous rating
    child.expect("Integrating primary care: How important")
    send(child, ESC)  # Escape: back to the objectives
    child.expect("Which objectives")
    send(child, ENTER)  # keep the same ticks: primary care keeps its 5, not asked again
    child.expect("Integrating health and social care: How important")
    send(child, DOWN, ENTER)  # health and social care 3 -> 4
    child.expect_exact("(y/n)")  # no default shown for an unanswered yes/no
    send(child, ENTER)  # Enter alone records nothing
    send(child, "y")
    child.expect("do this alone")
    send(child, "n")
    child.expect("known risks")
    child.sendline("GP premises are not fit for purpose")
    child.expect("known risks")
    child.sendline("")
    child.expect("commissioning functions remain")
    send(child, "y")
    child.expect("organisational integration")
    send(child, DOWN, ENTER)  # contractual
    child.expect("governance and accountability")
    child.sendline("")
    # profile version 2: the source's distinctions; "Not known" (the first choice) skips one
    child.expect("organisations come together")
    send(child, DOWN, ENTER)  # takeover
    for prompt in ("whole organisations", "Who leads", "Which population"):
        child.expect(prompt)
        send(child, ENTER)  # not known
    child.expect("acute hospital services inside")
    send(child, DOWN, DOWN, ENTER)  # no
    for prompt in ("capitated budget", "keep their own contracts", "special measures"):
        child.expect(prompt)
        send(child, ENTER)  # not known
    child.expect("Your role")
    child.sendline("Director of Strategy")
    child.expect("organisation you answer for")
    child.sendline("")
    child.expect("Check your answers")
    child.expect("Score the options now")
    saved = load(out)
    assert saved["schema_version"] == 2
    assert saved["structure"] == {"integration_form": "takeover", "acute_inside": False}
    assert saved["respondent"] == {"role": "Director of Strategy"}
    assert saved["objectives"] == {
        "integrating_primary_care": 5,
        "integrating_health_and_social_care": 4,
    }
    assert saved["partners"] == [{"name": "Riverside Surgery", "kind": "gp_practice"}]
    assert saved["risks"] == ["GP premises are not fit for purpose"]
    assert saved["governance"] == {"formality": "contractual"}
    send(child, ENTER)  # score
    child.expect_exact("Riverside [bold]alliance[/x]")  # markup shown literally, not applied
    child.expect("Why the top three")
    child.expect("ncm score --explain")
    child.expect("option will the partnership pursue")
    send(child, ENTER)  # the top-ranked option
    child.expect("organisational form do the partners agree")
    send(child, ENTER)  # the recommended form
    child.expect("Workforce implications")
    child.expect("Who agreed this")
    child.sendline("joint programme board")
    child.expect("Save the profile as")
    send(child, "\x15")  # Ctrl-U clears the default path
    child.sendline(str(tmp_path / "final.yaml"))
    child.expect("Write a report")
    send(child, DOWN, DOWN, ENTER)  # no report
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    final = out.read_text()
    assert not final.startswith("# ncm assess")  # a finished profile, no progress marker
    assert (tmp_path / "final.yaml").read_text() == final
    decision = load(out)["decision"]
    assert decision["agreed_by"] == "joint programme board"
    assert set(decision) == {"option", "form", "agreed_by", "agreed_on"}
    result = subprocess.run(
        [sys.executable, "-m", "ncm_toolkit", "validate", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_ctrl_c_half_way_then_resume(tmp_path):
    out = tmp_path / "a.yaml"
    child = spawn("-o", str(out), cwd=tmp_path)
    answer_first_steps(child)
    child.expect("How important")
    send(child, ENTER)
    child.expect("How important")
    send(child, CTRL_C)
    child.expect("Continue with: ncm assess --resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in (child.before or "")
    saved = load(out)
    assert saved["name"] == "Riverside [bold]alliance[/x]"
    assert saved["objectives"]["integrating_primary_care"] == 3
    assert out.read_text().startswith(
        "# ncm assess: next question: importance:integrating_health_and_social_care"
    )
    again = spawn("--resume", str(out), cwd=tmp_path)
    # continues at the objective it had reached: the first one is not asked again
    again.expect("Integrating health and")
    send(again, ENTER)
    again.expect("configuration")
    send(again, CTRL_C)
    again.expect(pexpect.EOF)
    assert load(out)["partners"] == [{"name": "Riverside Surgery", "kind": "gp_practice"}]


def test_refuses_to_clobber_an_existing_autosave(tmp_path):
    out = tmp_path / "a.yaml"
    out.write_text("schema_version: 1\n")
    child = spawn("-o", str(out), cwd=tmp_path)
    child.expect("--resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2


def _piped(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ncm_toolkit", "assess", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=ENV,
    )


def test_not_a_terminal_without_answers_exits_2_at_once(tmp_path):
    result = _piped(cwd=tmp_path)
    assert result.returncode == 2
    assert "--answers" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_not_a_terminal_with_complete_answers_runs_unattended(tmp_path):
    result = _piped("--answers", str(EXAMPLES / "south_borough_integration.yaml"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Accountable / Integrated Care" in result.stdout
    assert "Why the top three" in result.stdout


@pytest.mark.parametrize("body", ["name: Partial\n", "name: x\nobjectives: {nope: 3}\n"])
def test_not_a_terminal_with_incomplete_answers_is_located(tmp_path, body):
    path = tmp_path / "p.yaml"
    path.write_text(body)
    result = _piped("--answers", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{path}:" in result.stderr
    assert "Traceback" not in result.stderr
