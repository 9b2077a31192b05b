"""The checks that span a content pack's files: options and case studies that name each
other, documents and sections cited, the plan files' and Module 2's ids, currency notes'
targets; the pack against the profile's model is `field_checks`. Each file was checked on
its own when it was loaded (`content.load_files`); valid packs never pay for the second parse
that locates a problem."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ncm_toolkit import currency
from ncm_toolkit.citations import check_sections, citations
from ncm_toolkit.errors import Diagnostic
from ncm_toolkit.field_checks import check_quick_guide_fields, check_structure_values, close
from ncm_toolkit.plan_schemas import Forms, Workforce
from ncm_toolkit.read.loader import _dotted, at, locate, node_tree, read_text
from ncm_toolkit.read.yamlfile import compose_nodes, walk_nodes
from ncm_toolkit.schemas import (
    TOOLKIT_DOCUMENT,
    CaseStudy,
    Manifest,
    OptionModel,
)
from ncm_toolkit.vocabulary import OBJECTIVE_IDS, OPTION_IDS


@dataclass
class PackFiles:
    """A pack's files as loaded (`content.load_files`), each checked on its own: what the
    checks that span files read."""

    root: Path
    singles: dict[str, Any] = field(default_factory=dict)  # pack.yaml, scoring.yaml, ...
    files: dict[str, Path] = field(default_factory=dict)  # relative name -> path
    options: dict[str, tuple[OptionModel, Path]] = field(default_factory=dict)
    cases: dict[str, tuple[CaseStudy, Path]] = field(default_factory=dict)
    diags: list[Diagnostic] = field(default_factory=list)


def check_pack(f: PackFiles) -> list[Diagnostic]:
    """Every problem that spans files, located."""
    return _check_options(f) + _check_cases(f) + _check_references(f)


def _check_options(f: PackFiles) -> list[Diagnostic]:
    """Ten options, each named after its file, aligned to all nine objectives with evidence,
    citing case studies that exist."""
    out = []
    if f.singles.get("pack.yaml") is not None:
        for oid in OPTION_IDS:  # a file there that failed to load has its own errors
            if oid not in f.options and not os.path.lexists(f.root / "models" / f"{oid}.yaml"):
                out.append(
                    Diagnostic(
                        str(f.root / "models"),
                        1,
                        1,
                        f"option '{oid}' has no file models/{oid}.yaml",
                    )
                )
    titled: dict[str, str] = {}  # an option's title, case and spaces ignored -> its id
    for oid, (opt, path) in sorted(f.options.items(), key=lambda i: _order(i[0])):
        key = " ".join(opt.title.casefold().split())
        if key in titled:  # every sentence that names two options would read "X leads X"
            out.append(
                at(
                    path,
                    ("title",),
                    f"the same title as option '{titled[key]}'",
                    "title",
                    "give each option a title of its own",
                )
            )
        titled.setdefault(key, oid)
    for oid, (opt, path) in f.options.items():
        if path.stem != oid:
            out.append(at(path, ("id",), f"id '{oid}' does not match the file name", "id"))
        for obj_id in OBJECTIVE_IDS:
            if obj_id not in opt.alignments:
                out.append(
                    at(
                        path,
                        ("alignments",),
                        f"no alignment for objective '{obj_id}'",
                        "alignments",
                        "every option needs all nine alignments",
                    )
                )
        for obj_id, al in opt.alignments.items():
            if al.strength > 0 and not al.evidence:
                where = ("alignments", obj_id, "strength")
                msg = "a non-zero strength needs evidence"
                out.append(at(path, where, msg, f"alignments.{obj_id}"))
        for i, ex in enumerate(opt.examples):
            if ex.case_study and ex.case_study not in f.cases:
                out.append(
                    at(
                        path,
                        ("examples", i, "case_study"),
                        f"unknown case study '{ex.case_study}'",
                        f"examples[{i}].case_study",
                        close(ex.case_study, f.cases),
                    )
                )
    return out


def _order(option_id: str) -> int:
    """The pack's order of options (an id it does not know, after them)."""
    return OPTION_IDS.index(option_id) if option_id in OPTION_IDS else len(OPTION_IDS)


def _option_ids(f: PackFiles) -> set[str]:
    """The options the pack has: those loaded, and those whose models/<id>.yaml failed to
    load (its errors are reported there, once, not again at every file naming the option)."""
    loaded = {path for _, path in f.options.values()}
    broken = {p.stem for p in (f.root / "models").glob("*.y*ml") if p not in loaded}
    return set(f.options) | broken


def _check_cases(f: PackFiles) -> list[Diagnostic]:
    """Every case study belongs to an option of the pack."""
    if not f.options:
        return []
    known = _option_ids(f)
    return [
        at(path, ("option",), f"unknown option '{case.option}'", "option")
        for case, path in f.cases.values()
        if case.option not in known
    ]


