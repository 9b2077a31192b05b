"""JSON output: one module for every command's JSON, in the envelope the contract names."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ncm_toolkit.content import ContentPack
    from ncm_toolkit.schemas import Item


def option_json(pack: "ContentPack", option_id: str) -> dict[str, Any]:
    """One option as JSON: every item with its source and the currency notes qualifying it."""
    from ncm_toolkit.currency import note_json, notes_for, notes_for_option

    opt = pack.options[option_id]
    cur = pack.currency

    def item(text: str, source: Any) -> dict[str, Any]:
        return {
            "text": " ".join(text.split()),
            "source": {"document": source.document, "section": source.section},
            "currency": [note_json(n) for n in notes_for(cur, text)],
        }

    def items(xs: "list[Item]") -> list[dict[str, Any]]:
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
