"""The Quick Guide interview: one engine asks the questions of `questions/quick_guide.yaml`,
in a terminal, from an answers file or after `--resume` alike.

A question's behaviour lives with its type: a `Handler` per type knows when the question is
answered, how to ask it (through an `Asker`: a terminal, a script in tests, or nobody when
unattended), how to check an answer and how to describe it on the review page. Answers are
layered in one loop: what the `--answers` file or the autosave already holds is skipped unless
`ask_all`, the rest is asked. The engine's state (answers, position, objectives chosen but not
yet rated) lives on the `Interview` object, so an interrupted interview still holds it; the
autosave writes it out after every answer (position and pending ratings as leading comments).
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
from ncm_toolkit.read.loader import validate_data
from ncm_toolkit.safe_text import INVISIBLE
from ncm_toolkit.schemas import Choice, Question, Step

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
SELECT_VALUES: dict[str, bool | None] = {"true": True, "false": False, "not_known": None}
"""Select choices that store a yes, a no, or nothing (a question left out of the scoring)."""
LEVELS = (
    (1, "a little"),
    (2, "somewhat"),
    (3, "important"),
    (4, "very important"),
    (5, "essential"),
)
STEP_PREFIX = re.compile(r"^Step \d+\s*[–-]\s*")
REVIEW_NAV = 4
"""Lines of a review page besides its answers: heading, step title, menu prompt, a spare."""
ANSWER_MARK = "  → "
"""What starts an answer's line on the review page, under its question."""
REVIEW_CHOICES = ("score", "next", "prev", "back")
"""The review menu's own choices (each one line) besides the answers."""


class Back(Exception):
    """The user asked to go back to the previous question."""


class Unanswered(Exception):
    """Nobody can answer (an unattended run): the question stays unanswered."""


