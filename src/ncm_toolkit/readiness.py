"""Module 2 as a readiness self-assessment: question ids, readiness records, and the results
(readiness per area, the blocking questions, the next actions).

Which questions block comes from `data/readiness/blocking.yaml` and `ncm plan`'s workforce
implications; this module only applies them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ncm_toolkit.compare import name_key
from ncm_toolkit.content import ContentPack, load_pack
from ncm_toolkit.errors import Diagnostic, NcmError, per_file_limit
from ncm_toolkit.plan import decision_form_problem
from ncm_toolkit.profile import Profile, load_profile
from ncm_toolkit.read.loader import load_model, locate, node_tree
from ncm_toolkit.read.yamlfile import MAX_DIAGNOSTICS, LoadError, parse, read_text
from ncm_toolkit.readiness_schemas import STATUS_HELP, Answer, Readiness
from ncm_toolkit.safe_text import json_text, term
from ncm_toolkit.schemas import Area, ConsiderationQuestion

if TYPE_CHECKING:  # a plan is given by the caller: `ncm validate` of a record needs no plan
    from ncm_toolkit.plan import Plan

METHOD_VERSION = "1"
"""Raised whenever the way readiness is computed changes."""


def questions(pack: ContentPack) -> list[tuple[Area, ConsiderationQuestion]]:
    """Every Module 2 question with its area, in the source's order."""
    return [(a, q) for a in pack.considerations.areas for q in a.questions]


def unknown_ids(pack: ContentPack, record: Readiness, name: str) -> list[Diagnostic]:
    """A located warning for each answer whose id the pack does not have (retired or never
    known): such an answer is kept in the file but not counted. At most MAX_DIAGNOSTICS, then
    one line saying how many more."""
    known = {q.id for _, q in questions(pack)}
    retired = {r.id: r for r in pack.considerations.retired}
    out: list[Diagnostic] = []
    tree: Any = None
    for qid in record.answers:
        if qid in known:
            continue
        if tree is None:
            try:
                tree = node_tree(read_text(Path(name)))
            except Exception:
                tree = False
        line, col = locate(tree, ("answers", qid), key=True)
        r = retired.get(qid)
        if r is not None:
            hint = f"now {r.replaced_by}: move the answer there" if r.replaced_by else None
            msg = f"question '{qid}' was retired ({' '.join(r.note.split())}); not counted"
        else:
            hint = "see `ncm readiness init` for the ids of this content pack"
            msg = f"unknown question id '{qid}'; not counted"
        out.append(Diagnostic(name, line, col, msg, f"answers.{qid}", hint))
    # as every file's diagnostics: a CI log is not flooded
    return per_file_limit(out, MAX_DIAGNOSTICS, "unknown or retired question ids")


def load_record(
    path: Path, display: str | None = None
) -> tuple[Readiness | None, list[Diagnostic]]:
    return load_model(path, Readiness, display)


_KIND = re.compile(r"^kind:[ \t]*[\"']?readiness\b", re.MULTILINE)


def is_record(path: Path) -> bool:
    """Whether the file says `kind: readiness` at its top level (its kind, never a guess);
    a cheap look at the text first, so profiles are not parsed twice."""
    try:
        text = read_text(path)
        if not _KIND.search(text):
            return False
        data = parse(text)
    except (LoadError, OSError):
        return False
    return isinstance(data, dict) and data.get("kind") == "readiness"


def is_other_kind(path: Path) -> bool:
    """Whether the file reads as YAML that is not a readiness record (a profile, say). A file
    that cannot be read or parsed is neither: its own errors say why, located, when read."""
    try:
        data = parse(read_text(path))
    except (LoadError, OSError):
        return False
    return not (isinstance(data, dict) and data.get("kind") == "readiness")


def check_record(path: Path, shown: str, content: Path | None) -> list[Diagnostic]:
    """`ncm validate` of a record: its schema, then its question ids against the pack (an
    unknown or retired id is an error here; `show` and `ask` only warn), and the profile its
    `profile:` names, which `show` reads for the blocking questions: a record naming a missing
    or invalid profile passed `ncm validate` in CI, and `show` then failed."""
    record, diags = load_record(path, shown)
    if record is None:
        return diags
    try:
        pack: ContentPack | None = load_pack(content)
    except NcmError:
        pack = None  # the pack's own errors are reported when it is validated
    out = [] if pack is None else unknown_ids(pack, record, shown)
    if record.profile is not None:
        out += named_profile(path, shown, record, pack)[1]
    return out


