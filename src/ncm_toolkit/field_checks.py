"""Content checked against the profile's own model: every profile field the Quick Guide
fills, rates or reads exists and takes what the question gives, and every value a scoring
rule or gate tests a `structure` answer for is one that answer can hold. The field's kind is
read from the `Profile` model (`field_shape`), never from a table kept beside it."""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ncm_toolkit.errors import Diagnostic
from ncm_toolkit.profile import Profile, Structure
from ncm_toolkit.read.loader import _dotted, at
from ncm_toolkit.schemas import SELECT_VALUES
from ncm_toolkit.vocabulary import FORMALITIES, OBJECTIVE_IDS, PARTNER_KINDS


def check_quick_guide_fields(root: Path, guide: Any) -> list[Diagnostic]:
    """Every profile field the interview fills (`field`, else the question's `id`, as the
    interview writes it), rates (`for_each`) or reads (`when`) is one a profile has: a question
    filling `name.first` or `sustainability.nosuch` validated, and the interview then crashed
    on its answer or saved a profile no command reads. The question's `type` must give what
    that field takes, read from the `Profile` model itself (`question_type_problems`), and a
    `when` must compare the field with a value it can hold."""
    rel = "questions/quick_guide.yaml"
    out: list[Diagnostic] = []
    for i, step in enumerate(guide.steps):
        for j, q in enumerate(step.questions):
            here: tuple[Any, ...] = ("steps", i, "questions", j)
            # a question with no `field` fills the field named by its id (`q.field or q.id`)
            filled = q.field if q.field is not None or q.type == "note" else q.id
            paths: list[tuple[tuple[Any, ...], str | None]] = [
                (("field",) if q.field is not None else ("id",), filled),
                (("for_each",), q.for_each),
            ]
            paths += [(("when", k, "field"), c.field) for k, c in enumerate(q.when)]
            bad: set[tuple[Any, ...]] = set()
            for where, dotted in paths:
                problem = None if dotted is None else _profile_field_problem(dotted)
                if problem is not None:
                    bad.add(where)
                    loc = here + where
                    message = problem[0]
                    if where == ("id",):
                        message = (
                            f"a question without `field` fills the field named by its id: {message}"
                        )
                    out.append(at(root / rel, loc, message, _dotted(loc), problem[1]))
            for where, message, hint in question_type_problems(q, bad):
                loc = here + where
                out.append(at(root / rel, loc, message, _dotted(loc), hint))
    return out


def _profile_field_problem(dotted: str) -> tuple[str, str | None] | None:
    """Why DOTTED is not the path of a profile's field (with a hint), or None when it is."""
    return _profile_field(dotted)[0]


def _profile_field(dotted: str) -> tuple[tuple[str, str | None] | None, Any]:
    """Why DOTTED is not the path of a profile's field (with a hint), or None and the field's
    type as the `Profile` model declares it."""
    model: Any = Profile
    done: list[str] = []
    annotation: Any = None
    for part in dotted.split("."):
        if model is None:  # the path goes on below a value
            return (
                f"'{dotted}' is not a field of a profile: '{'.'.join(done)}' is a value",
                None,
            ), None
        fields = model.model_fields
        if part not in fields:
            return (f"'{dotted}' is not a field of a profile", close(part, fields)), None
        done.append(part)
        annotation = fields[part].annotation
        args = (annotation, *typing.get_args(annotation))
        model = next((a for a in args if isinstance(a, type) and issubclass(a, BaseModel)), None)
    return None, annotation


@dataclass(frozen=True)
class FieldShape:
    """What a profile field holds, read from its type in `Profile`: `kind` is one of yes/no,
    choice (one of `values`), text, number, date, list (of text), partners (a list of
    partners, each of a kind in `values`), ratings (a number for each key in `values`),
    section (a part of the profile, not a value)."""

    kind: str
    values: tuple[Any, ...] = ()

    def words(self) -> str:
        """What the field takes, in words."""
        shown = ", ".join(str(v).lower() if isinstance(v, bool) else str(v) for v in self.values)
        return {
            "yes/no": "a yes or a no",
            "choice": f"one of: {shown}",
            "text": "text",
            "number": "a whole number",
            "date": "a date",
            "list": "a list of text entries",
            "partners": "a list of partners",
            "ratings": "an importance for each of its keys",
            "section": "a section of the profile, not one answer",
        }.get(self.kind, "a value no question type gives")


