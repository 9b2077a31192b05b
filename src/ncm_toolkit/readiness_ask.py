"""Answering a readiness record question by question (`ncm readiness ask`): the loop that
asks Module 2's questions area by area and saves after every answer. It asks through a small
`Asker` (the command supplies one for a terminal or for lines on stdin; tests script one), so
the loop holds no input or output of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol

from ncm_toolkit.content import ContentPack
from ncm_toolkit.readiness import answer
from ncm_toolkit.readiness_schemas import STATUSES, Answer, Readiness

BACK = "back"
QUIT = "save and stop"


class Asker(Protocol):
    """How a question is put to the person answering; None means stop (end of input, Ctrl-C)."""

    def say(self, text: str) -> None: ...

    def choose(self, prompt: str, choices: list[str], default: str) -> str | None: ...

    def text(self, prompt: str, default: str) -> str | None: ...


def parse_date(text: str) -> dt.date | None:
    """A YYYY-MM-DD date, or None."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


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
        current = answer(record, q.id)
        asker.say(f"[{q.id}] {' '.join(q.text.split())}")
        choices = list(STATUSES) + ([BACK] if history else []) + [QUIT]
        status = asker.choose("status", choices, current.status)
        if status is None or status == QUIT:
            return record, False
        if status == BACK:
            i = history.pop()
            shown_area = ""
            continue
        owner, due, note = current.owner, current.due, current.note
        # Input may end (Ctrl-D, the end of a piped file) after the status: what was given
        # so far is still saved, then the session stops.
        stopped = False
        if status in ("open", "partly", "not_considered"):
            got = asker.text("owner (a role)", owner or "")
            stopped = got is None
            owner = owner if got is None else (got or None)
            while not stopped:
                got = asker.text("due (YYYY-MM-DD)", due.isoformat() if due else "")
                stopped = got is None
                if got is None:
                    break
                if not got or parse_date(got):
                    due = parse_date(got) if got else None
                    break
                asker.say("  not a date: write it as YYYY-MM-DD")
        if not stopped:
            got = asker.text("note or evidence link", note or "")
            stopped = got is None
            note = note if got is None else (got or None)
        new = Answer.model_validate(
            {
                "status": status,
                "owner": owner,
                "due": due,
                "note": note,
                "evidence": current.evidence,
            }
        )
        answers = dict(record.answers)
        answers[q.id] = new
        record = record.model_copy(update={"answers": answers})
        if save is not None:
            save(record)
        if stopped:
            return record, False
        history.append(i)
        i += 1
    return record, True