def _check_references(f: PackFiles) -> list[Diagnostic]:
    """References between files: documents and sections cited, plan and readiness ids,
    currency notes' targets."""
    s, out = f.singles, []
    manifest: Manifest | None = s.get("pack.yaml")
    if manifest is not None:
        doc_ids = {d.id for d in manifest.documents} | {TOOLKIT_DOCUMENT}
        objects: dict[Path, BaseModel] = {f.files[rel]: obj for rel, obj in s.items() if obj}
        objects.update({p: o for o, p in f.options.values()})
        objects.update({p: c for c, p in f.cases.values()})
        cited = {path: citations(obj) for path, obj in objects.items()}  # one walk per file
        out += _check_sources(f.root, cited, doc_ids)
        if s.get("sources/sections.yaml") is not None:
            out += check_sections(objects, cited, s["sources/sections.yaml"])
    if s.get("plan/forms.yaml") and s.get("plan/workforce.yaml"):
        out += check_plan_files(f.root, s)
    if s.get("questions/considerations.yaml") is not None:
        out += check_question_ids(f.root, s)
    out += check_duplicate_ids(f.root, f.files, s)
    if s.get("questions/quick_guide.yaml") is not None:
        out += check_quick_guide_fields(f.root, s["questions/quick_guide.yaml"])
    if s.get("scoring.yaml") is not None:
        out += check_structure_values(f.files["scoring.yaml"], s["scoring.yaml"])
    if s.get("currency.yaml") is not None:
        areas = {a.id for a in getattr(s.get("questions/considerations.yaml"), "areas", [])}
        out += currency.check(
            s["currency.yaml"],
            f.files["currency.yaml"],
            f.files,
            _option_ids(f),
            set(f.cases),
            areas,
        )
    return out


ID_CHECKED_ELSEWHERE = frozenset(
    {"currency.yaml", "questions/considerations.yaml", "questions/background.yaml"}
)
"""Files whose ids their own checks keep unique (`currency.check`, `check_question_ids`)."""


def check_duplicate_ids(
    root: Path, files: dict[str, Path], singles: dict[str, Any]
) -> list[Diagnostic]:
    """An id given twice among the items of one kind in a file (rules, gates, documents,
    objectives, legal models, forms, questions: items at the same place in the file's
    structure, `steps[*].questions[*]`) is an error at the second, naming the first's line:
    two forms `informal_partnership` validated, and the later one silently replaced the
    other in every plan."""
    out: list[Diagnostic] = []
    for rel, obj in singles.items():
        if obj is None or rel in ID_CHECKED_ELSEWHERE or rel not in files:
            continue
        seen: dict[tuple[Any, ...], dict[str, tuple[Any, ...]]] = {}
        for loc, ident in _ids(obj, ()):
            kind = tuple("*" if isinstance(p, int) else p for p in loc)
            first = seen.setdefault(kind, {}).setdefault(ident, loc)
            if first != loc:
                tree = node_tree(read_text(files[rel]))
                line, _col = locate(tree, first)
                where = (*loc, "id")
                out.append(
                    at(
                        files[rel],
                        where,
                        f"duplicate id '{ident}'",
                        _dotted(where),
                        f"also the id of {_dotted(first)} on line {line}",
                    )
                )
    return out


def _ids(node: Any, loc: tuple[Any, ...]) -> Any:
    """(place, id) of every item with a text `id` in lists anywhere under NODE."""
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _ids(getattr(node, name), (*loc, name))
    elif isinstance(node, list):
        for k, item in enumerate(node):
            ident = getattr(item, "id", None)
            if isinstance(item, BaseModel) and isinstance(ident, str):
                yield (*loc, k), ident
            yield from _ids(item, (*loc, k))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _ids(value, (*loc, key))


def _check_sources(root: Path, cited: dict[Path, list[Any]], doc_ids: set[str]) -> list[Diagnostic]:
    """Every `document:` must name a document of the manifest. Valid packs never pay for the
    second parse that locates a bad reference."""
    out: list[Diagnostic] = []
    for path, found in cited.items():
        if all(c.document in doc_ids for c in found):
            continue
        for (line, col), doc in _documents(compose_nodes(read_text(path))[1]):
            if doc not in doc_ids:
                out.append(
                    Diagnostic(
                        str(path),
                        line,
                        col,
                        f"unknown source document '{doc}'",
                        "document",
                        close(doc, doc_ids),
                    )
                )
    return out


def _documents(root: Any) -> list[tuple[tuple[int, int], str]]:
    """Each `document: X` value in a composed node tree, with its 1-based line and column."""
    found: list[tuple[tuple[int, int], str]] = []
    for node in walk_nodes(root):
        if node.id == "mapping":
            for k, v in node.value:
                if k.id == v.id == "scalar" and k.value == "document":
                    found.append(((v.start_mark.line + 1, v.start_mark.column + 1), v.value))
    return found


