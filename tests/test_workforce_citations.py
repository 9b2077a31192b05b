"""A workforce rule that names options cites, for each of them, that option's own section of
Module 1 (its main section or one of `also`): `ncm plan --option aco_ico` cited the MCP's
section for TUPE, because one rule for ACO/ICO, MCP and PACS cited Option 6 alone."""

from __future__ import annotations

from ncm_toolkit import load_pack


def test_each_named_option_has_its_own_section_cited() -> None:
    pack = load_pack()
    missing = []
    checked = 0
    for topic in pack.workforce.topics:
        for rule in topic.rules:
            if not rule.when or not rule.when.options or rule.source.document != "module1":
                continue
            sections = [rule.source.section, *rule.source.also]
            for option in rule.when.options:
                checked += 1
                prefix = f"Option {pack.options[option].number}:"
                if not any(s.startswith(prefix) for s in sections):
                    missing.append((topic.id, option, rule.source.section))
    assert checked >= 5
    assert not missing, missing


def test_the_plan_of_one_option_cites_its_own_section(ncm) -> None:
    """`ncm plan --option aco_ico`: the TUPE implication cites Option 5's workforce section,
    not Option 6's (the first section the shared rule cited)."""
    import json

    from .conftest import EXAMPLES

    profile = EXAMPLES / "south_borough_integration.yaml"
    for option, number in (("aco_ico", 5), ("pacs", 7), ("urgent_emergency_care_network", 4)):
        result = ncm("plan", str(profile), "--option", option, "--format", "json")
        assert result.exit_code == 0, result.stderr
        plan = json.loads(result.stdout)["results"][0]
        sections = {i["topic"]: i["source"]["section"] for i in plan["implications"]}
        assert sections, plan
        own = [t for t, sec in sections.items() if sec.startswith(f"Option {number}:")]
        assert "tupe" in own or option == "urgent_emergency_care_network", sections
        assert own, sections
