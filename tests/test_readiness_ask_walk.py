"""`ncm readiness ask` as a new user meets it in a real terminal (H50's walk): Escape goes
back and never starts a repeat count, statuses shown by title with a key hint, the question
wrapped at words, Ctrl-C keeps what was given and says how to continue, a mistyped due date
offered again to edit. The engine is driven by a scripted asker; pexpect only for keys."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from ncm_toolkit.content import load_pack
from ncm_toolkit.readiness_ask import Back, run_ask
from ncm_toolkit.readiness_schemas import Readiness

from .conftest import posix_only, readiness_ask_in_terminal

TERM_ENV = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}


def _record() -> Readiness:
    return Readiness.model_validate(
        {"kind": "readiness", "schema_version": 1, "partnership": "P",
         "stakeholder": {"role": "r", "organisation": "o"}, "as_of": "2026-01-01"}
    )  # fmt: skip


class Scripted:
    """Answers from a list: a string, None (end of input), or an exception to raise (Back,
    KeyboardInterrupt); every prompt asked is logged with its default."""

    def __init__(self, answers: list[Any]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, str]] = []
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)

    def _next(self, prompt: str, default: str) -> str | None:
        self.asked.append((prompt, default))
        got = self.answers.pop(0)
        if isinstance(got, BaseException):
            raise got
        return got

    def choose(self, prompt: str, choices: list[str], default: str) -> str | None:
        return self._next(prompt, default)

    def text(self, prompt: str, default: str) -> str | None:
        return self._next(prompt, default)


def test_back_from_a_text_field_goes_to_the_previous_prompt() -> None:
    """Escape (Back) at a text field went nowhere (in a terminal it began a repeat count);
    now it goes to the question's previous prompt, keeping what was given there; at the
    first question's status, with nothing before it, the status is asked again."""
    pack = load_pack()
    asker = Scripted(
        [Back(), "open", Back(), "open", "HR", "2027-04-01", Back(), Back(), "HR3",
         "2027-05-01", "n", None]
    )  # fmt: skip
    got, done = run_ask(pack, _record(), None, asker, area="organisational_form")
    assert [p for p, _ in asker.asked] == [
        "status", "status", "owner (a role)", "status", "owner (a role)", "due (YYYY-MM-DD)",
        "note or evidence link", "due (YYYY-MM-DD)", "owner (a role)", "due (YYYY-MM-DD)",
        "note or evidence link", "status",
    ]  # fmt: skip
    # Back from the owner to the status: the status just chosen is the default
    assert asker.asked[3] == ("status", "open")
    # Back from the note to the due date, then to the owner: what was given is offered
    assert asker.asked[7] == ("due (YYYY-MM-DD)", "2027-04-01")
    assert asker.asked[8] == ("owner (a role)", "HR")
    a = got.answers["form_01"]
    assert (a.status, a.owner, str(a.due), a.note) == ("open", "HR3", "2027-05-01", "n")
    assert not done


def test_back_at_a_status_goes_to_the_previous_question() -> None:
    pack = load_pack()
    asker = Scripted(["settled", "", Back(), None])
    run_ask(pack, _record(), None, asker, area="organisational_form")
    questions = [s for s in asker.said if s.startswith("[")]
    assert [q.split("]")[0] for q in questions] == ["[form_01", "[form_02", "[form_01"]
    assert asker.asked[-1] == ("status", "settled")


def test_a_mistyped_due_date_is_offered_again_to_edit() -> None:
    """A due date that is not a date was asked again with an empty field: what was typed
    is now the default, to correct rather than retype."""
    pack = load_pack()
    asker = Scripted(["open", "HR", "2027-13-01", "2027-12-01", "", None])
    got, _ = run_ask(pack, _record(), None, asker, area="organisational_form")
    dues = [d for p, d in asker.asked if p.startswith("due")]
    assert dues == ["", "2027-13-01"]
    assert str(got.answers["form_01"].due) == "2027-12-01"


