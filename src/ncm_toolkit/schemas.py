"""Pydantic models for every file of a content pack: the single source of truth for its format.

Every model forbids unknown keys and validates strictly, so a YAML `no` never becomes `False`
and `"5"` never becomes `5` behind an analyst's back.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ncm_toolkit.vocabulary import Formality, ObjectiveId, OptionId, PartnerKind

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]
Text = Annotated[str, Field(min_length=1)]
Line = Annotated[str, Field(min_length=1, pattern=r"^[^\n\r\x0b\x0c\x85\u2028\u2029]+$")]
"""A title, name or label: one line of text (no line break of any kind), since tables,
headings and sentences print it whole; a break there was shown as `\n` everywhere. Other
controls (ESC) are shown escaped where printed, as in any text."""
Slide = Annotated[int, Field(ge=1, le=999)]


TOOLKIT_DOCUMENT = "toolkit"
"""The document id of text the toolkit wrote itself (not taken from a source document); always
known, so such text is labelled as the toolkit's rather than cited to a source."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Source(Strict):
    """Where in which source document a piece of content comes from."""

    document: Id = Field(description="id of a document listed in pack.yaml")
    section: Text = Field(
        description="heading path within that document, as listed in sources/sections.yaml"
    )
    slide: Slide | None = Field(None, description="Module 1 slide number, from its contents page")
    also: list[Text] = Field(
        default_factory=list,
        max_length=10,
        description="further sections of the same document that support the item together",
    )


class Item(Strict):
    """One point of guidance, in our own words, with its source."""

    text: Text
    source: Source


class Example(Strict):
    name: Line
    note: str | None = None
    case_study: Id | None = Field(None, description="id of a case study about this example")
    source: Source


class BusinessCase(Strict):
    """The business-case questions the source asks of each option."""

    finances: list[Item] = Field(min_length=1)
    leadership: list[Item] = Field(min_length=1)
    strategy: list[Item] = Field(min_length=1)


class Evidence(Strict):
    document: Id
    section: Text
    slide: Slide | None = None
    paraphrase: Text = Field(description="one line, in our own words, of what the source says")


class Alignment(Strict):
    """How strongly an option serves one objective: 0 none, 1 weak, 2 good, 3 strong."""

    strength: Annotated[int, Field(ge=0, le=3)]
    evidence: list[Evidence] = Field(default_factory=list)


Group = Literal[
    "acute_care_collaboration",
    "integrated_health_and_social_care",
    "integrated_primary_healthcare",
]


class OptionModel(Strict):
    """One of the ten new models of care (`data/models/<id>.yaml`)."""

    id: OptionId
    title: Line
    number: Annotated[int, Field(ge=1, le=10)] = Field(description="position in the source pack")
    group: Group
    summary: Text = Field(description="one sentence for tables and rankings")
    overview: list[Item] = Field(min_length=1)
    key_features: list[Item] = Field(min_length=1)
    examples: list[Example] = Field(default_factory=list)
    business_case: BusinessCase
    benefits: list[Item] = Field(min_length=1)
    governance: list[Item] = Field(min_length=1)
    regulation: list[Item] = Field(min_length=1)
    barriers: list[Item] = Field(min_length=1)
    workforce: list[Item] = Field(default_factory=list)
    success_factors: list[Item] = Field(default_factory=list)
    legal_forms: list[Formality] = Field(
        min_length=1, description="the formality levels this option usually takes"
    )
    alignments: dict[ObjectiveId, Alignment]


def _real_dates(text: str) -> str:
    """Every date of TEXT (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or two of them as a period) one
    that exists: the pattern alone took `2026-13-45` and `0000-00-00`, which a paper's cover
    then printed as when the currency notes were reviewed."""
    for part in text.split("/"):
        year, month, day = [*part.split("-"), "01", "01"][:3]
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValueError(f"no such date {part!r}: {exc}") from None
    return text


Date = Annotated[
    str,
    Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD"),
    AfterValidator(_real_dates),
]
# A publication date as precise as the evidence allows, or a period: 2016, 2017-05-24, 2015/2016.
Published = Annotated[
    str,
    Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$"),
    AfterValidator(_real_dates),
]


