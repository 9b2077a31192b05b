"""Browsing the content pack through the real CLI."""

from __future__ import annotations

import json

from ncm_toolkit.vocabulary import OPTION_IDS


def test_models_lists_all_ten(ncm):
    result = ncm("models")
    assert result.exit_code == 0
    for oid in OPTION_IDS:
        assert oid in result.stdout


def test_models_show_has_every_section(ncm):
    result = ncm("models", "show", "pacs")
    assert result.exit_code == 0, result.stderr
    for heading in (
        "Overview",
        "Key features",
        "Business case: finances",
        "Business case: leadership",
        "Business case: strategy",
        "Benefits",
        "Governance",
        "Regulation",
        "Barriers",
        "Usual legal forms",
        "Alignment to objectives",
    ):
        assert heading in result.stdout, heading


def test_models_show_unknown_id_suggests(ncm):
    result = ncm("models", "show", "pac")
    assert result.exit_code == 2
    assert "did you mean 'pacs'" in result.stderr


def test_cases_filtered_by_option(ncm):
    result = ncm("cases", "--option", "multi_site_trust")
    assert result.exit_code == 0
    assert "royal_free_london" in result.stdout
    assert "Royal Free" in result.stdout  # titles readable in an 80-column terminal
    assert "dudley_mcp" not in result.stdout


def test_cases_show(ncm):
    result = ncm("cases", "show", "royal_free_london")
    assert result.exit_code == 0
    assert "Background" in result.stdout and "Royal Free" in result.stdout


def test_questions_all_and_one_area(ncm):
    every = ncm("questions")
    assert every.exit_code == 0
    assert every.stdout.count("Additional reading") >= 10
    one = ncm("questions", "governance")
    assert one.exit_code == 0
    assert "Governance" in one.stdout and "Culture" not in one.stdout
    assert ncm("questions", "nope").exit_code == 2


def test_schema_profile_is_json_schema(ncm):
    result = ncm("schema", "profile")
    schema = json.loads(result.stdout)
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["name", "objectives"]
    assert ncm("schema", "option").exit_code == 0
    assert ncm("schema", "nope").exit_code == 2