def test_ctrl_c_mid_question_saves_what_was_given_then_stops() -> None:
    """Ctrl-C at the due date lost the status and owner just given; now they are saved and
    the interrupt goes on (the command says so and exits 130)."""
    pack = load_pack()
    saved: list[Readiness] = []
    asker = Scripted(["settled", "", "open", "Head of HR", KeyboardInterrupt()])
    with pytest.raises(KeyboardInterrupt):
        run_ask(pack, _record(), saved.append, asker)
    assert len(saved) == 2
    a = saved[-1].answers["form_02"]
    assert (a.status, a.owner, a.due) == ("open", "Head of HR", None)


def test_the_question_is_wrapped_at_words(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    """At 80 columns the question was broken by the terminal (a line starting
    " organisations"); now it is wrapped at words, continuation lines indented."""
    from ncm_toolkit.cli.readiness_asker import TerminalAsker

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "24")
    text = " ".join(load_pack().considerations.areas[0].questions[0].text.split())
    TerminalAsker().say(f"[form_01] {text}")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and all(len(line) < 80 for line in lines)
    assert lines[1].startswith("  ") and not lines[1].startswith("   ")
    assert " ".join(" ".join(lines).split()) == f"[form_01] {text}"
    fit = TerminalAsker()._fit("status", "(numbers or arrows, Enter; Esc back; Ctrl-C stops)")
    assert fit["message"] == "status"


def _ask(tmp_path: Path, *more: str) -> tuple[Any, Path]:
    return readiness_ask_in_terminal(tmp_path, TERM_ENV, *more)


@posix_only
def test_escape_then_a_date_goes_back_and_types_no_dashes(tmp_path: Path) -> None:
    """Escape then `2027-04-01` in the due date typed about 2,027 dashes (Emacs's repeat
    count); now Escape goes back to the owner, and the digits are typed there."""
    import pexpect

    child, record = _ask(tmp_path)
    child.expect("status")
    child.send("\x1b[A\r")  # up from "Not considered" to "Open"
    child.expect("owner")
    child.send("HR\r")
    child.expect("due")
    child.send("\x1b")
    child.expect("owner")
    child.send("2027-04-01\r")
    child.expect("due")
    child.send("\x04")
    child.expect(pexpect.EOF)
    child.close()
    text = record.read_text(encoding="utf-8")
    assert 'owner: "HR2027-04-01"' in text and "---" not in child.before


@posix_only
def test_statuses_are_shown_by_title_with_a_key_hint_and_ctrl_b_goes_back(
    tmp_path: Path,
) -> None:
    """The list showed `not_considered`, `save and stop` and nothing saying what they meant
    or which keys go back; Ctrl-B goes back in a list, as in `ncm assess`."""
    import pexpect

    child, record = _ask(tmp_path)
    child.expect("status")
    child.expect("Settled: answered and agreed by the partnership")
    child.expect("Not considered: not yet looked at")
    child.expect("Save and stop")
    child.send("1")  # the number key picks "Settled"
    child.send("\r")
    child.expect("note")
    child.send("\r")
    child.expect(r"\[form_02\]")
    child.expect("Esc back")
    child.expect("Back to the previous question")
    child.send("\x02")
    child.expect(r"\[form_01\]")
    child.expect("Save and stop")  # the list is up: ^D typed before it would be the tty's
    child.send("\x04")
    child.expect(pexpect.EOF)
    child.close()
    assert "status: settled" in record.read_text(encoding="utf-8")


@posix_only
def test_ctrl_c_keeps_the_status_and_owner_and_says_how_to_continue(tmp_path: Path) -> None:
    import pexpect

    child, record = _ask(tmp_path, "--area", "organisational_form")
    child.expect("status")
    child.send("\x1b[A\r")
    child.expect("owner")
    child.send("Head of HR\r")
    child.expect("due")
    child.send("\x03")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    said = " ".join(child.before.split())
    assert f"stopped: the answers so far are saved in {record}" in said
    assert f"continue with: ncm readiness ask {record} --area organisational_form" in said
    text = record.read_text(encoding="utf-8")
    assert '  form_01:\n    status: open\n    owner: "Head of HR"\n' in text