class Document(Strict):
    id: Id
    file: Text
    title: Line
    publisher: Text
    published: Published = Field(
        description="publication date, or the best-evidenced period (earliest/latest)"
    )
    dated_by: Text = Field(description="how the date was established, with the evidence")


class ObjectiveDef(Strict):
    id: ObjectiveId
    title: Line
    group: Literal["core", "other"]
    description: Text
    source: Source


class Described(Strict):
    title: Line
    description: Text
    source: Source


class Manifest(Strict):
    """`pack.yaml`: names and versions the pack and defines its vocabulary."""

    name: Line
    version: Annotated[str, Field(pattern=r"^\d+\.\d+(\.\d+)?$")]
    description: Text
    documents: list[Document] = Field(min_length=1)
    objectives: list[ObjectiveDef]
    partner_kinds: dict[PartnerKind, Text]
    formality: dict[Formality, Described]

    @property
    def written(self) -> str:
        """The years the guidance was written in, from its documents' dates: `2015-2017`."""
        years = sorted({y for d in self.documents for y in re.findall(r"\d{4}", d.published)})
        return years[0] if len(years) == 1 else f"{years[0]}-{years[-1]}"


class CollaborativeModel(Strict):
    id: Id
    title: Line
    description: list[Item] = Field(min_length=1)
    examples: list[Item] = Field(default_factory=list)


class LegalForm(Strict):
    id: Id
    title: Line
    formality: Formality
    description: list[Item] = Field(min_length=1)


class ProsCons(Strict):
    pros: list[Item] = Field(min_length=1)
    cons: list[Item] = Field(min_length=1)


class LegalModels(Strict):
    """`legal/legal_models.yaml`: collaborative models, legal forms and their trade-offs."""

    introduction: list[Item] = Field(min_length=1)
    collaborative_models: list[CollaborativeModel] = Field(min_length=1)
    legal_forms: list[LegalForm] = Field(min_length=1)
    less_formal: ProsCons
    more_formal: ProsCons
    conclusion: list[Item] = Field(default_factory=list)


class Figure(Strict):
    label: Line
    value: Text
    source: Source


class CaseStudy(Strict):
    """One case study (`data/case_studies/<id>.yaml`), tied to the option it illustrates."""

    id: Id
    title: Line
    option: OptionId
    location: str | None = None
    organisations: list[Text] = Field(default_factory=list)
    background: list[Item] = Field(min_length=1)
    challenges: list[Item] = Field(default_factory=list)
    outcomes: list[Item] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    governance: list[Item] = Field(default_factory=list)
    lessons: list[Item] = Field(default_factory=list, description="learning and top tips")


class Reading(Strict):
    title: Line
    note: str | None = None
    source: Source


class ConsiderationQuestion(Item):
    """A Module 2 question; its `id` is stable across pack versions (readiness records and
    plan/workforce.yaml refer to it), unique in the pack and never reused once retired."""

    id: Id = Field(description="stable id, e.g. gov_03: never renamed or reused")


class RetiredQuestion(Strict):
    """A question id no longer in the pack, so a readiness record naming it is reported."""

    id: Id
    note: Text = Field(description="why it was removed or renamed")
    replaced_by: Id | None = Field(None, description="the id of the question that replaces it")


class Area(Strict):
    id: Id
    title: Line
    summary: Text
    questions: list[ConsiderationQuestion] = Field(min_length=1)
    reading: list[Reading] = Field(default_factory=list)


class Considerations(Strict):
    """`questions/considerations.yaml`: Module 2's questions for consideration."""

    areas: list[Area] = Field(min_length=1)
    retired: list[RetiredQuestion] = Field(
        default_factory=list, description="question ids removed or renamed in earlier versions"
    )


class Topic(Strict):
    id: Id
    title: Line
    points: list[Item] = Field(min_length=1)


class Background(Strict):
    """`questions/background.yaml`: the workforce and legal background topics."""

    topics: list[Topic] = Field(min_length=1)


# --- the Quick Guide as data for the interview engine ------------------------------------

