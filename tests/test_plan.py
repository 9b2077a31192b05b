"""`ncm plan` through the real CLI on real files: the form and the workforce implications the
source's own notes give, the JSON shape, ties, id validation, and profile schema versions 1
and 2 (the `decision:` section)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ncm_toolkit.plan_schemas import TopicId
from ncm_toolkit.vocabulary import FORMALITIES, OBJECTIVE_IDS, OPTION_IDS

from .conftest import EXAMPLES, MINIMAL, write

TOPICS = list(TopicId.__args__)  # type: ignore[attr-defined]


def profile(
    path: Path,
    partners: list[str],
    formality: str | None = None,
    objectives: dict[str, int] | None = None,
    extra: str = "",
    version: int = 1,
) -> Path:
    lines = [f"schema_version: {version}\nname: Test partnership\npartners:\n"]
    lines += [f"  - {{name: Partner {i}, kind: {k}}}\n" for i, k in enumerate(partners)]
    if not partners:
        lines = [f"schema_version: {version}\nname: Test partnership\n"]
    lines.append("objectives:\n")
    for k, v in (objectives or {"integrating_primary_care": 4}).items():
        lines.append(f"  {k}: {v}\n")
    if formality:
        lines.append(f"governance:\n  formality: {formality}\n")
    return write(path, "".join(lines) + extra)


def plan_json(ncm, *args: str | Path) -> dict:
    result = ncm("plan", *map(str, args), "--format", "json")
    assert result.exit_code == 0, result.stderr + result.stdout
    return json.loads(result.stdout)


def level(result: dict, topic: str) -> str:
    return next(i["level"] for i in result["implications"] if i["topic"] == topic)


def test_merger_of_nhs_trusts_tupe_likely_pensions_unlikely(ncm, tmp_path: Path) -> None:
    p = profile(tmp_path / "m.yaml", ["acute_trust", "acute_trust", "acute_trust"], "merger")
    r = plan_json(ncm, p, "--option", "multi_site_trust")["results"][0]
    assert r["form"] == "merger_acquisition"
    assert level(r, "tupe") == "likely"
    assert level(r, "pensions") == "unlikely"
    assert level(r, "pay_harmonisation") == "unlikely"
    assert level(r, "consultation") == "likely"


def test_council_and_nhs_in_a_new_vehicle_pensions_and_pay(ncm, tmp_path: Path) -> None:
    kinds = ["local_authority", "acute_trust", "community_trust", "gp_practice"]
    p = profile(tmp_path / "c.yaml", kinds, "corporate")
    r = plan_json(ncm, p, "--option", "aco_ico")["results"][0]
    assert r["form"] == "corporate_joint_venture"  # the most formal form they accept
    assert level(r, "pensions") in ("likely", "possible")
    assert level(r, "pay_harmonisation") in ("likely", "possible")
    requires = next(f for f in r["forms"] if f["form"] == r["form"])["requires"]
    assert any("section 75" in q["text"] for q in requires)  # pooled funds with a council
    # the same with --form on a partnership that accepts a merger
    p2 = profile(tmp_path / "c2.yaml", kinds, "merger")
    r2 = plan_json(ncm, p2, "--option", "mcp", "--form", "corporate_joint_venture")["results"][0]
    assert r2["form"] == "corporate_joint_venture"
    assert r2["form_reason"].startswith("chosen with --form")
    assert level(r2, "pensions") in ("likely", "possible")
    assert level(r2, "pay_harmonisation") in ("likely", "possible")


def test_independent_organisations_in_an_informal_network_tupe_unlikely(
    ncm, tmp_path: Path
) -> None:
    kinds = ["acute_trust", "gp_federation", "ambulance_trust", "voluntary_sector"]
    p = profile(tmp_path / "n.yaml", kinds, "informal")
    r = plan_json(ncm, p, "--option", "urgent_emergency_care_network")["results"][0]
    assert r["form"] == "informal_partnership"
    assert level(r, "tupe") == "unlikely"
    assert level(r, "pay_harmonisation") == "unlikely"


def test_all_nhs_ends_pensions_but_not_general_practice(ncm, tmp_path: Path) -> None:
    """GP practices are not counted as NHS bodies (the cautious reading, stated in the data)."""
    p = profile(tmp_path / "g.yaml", ["acute_trust", "gp_practice"], "merger")
    r = plan_json(ncm, p, "--option", "pacs")["results"][0]
    assert level(r, "pensions") != "unlikely"


def test_section_75_needs_a_council(ncm, tmp_path: Path) -> None:
    nhs_only = profile(tmp_path / "a.yaml", ["acute_trust", "community_trust"], "contractual")
    r = plan_json(ncm, nhs_only, "--option", "enhanced_health_in_care_homes")["results"][0]
    s75 = next(f for f in r["forms"] if f["form"] == "section_75_partnership")
    assert not s75["fits"] and s75["why_not"]
    assert r["form"] == "lead_provider"
    with_council = profile(tmp_path / "b.yaml", ["acute_trust", "local_authority"], "contractual")
    r = plan_json(ncm, with_council, "--option", "enhanced_health_in_care_homes")["results"][0]
    assert next(f for f in r["forms"] if f["form"] == "section_75_partnership")["fits"]


@pytest.mark.parametrize("formality", [*FORMALITIES, None])
def test_every_option_and_formality_gives_a_sourced_plan(
    ncm, tmp_path: Path, formality: str | None
) -> None:
    kinds = ["acute_trust", "gp_practice", "local_authority"]
    p = profile(tmp_path / "p.yaml", kinds, formality)
    docs = {"module1", "module2", "case_studies", "hlp_integration", "hempsons"}
    for option in OPTION_IDS:
        r = plan_json(ncm, p, "--option", option)["results"][0]
        assert r["option"] == option
        assert r["form"] and r["form_title"] and r["form_reason"]
        assert r["form"] in {f["form"] for f in r["forms"]}
        assert [i["topic"] for i in r["implications"]] == TOPICS
        for imp in r["implications"]:
            assert imp["level"] in ("likely", "possible", "unlikely")
            assert imp["source"]["document"] in docs and imp["source"]["section"]
            assert imp["reason"] and imp["actions"]
        for f in r["forms"]:
            assert f["source"]["document"] in docs
            assert f["pros"] and f["cons"] and f["requires"]
        if formality is not None:
            chosen = next(f for f in r["forms"] if f["form"] == r["form"])
            fitting = [f for f in r["forms"] if f["fits"]]
            assert chosen["fits"] == bool(fitting)
            if fitting:
                allowed = FORMALITIES.index(formality)
                assert FORMALITIES.index(chosen["formality"]) <= allowed


def test_sections_cited_exist_in_the_source_text() -> None:
    """Each section cited by the plan files names a heading (or its last part) of the text."""
    from ncm_toolkit.content import load_pack

    root = Path(__file__).resolve().parents[1]
    seeds = Path("/work/shared/seeds")
    if not seeds.is_dir():
        pytest.skip("source texts not available")
    files = {d.id: d.file for d in load_pack().manifest.documents}
    texts = {k: " ".join((seeds / v).read_text(encoding="utf-8").split()) for k, v in files.items()}
    for name in ("forms.yaml", "workforce.yaml"):
        text = (root / "data" / "plan" / name).read_text(encoding="utf-8")
        for doc, section in re.findall(r'document: (\w+), section: "([^"]+)"', text):
            # "Option 1: Multi-Site Trust – Workforce Considerations": the part after the dash
            # is a heading of the text, as is the part before any colon
            last = section.split(" – ")[-1].split(": ")[-1]
            assert last.split(" (")[0].lower() in texts[doc].lower(), (name, doc, section)


def test_json_shape(ncm, tmp_path: Path) -> None:
    p = profile(tmp_path / "j.yaml", ["gp_practice", "gp_practice"], "corporate")
    data = plan_json(ncm, p)
    assert set(data) == {"ncm_version", "content_version", "method_version", "results", "errors"}
    assert data["method_version"] == "1" and data["errors"] == []
    (r,) = data["results"]
    for key in ("profile", "option", "option_title", "form", "form_title", "form_reason"):
        assert isinstance(r[key], str)
    assert r["profile"] == str(p)
    for f in r["forms"]:
        assert {"form", "title", "fits", "pros", "cons", "requires", "source"} <= set(f)
        assert set(f["source"]) == {"document", "section"}
    for i in r["implications"]:
        assert {"topic", "level", "reason", "actions", "questions", "source"} <= set(i)
        for q in i["questions"]:
            assert set(q) == {"id", "area", "text"}


def test_tie_exits_2_listing_the_tied_options(ncm, tmp_path: Path) -> None:
    from ncm_toolkit.content import load_pack
    from ncm_toolkit.plan import top_options
    from ncm_toolkit.profile import Profile

    pack = load_pack()
    for obj in OBJECTIVE_IDS:
        tied = top_options(pack, Profile.model_validate({"name": "x", "objectives": {obj: 5}}))
        if len(tied) > 1:
            break
    else:
        pytest.skip("no single-objective profile ties under the current ranking")
    p = profile(tmp_path / "t.yaml", [], objectives={obj: 5})
    result = ncm("plan", str(p))
    assert result.exit_code == 2
    for option in tied:
        assert option in result.stderr
    assert "--option" in result.stderr
    ok = ncm("plan", str(p), "--option", tied[-1], "--format", "json")
    assert ok.exit_code == 0 and json.loads(ok.stdout)["results"][0]["option"] == tied[-1]


def test_unknown_option_and_form_exit_2_listing_ids(ncm, tmp_path: Path) -> None:
    p = write(tmp_path / "m.yaml", MINIMAL)
    bad = ncm("plan", str(p), "--option", "aco")
    assert bad.exit_code == 2 and "aco_ico" in bad.stderr and "super_practice" in bad.stderr
    bad = ncm("plan", str(p), "--form", "jv")
    assert bad.exit_code == 2
    for form in ("lead_provider", "section_75_partnership", "merger_acquisition"):
        assert form in bad.stderr


def test_help_lists_the_pack_form_ids(ncm) -> None:
    from ncm_toolkit.cli.plan import FORM_IDS_HELP
    from ncm_toolkit.content import load_pack
    from ncm_toolkit.plan import form_ids

    assert FORM_IDS_HELP.split(", ") == form_ids(load_pack())
    assert "section_75_partnership" in " ".join(ncm("plan", "--help").stdout.split())


def test_v1_profiles_unchanged(ncm) -> None:
    for path in sorted(EXAMPLES.glob("*.yaml")):
        assert ncm("validate", str(path)).exit_code == 0
    data = plan_json(ncm, EXAMPLES)
    assert data["results"] and not data["errors"]
    assert all(
        r["option_chosen_by"] == "ranking" and r["decision"] is None for r in data["results"]
    )


DECISION = """\
decision:
  option: pacs
  form: lead_contractor
  agreed_by: joint programme board
  agreed_on: 2024-05-01
