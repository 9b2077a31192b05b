"""The Quick Guide interview: one engine asks the questions of `questions/quick_guide.yaml`.

Answers live in a plain dict in the profile format of the contract and are saved atomically
after every answer, with the id of the next question in a leading YAML comment, so an
interrupted interview resumes where it stopped and the file stays a valid profile draft.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .content import ContentPack
from .files import write_text
from .schemas import Choice, Question

PROGRESS = re.compile(
    r"^# ncm assess: next question: ([a-z0-9_]+(?::[a-z0-9_]+)?|review)\s*$", re.M
)
"""`question` or `question:item` (the objective an importance question had reached)."""
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
)
V2_KEYS = ("structure", "respondent", "as_of")
"""Top-level keys of profile version 2: a draft with any of them is written as version 2."""
SELECT_VALUES: dict[str, bool | None] = {"true": True, "false": False, "not_known": None}
"""Select choices that store a yes, a no, or nothing (a question left out of the scoring)."""


class Back(Exception):
    """The user asked to go back to the previous question."""


class Asker(Protocol):
    """How one question is put to the user: a terminal, or a script in tests."""

    def text(self, q: Question, default: str, required: bool) -> str: ...
    def confirm(self, q: Question, default: bool | None) -> bool: ...
    def select(self, q: Question, choices: list[Choice], default: str | None) -> str: ...
    def checkbox(
        self, q: Question, choices: list[Choice], checked: list[str], required: bool
    ) -> list[str]: ...
    def note(self, text: str) -> None: ...


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


def dump_profile(data: dict[str, Any], next_question: str | None = None) -> str:
    """The profile as YAML in the contract's field order; the progress comment first."""
    from ruamel.yaml import YAML

    version = 2 if any(k in data for k in V2_KEYS) or data.get("schema_version") == 2 else 1
    ordered = {"schema_version": version, **{k: data[k] for k in FIELD_ORDER[1:] if k in data}}
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.width = 100
    buf = io.StringIO()
    yaml.dump(ordered, buf)
    head = f"# ncm assess: next question: {next_question}\n" if next_question else ""
    return head + buf.getvalue()


def read_progress(text: str) -> str | None:
    m = PROGRESS.search(text)
    return m.group(1) if m else None