QuestionType = Literal[
    "text",  # one line of free text
    "confirm",  # yes / no
    "select",  # one of `choices`
    "multiselect",  # several of `choices`
    "importance",  # an integer 0-5 for each key chosen in `for_each`
    "list",  # free-text entries, repeated until an empty one
    "partners",  # name and kind, repeated
    "note",  # no answer: a message shown when `when` holds
]


SELECT_VALUES: dict[str, bool | None] = {"true": True, "false": False, "not_known": None}
"""Select choices that store a yes, a no, or nothing (a question left out of the scoring);
the interview's (`question_types`) and `ncm validate`'s (`field_checks`) reading alike."""


class Choice(Strict):
    value: Text
    title: Line
    help: str | None = None


class Condition(Strict):
    """Ask (or show) only when the profile field at `field` equals `equals`."""

    field: Text
    equals: bool | int | str


class Question(Strict):
    id: Id
    type: QuestionType
    field: str | None = Field(None, description="dotted path of the profile field filled")
    prompt: Text
    help: str | None = None
    choices: list[Choice] = Field(default_factory=list)
    choices_from: Literal["objectives", "partner_kinds", "formality"] | None = None
    for_each: str | None = Field(None, description="for `importance`: field whose keys to rate")
    default: bool | int | str | None = None
    required: bool = False
    when: list[Condition] = Field(default_factory=list, description="all must hold")
    source: Source


class Step(Strict):
    id: Id
    number: Annotated[int, Field(ge=0)] = Field(
        description="the Quick Guide step; 0 = preliminaries"
    )
    title: Line
    intro: str | None = None
    questions: list[Question] = Field(min_length=1)


class QuickGuide(Strict):
    """`questions/quick_guide.yaml`: the five steps, asked by one engine."""

    title: Line
    steps: list[Step] = Field(min_length=1)

    @property
    def questions(self) -> list[Question]:
        """Every step's questions, in the order the interview asks them."""
        return [q for s in self.steps for q in s.questions]


# --- scoring rules ---------------------------------------------------------------------


class PartnerMatch(Strict):
    """A partner-mix condition. All given clauses must hold."""

    only: list[PartnerKind] | None = Field(None, description="every partner is one of these")
    any: list[PartnerKind] | None = Field(None, description="at least one partner is one of these")
    none: list[PartnerKind] | None = Field(None, description="no partner is one of these")


StructureKey = Literal[
    "integration_form",
    "scope",
    "lead",
    "population",
    "acute_inside",
    "capitated_budget",
    "practices",
    "special_measures",
]
"""The `structure` answers of a version-2 profile that rules may test."""
StructureValue = bool | Annotated[str, Field(max_length=80)]


class RuleWhen(Strict):
    partners: PartnerMatch | None = None
    configuration_must_change: bool | None = None
    can_do_alone: bool | None = None
    functions_remain: bool | None = None
    formality: list[Formality] | None = Field(
        None, description="the formality the partners accept is one of these (unanswered: no)"
    )
    structure: dict[StructureKey, list[StructureValue]] | None = Field(
        None,
        description="each named `structure` answer is one of these values (unanswered: no)",
    )
    structure_not: dict[StructureKey, list[StructureValue]] | None = Field(
        None,
        description="each named `structure` answer is none of these values (unanswered: yes)",
    )


class Rule(Strict):
    id: Id
    title: Line
    when: RuleWhen
    effects: dict[OptionId, Annotated[float, Field(ge=-50, le=50)]] = Field(min_length=1)
    reason: Text
    source: Source


class Gate(Strict):
    """A requirement the source states: while `when` holds, the options named cannot be
    formed as the source describes them. They are ranked after every other option, with the
    reason shown; a gate adds or takes no points."""

    id: Id
    title: Line
    options: list[OptionId] = Field(min_length=1)
    when: RuleWhen
    reason: Text
    source: Source


class FormalityFit(Strict):
    """Points lost per step the accepted formality falls short of an option's least formal form."""

    penalty_per_step: Annotated[float, Field(ge=0, le=50)]
    reason: Text
    source: Source


