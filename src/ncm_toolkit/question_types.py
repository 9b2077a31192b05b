"""What each question type of the Quick Guide interview does: a `Handler` per type.

A handler knows when its question is answered, how to ask it (through a `QuestionAsker`: a
terminal, a script in tests, or nobody when unattended), how to check an answer and how to
describe it on the review page. It sees the interview only as an `InterviewState` (the
answers, the objectives chosen but not yet rated, the position, the autosave), so the engine
in `interview` uses the handlers and nothing here imports the engine.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, Protocol

from ncm_toolkit.content import ContentPack
from ncm_toolkit.profile import Draft
from ncm_toolkit.read.loader import validate_data
from ncm_toolkit.schemas import SELECT_VALUES as SELECT_VALUES
from ncm_toolkit.schemas import Choice, Question

LEVELS = (
    (1, "a little"),
    (2, "somewhat"),
    (3, "important"),
    (4, "very important"),
    (5, "essential"),
)


class Back(Exception):
    """The user asked to go back to the previous question."""


class QuestionAsker(Protocol):
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


class InterviewState(Protocol):
    """What a handler reads and changes of the interview (`interview.Interview`)."""

    data: dict[str, Any]
    pending: list[str]
    """Objectives chosen but not yet rated."""
    position: str | None
    """The question being asked (`importance:objective` inside the ratings), or `review`."""

    @property
    def pack(self) -> ContentPack: ...
    @property
    def asker(self) -> QuestionAsker: ...
    def save(self) -> None: ...
    def choices(self, q: Question) -> list[Choice]: ...
    def objective_order(self) -> list[str]: ...


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


def answer_problem(dotted: str, value: Any) -> str | None:
    """What a profile says of `value` as the answer at `dotted` (`name`, `risks`,
    `decision.agreed_by`), else None: a typed answer is checked as the autosave will be read,
    so one longer than the profile holds (a paste gone wrong) is asked again beside its
    question, never saved into an autosave that `--resume` then refuses."""
    draft: dict[str, Any] = {"schema_version": 2}
    set_field(draft, dotted, value)
    _, diags = validate_data(draft, Draft, "answer", "")
    for d in diags:
        if d.field is not None and re.match(re.escape(dotted) + r"(?:$|[.\[])", d.field):
            return d.message
    return None


def entry_problem(key: str, items: list[Any], entry: Any, at: int | None) -> str | None:
    """What a profile says of the list at `key` with `entry` added (or in place of item
    `at`): a list answer is checked whole, its length and its number of items alike."""
    whole = list(items)
    if at is None:
        whole.append(entry)
    else:
        whole[at] = entry
    return answer_problem(key, whole)


def typed_entry(
    asker: QuestionAsker, q: Any, default: str, problem: Callable[[str], str | None]
) -> str:
    """A text answer typed until `problem(answer)` finds nothing wrong with it (an empty
    answer is never checked: it ends a list or leaves the field out). A refused answer is
    asked again from `default`, as `ncm readiness ask` asks an owner too long: a paste of
    pages offered back would fill the screen and push the message saying why off it."""
    error: str | None = None
    while True:
        answer = asker.text(q, default, error).strip()
        error = problem(answer) if answer else None
        if error is None:
            return answer


class Handler:
    """What a question type does. `force` asks even when an answer is already known."""

    def answered(self, iv: InterviewState, q: Question) -> bool:
        return get_field(iv.data, q.field or q.id) is not None

    def ask(self, iv: InterviewState, q: Question, force: bool) -> None:
        raise NotImplementedError

    def validate(self, q: Question, value: Any) -> str | None:
        """A message when `value` cannot be accepted, else None."""
        return None

    def describe(self, iv: InterviewState, q: Question, value: Any) -> str:
        return "(not answered)" if value is None else str(value)

    def change_item(self, iv: InterviewState, q: Question, n: int) -> None:
        """Change entry `n` of a list answer alone (from the review)."""
        raise NotImplementedError


class NoteHandler(Handler):
    def answered(self, iv: InterviewState, q: Question) -> bool:
        return False

    def ask(self, iv: InterviewState, q: Question, force: bool) -> None:
        iv.asker.note(" ".join(q.prompt.split()))


class TextHandler(Handler):
    def validate(self, q: Question, value: Any) -> str | None:
        if not str(value).strip():
            return "An answer is required." if q.required else None
        return answer_problem(q.field or q.id, value)

    def ask(self, iv: InterviewState, q: Question, force: bool) -> None:
        cur = get_field(iv.data, q.field or q.id)
        error: str | None = None
        while True:  # asked again from the answer before (see `typed_entry`)
            value = iv.asker.text(q, cur if isinstance(cur, str) else "", error).strip()
            error = self.validate(q, value)
            if error is None:
                break
        set_field(iv.data, q.field or q.id, value or None)


class ConfirmHandler(Handler):
    def ask(self, iv: InterviewState, q: Question, force: bool) -> None:
        cur = get_field(iv.data, q.field or q.id)
        default = (
            cur if isinstance(cur, bool) else q.default if isinstance(q.default, bool) else None
        )
        set_field(iv.data, q.field or q.id, bool(iv.asker.confirm(q, default)))

    def describe(self, iv: InterviewState, q: Question, value: Any) -> str:
        return "(not answered)" if value is None else ("Yes" if value else "No")


class SelectHandler(Handler):
    def ask(self, iv: InterviewState, q: Question, force: bool) -> None:
        cur = get_field(iv.data, q.field or q.id)
        default = str(cur).lower() if isinstance(cur, bool) else cur
        answer = iv.asker.select(q, iv.choices(q), default if isinstance(default, str) else None)
        set_field(iv.data, q.field or q.id, SELECT_VALUES.get(answer, answer))

    def describe(self, iv: InterviewState, q: Question, value: Any) -> str:
        if value is None:
            return "(not answered)" if q.choices_from else "Not known"
        key = str(value).lower() if isinstance(value, bool) else str(value)
        if q.choices_from == "formality":
            kinds: dict[str, Any] = {str(k): v for k, v in iv.pack.manifest.formality.items()}
            return str(kinds[key].title) if key in kinds else key
        return next((c.title for c in iv.choices(q) if c.value == key), key)


class MultiselectHandler(Handler):
    """The objectives: ticking keeps the ratings of those kept; new ones wait to be rated."""

    def answered(self, iv: InterviewState, q: Question) -> bool:
        return bool(get_field(iv.data, q.field or q.id)) or bool(iv.pending)

    def validate(self, q: Question, value: Any) -> str | None:
        return "Choose at least one." if q.required and not value else None

    def ask(self, iv: InterviewState, q: Question, force: bool) -> None:
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

    def describe(self, iv: InterviewState, q: Question, value: Any) -> str:
        keys = [k for k, v in (value or {}).items() if v] + list(iv.pending)
        if not keys:
            return "(not answered)"
        titles: dict[str, str] = {o.id: o.title for o in iv.pack.manifest.objectives}
        return "; ".join(titles.get(k, k) for k in keys)


class ImportanceHandler(Handler):
    """One rating per chosen objective: only the ones not yet rated, unless forced."""

    def answered(self, iv: InterviewState, q: Question) -> bool:
        return not iv.pending

    def ask(self, iv: InterviewState, q: Question, force: bool) -> None:
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

    def rate(self, iv: InterviewState, q: Question, key: str) -> None:
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

    def ask(self, iv: InterviewState, q: Question, force: bool) -> None:
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
                    at = int(n)
                    check = functools.partial(self._problem, key, items, at=at)
                    try:
                        new = typed_entry(iv.asker, entry_q, items[at], check)
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
                    new = typed_entry(iv.asker, entry_q, "", lambda a: self._problem(key, items, a))
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

    @staticmethod
    def _problem(key: str, items: list[str], new: str, at: int | None = None) -> str | None:
        """What the profile says of the list with `new` added (or in place of entry `at`)."""
        return entry_problem(key, items, new, at)

    def answered(self, iv: InterviewState, q: Question) -> bool:
        """An empty list given (`risks: []` in an answers file: none) is an answer too."""
        return get_field(iv.data, q.field or q.id) is not None

    def describe(self, iv: InterviewState, q: Question, value: Any) -> str:
        return "; ".join(str(v) for v in value) if value else "(none)"

    def change_item(self, iv: InterviewState, q: Question, n: int) -> None:
        """One entry retyped, its text the default; emptied, it is removed."""
        key = q.field or q.id
        items = list(get_field(iv.data, key) or [])
        if not 0 <= n < len(items):
            return
        new = typed_entry(
            iv.asker,
            q.model_copy(update={"help": None}),
            str(items[n]),
            lambda a: self._problem(key, items, a, n),
        )
        if new:
            items[n] = new
        else:
            items.pop(n)
        set_field(iv.data, key, items or None)


class PartnersHandler(Handler):
    """Name, then kind; Back at the kind returns to that partner's name."""

    @staticmethod
    def _problem(key: str, partners: list[Any], name: str, at: int | None = None) -> str | None:
        """What the profile says of the partners with this name added (or as partner `at`'s):
        its length, their number; the kind is chosen from the list, so any one stands in."""
        return entry_problem(key, partners, {"name": name, "kind": "other"}, at)

    def answered(self, iv: InterviewState, q: Question) -> bool:
        """An empty list given (`risks: []` in an answers file: none) is an answer too."""
        return get_field(iv.data, q.field or q.id) is not None

    def ask(self, iv: InterviewState, q: Question, force: bool) -> None:
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
            name = typed_entry(iv.asker, name_q, name, lambda a: self._problem(key, partners, a))
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

    def change_item(self, iv: InterviewState, q: Question, n: int) -> None:
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
            name = typed_entry(iv.asker, name_q, name, lambda a: self._problem(key, partners, a, n))
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

    def describe(self, iv: InterviewState, q: Question, value: Any) -> str:
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
