"""JSON output: every command's JSON in one place, in the envelope the contract names
(`ncm_version`, `content_version`, `method_version`, `results`, `errors`). Text from files
goes through `safe_text.json_text`, so JSON stays valid UTF-8 with no raw control."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TextIO

from ncm_toolkit import __version__, plan_schemas
from ncm_toolkit.batch import Rendered
from ncm_toolkit.content import ContentPack
from ncm_toolkit.currency import note_json, notes_for, notes_for_option
from ncm_toolkit.errors import Diagnostic, dumps_json, format_json
from ncm_toolkit.safe_text import json_text
from ncm_toolkit.schemas import Item
from ncm_toolkit.scoring import METHOD_VERSION, Result

if TYPE_CHECKING:  # `ncm score` imports this module; it needs none of these
    from ncm_toolkit.compare import Comparison
    from ncm_toolkit.plan import Plan
    from ncm_toolkit.readiness import Result as ReadinessResult


def option_json(pack: ContentPack, option_id: str) -> dict[str, Any]:
    """One option as JSON: every item with its source and the currency notes qualifying it."""
    opt = pack.options[option_id]
    cur = pack.currency

    def item(text: str, source: Any) -> dict[str, Any]:
        return {
            "text": " ".join(text.split()),
            "source": {"document": source.document, "section": source.section},
            "currency": [note_json(n) for n in notes_for(cur, text)],
        }

    def items(xs: list[Item]) -> list[dict[str, Any]]:
        return [item(x.text, x.source) for x in xs]

    return {
        "id": opt.id,
        "number": opt.number,
        "title": opt.title,
        "group": opt.group,
        "summary": opt.summary,
        "guidance_written": pack.manifest.written,
        "currency_reviewed": cur.reviewed,
        "currency": [note_json(n) for n in notes_for_option(cur, opt.id)],
        "overview": items(opt.overview),
        "key_features": items(opt.key_features),
        "examples": [
            {
                **item(ex.name + (f": {ex.note}" if ex.note else ""), ex.source),
                "case_study": ex.case_study,
            }
            for ex in opt.examples
        ],
        "business_case": {
            "finances": items(opt.business_case.finances),
            "leadership": items(opt.business_case.leadership),
            "strategy": items(opt.business_case.strategy),
        },
        "benefits": items(opt.benefits),
        "governance": items(opt.governance),
        "regulation": items(opt.regulation),
        "barriers": items(opt.barriers),
        "workforce": items(opt.workforce),
        "success_factors": items(opt.success_factors),
        "legal_forms": list(opt.legal_forms),
        "alignments": {
            obj_id: {
                "strength": al.strength,
                "evidence": [
                    {"document": e.document, "section": e.section, "paraphrase": e.paraphrase}
                    for e in al.evidence
                ],
            }
            for obj_id, al in opt.alignments.items()
        },
    }


def _error_json(d: Diagnostic) -> dict[str, object]:
    """The diagnostic as `errors.format_json` gives it, named the way the contract's `score`
    output names the file: `profile`."""
    return {("profile" if k == "file" else k): v for k, v in format_json([d])[0].items()}


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def score_json_stream(
    out: TextIO, pack: ContentPack, items: Iterable[Rendered], on_error: list[Diagnostic]
) -> None:
    """Stream the contract's JSON: one result at a time (`score_result_json`, made where the profile
    was scored), the errors at the end."""
    out.write("{\n")
    out.write(f'  "ncm_version": {json.dumps(__version__)},\n')
    out.write(f'  "content_version": {json_text(_dumps(pack.version))},\n')
    out.write(f'  "content_digest": {json_text(_dumps(pack.digest))},\n')
    out.write(f'  "method_version": {json_text(_dumps(METHOD_VERSION))},\n')
    out.write('  "results": [')
    first = True
    for _path, text, found in items:
        on_error.extend(found)
        if text is None:
            continue
        out.write(("\n    " if first else ",\n    ") + text)
        first = False
    out.write("\n  ],\n" if not first else "],\n")
    errors = json.dumps([_error_json(d) for d in on_error], indent=2, ensure_ascii=False)
    out.write('  "errors": ' + json_text(errors).replace("\n", "\n  ") + "\n}\n")


def score_result_json(path: str, result: Result, top: int | None) -> str:
    """One profile's entry in `results`: its path and `Result.to_json`, on one line."""
    return json_text(json.dumps({"profile": path, **result.to_json(top)}, ensure_ascii=False))