class Acceptability(Strict):
    """SMAA-2 first-rank acceptability: how often each option comes first when the stated
    importances are varied within the uncertainty of a 0-5 rating."""

    samples: Annotated[int, Field(ge=100, le=100_000)] = 1000
    spread: Annotated[float, Field(ge=0, le=5)] = Field(
        1.0, description="each stated importance is drawn uniformly within +/- this, clipped 0-5"
    )
    seed: Annotated[int, Field(ge=0)] = 14
    reason: Text | None = None


class ScoringRules(Strict):
    """`scoring.yaml`: everything about scoring an analyst may want to change."""

    max_strength: Annotated[int, Field(ge=3, le=10)] = Field(
        3,
        description="the strength that earns full marks: at least the highest alignment strength "
        "(3), so no option scores above 100 before adjustments; at most 10",
    )
    breadth_exponent: Annotated[float, Field(ge=0, le=1)] = Field(
        1.0,
        description="how far an option's value on an objective is divided by its total "
        "alignment: 1 fully (breadth earns nothing), 0 not at all (method 1)",
    )
    not_providers: list[PartnerKind] = Field(
        default_factory=list,
        description="partner kinds that take no part in `only` matching: they commission or "
        "support care rather than provide it",
    )
    rules: list[Rule] = Field(default_factory=list, max_length=200)
    gates: list[Gate] = Field(default_factory=list, max_length=200)
    acceptability: Acceptability = Field(default_factory=Acceptability)
    formality_fit: FormalityFit
    collaborative_note: Item


CONTENT_SCHEMAS: dict[str, type[BaseModel]] = {
    "manifest": Manifest,
    "option": OptionModel,
    "case-study": CaseStudy,
    "legal-models": LegalModels,
    "considerations": Considerations,
    "background": Background,
    "quick-guide": QuickGuide,
    "scoring": ScoringRules,
}

__all__ = ["CONTENT_SCHEMAS", "TOOLKIT_DOCUMENT", "PartnerKind"]


class CurrencySource(Strict):
    """A public source a reader can open, that supports a currency note."""

    publisher: Text
    title: Line
    date: Published
    dated_by: Text | None = Field(
        None, description="how the date was read where the page shows none"
    )
    url: Annotated[str, Field(pattern=r"^https://\S+$")]


class CurrencyNote(Strict):
    """What has changed since the guidance was written, in our own words, dated and sourced."""

    id: Id
    title: Line = Field(description="a few words for back-references: 'CCGs into ICBs'")
    as_of: Date = Field(description="the date the note's statement was checked")
    text: Text
    source: CurrencySource
    options: list[OptionId] = Field(
        default_factory=list, description="options this note qualifies as a whole"
    )
    cases: list[Id] = Field(
        default_factory=list, description="case studies this note qualifies as a whole"
    )
    areas: list[Id] = Field(
        default_factory=list, description="Module 2 question areas this note qualifies as a whole"
    )


class RetiredTerm(Strict):
    """A body, programme or rule that no longer exists (or no longer applies) as written."""

    term: Text = Field(description="what it is, for people")
    status: Literal["retired", "in_force"] = "retired"
    match: list[Text] = Field(
        min_length=1, description="spellings matched as whole words, case as written"
    )
    notes: list[Id] = Field(description="the notes every statement naming it gets")


class Currency(Strict):
    """`currency.yaml`: what has changed since the guidance was written, and when we checked."""

    reviewed: Date = Field(description="when the notes were last reviewed as a whole")
    terms: list[RetiredTerm] = Field(min_length=1)
    notes: list[CurrencyNote] = Field(min_length=1)


CONTENT_SCHEMAS["currency"] = Currency


class ListedSection(Strict):
    section: Text
    slide: Slide | None = None
    description: str | None = Field(None, description="for the toolkit's own labels")


class SourceSections(Strict):
    """`sources/sections.yaml`: every section a citation may name, per document, with Module 1's
    slide numbers, so `ncm validate` refuses a citation of a heading the document lacks."""

    documents: dict[Id, list[ListedSection]]


CONTENT_SCHEMAS["source-sections"] = SourceSections
