"""The partnership profile of the public contract: one file, one partnership.

schema_version 2 is a superset of 1: it adds `structure` (the distinctions the source draws
between the options), `respondent` and `as_of`, and the `decision:` section (the option pursued
and the organisational form agreed, after the ranking); a version 1 file is valid as it was."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ncm_toolkit.errors import Diagnostic
from ncm_toolkit.files import walk_files
from ncm_toolkit.read.loader import load_model
from ncm_toolkit.vocabulary import Formality, ObjectiveId, OptionId, PartnerKind

Importance = Annotated[int, Field(ge=0, le=5)]
Text = Annotated[str, Field(min_length=1, max_length=10_000)]


_YYYY_MM_DD = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD, the one form documented; ValueError saying what is wrong.
    Python 3.11's `date.fromisoformat` also reads ISO weeks and the basic form (`2026-W01`
    is 2025-12-29, another year), which no one reading the file would take for that date."""
    if not _YYYY_MM_DD.fullmatch(text):
        raise ValueError("not a date: write it as YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:  # the right shape, not a real day
        raise ValueError(f"no such date: {text} ({exc})") from None


def iso_date(value: Any) -> Any:
    """YAML gives a date for an unquoted 2024-05-01; a quoted one, or JSON, gives text."""
    if isinstance(value, str):
        return parse_iso_date(value)
    if isinstance(value, dt.datetime):
        raise ValueError("a date without a time is expected: YYYY-MM-DD")
    return value


def whole_version(value: Any) -> Any:
    """A version is a whole number: YAML's `true` and `2.0` equal 1 and 2 in Python, so a
    `Literal[1, 2]` alone would take them (and `schema_version: true` read as version 1)."""
    if isinstance(value, bool | float):
        raise PydanticCustomError(
            "whole_version", "expected a whole number, got {given}", {"given": str(value).lower()}
        )
    return value


class _Strict(BaseModel):
    # defer_build: each model's validator is built when first used, not at import: a
    # profile's parts are built inside `Profile`'s, and `Draft` only by the interview
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


class Partner(_Strict):
    name: Text = Field(description="The organisation's name.")
    kind: PartnerKind = Field(description="What kind of organisation it is.")


class Sustainability(_Strict):
    configuration_must_change: bool | None = Field(
        None, description="Does the configuration of organisations need to change or reduce?"
    )
    can_do_alone: bool | None = Field(None, description="Can you do this alone?")


class Commissioning(_Strict):
    functions_remain: bool | None = Field(
        None, description="Will commissioning functions remain in the new model?"
    )


class Governance(_Strict):
    formality: Formality | None = Field(
        None, description="How much organisational integration the partners will accept."
    )
    accountability: str | None = Field(
        None, max_length=10_000, description="How governance and accountability will work."
    )


class Decision(_Strict):
    """What the partners agreed after the ranking (schema_version 2); `ncm plan` uses it."""

    option: OptionId = Field(description="The option (new model of care) pursued.")
    form: str | None = Field(
        None,
        pattern=r"^[a-z][a-z0-9_]*$",
        max_length=80,
        description="The organisational form agreed: a legal-form id (see `ncm plan --help`).",
    )
    agreed_by: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="Who agreed it: a role or body (e.g. joint programme board), not a name.",
    )
    agreed_on: dt.date | None = Field(None, description="When it was agreed (YYYY-MM-DD).")

    _agreed_on = field_validator("agreed_on", mode="before")(iso_date)  # read as `as_of` is


IntegrationForm = Literal["takeover", "group", "host_sites", "network", "none"]
Scope = Literal["whole_organisations", "one_specialty"]
Lead = Literal["general_practice", "acute_trust", "community_services", "joint_board", "other"]
Population = Literal["registered_list", "place", "care_home_residents", "complex_needs"]
Practices = Literal["keep_contracts", "merge", "not_applicable"]


