"""After the ranking: the organisational form for the option pursued, and the workforce
implications for this partnership (`ncm plan`).

Every fit, order, requirement and level comes from `data/plan/forms.yaml` and
`data/plan/workforce.yaml`, each sourced; this module only applies them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ncm_toolkit.content import ContentPack
from ncm_toolkit.currency import note_json, notes_for_option, pack_notes_finder
from ncm_toolkit.errors import Diagnostic, UsageError
from ncm_toolkit.plan_schemas import METHOD_VERSION as METHOD_VERSION
from ncm_toolkit.plan_schemas import Forms, Workforce
from ncm_toolkit.profile import Profile
from ncm_toolkit.read.loader import locate, node_tree, read_text
from ncm_toolkit.schemas import CurrencyNote, Item, Source
from ncm_toolkit.scoring import score_profile
from ncm_toolkit.vocabulary import FORMALITIES


class TiedOptions(UsageError):
    """The first rank is shared: the user must say which option to plan for."""

    def __init__(self, options: list[str]):
        self.options = options
        super().__init__(
            "the first rank is shared by " + ", ".join(options) + "; choose one with --option ID"
        )


@dataclass(frozen=True)
class FormView:
    form: str
    title: str
    formality: str
    fits: bool
    why_not: list[str]
    pros: list[Item]
    cons: list[Item]
    requires: list[Item]
    source: Source

    def to_json(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "title": self.title,
            "formality": self.formality,
            "fits": self.fits,
            "why_not": self.why_not,
            "pros": [_item(i) for i in self.pros],
            "cons": [_item(i) for i in self.cons],
            "requires": [_item(i) for i in self.requires],
            "source": _source(self.source),
        }


@dataclass(frozen=True)
class Implication:
    topic: str
    title: str
    level: str
    reason: str
    actions: list[Item]
    questions: list[dict[str, str]]
    source: Source
    source_silent: bool
    note: str | None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "topic": self.topic,
            "title": self.title,
            "level": self.level,
            "reason": _one_line(self.reason),
            "actions": [_item(i) for i in self.actions],
            "questions": self.questions,
            "source": _source(self.source),
            "source_silent": self.source_silent,
        }
        if self.note:
            out["note"] = _one_line(self.note)
        return out


@dataclass(frozen=True)
class Plan:
    name: str
    option: str
    option_title: str
    option_chosen_by: str  # "--option", "decision" or "ranking"
    form: str
    form_title: str
    form_reason: str
    form_source: Source
    forms: list[FormView]
    implications: list[Implication]
    decision: dict[str, Any] | None
    currency: list[CurrencyNote] = field(default_factory=list)
    """Currency notes (`currency.yaml`) on the option and on what the plan quotes: the guidance
    dates from 2015-2017, and these say what has changed since."""
    reviewed: str = ""
    written: str = ""
    """When the guidance the plan quotes was written (`2015-2017`)."""

    @property
    def others(self) -> list[FormView]:
        """The forms other than the one recommended (the paper's alternatives)."""
        return [f for f in self.forms if f.form != self.form]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "option": self.option,
            "option_title": self.option_title,
            "option_chosen_by": self.option_chosen_by,
            "form": self.form,
            "form_title": self.form_title,
            "form_reason": _one_line(self.form_reason),
            "form_source": _source(self.form_source),
            "forms": [f.to_json() for f in self.forms],
            "implications": [i.to_json() for i in self.implications],
            "decision": self.decision,
            "currency": [note_json(n) for n in self.currency],
            "currency_reviewed": self.reviewed,
            "guidance_written": self.written,
        }


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _source(s: Source) -> dict[str, str]:
    return {"document": s.document, "section": s.section}


def _for_option(source: Source, number: int) -> Source:
    """The section of a rule's source about option NUMBER, where the rule cites one: a rule
    shared by several options cites each one's own section (the others in `also`), and the
    plan of one option cites its own first, not the section of the first option listed."""
    prefix = f"Option {number}:"
    if source.section.startswith(prefix):
        return source
    own = next((s for s in source.also if s.startswith(prefix)), None)
    if own is None:
        return source
    rest = [source.section, *(s for s in source.also if s != own)]
    return source.model_copy(update={"section": own, "slide": None, "also": rest})


def _item(i: Item) -> dict[str, Any]:
    return {"text": _one_line(i.text), "source": _source(i.source)}


def form_ids(pack: ContentPack) -> list[str]:
    """The forms a plan can name, in the order of `plan/forms.yaml`."""
    return [f.id for f in _forms(pack).forms]


def _forms(pack: ContentPack) -> Forms:
    if pack.forms is None:  # a pack loaded without its plan files (never from load_pack)
        raise UsageError("the content pack has no plan/forms.yaml")
    return pack.forms


