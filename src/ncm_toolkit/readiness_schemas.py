"""Pydantic models of a readiness record (`kind: readiness`) and of the pack's blocking rules
(`data/readiness/blocking.yaml`): the single source of truth for both formats."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ncm_toolkit.plan_schemas import Sourced, When
from ncm_toolkit.profile import iso_date as _iso_date  # one reading of dates for every format
from ncm_toolkit.profile import whole_version
from ncm_toolkit.schemas import Id, Strict, Text

Status = Literal["settled", "partly", "open", "not_considered", "not_applicable"]
STATUSES: tuple[str, ...] = ("settled", "partly", "open", "not_considered", "not_applicable")
STATUS_HELP: dict[str, str] = {
    "settled": "answered and agreed by the partnership",
    "partly": "partly answered (counts as a half)",
    "open": "known, not yet answered",
    "not_considered": "not yet looked at",
    "not_applicable": "does not apply to this partnership (left out of readiness)",
}
LINE_MAX = 300
"""The most characters a record's one-line field (owner, evidence, names) holds."""
NOTE_MAX = 10_000
"""The most characters a record's note holds."""
Line = Annotated[str, Field(min_length=1, max_length=LINE_MAX)]
Note = Annotated[str, Field(min_length=1, max_length=NOTE_MAX)]


class _Strict(BaseModel):
    # defer_build: built when a record is first read, not whenever the pack is imported
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


class Stakeholder(_Strict):
    role: Line = Field(description="The stakeholder's role, e.g. Director of Finance (not a name).")
    organisation: Line = Field(description="The organisation the stakeholder speaks for.")


class Answer(_Strict):
    """One question's state for this stakeholder."""

    status: Status = Field("not_considered", description=", ".join(STATUSES))
    owner: Line | None = Field(None, description="Who owns the question: a role, not a name.")
    due: dt.date | None = Field(None, description="When it should be settled (YYYY-MM-DD).")
    note: Note | None = Field(None, description="What was decided, or what is missing.")
    evidence: Line | None = Field(None, description="A link or reference to the evidence.")

    _due = field_validator("due", mode="before")(_iso_date)


class Readiness(_Strict):
    """A stakeholder's readiness self-assessment against Module 2's questions."""

    model_config = ConfigDict(
        extra="forbid", strict=True, defer_build=True, title="ncm readiness record"
    )

    kind: Literal["readiness"] = Field(description="Always `readiness`: what this file is.")
    schema_version: Literal[1] = Field(description="The record format's version.")
    partnership: Line = Field(description="The partnership's name.")
    stakeholder: Stakeholder
    as_of: dt.date = Field(description="The date the statuses describe (YYYY-MM-DD).")
    profile: Line | None = Field(
        None, description="The partnership's profile (path relative to this file), for blocking."
    )
    answers: dict[Annotated[str, Field(max_length=80)], Answer] = Field(
        default_factory=dict,
        max_length=1000,
        description="Per Module 2 question id (`ncm questions`), its status and owner.",
    )

    _as_of = field_validator("as_of", mode="before")(_iso_date)
    _version = field_validator("schema_version", mode="before")(whole_version)

    @model_validator(mode="before")
    @classmethod
    def _not_a_profile(cls, value: Any) -> Any:
        """A profile given where a record belongs (`--readiness north.yaml`): one error saying
        so, instead of a required `kind`, `partnership`, ... and unknown `name`, `objectives`."""
        if isinstance(value, dict) and "kind" not in value and "objectives" in value:
            raise PydanticCustomError(
                "partnership_profile",
                "a partnership profile, not a readiness record (kind: readiness); make one "
                "with `ncm readiness init PROFILE -o FILE`",
            )
        return value

    @field_validator("profile")
    @classmethod
    def _a_file_name(cls, value: str | None) -> str | None:
        """The path is opened as it is written: a NUL cannot be in a file name (it stopped
        `readiness show` with an internal error), and `-` (also `./-`) would read standard
        input, waiting at a terminal, instead of a file."""
        from pathlib import PurePath

        if value is not None and "\x00" in value:
            raise PydanticCustomError("file_name", "a file name cannot hold a NUL character")
        if value is not None and PurePath(value) == PurePath("-"):
            raise PydanticCustomError(
                "file_name", "the profile's file name, not `-` (standard input)"
            )
        return value

    @field_validator("answers", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        """`answers:` with nothing under it (YAML null) is no answer yet."""
        return {} if value is None else value


class BlockingRule(Sourced):
    """When `when` holds for the partnership's option, form and partners, these questions
    block: they must be settled before the form can go ahead."""

    when: When
    questions: list[Id] = Field(min_length=1)
    reason: Text


class Blocking(Strict):
    """`readiness/blocking.yaml`: which open questions matter most for the chosen option/form."""

    workforce_levels: list[Literal["likely", "possible", "unlikely"]] = Field(
        default_factory=list,
        description="the questions of `ncm plan`'s workforce implications at these levels block",
    )
    rules: list[BlockingRule] = Field(default_factory=list)
