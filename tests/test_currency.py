"""The currency layer: dated, sourced notes beside the 2015-2017 guidance, enforced by validate."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ruamel.yaml import YAML

from ncm_toolkit.content import bundled_content_dir
from ncm_toolkit.schemas import Currency


def _bundled_currency() -> Currency:
    data = YAML(typ="safe").load((bundled_content_dir() / "currency.yaml").read_text("utf-8"))
    return Currency.model_validate(data)


def _line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


def test_statement_naming_a_retired_term_without_a_note_fails_located(ncm, pack_copy):
    cur = pack_copy / "currency.yaml"
    text = cur.read_text("utf-8")
    # A new retired body with no note yet, named by one statement of one option.
    text = text.replace(
        "terms:\n",
        "terms:\n  - term: a retired test body\n    match: [Primary Care Trust]\n    notes: []\n",
        1,
    )
    cur.write_text(text, "utf-8")
    model = pack_copy / "models" / "gp_federation.yaml"
    body = model.read_text("utf-8")
    first_item = re.search(r"overview:\n  - text: (>-\n\s+)?", body)
    assert first_item
    body = (
        body[: first_item.end()] + "A Primary Care Trust once ran this. " + body[first_item.end() :]
    )
    model.write_text(body, "utf-8")
    line = _line_of(model, "A Primary Care Trust once ran this.")

    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1
    assert f"{model}:{line}:" in result.stderr
    assert "'Primary Care Trust'" in result.stderr and "no currency note" in result.stderr
    # Whole words, case as written: other files that say "primary care trust" are not flagged.
    assert result.stderr.count("no currency note") == 1


def test_whole_word_and_case_as_written(pack_copy):
    from ncm_toolkit.currency import notes_for

    cur = _bundled_currency()
    ids = lambda text: [n.id for n in notes_for(cur, text)]  # noqa: E731
    assert "nhsi_into_nhse" in ids("Monitor will need to be assured.")
    assert ids("Boards monitor progress monthly.") == []
    assert ids("CCGs commission care.") == ["ccgs_into_icbs"]
    assert ids("CCGlike") == []


def test_note_without_url_or_date_fails_located(ncm, pack_copy):
    cur = pack_copy / "currency.yaml"
    text = cur.read_text("utf-8")
    url_line = next(ln for ln in text.splitlines() if "landmarkchambers" in ln)
    cur.write_text(text.replace(url_line + "\n", ""), "utf-8")
    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1
    assert re.search(rf"{re.escape(str(cur))}:\d+:\d+: notes\[\d+\]\.source\.url", result.stderr)

    text = cur.read_text("utf-8").replace('      date: "2022"\n', "", 1)
    cur.write_text(text, "utf-8")
    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1
    assert re.search(r"notes\[0\]\.source\.date: required field is missing", result.stderr)


def test_note_pointing_nowhere_fails(ncm, pack_copy):
    cur = pack_copy / "currency.yaml"
    cur.write_text(
        cur.read_text("utf-8").replace("notes: [ccgs_into_icbs]", "notes: [ccgs_into_icb]"),
        "utf-8",
    )
    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1
    assert "unknown note 'ccgs_into_icb'" in result.stderr


def test_models_show_gives_dates_and_notes_beside_statements(ncm):
    result = ncm("models", "show", "multi_site_trust")
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Guidance written 2015-2017; currency notes reviewed 2026-11-30." in out
    # The NHS Improvement statement is followed by its note, with the source.
    stmt = out.index("NHS Improvement will be responsible for regulating")
    note = out.index("Since then (as of 2026-11-30): Monitor and the NHS Trust Development")
    assert stmt < note < out.index("registered with the CQC")
    assert "legislation.gov.uk" in out[note : note + 800]


def test_cases_show_and_questions_show_dates_and_notes(ncm):
    case = " ".join(ncm("cases", "show", "harness_gp_cooperative").stdout.split())
    assert "currency notes reviewed 2026-11-30" in case
    assert "Clinical commissioning groups were abolished" in case
    questions = " ".join(ncm("questions").stdout.split())
    assert questions.startswith("Guidance written 2015-2017")
    assert "Provider Selection Regime" in questions


def test_models_show_json_shape(ncm):
    result = ncm("models", "show", "mcp", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "mcp" and data["currency_reviewed"] == "2026-11-30"
    items = [
        *data["overview"],
        *data["key_features"],
        *data["benefits"],
        *data["governance"],
        *data["regulation"],
        *data["barriers"],
        *data["business_case"]["finances"],
    ]
    assert all({"text", "source", "currency"} <= set(i) for i in items)
    assert all(set(i["source"]) == {"document", "section"} for i in items)
    noted = [i for i in items if i["currency"]]
    assert noted, "some MCP statement names NHS Improvement or CCGs"
    for item in noted:
        for note in item["currency"]:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", note["as_of"])
            assert note["text"]
            assert set(note["source"]) == {"publisher", "title", "date", "url"}
    assert any(n["id"] == "integrated_care_provider_contract" for n in data["currency"])


def test_every_bundled_note_has_an_https_source_and_a_date():
    cur = _bundled_currency()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", cur.reviewed)
    used = {nid for t in cur.terms for nid in t.notes}
    for note in cur.notes:
        assert note.source.url.startswith("https://"), note.id
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?", note.source.date)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", note.as_of)
        assert note.id in used or note.options or note.cases, f"{note.id} qualifies nothing"
    for term in cur.terms:
        assert term.notes, term.term


def test_every_document_is_dated_with_evidence():
    from ncm_toolkit.content import load_pack

    pack = load_pack()
    assert pack.manifest.written == "2015-2017"
    for doc in pack.manifest.documents:
        assert doc.published and len(doc.dated_by) > 20, doc.id
