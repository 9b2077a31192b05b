"""The Quick Guide interview: one engine asks the questions of `questions/quick_guide.yaml`,
in a terminal, from an answers file or after `--resume` alike.

A question's behaviour lives with its type (`question_types`): a `Handler` per type knows when
the question is answered, how to ask it (through an `Asker`: a terminal, a script in tests, or
nobody when unattended), how to check an answer and how to describe it on the review page.
Answers are layered in one loop: what the `--answers` file or the autosave already holds is
skipped unless `ask_all`, the rest is asked. The engine's state (answers, position, objectives
chosen but not yet rated) lives on the `Interview` object, so an interrupted interview still
holds it; the autosave writes it out after every answer (position and pending ratings as
leading comments).
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ruamel.yaml import YAML

from ncm_toolkit.content import ContentPack
from ncm_toolkit.files import write_text
from ncm_toolkit.profile import Profile
from ncm_toolkit.question_types import (
    HANDLERS,
    LEVELS,
    Back,
    ImportanceHandler,
    QuestionAsker,
    get_field,
    set_field,
)
from ncm_toolkit.read.loader import validate_data
from ncm_toolkit.safe_text import INVISIBLE, yaml_escape
from ncm_toolkit.schemas import Choice, Question, Step

__all__ = [
    "HANDLERS",
    "Asker",
    "Back",
    "Interview",
    "NobodyAsker",
    "ReviewGroup",
    "ReviewItem",
    "ReviewPage",
    "Unanswered",
    "dump_profile",
    "layer_answers",
    "read_pending",
    "read_progress",
    "review_pages",
    "step_title",
]
"""The engine's names, and the two of `question_types` its callers meet: `Back` (an asker
raises it) and `HANDLERS`."""


PROGRESS = re.compile(
    r"^# ncm assess: next question: ([a-z0-9_]+(?::[a-z0-9_]+)?|review)\s*$", re.M
)
"""`question` or `question:item` (the objective an importance question had reached)."""
PENDING = re.compile(r"^# ncm assess: to rate: ([a-z0-9_ ]*)$", re.M)
"""Objectives chosen but not yet rated: kept out of `objectives` so no rating is invented."""
FIELD_ORDER = (
    "schema_version",
    "name",
    "description",
    "partners",
    "objectives",
    "sustainability",
    "risks",
    "commissioning",
    "governance",
    "structure",
    "respondent",
    "as_of",
    "decision",
)
V2_KEYS = ("structure", "respondent", "as_of", "decision")
"""Top-level keys of profile version 2: a draft with any of them is written as version 2."""


STEP_PREFIX = re.compile(r"^Step \d+\s*[–-]\s*")
REVIEW_NAV = 4
"""Lines of a review page besides its answers: heading, step title, menu prompt, a spare."""
ANSWER_MARK = "  → "
"""What starts an answer's line on the review page, under its question."""
REVIEW_CHOICES = ("score", "next", "prev", "back")
"""The review menu's own choices (each one line) besides the answers."""


class Unanswered(Exception):
    """Nobody can answer (an unattended run): the question stays unanswered."""


class Asker(QuestionAsker, Protocol):
    """How the interview is put to the user: each question (`QuestionAsker`), and the
    engine's own screens: a step's heading, the review page and the room it has."""

    def heading(self, title: str, intro: str | None) -> None: ...
    def review(self, page: ReviewPage, problems: list[str]) -> str: ...
    def size(self) -> tuple[int, int]:
        """Columns and lines the review page must fit."""
        ...


class NobodyAsker:
    """An unattended run: every question the answers file leaves open stays unanswered."""

    def text(self, q: Question, default: str, error: str | None) -> str:
        raise Unanswered

    def confirm(self, q: Question, default: bool | None) -> bool:
        raise Unanswered

    def select(self, q: Question, choices: list[Choice], default: str | None) -> str:
        raise Unanswered

    def checkbox(
        self, q: Question, choices: list[Choice], checked: list[str], error: str | None
    ) -> list[str]:
        raise Unanswered

    def note(self, text: str) -> None:
        return None

    def heading(self, title: str, intro: str | None) -> None:
        return None

    def review(self, page: ReviewPage, problems: list[str]) -> str:
        return "done"  # nobody to fix anything: the caller reports what is missing

    def size(self) -> tuple[int, int]:
        return (80, 24)