def _workforce(pack: ContentPack) -> Workforce:
    if pack.workforce is None:
        raise UsageError("the content pack has no plan/workforce.yaml")
    return pack.workforce


def _titles(pack: ContentPack) -> dict[str, str]:
    legal = pack.legal
    return {f.id: f.title for f in legal.legal_forms} | {
        c.id: c.title for c in legal.collaborative_models
    }


def top_options(pack: ContentPack, profile: Profile) -> list[str]:
    """The option ranked first, or every option sharing the first rank (exactly equal
    totals), in the pack's order."""
    # the ranking alone: the acceptability search (and numpy's import) would change nothing here
    ranking = score_profile(pack, profile, with_acceptability=False).ranking
    first = ranking[0]
    tied = [r for r in ranking if r.unclamped == first.unclamped and r.score == first.score]
    order = list(pack.options)
    return sorted((r.option for r in tied), key=order.index)


def plan_profile(
    pack: ContentPack, profile: Profile, option: str | None = None, form: str | None = None
) -> Plan:
    """The plan for one profile: `option` (else the profile's decision, else the first-ranked
    option; TiedOptions when that rank is shared), the forms it usually takes for these
    partners with the recommended one (`form`, else the decision's, else the rules'), and the
    workforce implications of that option, form and partners."""
    forms = _forms(pack)
    fixed = _PackPieces.of(pack, forms)
    titles, defs = fixed.titles, fixed.defs
    if option is not None and option not in pack.options:
        raise UsageError(f"unknown option '{option}'; known: {', '.join(pack.options)}")
    if form is not None and form not in defs:
        raise UsageError(f"unknown form '{form}'; known: {', '.join(defs)}")
    decision = profile.decision
    chosen_by = "--option"
    if option is None and decision is not None:
        option, chosen_by = decision.option, "decision"
    if option is None:
        top = top_options(pack, profile)
        if len(top) > 1:
            raise TiedOptions(top)
        option, chosen_by = top[0], "ranking"
    form_by = "--form" if form is not None else ""
    if form is None and decision is not None and decision.form and decision.option == option:
        if decision.form not in defs:
            raise UsageError(
                f"decision.form '{decision.form}' is not a form of the content pack; "
                f"known: {', '.join(defs)}"
            )
        form, form_by = decision.form, "decision"

    kinds = {str(p.kind) for p in profile.partners}
    nhs = {str(k) for k in forms.nhs_bodies}
    accepted = profile.governance.formality if profile.governance else None
    level = FORMALITIES.index(accepted) if accepted else None
    usual = next(o for o in forms.options if o.option == option)
    candidates = list(usual.forms) + ([form] if form and form not in usual.forms else [])
    legal = {"less_formal": pack.legal.less_formal, "more_formal": pack.legal.more_formal}
    views: list[FormView] = []
    for fid in candidates:
        d = defs[fid]
        why_not: list[str] = []
        if fid not in usual.forms:
            why_not.append("not a form this option usually takes")
        if level is not None and FORMALITIES.index(d.formality) > level:
            why_not.append(
                f"needs {d.formality} integration; the partners accept {accepted} at most"
            )
        for fit in forms.fit:
            if fit.form == fid and not fit.when.match(kinds, nhs):
                why_not.append(_one_line(fit.reason).rstrip("."))  # joined with '; '
        pc = legal[forms.pros_cons[d.formality]]
        views.append(
            FormView(
                fid,
                titles.get(fid, fid),
                d.formality,
                not why_not,
                why_not,
                list(pc.pros),
                list(pc.cons),
                [
                    item
                    for r, item in zip(d.requires, fixed.requires[fid], strict=True)
                    if r.when is None or r.when.match(kinds, nhs)
                ],
                usual.source if fid in usual.forms else d.formality_source,
            )
        )
    position = {fid: i for i, fid in enumerate(candidates)}
    if level is not None:
        views.sort(
            key=lambda v: (
                not v.fits,
                -FORMALITIES.index(v.formality) if v.fits else 0,
                position[v.form],
            )
        )
    else:
        views.sort(key=lambda v: (not v.fits, position[v.form]))

    if form is not None:
        chosen = next(v for v in views if v.form == form)
        if form_by == "decision":
            who = f" by {decision.agreed_by}" if decision and decision.agreed_by else ""
            when = (
                f" on {decision.agreed_on.isoformat()}" if decision and decision.agreed_on else ""
            )
            reason = f"agreed in the profile's decision{who}{when}"
        else:
            reason = "chosen with --form"
        if not chosen.fits:
            reason += "; note: " + "; ".join(chosen.why_not)
        form_source = chosen.source
    else:
        fitting = [v for v in views if v.fits]
        if fitting:
            chosen = fitting[0]
            if level is None:
                reason = (
                    "the formality the partners accept is not stated: the first form this "
                    f"option usually takes that fits the partners. {_one_line(usual.reason)}"
                )
            else:
                reason = (
                    f"the most formal of this option's usual forms that the partners accept "
                    f"({accepted}) and can use. {_one_line(usual.reason)}"
                )
        else:
            chosen = min(views, key=lambda v: (FORMALITIES.index(v.formality), position[v.form]))
            reason = (
                "no usual form of this option fits these partners; the least formal is shown: "
                + "; ".join(chosen.why_not)
                + ". Module 1's collaborative models (buddying, networks, informal "
                "partnerships) can be used alongside or instead of a new model."
            )
        form_source = usual.source
    formality = chosen.formality
    implications = []
    topics = _workforce(pack).topics
    quoted = fixed.quoted(pack, topics)
    number = pack.options[option].number
    for topic in topics:
        at, rule = next(
            (n, r)
            for n, r in enumerate(topic.rules)
            if r.when.holds(option, chosen.form, formality, kinds, nhs)
        )
        implications.append(
            Implication(
                topic.id,
                topic.title,
                rule.level,
                rule.reason,
                list(topic.actions),
                [dict(quoted[q]) for q in topic.questions],
                fixed.source_for(topic.id, at, rule.source, number),
                rule.source_silent,
                rule.note,
            )
        )
    return Plan(
        profile.name,
        option,
        pack.options[option].title,
        chosen_by,
        chosen.form,
        chosen.title,
        reason,
        form_source,
        views,
        implications,
        None if decision is None else decision.model_dump(mode="json", exclude_none=True),
        _currency(pack, option, views, implications),
        str(pack.currency.reviewed),
        pack.manifest.written,
    )