def named_profile(
    path: Path, shown: str, record: Readiness, pack: ContentPack | None
) -> tuple[Profile | None, list[Diagnostic]]:
    """The profile a record's `profile:` names (a path relative to the record's folder), read
    and checked as `ncm plan` reads it (a `decision.form` the pack lacks is invalid too). When
    it cannot be used: its own diagnostics, then one at the record's `profile:` line, so the
    record's author is shown the line that named it (a missing file: that line alone)."""
    named = str(record.profile)
    target = path.parent / named
    display = os.path.normpath(str(target))  # `ready/../profiles/n.yaml`: as it is validated
    if not os.path.lexists(target):
        found: list[Diagnostic] = []
        message = f"names no file: {display} (a path relative to this record's folder)"
        prof = None
    else:
        prof, found = usable_profile(pack, target, display)
        if prof is not None:
            return prof, []
        message = (
            f"names an invalid profile, {display} (see its own errors): `ncm readiness show` "
            "reads it for the blocking questions"
        )
    line, col = _line_of(path, "profile")
    hint = "correct the path or the profile, or give `ncm readiness show --profile PROFILE`"
    return None, [*found, Diagnostic(shown, line, col, message, "profile", hint)]


def usable_profile(
    pack: ContentPack | None, path: Path, shown: str
) -> tuple[Profile | None, list[Diagnostic]]:
    """A profile read as `ncm plan` reads it, for a record's blocking questions: valid, and
    its `decision.form` one the pack has (when the pack is known), else its diagnostics."""
    prof, found = load_profile(path, shown)
    if prof is not None and pack is not None:
        bad = decision_form_problem(pack, shown, prof)
        prof, found = (None, [bad]) if bad is not None else (prof, found)
    return prof, found


def _line_of(path: Path, key: str) -> tuple[int, int]:
    """Where a record's top-level `key` is, for a diagnostic at that line."""
    try:
        return locate(node_tree(read_text(path)), (key,))
    except (LoadError, OSError):  # the file changed or vanished since it was read
        return 1, 1


def other_partnership(
    path: Path, shown: str, record: Readiness, prof: Profile, profile_shown: str
) -> Diagnostic | None:
    """A warning when a record's profile is of another partnership (case and spaces aside):
    the blocking questions then come from that partnership's plan, which nothing said."""
    if name_key(record.partnership) == name_key(prof.name):
        return None
    line, col = _line_of(path, "partnership")
    return Diagnostic(
        shown,
        line,
        col,
        f"the record is of '{record.partnership}' but its profile {profile_shown} is of "
        f"'{prof.name}': the blocking questions are that partnership's",
        "partnership",
        "give this partnership's profile (`--profile`), or correct `partnership:`",
    )


@dataclass(frozen=True)
class AreaResult:
    area: str
    title: str
    settled: float
    applicable: int

    @property
    def readiness(self) -> float | None:
        return round(self.settled / self.applicable, 4) if self.applicable else None

    def to_json(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "title": self.title,
            "readiness": self.readiness,
            "settled": self.settled,
            "applicable": self.applicable,
        }


@dataclass(frozen=True)
class QuestionState:
    id: str
    area: str
    text: str
    status: str
    owner: str | None
    due: dt.date | None
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "area": self.area,
            "text": self.text,
            "status": self.status,
            "owner": self.owner,
            "due": self.due.isoformat() if self.due else None,
        }
        if self.reasons:
            out["reasons"] = list(self.reasons)
        return out


@dataclass(frozen=True)
class Result:
    file: str
    record: Readiness
    areas: list[AreaResult]
    blocking: list[QuestionState]
    actions: list[QuestionState]
    plan: dict[str, str] | None
    questions: list[QuestionState]

    def to_json(self) -> dict[str, Any]:
        r = self.record
        return {
            "file": self.file,
            "partnership": r.partnership,
            "stakeholder": {"role": r.stakeholder.role, "organisation": r.stakeholder.organisation},
            "as_of": r.as_of.isoformat(),
            "plan": self.plan,
            "areas": [a.to_json() for a in self.areas],
            "blocking": [b.to_json() for b in self.blocking],
            "actions": [a.to_json() for a in self.actions],
        }


OPEN = ("open", "partly", "not_considered")
"""The statuses of a question still to settle."""


def answer(record: Readiness, qid: str) -> Answer:
    return record.answers.get(qid) or Answer()


def blocking_reasons(pack: ContentPack, plan: Plan, kinds: set[str]) -> dict[str, list[str]]:
    """Question id -> why it blocks, for the plan's option, form and partners' kinds."""
    out: dict[str, list[str]] = {}
    rules = pack.blocking
    if rules is None:
        return out
    for imp in plan.implications:
        # "Professional regulation of new roles is likely" read as if the regulation were likely
        if imp.level in rules.workforce_levels:
            for q in imp.questions:
                out.setdefault(q["id"], []).append(
                    f"Workforce implication rated {imp.level}: {imp.title}"
                )
    view = next(v for v in plan.forms if v.form == plan.form)
    nhs = {str(k) for k in pack.forms.nhs_bodies} if pack.forms else set()
    for rule in rules.rules:
        if rule.when.holds(plan.option, plan.form, view.formality, kinds, nhs):
            for qid in rule.questions:
                out.setdefault(qid, []).append(" ".join(rule.reason.split()))
    return out