def _versions(content_version: str, method_version: str) -> dict[str, str]:
    """The envelope's first keys, as `ncm score` gives them."""
    return {
        "ncm_version": __version__,
        "content_version": content_version,
        "method_version": method_version,
    }


def compare_json(pack: ContentPack, cmp: Comparison) -> str:
    """`ncm compare --format json`: the comparison in the contract's envelope. Its keys stay at
    the top; `results` is one entry per profile compared (`rankings`: `profile`, `name`,
    `ranking`), as `ncm score` gives one per profile scored; `errors` is empty, since a profile
    with errors stops the comparison."""
    head = {"ncm_version": __version__, "content_version": pack.version}
    tail = {"content_digest": pack.digest, "method_version": METHOD_VERSION}
    body = cmp.to_json()
    return dumps_json({**head, **tail, **body, "results": body["rankings"], "errors": []})


def readiness_compare_json(pack: ContentPack, cmp: dict[str, Any], method_version: str) -> str:
    """`ncm compare RECORD... --format json`: the comparison's keys at the top, in the envelope;
    `results` is one entry per record compared (`stakeholders`), `errors` is empty (a record
    with errors stops the comparison). `method_version`: readiness's (`ncm score` imports this
    module and needs no readiness)."""
    return dumps_json(
        {
            **_versions(pack.version, method_version),
            **cmp,
            "results": cmp["stakeholders"],
            "errors": [],
        }
    )


def validate_json(content_version: str, files: list[str], diags: list[Diagnostic]) -> str:
    """`ncm validate --format json`: `valid`, `files_checked` and `errors` (each naming its
    `file`: a file of a pack is no profile) as before, in the envelope; `results` is one entry
    per file checked, `{"file", "valid", "errors"}` with `errors` the count of its errors."""
    per_file = Counter(d.file for d in diags)
    return dumps_json(
        {
            **_versions(content_version, METHOD_VERSION),
            "valid": not diags,
            "files_checked": len(files),
            "results": [
                {"file": f, "valid": not per_file[f], "errors": per_file[f]} for f in files
            ],
            "errors": format_json(diags),
        }
    )


def models_show_json(pack: ContentPack, option_id: str) -> str:
    """`ncm models show ID --format json`: the option's keys at the top (`option_json`), in the
    envelope, with the option as the one entry of `results`."""
    opt = option_json(pack, option_id)
    return dumps_json(
        {**_versions(pack.version, METHOD_VERSION), **opt, "results": [opt], "errors": []}
    )


def plan_json(pack: ContentPack, plans: list[tuple[str, Plan]], errors: list[Any]) -> str:
    return dumps_json(
        {
            "ncm_version": __version__,
            "content_version": pack.version,
            "method_version": plan_schemas.METHOD_VERSION,
            "results": [{"profile": shown, **p.to_json()} for shown, p in plans],
            "errors": [
                {("profile" if k == "file" else k): v for k, v in e.items()}
                for e in format_json(errors)
            ],
        }
    )


def readiness_json(pack: ContentPack, found: list[ReadinessResult], method_version: str) -> str:
    """The records in the envelope, as `results` (one per record); for one record its keys are
    at the top as well, where they were before the envelope. `errors` is empty: a record with
    errors stops the command. `method_version`: readiness's, as for `readiness_compare_json`."""
    body = [r.to_json() for r in found]
    record = body[0] if len(body) == 1 else {}
    return dumps_json(
        {**_versions(pack.version, method_version), **record, "results": body, "errors": []}
    )


