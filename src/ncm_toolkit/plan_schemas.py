"""Pydantic models of `data/plan/forms.yaml` and `data/plan/workforce.yaml`: the single source
of truth for the format of the rules `ncm plan` applies after the ranking.

Every level, fit and requirement an analyst may challenge is in those files, each with its
source; these models only say what shape the rules take.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ncm_toolkit.schemas import Id, Item, Line, Source, Strict, Text
from ncm_toolkit.vocabulary import Formality, OptionId, PartnerKind

METHOD_VERSION = "1"
"""The plan's method version: raised whenever the way a plan is derived from these rules
(`plan.py`) changes. It stands beside the rules so that the JSON renderer, which `ncm score`
imports, names it without importing the planning code."""

TopicId = Literal[
    "tupe",
    "consultation",
    "terms_and_conditions",
    "pay_harmonisation",
    "pensions",
    "secondments_joint_posts",
    "professional_regulation",
    "indemnity",
    "training",
    "culture_and_od",
    "recruitment_retention",
]
Level = Literal["likely", "possible", "unlikely"]


class Partners(Strict):
    """A condition on the partner mix; every clause given must hold. No partner listed: no
    clause holds (the plan says what it cannot tell rather than guess)."""

    any: list[PartnerKind] | None = Field(None, description="at least one partner is one of these")
    none: list[PartnerKind] | None = Field(None, description="no partner is one of these")
    all_nhs_bodies: bool | None = Field(
        None, description="every partner is (true) or is not (false) an NHS body (`nhs_bodies`)"
    )

    def match(self, kinds: set[str], nhs: set[str]) -> bool:
        """Whether partners of these `kinds` meet every clause given (`nhs`: the kinds that are
        NHS bodies); with no partner listed, none does."""
        if not kinds:
            return False
        if self.any is not None and not kinds & set(self.any):
            return False
        if self.none is not None and kinds & set(self.none):
            return False
        return self.all_nhs_bodies is None or (kinds <= nhs) == self.all_nhs_bodies


class When(Strict):
    """When a rule applies: every clause given must hold."""

    options: list[OptionId] | None = Field(None, description="the option pursued is one of these")
    forms: list[Id] | None = Field(None, description="the form agreed is one of these")
    formality: list[Formality] | None = Field(None, description="the form's formality")
    partners: Partners | None = None

    def holds(self, option: str, form: str, formality: str, kinds: set[str], nhs: set[str]) -> bool:
        """Whether the rule applies to this option, form (of this formality) and partners'
        kinds; the plan's workforce rules and the readiness blocking rules both ask it."""
        if self.options is not None and option not in self.options:
            return False
        if self.forms is not None and form not in self.forms:
            return False
        if self.formality is not None and formality not in self.formality:
            return False
        return self.partners is None or self.partners.match(kinds, nhs)


class Sourced(Strict):
    """A decision with its source. `source_silent`: the source does not say this for the case
    the rule covers; `note` then says what the rule rests on instead."""

    source: Source
    source_silent: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _note_when_silent(self) -> Sourced:
        if self.source_silent and not self.note:
            raise ValueError("a rule with source_silent: true needs a note saying why")
        return self


class Requirement(Item):
    """What a form requires, e.g. a section 75 agreement; `when` limits it to some partners."""

    when: Partners | None = None


class FormDef(Strict):
    """One form a plan can recommend: a legal form or a collaborative model of
    `legal/legal_models.yaml`, with its formality and what it requires."""

    id: Id
    formality: Formality
    formality_source: Source = Field(description="where the form's degree of formality is stated")
    requires: list[Requirement] = Field(min_length=1)


class OptionForms(Strict):
    """The forms an option usually takes, in the source's order."""

    option: OptionId
    forms: list[Id] = Field(min_length=1)
    reason: Text
    source: Source


class FitRule(Sourced):
    """A form does not fit unless (`effect: requires`) the partners match `when`."""

    id: Id
    form: Id
    effect: Literal["requires"]
    when: Partners
    reason: Text


class Forms(Strict):
    """`plan/forms.yaml`: which forms suit which option, and for which partners."""

    nhs_bodies: list[PartnerKind] = Field(
        min_length=1, description="partner kinds that are NHS bodies (employers in the NHS)"
    )
    nhs_bodies_note: Item
    order: Item = Field(description="why fitting forms are ordered as they are")
    pros_cons: dict[Formality, Literal["less_formal", "more_formal"]] = Field(
        description="which of legal_models.yaml's pros and cons apply at each formality"
    )
    pros_cons_source: Item
    forms: list[FormDef] = Field(min_length=1)
    options: list[OptionForms] = Field(min_length=1)
    fit: list[FitRule] = Field(default_factory=list)


class LevelRule(Sourced):
    """The first rule of a topic whose `when` holds decides its level."""

    when: When = Field(default_factory=When)
    level: Level
    reason: Text


class WorkforceTopic(Strict):
    id: TopicId
    title: Line
    rules: list[LevelRule] = Field(min_length=1)
    actions: list[Item] = Field(min_length=1, description="what to do first")
    questions: list[Id] = Field(
        default_factory=list, description="Module 2 question ids (questions/considerations.yaml)"
    )

    @model_validator(mode="after")
    def _last_rule_always(self) -> WorkforceTopic:
        if self.rules[-1].when != When():
            raise ValueError("the last rule of a topic must have no `when` (it is the default)")
        return self


class Workforce(Strict):
    """`plan/workforce.yaml`: per topic, the rules that decide whether it is likely to arise."""

    topics: Annotated[list[WorkforceTopic], Field(min_length=1)]

    @model_validator(mode="after")
    def _every_topic_once(self) -> Workforce:
        from typing import get_args

        ids = [t.id for t in self.topics]
        missing = [t for t in get_args(TopicId) if t not in ids]
        twice = sorted({t for t in ids if ids.count(t) > 1})
        if missing or twice:
            said = [f"missing: {', '.join(missing)}"] if missing else []
            said += [f"given twice: {', '.join(twice)}"] if twice else []
            raise ValueError("every topic exactly once; " + "; ".join(said))
        return self