def check_plan_files(root: Path, singles: dict[str, Any]) -> list[Diagnostic]:
    """The plan files' ids must name what the pack defines: forms of legal_models.yaml (with
    the same formality), one entry per option, Module 2 questions by their ids."""
    out: list[Diagnostic] = []
    forms: Forms = singles["plan/forms.yaml"]
    wf: Workforce = singles["plan/workforce.yaml"]
    legal = singles.get("legal/legal_models.yaml")
    cons = singles.get("questions/considerations.yaml")
    trees: dict[str, Any] = {}

    def flag(rel: str, loc: tuple[Any, ...], message: str) -> None:
        if rel not in trees:
            trees[rel] = node_tree(read_text(root / rel))
        line, col = locate(trees[rel], loc)
        field = ".".join(str(p) for p in loc)
        out.append(Diagnostic(str(root / rel), line, col, message, field))

    fp = "plan/forms.yaml"
    if legal is not None:
        known = {f.id: f.formality for f in legal.legal_forms}
        known |= {c.id: None for c in legal.collaborative_models}
        for i, d in enumerate(forms.forms):
            if d.id not in known:
                flag(fp, ("forms", i, "id"), f"'{d.id}' is not a form of legal_models.yaml")
            elif known[d.id] not in (None, d.formality):
                flag(fp, ("forms", i, "formality"), f"legal_models.yaml says {known[d.id]}")
    defined = {d.id for d in forms.forms}
    for i, o in enumerate(forms.options):
        for j, fid in enumerate(o.forms):
            if fid not in defined:
                flag(fp, ("options", i, "forms", j), f"form '{fid}' is not under forms:")
    listed: list[str] = [o.option for o in forms.options]
    for oid in OPTION_IDS:
        if listed.count(oid) != 1:
            flag(fp, ("options",), f"option '{oid}' needs exactly one entry")
    for i, fit in enumerate(forms.fit):
        if fit.form not in defined:
            flag(fp, ("fit", i, "form"), f"form '{fit.form}' is not under forms:")
    wp = "plan/workforce.yaml"
    questions = {q.id for a in cons.areas for q in a.questions} if cons else None
    for i, t in enumerate(wf.topics):
        for j, r in enumerate(t.rules):
            for k, fid in enumerate(r.when.forms or []):
                if fid not in defined:
                    flag(wp, ("topics", i, "rules", j, "when", "forms", k), f"unknown form '{fid}'")
        for j, q in enumerate(t.questions):
            if questions is None:
                break
            if q not in questions:
                flag(
                    wp,
                    ("topics", i, "questions", j),
                    f"'{q}' is not a question id of questions/considerations.yaml",
                )
    return out


def check_question_ids(root: Path, singles: dict[str, Any]) -> list[Diagnostic]:
    """Question ids are unique and never reuse a retired one; background topic ids are unique;
    the blocking rules name known questions."""
    out: list[Diagnostic] = []
    trees: dict[str, Any] = {}

    def flag(rel: str, loc: tuple[Any, ...], message: str) -> None:
        if rel not in trees:
            trees[rel] = node_tree(read_text(root / rel))
        line, col = locate(trees[rel], loc)
        out.append(Diagnostic(str(root / rel), line, col, message, ".".join(map(str, loc))))

    cp = "questions/considerations.yaml"
    cons = singles[cp]
    seen: set[str] = set()
    for i, a in enumerate(cons.areas):
        for j, q in enumerate(a.questions):
            if q.id in seen:
                flag(cp, ("areas", i, "questions", j, "id"), f"duplicate question id '{q.id}'")
            seen.add(q.id)
    retired: set[str] = set()
    for i, r in enumerate(cons.retired):
        if r.id in seen or r.id in retired:
            flag(cp, ("retired", i, "id"), f"retired id '{r.id}' is in use: ids are never reused")
        if r.replaced_by is not None and r.replaced_by not in seen:
            flag(cp, ("retired", i, "replaced_by"), f"unknown question id '{r.replaced_by}'")
        retired.add(r.id)
    bp = "questions/background.yaml"
    if singles.get(bp) is not None:
        topics: set[str] = set()
        for i, t in enumerate(singles[bp].topics):
            if t.id in topics:
                flag(bp, ("topics", i, "id"), f"duplicate topic id '{t.id}'")
            topics.add(t.id)
    rp = "readiness/blocking.yaml"
    if singles.get(rp) is not None:
        for i, rule in enumerate(singles[rp].rules):
            for j, qid in enumerate(rule.questions):
                if qid not in seen:
                    flag(rp, ("rules", i, "questions", j), f"unknown question id '{qid}'")
    return out