class Asker(Protocol):
    """How one question is put to the user: a terminal, or a script in tests. Any method may
    raise `Back`, `KeyboardInterrupt` or `EOFError`; `error` is a message to show beside the
    question after an answer that could not be accepted."""

    def text(self, q: Question, default: str, error: str | None) -> str: ...
    def confirm(self, q: Question, default: bool | None) -> bool: ...
    def select(self, q: Question, choices: list[Choice], default: str | None) -> str: ...
    def checkbox(
        self, q: Question, choices: list[Choice], checked: list[str], error: str | None
    ) -> list[str]: ...
    def note(self, text: str) -> None: ...
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
            return textwrap.wrap(answer, room, subsequent_indent="  ") or [""]
        if label.endswith(".") and label[:-1].isdigit():
            hang = " " * (len(label) + 3)
            return textwrap.wrap(
                f"{label} {answer}", room, initial_indent="  ", subsequent_indent=hang
            )
        return textwrap.wrap(label, room) + (
            textwrap.wrap(answer, room, initial_indent=ANSWER_MARK, subsequent_indent="    ")
            or [ANSWER_MARK.rstrip()]
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


def get_field(data: dict[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def set_field(data: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    if value is None or value == "" or value == []:
        node.pop(parts[-1], None)
        if len(parts) > 1 and not node:
            data.pop(parts[0], None)
    else:
        node[parts[-1]] = value


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
    text = INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", buf.getvalue())
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


# -- handlers: one per question type ---------------------------------------------------


class Handler:
    """What a question type does. `force` asks even when an answer is already known."""

    def answered(self, iv: Interview, q: Question) -> bool:
        return get_field(iv.data, q.field or q.id) is not None

    def ask(self, iv: Interview, q: Question, force: bool) -> None:
        raise NotImplementedError

    def validate(self, q: Question, value: Any) -> str | None:
        """A message when `value` cannot be accepted, else None."""
        return None

    def describe(self, iv: Interview, q: Question, value: Any) -> str:
        return "(not answered)" if value is None else str(value)

    def change_item(self, iv: Interview, q: Question, n: int) -> None:
        """Change entry `n` of a list answer alone (from the review)."""
        raise NotImplementedError


class NoteHandler(Handler):
    def answered(self, iv: Interview, q: Question) -> bool:
        return False

    def ask(self, iv: Interview, q: Question, force: bool) -> None:
        iv.asker.note(" ".join(q.prompt.split()))


class TextHandler(Handler):
    def validate(self, q: Question, value: Any) -> str | None:
        return "An answer is required." if q.required and not str(value).strip() else None

    def ask(self, iv: Interview, q: Question, force: bool) -> None:
        cur = get_field(iv.data, q.field or q.id)
        error: str | None = None
        while True:
            value = iv.asker.text(q, cur if isinstance(cur, str) else "", error).strip()
            error = self.validate(q, value)
            if error is None:
                break
        set_field(iv.data, q.field or q.id, value or None)


class ConfirmHandler(Handler):
    def ask(self, iv: Interview, q: Question, force: bool) -> None:
        cur = get_field(iv.data, q.field or q.id)
        default = (
            cur if isinstance(cur, bool) else q.default if isinstance(q.default, bool) else None
        )
        set_field(iv.data, q.field or q.id, bool(iv.asker.confirm(q, default)))

    def describe(self, iv: Interview, q: Question, value: Any) -> str:
        return "(not answered)" if value is None else ("Yes" if value else "No")


class SelectHandler(Handler):
    def ask(self, iv: Interview, q: Question, force: bool) -> None:
        cur = get_field(iv.data, q.field or q.id)
        default = str(cur).lower() if isinstance(cur, bool) else cur
        answer = iv.asker.select(q, iv.choices(q), default if isinstance(default, str) else None)
        set_field(iv.data, q.field or q.id, SELECT_VALUES.get(answer, answer))

    def describe(self, iv: Interview, q: Question, value: Any) -> str:
        if value is None:
            return "(not answered)" if q.choices_from else "Not known"
        key = str(value).lower() if isinstance(value, bool) else str(value)
        if q.choices_from == "formality":
            kinds: dict[str, Any] = {str(k): v for k, v in iv.pack.manifest.formality.items()}
            return str(kinds[key].title) if key in kinds else key
        return next((c.title for c in iv.choices(q) if c.value == key), key)


class MultiselectHandler(Handler):
    """The objectives: ticking keeps the ratings of those kept; new ones wait to be rated."""

    def answered(self, iv: Interview, q: Question) -> bool:
        return bool(get_field(iv.data, q.field or q.id)) or bool(iv.pending)

    def validate(self, q: Question, value: Any) -> str | None:
        return "Choose at least one." if q.required and not value else None

    def ask(self, iv: Interview, q: Question, force: bool) -> None:
        cur = get_field(iv.data, q.field or q.id)
        old = cur if isinstance(cur, dict) else {}
        chosen = [k for k, v in old.items() if v] + list(iv.pending)
        error: str | None = None
        while True:
            picked = iv.asker.checkbox(q, iv.choices(q), chosen, error)
            error = self.validate(q, picked)
            if error is None:
                break
        order = [c.value for c in iv.choices(q)]
        picked = [k for k in order if k in picked]
        set_field(iv.data, q.field or q.id, {k: old[k] for k in picked if old.get(k)} or None)
        iv.pending = [k for k in picked if not old.get(k)]

    def describe(self, iv: Interview, q: Question, value: Any) -> str:
        keys = [k for k, v in (value or {}).items() if v] + list(iv.pending)
        if not keys:
            return "(not answered)"
        titles: dict[str, str] = {o.id: o.title for o in iv.pack.manifest.objectives}
        return "; ".join(titles.get(k, k) for k in keys)


class ImportanceHandler(Handler):
    """One rating per chosen objective: only the ones not yet rated, unless forced."""

    def answered(self, iv: Interview, q: Question) -> bool:
        return not iv.pending

    def ask(self, iv: Interview, q: Question, force: bool) -> None:
        target = iv.data.setdefault(q.for_each or "objectives", {})
        keys = [k for k in iv.objective_order() if k in target or k in iv.pending]
        if not force:
            keys = [k for k in keys if k in iv.pending]
        i = 0
        while i < len(keys):
            try:
                self.rate(iv, q, keys[i])
            except Back:
                if i == 0:
                    raise
                i -= 1
                continue
            i += 1
        if not target:
            iv.data.pop(q.for_each or "objectives", None)

    def rate(self, iv: Interview, q: Question, key: str) -> None:
        target = iv.data.setdefault(q.for_each or "objectives", {})
        if iv.position != "review":  # a change from the review returns there
            iv.position = f"{q.id}:{key}"
        iv.save()
        titles: dict[str, str] = {o.id: o.title for o in iv.pack.manifest.objectives}
        levels = [Choice(value=str(n), title=f"{n} – {label}") for n, label in LEVELS]
        default = target.get(key) or (q.default if isinstance(q.default, int) else 3)
        sub = q.model_copy(update={"prompt": f"{titles.get(key, key)}: {q.prompt}"})
        target[key] = int(iv.asker.select(sub, levels, str(default)))
        if key in iv.pending:
            iv.pending.remove(key)
        order = iv.objective_order()
        ordered = {k: target[k] for k in order if k in target}
        target.clear()
        target.update(ordered)
        iv.save()


class ListHandler(Handler):
    """Free-text entries (the risks): add, change or remove one entry without retyping all."""

    def ask(self, iv: Interview, q: Question, force: bool) -> None:
        """Entries are typed one after another until one is left empty, as the question
        says; a list already given (resumed, `--ask-all`, the review) is offered first as a
        menu: keep, add, change or remove. Back at an entry after the first goes to that
        menu (nothing typed is lost); at the first empty entry, to the previous question."""
        key = q.field or q.id
        items = list(get_field(iv.data, key) or [])
        entry_q = q
        adding = not items
        while True:
            if not adding:
                iv.asker.note("So far: " + "; ".join(items))
                opts = [Choice(value="keep", title="Keep these and continue")]
                opts += [Choice(value="add", title="Add another")]
                opts += [
                    Choice(value=f"edit:{n}", title=f"Change: {t}") for n, t in enumerate(items)
                ]
                opts += [
                    Choice(value=f"drop:{n}", title=f"Remove: {t}") for n, t in enumerate(items)
                ]
                pick = iv.asker.select(
                    q.model_copy(update={"prompt": q.prompt.split("?")[0] + "?", "help": None}),
                    opts,
                    "keep",
                )
                if pick == "keep":
                    break
                action, _, n = pick.partition(":")
                if action == "drop":
                    items.pop(int(n))
                elif action == "edit":
                    try:
                        new = iv.asker.text(entry_q, items[int(n)], None).strip()
                    except Back:
                        continue
                    if new:
                        items[int(n)] = new
                    else:
                        items.pop(int(n))
                else:
                    adding = True
                    continue
                adding = not items  # the last one removed: type afresh
            else:
                try:
                    new = iv.asker.text(entry_q, "", None).strip()
                except Back:
                    if not items:
                        raise
                    adding = False  # to the menu of the entries so far
                    continue
                if not new:
                    break
                items.append(new)
            entry_q = q.model_copy(update={"help": None})
            set_field(iv.data, key, list(items) or None)
            iv.save()
        set_field(iv.data, key, list(items) or None)

    def answered(self, iv: Interview, q: Question) -> bool:
        return bool(get_field(iv.data, q.field or q.id))

    def describe(self, iv: Interview, q: Question, value: Any) -> str:
        return "; ".join(str(v) for v in value) if value else "(none)"

    def change_item(self, iv: Interview, q: Question, n: int) -> None:
        """One entry retyped, its text the default; emptied, it is removed."""
        key = q.field or q.id
        items = list(get_field(iv.data, key) or [])
        if not 0 <= n < len(items):
            return
        new = iv.asker.text(q.model_copy(update={"help": None}), str(items[n]), None).strip()
        if new:
            items[n] = new
        else:
            items.pop(n)
        set_field(iv.data, key, items or None)


class PartnersHandler(Handler):
    """Name, then kind; Back at the kind returns to that partner's name."""

    def answered(self, iv: Interview, q: Question) -> bool:
        return bool(get_field(iv.data, q.field or q.id))

    def ask(self, iv: Interview, q: Question, force: bool) -> None:
        key = q.field or q.id
        partners: list[dict[str, str]] = list(get_field(iv.data, key) or [])
        kinds = iv.choices(q)
        titles = {c.value: c.title for c in kinds}
        name_q = q.model_copy(update={"prompt": "Partner name (empty to finish):"})
        kind_q = q.model_copy(update={"prompt": "What kind of organisation is it?", "help": None})
        if partners:
            iv.asker.note(
                "Partners so far: "
                + "; ".join(
                    f"{p.get('name')} ({titles.get(p.get('kind', ''), '?')})" for p in partners
                )
            )
            opts = [Choice(value="keep", title="Keep these and continue")]
            opts += [Choice(value="add", title="Add another partner")]
            opts += [
                Choice(value=f"drop:{n}", title=f"Remove: {p.get('name')}")
                for n, p in enumerate(partners)
            ]
            while True:
                pick = iv.asker.select(
                    q.model_copy(update={"prompt": "The partner organisations?", "help": None}),
                    opts,
                    "keep",
                )
                if pick == "keep":
                    return
                if pick.startswith("drop:"):
                    partners.pop(int(pick[5:]))
                    set_field(iv.data, key, list(partners) or None)
                    iv.save()
                    return self.ask(iv, q, force) if partners else None
                break
        name = ""
        while True:
            name = iv.asker.text(name_q, name, None).strip()
            if not name:
                break
            try:
                kind = iv.asker.select(kind_q, kinds, None)
            except Back:
                continue  # back to this partner's name, kept as the default
            partners.append({"name": name, "kind": kind})
            set_field(iv.data, key, list(partners))
            iv.save()
            name = ""
            name_q = name_q.model_copy(update={"help": None})
        if not partners:
            iv.asker.note("No partners added: the partner mix takes no part in the ranking.")
        set_field(iv.data, key, list(partners) or None)

    def change_item(self, iv: Interview, q: Question, n: int) -> None:
        """One partner's name and kind, the current ones the defaults; an empty name
        removes the partner; Back at the kind returns to the name."""
        key = q.field or q.id
        partners: list[dict[str, str]] = list(get_field(iv.data, key) or [])
        if not 0 <= n < len(partners):
            return
        name_q = q.model_copy(update={"prompt": "Partner name (empty to remove):", "help": None})
        kind_q = q.model_copy(update={"prompt": "What kind of organisation is it?", "help": None})
        name = str(partners[n].get("name") or "")
        while True:
            name = iv.asker.text(name_q, name, None).strip()
            if not name:
                partners.pop(n)
                break
            try:
                kind = iv.asker.select(kind_q, iv.choices(q), partners[n].get("kind"))
            except Back:
                continue
            partners[n] = {"name": name, "kind": kind}
            break
        set_field(iv.data, key, partners or None)

    def describe(self, iv: Interview, q: Question, value: Any) -> str:
        if not value:
            return "(none)"
        titles = {c.value: c.title for c in iv.choices(q)}
        return "; ".join(
            f"{p.get('name')} ({titles.get(p.get('kind'), p.get('kind'))})" for p in value
        )


HANDLERS: dict[str, Handler] = {
    "note": NoteHandler(),
    "text": TextHandler(),
    "confirm": ConfirmHandler(),
    "select": SelectHandler(),
    "multiselect": MultiselectHandler(),
    "importance": ImportanceHandler(),
    "list": ListHandler(),
    "partners": PartnersHandler(),
}


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
    ) -> Interview:
        """An interview continued from an autosave: what came before its position is seen."""
        iv = cls(pack, asker, data, save_to, ask_all)
        where = read_progress(text) or "review"
        qid, _, item = where.partition(":")
        iv.pending = [k for k in read_pending(text) if k not in (data.get("objectives") or {})]
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
        iv.loaded = iv._state()
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
