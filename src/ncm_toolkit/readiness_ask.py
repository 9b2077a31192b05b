"""Answering a readiness record question by question (`ncm readiness ask`): the loop that
asks Module 2's questions area by area and saves after every answer. It asks through a small
`Asker` (the command supplies one for a terminal or for lines on stdin; tests script one), so
the loop holds no input or output of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol

from ncm_toolkit.content import ContentPack
from ncm_toolkit.profile import parse_iso_date
from ncm_toolkit.readiness import OPEN, answer
from ncm_toolkit.readiness_schemas import LINE_MAX, NOTE_MAX, STATUSES, Answer, Readiness

BACK = "back"
QUIT = "save and stop"
STATUS_TITLES: dict[str, str] = {
    "settled": "Settled",
    "partly": "Partly settled",
    "open": "Open",
    "not_considered": "Not considered",
    "not_applicable": "Not applicable",
    BACK: "← Back to the previous question",
    QUIT: "Save and stop",
}
"""How a terminal shows each choice of a status (the record keeps the words on the left)."""


class Back(Exception):
    """Raised by an asker's prompt when the person asks to go back (Escape at a terminal):
    to the previous prompt of the question, or from its status to the previous question."""


class Asker(Protocol):
    """How a question is put to the person answering; None means stop (end of input), Back
    goes back, KeyboardInterrupt (Ctrl-C) stops after saving what was given."""

    def say(self, text: str) -> None: ...

    def choose(self, prompt: str, choices: list[str], default: str) -> str | None: ...

    def text(self, prompt: str, default: str) -> str | None: ...


def parse_date(text: str) -> dt.date | None:
    """A YYYY-MM-DD date (as a record's dates are read: no ISO week or basic form), or None."""
    try:
        return parse_iso_date(text)
    except ValueError:
        return None


def date_problem(text: str) -> str:
    """Why `text` is not a due date, as a record file is told: "no such date: 2026-02-30
    (...)" for the right form and an impossible day, else the form to write."""
    try:
        parse_iso_date(text)
    except ValueError as exc:
        return str(exc)
    return ""


def too_long(field: str, text: str, limit: int) -> str | None:
    """What to say when a typed answer is longer than the record holds (else the record's
    model refused it after the prompt: an internal error, and the question's answers lost)."""
    if len(text) <= limit:
        return None
    return f"  {field}: at most {limit} characters (this has {len(text)}); write it shorter"


def run_ask(
    pack: ContentPack,
    record: Readiness,
    save: Callable[[Readiness], None] | None,
    asker: Asker,
    ask_all: bool = False,
    area: str | None = None,
) -> tuple[Readiness, bool]:
    """Ask the questions area by area (unanswered ones only, unless `ask_all`), saving after
    each answer through `save(record)`; return the record and whether every question asked
    was answered (False: stopped, to resume later)."""
    items = [
        (a, q)
        for a in pack.considerations.areas
        if area is None or a.id == area
        for q in a.questions
        if ask_all or answer(record, q.id).status == "not_considered"
    ]
    n_areas = len(pack.considerations.areas)
    area_no = {a.id: i for i, a in enumerate(pack.considerations.areas, 1)}
    history: list[int] = []
    i = 0
    shown_area = ""
    while i < len(items):
        a, q = items[i]
        if a.id != shown_area:
            asker.say(f"\n== Area {area_no[a.id]} of {n_areas}: {a.title} ==")
            shown_area = a.id
        asker.say(f"[{q.id}] {' '.join(q.text.split())}")
        outcome, new = _ask_question(asker, answer(record, q.id), bool(history))
        if outcome == "back":
            i = history.pop()
            shown_area = ""
            continue
        if new is not None:
            answers = dict(record.answers)
            answers[q.id] = new
            record = record.model_copy(update={"answers": answers})
            if save is not None:
                save(record)
        if outcome == "interrupted":  # saved what was given; the caller says so, exit 130
            raise KeyboardInterrupt
        if outcome == "stop":
            return record, False
        history.append(i)
        i += 1
    return record, True


def _ask_question(asker: Asker, current: Answer, can_go_back: bool) -> tuple[str, Answer | None]:
    """One question's prompts (status, then owner and due date while unsettled, then note),
    Back stepping to the previous one. Returns what happened ("next", "back" to the previous
    question, "stop", "interrupted") and the answer to save: None when no status was chosen,
    else what was given so far, so a stop or Ctrl-C mid-question loses none of it."""
    status: str = current.status
    owner, due, note = current.owner, current.due, current.note
    chosen = False
    typed: str | None = None  # a due date that was not a date: offered again to correct

    def given() -> Answer | None:
        if not chosen:
            return None
        return Answer.model_validate(
            {"status": status, "owner": owner, "due": due, "note": note,
             "evidence": current.evidence}
        )  # fmt: skip

    step = "status"
    try:
        while True:
            try:
                if step == "status":
                    choices = list(STATUSES) + ([BACK] if can_go_back else []) + [QUIT]
                    got = asker.choose("status", choices, status)
                    if got is None or got == QUIT:
                        return "stop", given()
                    if got == BACK:
                        return "back", None
                    status, chosen = got, True
                    step = "owner" if status in OPEN else "note"  # still to settle: who, by when
                elif step == "owner":
                    got = asker.text("owner (a role)", owner or "")
                    if got is None:
                        return "stop", given()
                    long = too_long("owner", got, LINE_MAX)
                    if long:
                        asker.say(long)
                        continue
                    owner, step = got or None, "due"
                elif step == "due":
                    shown = typed if typed is not None else due.isoformat() if due else ""
                    got = asker.text("due (YYYY-MM-DD)", shown)
                    if got is None:
                        return "stop", given()
                    parsed = parse_date(got) if got else None
                    if got and parsed is None:
                        asker.say(f"  {date_problem(got)}")
                        typed = got
                        continue
                    due, typed, step = parsed, None, "note"
                else:
                    got = asker.text("note or evidence link", note or "")
                    if got is None:
                        return "stop", given()
                    long = too_long("note", got, NOTE_MAX)
                    if long:
                        asker.say(long)
                        continue
                    note = got or None
                    return "next", given()
            except Back:
                typed = None
                if step == "status":
                    if can_go_back:
                        return "back", None
                    continue  # the first question: nothing before it, asked again
                step = {"owner": "status", "due": "owner"}.get(step) or (
                    "due" if status in OPEN else "status"
                )
    except KeyboardInterrupt:
        return "interrupted", given()