class _PackPieces:
    """What every plan of one content pack shares, made once per pack (kept in its derived
    data, so it lives and dies with the pack): the forms by id and their titles, each form's
    requirements as the plan quotes them, the Module 2 questions the workforce topics ask, and
    a rule's source for each option (`_for_option`). A board paper makes a plan or two."""

    def __init__(self, pack: ContentPack, forms: Forms) -> None:
        self.titles = _titles(pack)
        self.defs = {f.id: f for f in forms.forms}
        self.requires = {
            f.id: [Item(text=r.text, source=r.source) for r in f.requires] for f in forms.forms
        }
        self._quoted: dict[str, dict[str, str]] | None = None
        self._sources: dict[tuple[str, int, int], Source] = {}

    @classmethod
    def of(cls, pack: ContentPack, forms: Forms) -> _PackPieces:
        made: _PackPieces | None = pack.derived.get("plan_pieces")
        if made is None:
            made = pack.derived["plan_pieces"] = cls(pack, forms)
        return made

    def quoted(self, pack: ContentPack, topics: list[Any]) -> dict[str, dict[str, str]]:
        """The Module 2 questions the topics ask (a few of them), by id: id, area, text."""
        if self._quoted is None:
            asked = {q for topic in topics for q in topic.questions}
            self._quoted = {
                q.id: {"id": q.id, "area": a.id, "text": _one_line(q.text)}
                for a in pack.considerations.areas
                for q in a.questions
                if q.id in asked
            }
        return self._quoted

    def source_for(self, topic: str, rule: int, source: Source, number: int) -> Source:
        """`_for_option(source, number)` of the topic's rule number RULE."""
        key = (topic, rule, number)
        made = self._sources.get(key)
        if made is None:
            made = self._sources[key] = _for_option(source, number)
        return made


def _currency(
    pack: ContentPack, option: str, forms: list[FormView], implications: list[Implication]
) -> list[Any]:
    """The notes on the option and on every statement the plan quotes, once each, in the
    order the currency file lists them."""
    texts = [i.text for f in forms for i in (*f.pros, *f.cons, *f.requires)]
    for imp in implications:
        texts += [imp.reason, *(a.text for a in imp.actions), *(q["text"] for q in imp.questions)]
    wanted = {n.id for n in notes_for_option(pack.currency, option)}
    find = pack_notes_finder(pack)  # remembers each statement's notes, per pack
    for text in texts:
        wanted |= {n.id for n in find(text)}
    return [n for n in pack.currency.notes if n.id in wanted]


def decision_form_problem(pack: ContentPack, shown: str, profile: Profile) -> Diagnostic | None:
    """A `decision.form` the pack does not define, located in the profile (`ncm plan` and
    `ncm report` refuse to present it as the partnership's decision)."""
    d = profile.decision
    if d is None or d.form is None or d.form in form_ids(pack):
        return None
    try:
        line, col = locate(node_tree(read_text(Path(shown))), ("decision", "form"))
    except Exception:  # the file changed or vanished since it was read
        line, col = 1, 1
    return Diagnostic(
        shown,
        line,
        col,
        f"unknown form '{d.form}'",
        "decision.form",
        "known: " + ", ".join(form_ids(pack)),
    )