def field_shape(annotation: Any) -> FieldShape:
    """The shape of a `Profile` field's type: `X | None` and `Annotated[X, ...]` read as X."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            rest = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(rest) != 1:
                return FieldShape("other")
            annotation = rest[0]
        else:
            break
    if annotation is bool:
        return FieldShape("yes/no")
    if origin is typing.Literal:
        return FieldShape("choice", typing.get_args(annotation))
    if annotation is str:
        return FieldShape("text")
    if annotation is int:
        return FieldShape("number")
    if annotation is dt.date:
        return FieldShape("date")
    if origin is list:
        (item,) = typing.get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            kind = item.model_fields.get("kind")
            kinds = field_shape(kind.annotation).values if kind is not None else ()
            return FieldShape("partners", kinds)
        return FieldShape("list") if field_shape(item).kind == "text" else FieldShape("other")
    if origin is dict:
        key, value = typing.get_args(annotation)
        if field_shape(value).kind == "number":
            return FieldShape("ratings", field_shape(key).values)
        return FieldShape("other")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return FieldShape("section")
    return FieldShape("other")


QUESTION_FILLS: dict[str, tuple[str, ...]] = {
    "text": ("text",),
    "confirm": ("yes/no",),
    "select": ("choice", "yes/no"),
    "multiselect": ("ratings",),
    "importance": ("ratings",),
    "list": ("list",),
    "partners": ("partners",),
}
"""The field shapes each question type's answer fits (`question_types.HANDLERS`): a select
stores its choice's value (`true`, `false` a yes or a no, `not_known` nothing); a multiselect
keeps the ratings of the keys ticked; an importance rates each key; a note fills nothing."""


def _choice_values(q: Any) -> list[tuple[tuple[Any, ...], str]]:
    """The values a select, multiselect or partners question offers, each where it is written:
    its `choices`, else the list named by `choices_from` (at that key)."""
    if q.choices:
        return [(("choices", k, "value"), c.value) for k, c in enumerate(q.choices)]
    listed = {"objectives": OBJECTIVE_IDS, "partner_kinds": PARTNER_KINDS, "formality": FORMALITIES}
    return [(("choices_from",), v) for v in listed.get(q.choices_from or "", ())]


def question_type_problems(
    q: Any, bad: set[tuple[Any, ...]]
) -> list[tuple[tuple[Any, ...], str, str | None]]:
    """(where, message, hint) for each way question Q's answer does not fit the profile field
    it fills, or its `when` compares a field with a value the field cannot hold; the fields
    in `bad` (not fields of a profile) are reported already. The field's shape is read from
    `Profile` (`field_shape`), so a new field or a changed type is checked as it is declared."""
    out: list[tuple[tuple[Any, ...], str, str | None]] = []
    if q.type != "note" and ("field",) not in bad and ("id",) not in bad:
        dotted = q.field if q.field is not None else q.id
        where: tuple[Any, ...] = ("type",)
        shape = field_shape(_profile_field(dotted)[1])
        fits = QUESTION_FILLS.get(q.type, ())
        if shape.kind not in fits:
            suited = [t for t, kinds in QUESTION_FILLS.items() if shape.kind in kinds]
            hint = (
                f"a question of type {' or '.join(suited)} fills it"
                if suited
                else "no question type fills it"
            )
            out.append(
                (
                    where,
                    f"a {q.type} question cannot fill '{dotted}', which takes {shape.words()}",
                    hint,
                )
            )
        elif q.type in ("select", "multiselect", "partners"):
            out += _choice_problems(q, dotted, shape)
    if q.type == "importance" and q.for_each is not None and ("for_each",) not in bad:
        shape = field_shape(_profile_field(q.for_each)[1])
        if shape.kind != "ratings":
            out.append(
                (
                    ("for_each",),
                    f"'{q.for_each}' has no keys to rate: it takes {shape.words()}",
                    None,
                )
            )
    for k, c in enumerate(q.when):
        if ("when", k, "field") in bad:
            continue
        shape = field_shape(_profile_field(c.field)[1])
        if not _can_hold(shape, c.equals):
            given = str(c.equals).lower() if isinstance(c.equals, bool) else repr(c.equals)
            out.append(
                (
                    ("when", k, "equals"),
                    f"'{c.field}' never equals {given}: it takes {shape.words()}, so the "
                    "condition never holds",
                    None,
                )
            )
    return out


def _choice_problems(
    q: Any, dotted: str, shape: FieldShape
) -> list[tuple[tuple[Any, ...], str, str | None]]:
    """Each value a select, multiselect or partners question offers that the field does not
    take (a select's `true`, `false` and `not_known` store a yes, a no and nothing)."""
    out: list[tuple[tuple[Any, ...], str, str | None]] = []
    reported: set[tuple[Any, ...]] = set()
    for where, value in _choice_values(q):
        stored: Any = SELECT_VALUES.get(value, value) if q.type == "select" else value
        if stored is None or (
            stored in shape.values if shape.kind != "yes/no" else isinstance(stored, bool)
        ):
            continue
        if where in reported:  # `choices_from`: one error for the list it names
            continue
        reported.add(where)
        if where == ("choices_from",):
            message = (
                f"choices_from: {q.choices_from} offers values '{dotted}' does not take "
                f"(it takes {shape.words()})"
            )
            out.append((where, message, None))
            continue
        if shape.kind == "yes/no":
            message = f"choice '{value}' is not a value '{dotted}' takes: it takes a yes or a no"
            out.append((where, message, "write true, false or not_known"))
        else:
            offered = [str(v) for v in shape.values] + (["not_known"] if q.type == "select" else [])
            message = f"choice '{value}' is not a value '{dotted}' takes ({shape.words()})"
            out.append((where, message, close(value, offered)))
    return out


def check_structure_values(path: Path, scoring: Any) -> list[Diagnostic]:
    """Every value a rule or gate tests a `structure` answer for (`when.structure`,
    `when.structure_not`) is one that answer can hold, read from the profile's `Structure`
    model: a gate on `practices: [not_aplicable]` validated and then never closed anything,
    and `acute_inside: ["true"]` (text, where the answer is a yes or a no) never matched."""
    out: list[Diagnostic] = []
    for kind in ("rules", "gates"):
        for i, item in enumerate(getattr(scoring, kind)):
            for test in ("structure", "structure_not"):
                for key, values in (getattr(item.when, test) or {}).items():
                    info = Structure.model_fields.get(key)
                    if info is None:  # `StructureKey` drifted from the profile's model
                        where: tuple[Any, ...] = (kind, i, "when", test, key)
                        message = f"structure.{key} is not a field of a profile"
                        out.append(at(path, where, message, _dotted(where)))
                        continue
                    shape = field_shape(info.annotation)
                    for k, value in enumerate(values):
                        if _can_hold(shape, value):
                            continue
                        loc = (kind, i, "when", test, key, k)
                        given = str(value).lower() if isinstance(value, bool) else repr(value)
                        offered = [str(v) for v in shape.values]
                        hint = close(str(value), offered) if shape.kind == "choice" else None
                        if shape.kind == "yes/no" and isinstance(value, str):
                            hint = "write true or false, unquoted"
                        message = (
                            f"structure.{key} is never {given}: it takes {shape.words()}, so "
                            "this test never matches"
                        )
                        out.append(at(path, loc, message, _dotted(loc), hint))
    return out


def _can_hold(shape: FieldShape, value: Any) -> bool:
    """Whether a field of SHAPE can hold VALUE (a `when` condition's `equals`)."""
    if shape.kind == "yes/no":
        return isinstance(value, bool)
    if shape.kind == "choice":
        return any(value == v and type(value) is type(v) for v in shape.values)
    if shape.kind == "text":
        return isinstance(value, str)
    if shape.kind == "number":
        return isinstance(value, int) and not isinstance(value, bool)
    return False  # a date, a list, the ratings, a section: never equal to one scalar


def close(word: str, choices: Any) -> str | None:
    """A hint naming the closest of `choices`, if any is close."""

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean '{close[0]}'?" if close else None