def _obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    """An open object (the contract adds keys, never removes one) with these keys required."""
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
    }


_STR: dict[str, Any] = {"type": "string"}
_NUM: dict[str, Any] = {"type": "number"}
_STR_OR_NULL: dict[str, Any] = {"type": ["string", "null"]}
_POSITION: dict[str, Any] = {"type": "integer", "minimum": 1}


def _errors_schema(file_key: str) -> dict[str, Any]:
    return {
        "type": "array",
        "items": _obj(
            {file_key: _STR, "line": _POSITION, "column": _POSITION, "message": _STR},
            {"field": _STR, "hint": _STR},
        ),
    }


def score_output_schema() -> dict[str, Any]:
    """The JSON Schema of `ncm score --format json` (`ncm schema score-output`), so that a
    pipeline can check what it reads: the README's contract keys are required, with their
    types; every object stays open, because versions add keys."""
    change = _obj(
        {"objective": _STR, "old": _NUM, "new": _NUM, "new_winner": _STR_OR_NULL},
        {"new_winners": {"type": "array", "items": _STR}},
    )
    answer_change = _obj(
        {"field": _STR, "old": {}, "new": {}, "new_winners": {"type": "array", "items": _STR}},
        {"text": _STR},
    )
    robustness = _obj(
        {
            "winner": _STR_OR_NULL,
            "winners": {"type": "array", "items": _STR},
            "runner_up": _STR_OR_NULL,
            "margin": {"type": ["number", "null"]},
            "change": {"oneOf": [{"type": "null"}, change]},
            "one_step": {"type": "boolean"},
            "sentence": _STR,
        },
        {"answer_change": answer_change},
    )
    contribution = _obj({"objective": _STR, "importance": _NUM, "strength": _NUM, "points": _NUM})
    adjustment = _obj({"rule": _STR, "title": _STR, "points": _NUM, "reason": _STR, "source": _STR})
    gate = _obj({"gate": _STR, "title": _STR, "reason": _STR, "source": _STR})
    entry = _obj(
        {
            "rank": _POSITION,
            "option": _STR,
            "title": _STR,
            "score": _NUM,
            "base": _NUM,
            "contributions": {"type": "array", "items": contribution},
            "adjustments": {"type": "array", "items": adjustment},
        },
        {
            "first_rank_acceptability": {"type": "number", "minimum": 0, "maximum": 1},
            "tied_with": {"type": "array", "items": _STR},
            "gated": {"type": "array", "items": gate},
        },
    )
    decision = _obj(
        {"option": _STR_OR_NULL, "form": _STR_OR_NULL, "agreed_by": _STR_OR_NULL},
        {"agreed_on": {"type": ["string", "null"], "format": "date"}},
    )
    decision["required"].append("agreed_on")
    result = _obj(
        {
            "profile": _STR,
            "name": _STR,
            "ranking": {"type": "array", "items": entry},
            "robustness": robustness,
            "notes": {"type": "array", "items": _STR},
            "decision": {"oneOf": [{"type": "null"}, decision]},
        }
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ncm score --format json",
        **_obj(
            {
                "ncm_version": _STR,
                "content_version": _STR,
                "content_digest": _STR,
                "method_version": _STR,
                "results": {"type": "array", "items": result},
                "errors": _errors_schema("profile"),
            }
        ),
    }


def validate_output_schema() -> dict[str, Any]:
    """The JSON Schema of `ncm validate --format json` (`ncm schema validate-output`)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ncm validate --format json",
        **_obj(
            {
                "ncm_version": _STR,
                "content_version": _STR,
                "method_version": _STR,
                "valid": {"type": "boolean"},
                "files_checked": {"type": "integer", "minimum": 0},
                "results": {
                    "type": "array",
                    "items": _obj(
                        {
                            "file": _STR,
                            "valid": {"type": "boolean"},
                            "errors": {"type": "integer", "minimum": 0},
                        }
                    ),
                },
                "errors": _errors_schema("file"),
            }
        ),
    }