class Structure(_Strict):
    """The distinctions the source draws between the options, as answers (version 2). Each is
    optional; an answer left out takes no part in the scoring. The questions, their choices
    and the passages behind them are in `questions/quick_guide.yaml` (step `structure`)."""

    integration_form: IntegrationForm | None = Field(
        None,
        description="One organisation takes over others (multi-site trust), independent "
        "organisations join a group under common control (hospital chain), a specialist runs "
        "its service on host sites (specialty franchise), a network, or none of these "
        "(Module 1, Options 1-3).",
    )
    scope: Scope | None = Field(
        None,
        description="Whole organisations, or one specialty or service (Module 1, Option 3: "
        "self-contained specialties such as ophthalmology and cancer care).",
    )
    lead: Lead | None = Field(
        None,
        description="Who leads: general practice (Options 6, 9, 10), an acute trust (Options "
        "1-3, 7), community services, a joint board, or other.",
    )
    population: Population | None = Field(
        None,
        description="The population served: a registered list (Options 6, 7), a place "
        "(Option 5; HLP), care-home residents (Option 8), or people with complex needs "
        "(Option 6).",
    )
    acute_inside: bool | None = Field(
        None,
        description="Are acute hospital services inside the model? (Option 7: vertical "
        "integration of primary and acute care.)",
    )
    capitated_budget: bool | None = Field(
        None,
        description="One capitated budget for the population? (Option 5; Option 7 at its "
        "most radical; Hempsons.)",
    )
    practices: Practices | None = Field(
        None,
        description="Do GP practices keep their own contracts (a federation, Option 9) or "
        "merge (a super-practice, Option 10)?",
    )
    special_measures: bool | None = Field(
        None,
        description="Is a partner in special measures or turnaround? (Module 1, collaborative "
        "models: buddying.)",
    )
    footprint_population: Annotated[int, Field(ge=1, le=100_000_000)] | None = Field(
        None, description="The population the partnership covers (people)."
    )


class Respondent(_Strict):
    """Who answered: a role and an organisation, never a person's name."""

    role: Text | None = Field(
        None, description="The respondent's role, e.g. 'Director of Strategy'."
    )
    organisation: Text | None = Field(
        None, description="The organisation the respondent answers for."
    )


V2_SECTIONS = ("structure", "respondent", "as_of")
"""The top-level keys version 2 adds."""