@dataclass
class Interview:
    pack: ContentPack
    asker: Asker
    data: dict[str, Any] = field(default_factory=dict)
    save_to: Path | None = None
    questions: list[Question] = field(init=False)

    def __post_init__(self) -> None:
        self.questions = [q for s in self.pack.quick_guide.steps for q in s.questions]

    # -- persistence -------------------------------------------------------------------
    def save(self, next_question: str | None) -> None:
        if self.save_to is not None:
            write_text(self.save_to, dump_profile(self.data, next_question))

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
                Choice(value=k, title=f"{d.title}: {d.description}") for k, d in m.formality.items()
            ]
        return list(q.choices)

    def applies(self, q: Question) -> bool:
        return all(get_field(self.data, c.field) == c.equals for c in q.when)

    # -- asking --------------------------------------------------------------------------
    def run(self, start: str | None = None) -> dict[str, Any]:
        """Ask from `start` (a question id) to the end; Back moves to the previous question
        that applies. Raises KeyboardInterrupt/EOFError with every answer already saved."""
        ids = [q.id for q in self.questions]
        start_id, _, item = (start or "").partition(":")
        i = ids.index(start_id) if start_id in ids else (len(ids) if start == "review" else 0)
        resume_at: str | None = item or None
        history: list[int] = []
        while i < len(self.questions):
            q = self.questions[i]
            if not self.applies(q):
                i += 1
                continue
            self.save(q.id)
            try:
                self.ask(q, resume_at)
            except Back:
                resume_at = None
                if history:
                    i = history.pop()
                continue
            resume_at = None
            history.append(i)
            i += 1
        self.save("review")
        return self.data

    def ask(self, q: Question, resume_at: str | None = None) -> None:
        """Put one question; `resume_at` continues a repeated question at that item."""
        a = self.asker
        cur = get_field(self.data, q.field) if q.field else None
        if q.type == "note":
            a.note(" ".join(q.prompt.split()))
        elif q.type == "text":
            value = a.text(q, cur if isinstance(cur, str) else "", q.required).strip()
            set_field(self.data, q.field or q.id, value or None)
        elif q.type == "confirm":
            set_field(
                self.data, q.field or q.id, a.confirm(q, cur if isinstance(cur, bool) else None)
            )
        elif q.type == "select":
            default = str(cur).lower() if isinstance(cur, bool) else cur
            answer = a.select(q, self.choices(q), default if isinstance(default, str) else None)
            stored: bool | str | None = SELECT_VALUES.get(answer, answer)
            set_field(self.data, q.field or q.id, stored)
        elif q.type == "multiselect":
            chosen_now = [k for k, v in (cur or {}).items() if v] if isinstance(cur, dict) else []
            picked = a.checkbox(q, self.choices(q), chosen_now, q.required)
            old = cur if isinstance(cur, dict) else {}
            level = q.default if isinstance(q.default, int) else 3
            set_field(
                self.data,
                q.field or q.id,
                {
                    k: (old.get(k) or level)
                    for k in [c.value for c in self.choices(q)]
                    if k in picked
                }
                or None,
            )
        elif q.type == "importance":
            self._importance(q, resume_at)
        elif q.type == "list":
            self._list(q, cur if isinstance(cur, list) else [])
        elif q.type == "partners":
            self._partners(q, cur if isinstance(cur, list) else [])
        if any(k in self.data for k in V2_KEYS):  # a version-2 answer makes a version-2 profile
            self.data["schema_version"] = 2
        self.save(q.id)

    def _importance(self, q: Question, resume_at: str | None = None) -> None:
        target = get_field(self.data, q.for_each or "objectives") or {}
        keys = list(target)
        if resume_at in keys:  # the ones before it were answered before the interruption
            keys = keys[keys.index(resume_at) :]
        levels = [
            Choice(value=str(n), title=f"{n} – {label}")
            for n, label in (
                (1, "a little"),
                (2, "somewhat"),
                (3, "important"),
                (4, "very important"),
                (5, "essential"),
            )
        ]
        titles = {o.id: o.title for o in self.pack.manifest.objectives}
        for key in keys:
            self.save(f"{q.id}:{key}")
            sub = q.model_copy(update={"prompt": f"{titles.get(key, key)}: {q.prompt}"})
            target[key] = int(self.asker.select(sub, levels, str(target[key] or 3)))

    def _keep_or_redo(self, q: Question, shown: list[str]) -> str:
        self.asker.note("So far: " + "; ".join(shown))
        opts = [
            Choice(value="keep", title="Keep these and continue"),
            Choice(value="add", title="Keep these and add more"),
            Choice(value="redo", title="Start this list again"),
        ]
        return self.asker.select(
            q.model_copy(update={"prompt": q.prompt.split(".")[0] + "?"}), opts, "keep"
        )

    def _list(self, q: Question, items: list[str]) -> None:
        if items:
            choice = self._keep_or_redo(q, items)
            if choice == "keep":
                return
            if choice == "redo":
                items = []
        while True:
            entry = self.asker.text(q, "", False).strip()
            if not entry:
                break
            items.append(entry)
            set_field(self.data, q.field or q.id, list(items))
            self.save(q.id)
        set_field(self.data, q.field or q.id, list(items) or None)

    def _partners(self, q: Question, partners: list[dict[str, str]]) -> None:
        if partners:
            choice = self._keep_or_redo(q, [p.get("name", "?") for p in partners])
            if choice == "keep":
                return
            if choice == "redo":
                partners = []
        kinds = self.choices(q)
        name_q = q.model_copy(update={"prompt": "Partner name (empty to finish):"})
        kind_q = q.model_copy(update={"prompt": "What kind of organisation is it?"})
        while True:
            name = self.asker.text(name_q, "", False).strip()
            if not name:
                break
            kind = self.asker.select(kind_q, kinds, None)
            partners.append({"name": name, "kind": kind})
            set_field(self.data, q.field or q.id, list(partners))
            self.save(q.id)
        set_field(self.data, q.field or q.id, list(partners) or None)

    # -- review --------------------------------------------------------------------------
    def summary(self) -> list[tuple[Question, str]]:
        out = []
        for q in self.questions:
            if q.type in ("note", "importance") or not self.applies(q):
                continue
            out.append((q, describe(self.pack, q, get_field(self.data, q.field or q.id))))
        return out


def describe(pack: ContentPack, q: Question, value: Any) -> str:
    """An answer in words, for the review screen."""
    if value is None:
        return "(not answered)"
    if q.type == "confirm":
        return "yes" if value else "no"
    if q.type == "multiselect" and isinstance(value, dict):
        titles = {o.id: o.title for o in pack.manifest.objectives}
        return "; ".join(f"{titles.get(k, k)} ({v})" for k, v in value.items())
    if q.type == "partners" and isinstance(value, list):
        return "; ".join(f"{p.get('name')} ({p.get('kind')})" for p in value)
    if q.type == "list" and isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if q.type == "select" and q.choices_from == "formality":
        return pack.manifest.formality[value].title if value in pack.manifest.formality else value
    if q.type == "select" and q.choices:
        key = str(value).lower() if isinstance(value, bool) else value
        return next((c.title for c in q.choices if c.value == key), str(value))
    return str(value)