def cells(text: str) -> int:
    """The columns `text` takes in a terminal, as Rich (which lays out the rest of the
    interview) counts them: two for a wide character (CJK, most emoji), none for a
    combining mark; `len` counts each as one."""
    from rich.cells import cell_len

    return cell_len(text)


def wrap_cells(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """`textwrap.wrap` measured in terminal columns (`cells`): at words, `first` before the
    first line and `rest` before the others; a word wider than a line is cut where it
    fills it. textwrap counts characters, so a line of emoji or CJK text it made was up to
    twice the width, broken by the terminal mid-word and a line longer than the page."""
    lines: list[str] = []
    line, used, words = first, cells(first), 0
    for word in text.split():
        size = cells(word)
        if words and used + 1 + size > width:
            lines.append(line)
            line, used, words = rest, cells(rest), 0
        while used + (1 if words else 0) + size > width and not words and size > 1:
            room = max(1, width - used)
            cut, taken = 0, 0
            while cut < len(word) and taken + cells(word[cut]) <= room:
                taken += cells(word[cut])
                cut += 1
            cut = max(cut, 1)
            lines.append(line + word[:cut])
            word = word[cut:]
            size = cells(word)
            line, used = rest, cells(rest)
        if not word:
            continue
        line += (" " if words else "") + word
        used += (1 if words else 0) + size
        words += 1
    if words:
        lines.append(line)
    return lines


@dataclass
class ReviewItem:
    """One line of the review page: `action` is what `Interview.change` takes."""

    label: str
    answer: str
    action: str

    def lines(self, width: int) -> list[str]:
        """The item as the review menu shows it, wrapped at words to `width` (3 columns of
        the menu's pointer before it): the question, then its answer on a line of its own
        after an arrow, indented (run together on one line, the reader could not tell where
        a question ended and its answer began); an entry of a list (`3.`) on one line,
        indented under the list's question."""
        room = max(20, width - 4)
        label = " ".join(self.label.rstrip(":").split())
        answer = " ".join(self.answer.split())
        if not label:
            return wrap_cells(answer, room, rest="  ") or [""]
        if label.endswith(".") and label[:-1].isdigit():
            hang = " " * (len(label) + 3)
            return wrap_cells(f"{label} {answer}", room, "  ", hang)
        return wrap_cells(label, room) + (
            wrap_cells(answer, room, ANSWER_MARK, "    ") or [ANSWER_MARK.rstrip()]
        )


@dataclass
class ReviewGroup:
    title: str
    items: list[ReviewItem]


@dataclass
class ReviewPage:
    """One screen of "Check your answers": part or all of one step's answers."""

    title: str
    items: list[ReviewItem]
    number: int
    count: int


def review_pages(
    groups: list[ReviewGroup], width: int, height: int, extra: int = 0
) -> list[ReviewPage]:
    """The review cut into pages that fit `width` x `height`: one step per page, a step too
    long for one page continued on the next. `extra` lines are taken by problems shown."""
    room = max(3, height - REVIEW_NAV - len(REVIEW_CHOICES) - extra)
    cut: list[tuple[str, list[ReviewItem]]] = []
    for g in groups:
        page: list[ReviewItem] = []
        used = 0
        title_lines = len(textwrap.wrap(g.title, max(20, width))) - 1
        for item in g.items:
            n = len(item.lines(width))
            if page and used + n + title_lines > room:
                cut.append((g.title, page))
                page, used = [], 0
            page.append(item)
            used += n
        cut.append((g.title, page))
    return [
        ReviewPage(t + (" (continued)" if k and cut[k - 1][0] == t else ""), items, k + 1, len(cut))
        for k, (t, items) in enumerate(cut)
    ]


def layer_answers(
    base: dict[str, Any], top: dict[str, Any], questions: list[Question]
) -> tuple[dict[str, Any], list[str]]:
    """`top` (the `--answers` file) over `base` (the autosave `--resume` continues), as copier
    lays given data over earlier answers: question by question, a question `top` answers
    takes `top`'s answer whole (a list or the objectives with their importances too), the rest
    keep `base`'s. Returns the layered answers and the fields whose answer `top` replaced."""
    import copy

    fields = {q.field for q in questions if q.field}
    merged = copy.deepcopy(base)
    replaced: list[str] = []

    def lay(node: dict[str, Any], prefix: str) -> None:
        for key, value in node.items():
            path = f"{prefix}{key}"
            if value is None or path == "schema_version":
                continue
            below = get_field(merged, path)
            if isinstance(value, dict) and path not in fields and isinstance(below, dict):
                lay(value, path + ".")
                continue
            if below is not None and below != value:
                replaced.append(path)
            set_field(merged, path, copy.deepcopy(value))

    lay(top, "")
    versions = [v for d in (base, top) if isinstance(v := d.get("schema_version"), int)]
    if versions:
        merged["schema_version"] = max(versions)
    return merged, replaced


def dump_profile(
    data: dict[str, Any], next_question: str | None = None, pending: list[str] | None = None
) -> str:
    """The profile as YAML in the contract's field order; the progress comments first."""
    version = 2 if any(k in data for k in V2_KEYS) or data.get("schema_version") == 2 else 1
    ordered = {"schema_version": version, **{k: data[k] for k in FIELD_ORDER[1:] if k in data}}
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.width = 100
    yaml.representer.add_representer(str, _represent_str)
    buf = io.StringIO()
    yaml.dump(ordered, buf)
    # only double-quoted scalars hold these (`_represent_str`), where `\uHHHH` is the same text
    text = INVISIBLE.sub(yaml_escape, buf.getvalue())
    head = f"# ncm assess: next question: {next_question}\n" if next_question else ""
    if next_question and pending:
        head += f"# ncm assess: to rate: {' '.join(pending)}\n"
    return head + text


def _represent_str(representer: Any, value: str) -> Any:
    """Text with a bidi override or a zero-width character double-quoted, so that
    `dump_profile` can write those characters as escapes: a saved profile shown by `cat` or
    an editor then reorders and hides nothing, and reads back as the same text."""
    style = '"' if INVISIBLE.search(value) else None
    return representer.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def read_progress(text: str) -> str | None:
    m = PROGRESS.search(text)
    return m.group(1) if m else None


def read_pending(text: str) -> list[str]:
    m = PENDING.search(text)
    return m.group(1).split() if m else []


def step_title(step: Step, steps: list[Step]) -> str:
    """ "Step 2 of 6: Sustainability": every numbered step counted, the partnership's
    structure after the guide's five too (a "Step 5 of 5" followed by nine more questions
    read as the end); the preliminaries (number 0) by their title."""
    last = max(s.number for s in steps)
    title = STEP_PREFIX.sub("", step.title)
    if step.number >= 1:
        return f"Step {step.number} of {last}: {title}"
    return title


@dataclass
class Interview:
    """The interview's state: answers, position, pending ratings; `run` asks what is open."""

    pack: ContentPack
    asker: Asker
    data: dict[str, Any] = field(default_factory=dict)
    save_to: Path | None = None
    ask_all: bool = False
    position: str | None = None
    """The question being asked (`importance:objective` inside the ratings), or `review`."""
    pending: list[str] = field(default_factory=list)
    questions: list[Question] = field(init=False)
    step_of: dict[str, Step] = field(init=False)
    seen: set[str] = field(default_factory=set)
    unanswered: list[Question] = field(default_factory=list)
    page: int = 0
    """The review page shown: a change returns to it."""
    loaded: str | None = None
    """The state a resumed autosave held: saving it again would only strip its comments."""
    replaced: list[str] = field(default_factory=list)
    """The autosave's answers the `--answers` file replaced (`resumed`)."""

    def __post_init__(self) -> None:
        self.questions = self.pack.quick_guide.questions
        self.step_of = {q.id: s for s in self.pack.quick_guide.steps for q in s.questions}

    @classmethod
    def resumed(
        cls,
        pack: ContentPack,
        asker: Asker,
        data: dict[str, Any],
        text: str,
        save_to: Path | None,
        ask_all: bool = False,
        over: dict[str, Any] | None = None,
    ) -> Interview:
        """An interview continued from an autosave: what came before its position is seen.
        `over`: the `--answers` file's answers, laid over the autosave's (`layer_answers`; the
        fields they replaced are in `replaced`); objectives it answers are taken whole, so
        the autosave's objectives still to rate are not asked (nor added to them)."""
        replaced: list[str] = []
        if over is not None:
            data, replaced = layer_answers(data, over, pack.quick_guide.questions)
        iv = cls(pack, asker, data, save_to, ask_all)
        iv.replaced = replaced
        where = read_progress(text) or "review"
        qid, _, item = where.partition(":")
        known = iv.objective_order()  # a hand-edited name the pack lacks is never asked
        rated = data.get("objectives") or {}
        rating = {q.field or q.id for q in iv.questions if q.type in ("multiselect", "importance")}
        if over is not None and rating & set(over):
            item = ""  # the ratings are the answers file's, whole: none left to ask
        else:
            iv.pending = [k for k in read_pending(text) if k in known and k not in rated]
        if item and not iv.pending:  # an autosave of an older ncm: ratings from `item` on
            keys = list(data.get("objectives") or {})
            if item in keys:
                iv.pending = keys[keys.index(item) :]
                for k in iv.pending:
                    data["objectives"].pop(k, None)
        ids = [q.id for q in iv.questions]
        upto = ids.index(qid) if qid in ids else len(ids)
        iv.seen = set(ids[:upto])
        iv.position = where
        iv.loaded = None if over is not None else iv._state()  # layered: saved at once
        return iv

    # -- persistence -------------------------------------------------------------------
    def _state(self) -> str:
        return dump_profile(self.data, self.position, self.pending)

    def save(self) -> None:
        if any(k in self.data for k in V2_KEYS):  # a version-2 answer makes a version-2 profile
            self.data["schema_version"] = 2
        if self.loaded is not None:  # a resumed file is rewritten (comments lost) only
            if self._state() == self.loaded:  # once something in it changes
                return
            self.loaded = None
        if self.save_to is not None:
            write_text(self.save_to, dump_profile(self.data, self.position, self.pending))

    # -- choices and conditions --------------------------------------------------------
    def choices(self, q: Question) -> list[Choice]:
        m = self.pack.manifest
        if q.choices_from == "objectives":
            return [
                Choice(
                    value=o.id,
                    title=o.title + (" (core)" if o.group == "core" else ""),
                    help=o.description,
                )
                for o in m.objectives
            ]
        if q.choices_from == "partner_kinds":
            return [Choice(value=k, title=v) for k, v in m.partner_kinds.items()]
        if q.choices_from == "formality":
            return [
                Choice(value=k, title=d.title, help=d.description) for k, d in m.formality.items()
            ]
        return list(q.choices)

    def objective_order(self) -> list[str]:
        return [o.id for o in self.pack.manifest.objectives]

    def applies(self, q: Question) -> bool:
        return all(get_field(self.data, c.field) == c.equals for c in q.when)

    def is_answered(self, q: Question) -> bool:
        return q.id in self.seen or HANDLERS[q.type].answered(self, q)

    # -- asking --------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        """Ask every open question (all with `ask_all`), then the review until the user
        scores; Back at the review re-asks the last question. KeyboardInterrupt and EOFError
        pass through with every answer saved and `position` set."""
        if self.position != "review" or self.ask_all:
            self.walk(0)
        while True:
            if self.review():
                return self.data

    def walk(self, i: int, force_first: bool = False) -> None:
        """From question `i` to the end, skipping what is answered; Back goes to the previous
        question asked, else to the previous one that applies (after `--resume` too)."""
        history: list[int] = []
        force = force_first
        if not force_first:
            self.position = None
        while i < len(self.questions):
            q = self.questions[i]
            if not self.applies(q) or (not force and not self.ask_all and self.is_answered(q)):
                i += 1
                continue
            try:
                self.put(q, force or self.ask_all, history)
            except Back:
                i = history.pop() if history else self._previous(i)
                force = True
                continue
            except Unanswered:
                if q.type != "text":  # free text takes no part in the ranking
                    self.unanswered.append(q)
                i += 1
                continue
            force = False
            if q.type != "note":  # Back passes over notes
                history.append(i)
            i += 1
        self.position = "review"
        self.save()

    def _previous(self, i: int) -> int:
        for j in range(i - 1, -1, -1):
            q = self.questions[j]
            if self.applies(q) and q.type != "note":
                return j
        return i

    def put(self, q: Question, force: bool, history: list[int] | None = None) -> None:
        """Put one question through its type's handler, with its step's heading first."""
        step = self.step_of[q.id]
        prev = self.questions[history[-1]] if history else None
        if prev is None or self.step_of[prev.id] is not step:
            self.asker.heading(step_title(step, self.pack.quick_guide.steps), step.intro)
        if self.position != "review":
            self.position = q.id
        self.save()
        HANDLERS[q.type].ask(self, q, force)
        self.seen.add(q.id)
        self.save()

    # -- review --------------------------------------------------------------------------
    def groups(self) -> list[ReviewGroup]:
        """The answers grouped by step; each objective's importance is its own line."""
        out: list[ReviewGroup] = []
        titles: dict[str, str] = {o.id: o.title for o in self.pack.manifest.objectives}
        for step in self.pack.quick_guide.steps:
            items: list[ReviewItem] = []
            for q in step.questions:
                if q.type == "note" or not self.applies(q):
                    continue
                h = HANDLERS[q.type]
                if q.type == "importance":
                    target = get_field(self.data, q.for_each or "objectives") or {}
                    for k in self.objective_order():
                        if k in target or k in self.pending:
                            level = int(target.get(k) or 0)
                            items.append(
                                ReviewItem(
                                    f"Importance of {titles.get(k, k)}",
                                    f"{level} – {dict(LEVELS).get(level, 'not an objective')}"
                                    if k in target
                                    else "(not rated yet)",
                                    f"importance:{k}",
                                )
                            )
                    continue
                value = get_field(self.data, q.field or q.id)
                if q.type in ("list", "partners") and value:  # a change per entry too
                    items.append(
                        ReviewItem(q.prompt, f"{len(value)} listed (choose to add or remove)", q.id)
                    )
                    items += [
                        ReviewItem(f"{n + 1}.", h.describe(self, q, [v]), f"{q.id}:{n}")
                        for n, v in enumerate(value)
                    ]
                    continue
                items.append(ReviewItem(q.prompt, h.describe(self, q, value), q.id))
            if items:
                out.append(ReviewGroup(step_title(step, self.pack.quick_guide.steps), items))
        return out

    def problems(self) -> list[str]:
        if self.pending:
            return ["Rate the importance of every objective chosen."]
        _, diags = validate_data(self.data, Profile, str(self.save_to or "answers"), "")
        return [f"{d.field}: {d.message}" if d.field else d.message for d in diags]

    def review(self) -> bool:
        """One turn of the review: the current page (it fits the asker's screen), then the
        user's choice: another page, a change (back on the same page after), Back, score.
        True when the user chose to score."""
        self.position = "review"
        self.save()
        problems = self.problems()
        width, height = self.asker.size()
        extra = sum(len(textwrap.wrap("To fix: " + p, max(20, width))) for p in problems)
        pages = review_pages(self.groups(), width, height, extra)
        self.page = min(self.page, len(pages) - 1)
        action = self.asker.review(pages[self.page], problems)
        if action == "done":
            return True
        if action in ("next", "prev"):
            self.page = max(0, min(len(pages) - 1, self.page + (1 if action == "next" else -1)))
            return False
        if action == "score":
            return not self.problems()
        if action == "back":
            last = max(
                (i for i, q in enumerate(self.questions) if self.applies(q) and q.type != "note"),
                default=0,
            )
            self.walk(last, force_first=True)
            return False
        self.change(action)
        return False

    def change(self, action: str) -> None:
        """Re-ask one answer from the review (`question` or `importance:objective`); the
        autosave keeps its position at the review, so an interruption returns there."""
        qid, _, item = action.partition(":")
        q = next(x for x in self.questions if x.id == qid)
        self.position = "review"
        try:
            if q.type == "importance" and item:
                ImportanceHandler().rate(self, q, item)
            elif q.type in ("list", "partners") and item.isdigit():
                HANDLERS[q.type].change_item(self, q, int(item))
            else:
                HANDLERS[q.type].ask(self, q, True)
                for x in self.questions:  # newly ticked objectives are rated at once
                    if x.type == "importance" and self.pending:
                        HANDLERS[x.type].ask(self, x, False)
        except Back:
            pass
        self.position = "review"
        self.save()

    def unanswered_steps(self) -> list[str]:
        """The titles of the steps with a question nobody answered (unattended runs)."""
        steps = self.pack.quick_guide.steps
        seen: list[str] = []
        for q in self.unanswered:
            t = step_title(self.step_of[q.id], steps)
            if t not in seen:
                seen.append(t)
        return seen