class Profile(_Strict):
    """A partnership's Quick Guide answers."""

    model_config = ConfigDict(
        extra="forbid", strict=True, defer_build=True, title="ncm partnership profile"
    )

    schema_version: Literal[1, 2] = Field(
        1,
        description="The profile format's version: 2 adds structure, respondent, as_of, decision.",
    )
    name: Text = Field(description="The partnership's name.")
    description: str | None = Field(None, max_length=10_000, description="Free text.")
    partners: list[Partner] = Field(
        default_factory=list, max_length=1000, description="The partner organisations."
    )
    objectives: dict[ObjectiveId, Importance] = Field(
        description="Importance 0-5 of each objective (0 = not an objective)."
    )
    sustainability: Sustainability | None = Field(None, description="Quick Guide step 2.")
    risks: list[Text] = Field(
        default_factory=list,
        max_length=1000,
        description=("Step 3: known risks or issues with the relevant commissioners or providers."),
    )
    commissioning: Commissioning | None = Field(None, description="Quick Guide step 4.")
    governance: Governance | None = Field(None, description="Quick Guide step 5.")
    decision: Decision | None = Field(
        None, description="After the ranking: the option and form agreed (schema_version 2)."
    )

    _version = field_validator("schema_version", mode="before")(whole_version)

    @field_validator("decision")
    @classmethod
    def _decision_needs_v2(cls, value: Decision | None, info: ValidationInfo) -> Decision | None:
        if value is not None and info.data.get("schema_version", 2) != 2:
            raise PydanticCustomError(
                "decision_needs_v2",
                "a decision needs schema_version: 2 (run `ncm migrate FILE`)",
            )
        return value

    structure: Structure | None = Field(
        None, description="Version 2: the source's distinctions between the options."
    )
    respondent: Respondent | None = Field(
        None, description="Version 2: who answered (a role and an organisation)."
    )
    as_of: dt.date | None = Field(
        None, description="Version 2: the date the answers describe (YYYY-MM-DD)."
    )

    @field_validator("as_of", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        return iso_date(value)

    @model_validator(mode="before")
    @classmethod
    def _not_a_readiness_record(cls, value: Any) -> Any:
        """A readiness record given where a profile belongs (`ncm score ready/dof.yaml`): one
        error saying so, instead of a required `name` and `objectives` and three unknown keys."""
        if isinstance(value, dict) and value.get("kind") == "readiness":
            raise PydanticCustomError(
                "readiness_record",
                "a readiness record (kind: readiness), not a partnership profile; "
                "see it with `ncm readiness show FILE`",
            )
        return value

    @field_validator(*V2_SECTIONS)
    @classmethod
    def _section_needs_v2(cls, value: Any, info: ValidationInfo) -> Any:
        """A version 2 section in a version 1 file (`schema_version` absent is 1): an error
        at that section, which the analyst wrote, rather than at the top of the file."""
        if value is not None and info.data.get("schema_version", 2) == 1:
            raise PydanticCustomError(
                "section_needs_v2",
                "needs schema_version: 2 (run `ncm migrate FILE`)",
            )
        return value

    def collaborative_may_do(self) -> bool:
        """Step 2 answered "the configuration need not change" and "we can do this alone":
        the Quick Guide then says a collaborative model may serve without a new model of care
        (the score's note and the board paper's cover both ask this)."""
        s = self.sustainability
        return bool(s and s.configuration_must_change is False and s.can_do_alone is True)

    @field_validator("objectives")
    @classmethod
    def _some_objective(cls, value: dict[str, int]) -> dict[str, int]:
        if not any(v > 0 for v in value.values()):
            raise ValueError("at least one objective needs an importance above 0")
        return value


class Draft(Profile):
    """A profile being answered: everything may still be missing (the interview's autosave)."""

    model_config = ConfigDict(
        extra="forbid", strict=True, defer_build=True, title="ncm partnership profile (draft)"
    )

    name: Text | None = None  # type: ignore[assignment]
    objectives: dict[ObjectiveId, Importance] = Field(default_factory=dict)

    @field_validator("objectives")
    @classmethod
    def _some_objective(cls, value: dict[str, int]) -> dict[str, int]:
        return value


QUESTIONS: dict[str, tuple[str, str]] = {
    "configuration_must_change": ("sustainability", "Configuration must change"),
    "can_do_alone": ("sustainability", "Can do this alone"),
    "functions_remain": ("commissioning", "Commissioning functions remain"),
}
"""The Quick Guide's yes/no questions: their section of the profile and their label."""


def profile_schema() -> dict[str, Any]:
    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["properties"]["objectives"]["minProperties"] = 1
    # version 1 (the default when schema_version is absent) has none of version 2's sections
    schema["if"] = {"properties": {"schema_version": {"const": 2}}, "required": ["schema_version"]}
    schema["else"] = {"not": {"anyOf": [{"required": [k]} for k in V2_SECTIONS]}}
    return schema


def load_profile(path: Path, display: str | None = None) -> tuple[Profile | None, list[Diagnostic]]:
    return load_model(path, Profile, display)


YAML_SUFFIXES = (".yaml", ".yml")


def _suffix(name: str) -> str:
    """`PurePath(name).suffix` in lower case, without making a path: `North.YAML` (as Windows
    and macOS editors may save it) is a profile too, not silently left out of a folder."""
    i = name.rfind(".")
    return name[i:].lower() if 0 < i < len(name) - 1 else ""


def expand_paths(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """Each path as given; folders expanded to their YAML files in sorted order, hidden files
    and folders skipped (`files.walk_files`).

    The order and the files are those of `sorted(p for p in folder.rglob("*") if ...)`
    (symbolic links to folders are not followed), but the listing is held as tuples of names:
    `rglob` keeps a set of every Path it has yielded, about 0.6 KB a file, which made peak
    memory grow with the size of a batch."""
    for path in paths:
        if str(path) == "-":  # standard input (read/yamlfile.read_text)
            yield path, "<stdin>"
        elif path.is_dir():
            top = str(path)
            found = [p for p in walk_files(top) if _suffix(p[-1]) in YAML_SUFFIXES]
            found.sort()  # tuples of parts sort as Paths do
            for parts in found:
                p = path.joinpath(*parts)
                yield p, str(p)
        else:
            yield path, str(path)


ProfileTask = tuple[Path | None, str]
"""A profile file and the name it is shown by; no file for a folder with no profiles."""


def profile_tasks(paths: Iterable[Path]) -> Iterator[ProfileTask]:
    """Each profile file of `paths` (`expand_paths`); a folder with none is a task too."""
    for given in paths:
        found = False
        for path, shown in expand_paths([given]):
            found = True
            yield path, shown
        if not found:  # an empty or mistyped folder must not pass CI as "all valid"
            yield None, str(given)


def load_task(task: ProfileTask) -> tuple[str, Profile | None, list[Diagnostic]]:
    """A task's profile, loaded, or its diagnostics."""
    path, shown = task
    if path is None:
        return shown, None, [Diagnostic(shown, 1, 1, "no profiles (*.yaml, *.yml) in this folder")]
    profile, diags = load_profile(path, shown)
    return shown, profile, diags
