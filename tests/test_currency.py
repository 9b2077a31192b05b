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
    assert "Guidance written 2015-2017; currency notes reviewed 2026-12-01." in out
    # The NHS Improvement statement is followed by its note, with the source.
    stmt = out.index("NHS Improvement will be responsible for regulating")
    note = out.index("Since then (as of 2026-11-30): Monitor and the NHS Trust Development")
    assert stmt < note < out.index("registered with the CQC")
    assert "legislation.gov.uk" in out[note : note + 800]


def test_cases_show_and_questions_show_dates_and_notes(ncm):
    case = " ".join(ncm("cases", "show", "harness_gp_cooperative").stdout.split())
    assert "currency notes reviewed 2026-12-01" in case
    assert "Clinical commissioning groups were abolished" in case
    questions = " ".join(ncm("questions").stdout.split())
    assert questions.startswith("Guidance written 2015-2017")
    assert "Provider Selection Regime" in questions


def test_models_show_json_shape(ncm):
    result = ncm("models", "show", "mcp", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "mcp" and data["currency_reviewed"] == "2026-12-01"
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
        qualifies = note.id in used or note.options or note.cases or note.areas
        assert qualifies, f"{note.id} qualifies nothing"
    for term in cur.terms:
        assert term.notes, term.term


def test_every_document_is_dated_with_evidence():
    from ncm_toolkit.content import load_pack

    pack = load_pack()
    assert pack.manifest.written == "2015-2017"
    for doc in pack.manifest.documents:
        assert doc.published and len(doc.dated_by) > 20, doc.id


# What each of the ten options is told about 2019-2026 (the 10 Year Health Plan's contracts and
# IHOs, the Neighbourhood Health Framework, trust groups, EHCH as a national requirement).
_OPTION_NOTES = {
    "aco_ico": {"integrated_care_provider_contract", "integrated_health_organisations"},
    "mcp": {
        "primary_care_networks",
        "neighbourhood_provider_contracts",
        "neighbourhood_health_framework",
    },
    "pacs": {
        "neighbourhood_provider_contracts",
        "neighbourhood_health_framework",
        "integrated_health_organisations",
    },
    "gp_federation": {
        "primary_care_networks",
        "neighbourhood_provider_contracts",
        "neighbourhood_health_framework",
    },
    "super_practice": {
        "primary_care_networks",
        "neighbourhood_provider_contracts",
        "neighbourhood_health_framework",
    },
    "multi_site_trust": {"provider_collaboratives", "nhs_trust_groups"},
    "hospital_chain": {"provider_collaboratives", "nhs_trust_groups"},
    "specialty_franchise": {"provider_collaboratives"},
    "urgent_emergency_care_network": {"provider_collaboratives"},
    "enhanced_health_in_care_homes": {"ehch_national_model"},
}


def test_every_option_is_told_what_changed_since_the_guidance(ncm):
    from ncm_toolkit.content import load_pack

    assert set(_OPTION_NOTES) == set(load_pack().options)
    for option, expected in _OPTION_NOTES.items():
        result = ncm("models", "show", option, "--format", "json")
        assert result.exit_code == 0, result.stderr
        shown = {n["id"] for n in json.loads(result.stdout)["currency"]}
        assert expected <= shown, (option, expected - shown)


def test_ten_year_plan_notes_show_dated_and_sourced(ncm):
    out = " ".join(ncm("models", "show", "gp_federation").stdout.split())
    note = out.index("Since then (as of 2026-12-01): The government's 10 Year Health Plan")
    assert "single neighbourhood provider contract" in out[note : note + 900]
    assert "multi-neighbourhood provider contract" in out[note : note + 900]
    assert "[source: Ashfords," in out[note : note + 1200]
    assert "Neighbourhood Health Framework on 17 March 2026" in out
    aco = " ".join(ncm("models", "show", "aco_ico").stdout.split())
    assert "integrated health organisations (IHOs)" in aco and "NHS Providers" in aco
    chain = " ".join(ncm("models", "show", "hospital_chain").stdout.split())
    assert "a third of English NHS trusts" in chain and "2024-11-06" in chain


def test_health_bill_follows_the_abolition_note(ncm):
    out = " ".join(ncm("models", "show", "multi_site_trust").stdout.split())
    stmt = out.index("NHS Improvement will be responsible for regulating")
    abolition = out.index("On 13 March 2025 the government announced", stmt)
    bill = out.index("The Health Bill, before Parliament in 2026", stmt)
    assert stmt < abolition < bill
    assert "brownejacobson.com" in out[bill : bill + 1200]


def test_commissioning_questions_carry_the_icb_and_health_bill_notes(ncm):
    out = " ".join(ncm("questions").stdout.split())
    assert "ICBs must focus on their role as strategic commissioners" in out
    assert "from 42 to 26" in out
    assert "The Health Bill, before Parliament in 2026" in out


def test_no_note_is_dated_after_the_review_or_before_its_source():
    cur = _bundled_currency()
    for note in cur.notes:
        assert note.as_of <= cur.reviewed, note.id
        assert note.source.date[:4] <= note.as_of[:4], note.id


def test_plan_for_an_option_carries_its_2025_2026_notes(ncm):
    profile = str(Path(__file__).parent.parent / "examples" / "profiles" / "north_practices.yaml")
    for option, expected in {
        "hospital_chain": {"nhs_trust_groups", "health_bill_2026"},
        "pacs": {"neighbourhood_provider_contracts", "integrated_health_organisations"},
    }.items():
        result = ncm("plan", profile, "--option", option, "--format", "json")
        assert result.exit_code == 0, result.stderr
        shown = [n["id"] for n in json.loads(result.stdout)["results"][0]["currency"]]
        assert expected <= set(shown), (option, shown)
        # Once each, in the order the currency file lists them.
        order = [n.id for n in _bundled_currency().notes]
        assert shown == sorted(shown, key=order.index)
