"""`ncm assess` driven in a real pseudo-terminal (pexpect), and unattended without one."""

from __future__ import annotations

import os
from pathlib import Path

import pexpect
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from ncm_toolkit.cli.main import app

from .conftest import EXAMPLES, ncm_in_terminal

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
    return ncm_in_terminal("assess", *args, cwd=cwd, env=ENV, rows=40, cols=60)


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
    result = CliRunner().invoke(app, ["validate", str(out)])
    assert result.exit_code == 0, result.stderr


def test_ctrl_c_half_way_then_resume(tmp_path):
    out = tmp_path / "a.yaml"
    child = spawn("-o", str(out), cwd=tmp_path)
    answer_first_steps(child)
    child.expect("How important")
    send(child, ENTER)
    # the next question by name: the answered one, redrawn, also says "How important"
    child.expect("Integrating health and social care: How important")
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
    # where a resume goes on, and what it keeps at the next interrupt, is the engine's logic:
    # test_interview_engine.py::test_interrupted_ratings_are_pending_not_three_and_resume_there


def test_refuses_to_clobber_an_existing_autosave(tmp_path):
    out = tmp_path / "a.yaml"
    out.write_text("schema_version: 1\n")
    child = spawn("-o", str(out), cwd=tmp_path)
    child.expect("--resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2


class _Ran:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def _piped(*args: str, cwd: Path) -> _Ran:
    """`ncm assess ARGS` with no terminal: in-process (typer's runner, the real app and files),
    whose stdin and stdout are no terminal, as a pipe or /dev/null is; run from `cwd`."""
    env = {k: ENV[k] for k in ("NO_COLOR", "COLUMNS", "LINES", "TERM")}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        result = CliRunner(env=env).invoke(app, ["assess", *args], input="")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return _Ran(result.exit_code, result.stdout, result.stderr)


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


# -- keys, widths and interrupts in a real terminal ----------------------------------------

ANSI = __import__("re").compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


def plain(text: str) -> str:
    """Terminal output without escapes, whitespace collapsed: wrapped lines read as one."""
    return " ".join(ANSI.sub("", text).split())


def at_review(tmp_path: Path) -> Path:
    """A complete autosave whose interview had reached the review page."""
    path = tmp_path / "a.yaml"
    body = (EXAMPLES / "south_borough_integration.yaml").read_text()
    path.write_text("# ncm assess: next question: review\n" + body)
    return path


def spawn_sized(*args: str, cwd: Path, rows: int, cols: int) -> pexpect.spawn:
    env = {**ENV, "COLUMNS": str(cols), "LINES": str(rows)}
    return ncm_in_terminal("assess", *args, cwd=cwd, env=env, rows=rows, cols=cols)


def ended(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    out = child.before or ""
    assert "internal error" not in out and "Aborted!" not in out and "Traceback" not in out
    return out


@pytest.mark.parametrize("key", [CTRL_C, CTRL_D])
def test_review_escape_goes_back_and_interrupts_exit_130(tmp_path, key):
    path = at_review(tmp_path)
    before = load(path)
    child = spawn_sized("--resume", str(path), cwd=tmp_path, rows=24, cols=80)
    child.expect("Check your answers")
    child.expect("Score the options now")
    send(child, ESC)  # back: the last question again, at once: prompt_toolkit waits a
    # second (its `timeoutlen`) for the rest of an Alt key after a lone Escape, unless told
    child.expect("organisation you answer for", timeout=0.9)
    send(child, ENTER)
    child.expect("Score the options now")
    send(child, key)
    out = ended(child)
    assert child.exitstatus == 130
    assert "Continue with: ncm assess --resume" in plain(out)
    assert load(path) == before
    assert read_progress_of(path) == "review"


def read_progress_of(path: Path) -> str | None:
    from ncm_toolkit.interview import read_progress

    return read_progress(path.read_text())


@pytest.mark.parametrize("key", [CTRL_C, CTRL_D])
def test_end_prompts_back_and_interrupt_keep_the_decision(tmp_path, key):
    path = at_review(tmp_path)
    child = spawn_sized("--resume", str(path), cwd=tmp_path, rows=24, cols=80)
    child.expect("Score the options now")
    send(child, ENTER)
    child.expect("option will the partnership pursue")
    send(child, ESC)  # back to the review
    child.expect("Score the options now")
    send(child, ENTER)
    child.expect("option will the partnership pursue")
    send(child, ENTER)
    child.expect("organisational form do the partners agree")
    send(child, ENTER)
    child.expect("Who agreed this")
    child.sendline("joint programme board")
    child.expect("Save the profile as")
    send(child, key)
    ended(child)
    assert child.exitstatus == 130
    saved = load(path)
    assert saved["schema_version"] == 2
    assert saved["decision"]["agreed_by"] == "joint programme board"
    # that a resume offers this decision at every end prompt, and that an interrupt at the
    # report prompt keeps it, is logic: test_assess_end_prompts.py, with the scripted asker


@pytest.mark.parametrize("cols", [60, 80])
def test_choice_descriptions_wrap_not_truncate(tmp_path, cols):
    from ncm_toolkit.content import load_pack

    path = tmp_path / "a.yaml"
    path.write_text("# ncm assess: next question: objectives\nschema_version: 1\nname: N\n")
    child = spawn_sized("--resume", str(path), cwd=tmp_path, rows=24, cols=cols)
    child.expect("Esc back\\)")
    seen = plain(child.before or "")
    send(child, CTRL_C)
    ended(child)
    for o in load_pack().manifest.objectives:
        assert " ".join(o.description.split()) in seen, o.id


def test_partial_answers_in_a_terminal_ask_only_the_open_questions(tmp_path):
    given = tmp_path / "given.yaml"
    given.write_text(
        "schema_version: 1\nname: Given\nobjectives: {integrating_primary_care: 4}\n"
        "sustainability: {configuration_must_change: true, can_do_alone: false}\n"
    )
    child = spawn_sized(
        "--answers", str(given), "-o", str(tmp_path / "o.yaml"), cwd=tmp_path, rows=24, cols=80
    )
    child.expect("The partnership")  # the step heading
    child.expect("Describe the partnership")
    assert "partnership called" not in (child.before or "")
    send(child, CTRL_D)
    ended(child)
    assert child.exitstatus == 130
    assert load(tmp_path / "o.yaml")["name"] == "Given"


def test_yes_no_keys_and_shown_default(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(
        "# ncm assess: next question: configuration_must_change\nschema_version: 1\nname: N\n"
        "objectives: {integrating_primary_care: 4}\n"
    )
    child = spawn_sized("--resume", str(path), cwd=tmp_path, rows=24, cols=60)
    child.expect("Step 2 of 6: Sustainability")
    child.expect_exact("(y/n)")
    send(child, "n")
    child.expect("do this alone")
    send(child, "y")
    child.expect("known risks")
    send(child, ESC)  # back to the yes/no just given: its answer is now the default
    child.expect_exact("(Y/n)")
    send(child, CTRL_C)
    ended(child)
    assert load(path)["sustainability"] == {
        "configuration_must_change": False,
        "can_do_alone": True,
    }


def test_unattended_partial_answers_name_the_open_steps_and_write_o(tmp_path):
    given = tmp_path / "given.yaml"
    given.write_text("schema_version: 1\nname: Given\nobjectives: {integrating_primary_care: 4}\n")
    result = _piped("--answers", str(given), "-o", str(tmp_path / "o.yaml"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Step 2 of 6: Sustainability" in out and "The ranking ignores them" in out
    assert load(tmp_path / "o.yaml") == load(given)
    again = _piped("--answers", str(given), "-o", str(tmp_path / "o.yaml"), cwd=tmp_path)
    assert again.returncode == 2  # never overwritten without --force


def test_required_answer_error_is_beside_the_question(tmp_path):
    child = spawn_sized("-o", str(tmp_path / "a.yaml"), cwd=tmp_path, rows=24, cols=60)
    child.expect("partnership called")
    child.expect("Esc back\\)")
    send(child, ENTER)
    child.expect_exact("✗ An answer is required.")
    # the same prompt again, the error beside it (below it when the terminal is narrow)
    assert plain(child.before).endswith("What is the partnership called?")
    send(child, CTRL_C)
    ended(child)
    assert child.exitstatus == 130


def test_review_page_fits_80x24_menu_and_answers_together(tmp_path):
    """The review is paged to the terminal: at 80x24 one page, from its heading to its last
    choice, takes fewer than 24 lines of at most 80 columns, so the menu and the first answers
    are on screen together; Next page shows the next step; a partner changes on its own line."""
    import io

    path = at_review(tmp_path)
    more = "".join(f"  - name: Practice {n}\n    kind: gp_practice\n" for n in range(1, 11))
    path.write_text(path.read_text().replace("partners:\n", "partners:\n" + more, 1))
    child = spawn_sized("--resume", str(path), cwd=tmp_path, rows=24, cols=80)
    seen = io.StringIO()
    child.logfile_read = seen

    def page(until: str) -> list[str]:
        start = len(seen.getvalue())
        child.expect(until)
        if until != "← Back":
            child.expect("← Back")  # the frame's last choice: the rest of the frame
        raw = seen.getvalue()[start:]
        raw = raw[raw.rindex("Check your answers") :]
        raw = raw[: raw.index("← Back") + len("← Back")]
        return [ANSI.sub("", line) for line in raw.split("\n")]

    lines = page("← Back")
    assert len(lines) < 24 and max(len(line) for line in lines) <= 80, lines
    text = "\n".join(lines)
    assert "Check your answers (page 1 of" in text
    assert "» Score the options now" in text and "Next page" in text
    # the answer on a line of its own, after an arrow, under its question
    assert "What is the partnership called?\n     → South Borough integrated care" in text
    assert "1. Practice 1 (GP practice)" in text
    send(child, DOWN, ENTER)  # next page: the partners that did not fit
    lines = page("Previous page")
    assert len(lines) < 24 and max(len(line) for line in lines) <= 80, lines
    text = "\n".join(lines)
    assert "The partnership (continued)" in text
    assert "14. South Borough GP Federation" in text
    send(child, DOWN, ENTER)  # next page
    text = "\n".join(page("Previous page"))
    assert "Step 1 of 6: Level of integration" in text
    assert "Importance of Integrating health and social care\n     → 5" in text
    send(child, DOWN, DOWN, ENTER)  # previous page
    child.expect("continued")
    send(child, DOWN, DOWN, ENTER)  # previous page
    child.expect("page 1 of")
    send(child, DOWN * 5, ENTER)  # the first partner's own line
    child.expect("Partner name")
    send(child, "\x15")
    child.sendline("Borough Hospitals")
    child.expect("kind of organisation")
    send(child, ENTER)  # the current kind is the default
    child.expect("page 1 of")
    child.expect("Borough Hospitals")
    send(child, CTRL_C)
    ended(child)
    assert child.exitstatus == 130
    assert load(path)["partners"][0] == {"name": "Borough Hospitals", "kind": "gp_practice"}