"""


def test_v2_decision_is_used(ncm, tmp_path: Path) -> None:
    kinds = ["acute_trust", "gp_federation"]
    p = profile(tmp_path / "d.yaml", kinds, "merger", extra=DECISION, version=2)
    assert ncm("validate", str(p)).exit_code == 0
    r = plan_json(ncm, p)["results"][0]
    assert (r["option"], r["option_chosen_by"], r["form"]) == (
        "pacs",
        "decision",
        "lead_contractor",
    )
    assert "joint programme board" in r["form_reason"] and "2024-05-01" in r["form_reason"]
    assert r["decision"]["agreed_on"] == "2024-05-01"
    # --option overrides the decision; the decision's form then no longer applies
    r = plan_json(ncm, p, "--option", "mcp")["results"][0]
    assert r["option"] == "mcp" and r["option_chosen_by"] == "--option"
    assert r["form"] == "corporate_joint_venture"


def test_decision_in_a_v1_file_is_a_located_error(ncm, tmp_path: Path) -> None:
    p = profile(tmp_path / "v1.yaml", ["acute_trust"], extra=DECISION, version=1)
    line = p.read_text(encoding="utf-8").splitlines().index("decision:") + 1
    for args in (("validate", str(p)), ("plan", str(p))):
        result = ncm(*args)
        assert result.exit_code == 1
        assert f"{p}:{line}" in result.stderr or f"{p}:{line + 1}" in result.stderr
        assert "schema_version: 2" in result.stderr


def test_unknown_decision_form_is_a_located_error(ncm, tmp_path: Path) -> None:
    extra = DECISION.replace("lead_contractor", "joint_thing")
    p = profile(tmp_path / "f.yaml", ["acute_trust"], extra=extra, version=2)
    result = ncm("plan", str(p), "--format", "json")
    assert result.exit_code == 1
    (err,) = json.loads(result.stdout)["errors"]
    line = p.read_text(encoding="utf-8").splitlines().index("  form: joint_thing") + 1
    assert err["field"] == "decision.form" and err["line"] == line


def test_schema_profile_has_decision(ncm) -> None:
    schema = json.loads(ncm("schema", "profile").stdout)
    assert "decision" in schema["properties"]
    assert schema["properties"]["schema_version"]["enum"] == [1, 2]


def test_file_text_is_escaped(ncm, tmp_path: Path) -> None:
    p = profile(tmp_path / "x.yaml", ["acute_trust"], "merger")
    p.write_text(p.read_text().replace("Test partnership", "'[red]x[/red] *y* <b>'"))
    table = ncm("plan", str(p), "--option", "multi_site_trust")
    assert table.exit_code == 0 and "[red]x[/red]" in table.stdout
    md = ncm("plan", str(p), "--option", "multi_site_trust", "--format", "md")
    assert r"\*y\*" in md.stdout and "<b>" not in md.stdout


def test_questions_background(ncm) -> None:
    result = ncm("questions", "background")
    assert result.exit_code == 0
    assert "TUPE" in result.stdout and "Pay harmonisation" in result.stdout
    assert "Workforce" in ncm("questions", "workforce").stdout  # the Module 2 area still works


def test_plan_files_are_cross_checked(ncm, pack_copy: Path) -> None:
    """An unknown question id, or a form legal_models.yaml does not define: located errors."""
    wf = pack_copy / "plan" / "workforce.yaml"
    wf.write_text(wf.read_text(encoding="utf-8").replace("- wf_02 ", "- wf_99 ", 1))
    forms = pack_copy / "plan" / "forms.yaml"
    forms.write_text(
        forms.read_text(encoding="utf-8").replace(
            "forms: [merger_acquisition]", "forms: [mergr]", 1
        )
    )
    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1
    assert "workforce.yaml:" in result.stderr and "'wf_99' is not a question id" in result.stderr
    assert "forms.yaml:" in result.stderr and "'mergr'" in result.stderr


def test_plan_shows_the_currency_notes_of_what_it_quotes(ncm):
    """The guidance dates from 2015-2017: a plan quoting it carries the dated notes on its
    statements and option (section 75 is still in force; NHS Improvement is not)."""
    import json as _json

    profile = str(EXAMPLES / "south_borough_integration.yaml")
    data = _json.loads(ncm("plan", profile, "--format", "json").stdout)["results"][0]
    ids = {n["id"] for n in data["currency"]}
    assert "section_75_in_force" in ids
    assert all(n["source"]["url"].startswith("https://") and n["as_of"] for n in data["currency"])
    assert data["currency_reviewed"] == "2026-12-01" and data["guidance_written"] == "2015-2017"
    text = " ".join(ncm("plan", profile, "--format", "md").stdout.split())
    assert "Since the guidance was written" in text and "Better Care Fund" in text
    assert "Guidance written 2015-2017; currency notes reviewed 2026-12-01." in text
    table = " ".join(ncm("plan", profile).stdout.split())
    assert "Guidance written 2015-2017; currency notes reviewed 2026-12-01." in table


def test_reasons_a_form_does_not_fit_join_without_a_stray_full_stop(ncm, tmp_path) -> None:
    """Each reason from the pack is a sentence; joined with '; ' they read "...partners.; A
    section 75..." in every format. Found by walking the README."""
    path = tmp_path / "g.yaml"
    path.write_text(
        "schema_version: 1\nname: x\nobjectives: {integrating_health_and_social_care: 5}\n"
        "partners:\n  - {name: A, kind: gp_practice}\n"
    )
    for fmt in ("table", "md", "json"):
        args = ["plan", str(path), "--option", "aco_ico", "--form", "section_75_partnership"]
        r = ncm(*args, "--format", fmt)
        assert r.exit_code == 0, r.stderr
        assert "section 75" in r.stdout and ".;" not in r.stdout, r.stdout


def test_workforce_implications_read_at_80_columns(ncm, monkeypatch) -> None:
    """A five-column table folded topic ids mid-word (`terms_and_cond` / `itions`) and the
    sentences a word a line at 80 columns; now each implication is a titled item with its
    reason, first step and source on lines of their own."""
    monkeypatch.setenv("COLUMNS", "80")
    out = ncm("plan", str(EXAMPLES / "north_practices.yaml")).stdout
    lines = [line.rstrip() for line in out.splitlines()]
    assert "  • Terms and conditions of employment: likely  (terms_and_conditions)" in lines
    assert all(len(line) <= 80 for line in lines)
    flat = " ".join(out.split())
    assert "First step: Compare the staff mix of each partner" in flat
    assert "Source: module2: The legal challenges – Changing terms and conditions" in flat