def assess(
    pack: ContentPack,
    record: Readiness,
    file: str,
    plan: Plan | None = None,
    kinds: list[str] | None = None,
) -> Result:
    """Readiness per area (settled + half of partly, over the applicable questions), the
    blocking questions not yet settled, and the next actions by owner and due date."""
    reasons = blocking_reasons(pack, plan, set(kinds or ())) if plan is not None else {}
    areas: list[AreaResult] = []
    states: list[QuestionState] = []
    for a in pack.considerations.areas:
        settled = 0.0
        applicable = 0
        for q in a.questions:
            ans = answer(record, q.id)
            if ans.status != "not_applicable":
                applicable += 1
                settled += {"settled": 1.0, "partly": 0.5}.get(ans.status, 0.0)
            states.append(
                QuestionState(
                    q.id,
                    a.id,
                    " ".join(q.text.split()),
                    ans.status,
                    ans.owner,
                    ans.due,
                    tuple(reasons.get(q.id, ())),
                )
            )
        areas.append(AreaResult(a.id, a.title, settled, applicable))
    blocking = [s for s in states if s.reasons and s.status in OPEN]
    order = {s.id: i for i, s in enumerate(states)}
    actions = [s for s in states if s.status in OPEN and (s.owner or s.due or s.reasons)]
    actions.sort(key=lambda s: (s.owner is None, s.owner or "", s.due or dt.date.max, order[s.id]))
    shown = None
    if plan is not None:
        shown = {"name": plan.name, "option": plan.option, "form": plan.form}
    return Result(file, record, areas, blocking, actions, shown, states)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's), on one line: C1, bidi,
    invisible and line-separator characters escaped too (`safe_text.json_text`)."""
    return json_text(json.dumps(text, ensure_ascii=False), yaml=True)


def _comment(text: str, indent: str) -> list[str]:
    one = term(" ".join(text.split()))
    return [f"{indent}# {line}" for line in textwrap.wrap(one, 92 - len(indent))]


def render_record(pack: ContentPack, record: Readiness) -> str:
    """The record as YAML, every question listed under its area with its text as a comment;
    answers the pack does not know are kept at the end. The same text for the same record."""
    out = [
        "# ncm readiness record: one stakeholder's answers to Module 2's questions for",
        "# consideration (`ncm readiness ask FILE` to answer, `ncm readiness show FILE` to see).",
        *_comment("status: " + "; ".join(f"{k} = {v}" for k, v in STATUS_HELP.items()), ""),
        "# owner: a role (not a name); due: YYYY-MM-DD; note and evidence: free text or a link.",
        "kind: readiness",
        "schema_version: 1",
        f"partnership: {_q(record.partnership)}",
        "stakeholder:",
        f"  role: {_q(record.stakeholder.role)}",
        f"  organisation: {_q(record.stakeholder.organisation)}",
        f"as_of: {record.as_of.isoformat()}",
    ]
    if record.profile is not None:
        out.append(f"profile: {_q(record.profile)}")
    out.append("answers:")
    known: set[str] = set()
    for a in pack.considerations.areas:
        # a comment, as the questions' text: a line break or control in a pack's title must
        # neither end it (the rest would be read as YAML) nor make the record unreadable
        out.append(f"  # ---- {term(' '.join(a.title.split()))} ({a.id}) ----")
        for q in a.questions:
            known.add(q.id)
            out += _comment(q.text, "  ")
            out += _answer_lines(q.id, answer(record, q.id))
    rest = [k for k in record.answers if k not in known]
    if rest:
        out.append("  # ---- not questions of this content pack (kept, not counted) ----")
        for k in rest:
            out += _answer_lines(_q(k), record.answers[k])
    return "\n".join(out) + "\n"


def _answer_lines(qid: str, ans: Answer) -> list[str]:
    lines = [f"  {qid}:", f"    status: {ans.status}"]
    if ans.owner is not None:
        lines.append(f"    owner: {_q(ans.owner)}")
    if ans.due is not None:
        lines.append(f"    due: {ans.due.isoformat()}")
    if ans.note is not None:
        lines.append(f"    note: {_q(ans.note)}")
    if ans.evidence is not None:
        lines.append(f"    evidence: {_q(ans.evidence)}")
    return lines
