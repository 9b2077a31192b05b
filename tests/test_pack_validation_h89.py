"""Holes in content-pack validation (H89): each a pack that validated and then misbehaved."""

from __future__ import annotations

import re
from pathlib import Path

from ncm_toolkit.profile import Profile, Structure


def _edit(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def _errors(stderr: str, rel: str) -> list[str]:
    return [line for line in stderr.splitlines() if rel in line]


def test_a_quick_guide_question_must_give_what_its_field_takes(ncm, pack_copy: Path) -> None:
    """A yes/no question for a choice field, a text question for a list, a choice the field
    does not take, a yes/no select offering `maybe`, a `when` that can never hold and a
    question without `field` (it fills the field named by its id) all validated: the
    interview then saved a profile no command reads, or never asked the question. Each is now
    an error at its line naming the field, and every command refuses the pack."""
    _edit(
        pack_copy / "questions" / "quick_guide.yaml",
        ("      - id: lead\n        type: select", "      - id: lead\n        type: confirm"),
        ("      - id: risks\n        type: list", "      - id: risks\n        type: text"),
        ("          - {value: merge, title:", "          - {value: merged, title:"),
        (
            "      - id: configuration_must_change\n        type: confirm",
            "      - id: configuration_must_change\n        type: select\n"
            "        choices: [{value: maybe, title: Maybe}, {value: 'true', title: 'Yes'}]",
        ),
        (
            "{field: sustainability.can_do_alone, equals: true}",
            "{field: sustainability.can_do_alone, equals: 'yes'}",
        ),
        (
            "      - id: respondent_role\n        type: text\n        field: respondent.role\n",
            "      - id: respondent_role\n        type: text\n",
        ),
        (
            "      - id: respondent_organisation\n        type: text\n"
            "        field: respondent.organisation\n",
            "      - id: respondent_organisation\n        type: list\n"
            "        field: structure.footprint_population\n",
        ),
    )
    r = ncm("validate", "--content", str(pack_copy))
    assert r.exit_code == 1, r.stderr
    errors = _errors(r.stderr, "quick_guide.yaml")
    expected = [
        (r"steps\[2\]\.questions\[0\]\.choices\[0\]\.value", "choice 'maybe' is not a value"),
        (r"steps\[2\]\.questions\[2\]\.when\[1\]\.equals", "never equals 'yes'"),
        (r"steps\[3\]\.questions\[0\]\.type", "a text question cannot fill 'risks'"),
        (r"steps\[6\]\.questions\[2\]\.type", "a confirm question cannot fill 'structure.lead'"),
        (r"steps\[6\]\.questions\[6\]\.choices\[2\]\.value", "did you mean 'merge'"),
        (r"steps\[6\]\.questions\[8\]\.id", "'respondent_role' is not a field of a profile"),
        (r"steps\[6\]\.questions\[9\]\.type", "no question type fills it"),
    ]
    assert len(errors) == len(expected), r.stderr
    for line, (field, words) in zip(errors, expected, strict=True):
        assert re.match(rf".*quick_guide\.yaml:\d+:\d+: {field}: .*{re.escape(words)}", line), line
    assert "Traceback" not in r.stderr
    # the line is the question's own: `type: confirm` of `lead`
    lead = next(e for e in errors if "structure.lead" in e)
    n = int(lead.split("quick_guide.yaml:")[1].split(":")[0])
    text = (pack_copy / "questions" / "quick_guide.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[n - 1].strip() == "type: confirm"
    # every command given the pack refuses it
    assert ncm("questions", "--content", str(pack_copy)).exit_code == 1


def test_the_field_types_come_from_the_profile_model() -> None:
    """The check reads each field's type from `Profile`, so a new choice is accepted as the
    model declares it, never from a table that can drift."""
    from ncm_toolkit.field_checks import field_shape

    lead = field_shape(Structure.model_fields["lead"].annotation)
    assert lead.kind == "choice" and "general_practice" in lead.values
    assert field_shape(Profile.model_fields["risks"].annotation).kind == "list"
    assert field_shape(Profile.model_fields["partners"].annotation).kind == "partners"
    assert field_shape(Profile.model_fields["objectives"].annotation).kind == "ratings"
    assert field_shape(Structure.model_fields["acute_inside"].annotation).kind == "yes/no"
    assert field_shape(Structure.model_fields["footprint_population"].annotation).kind == "number"


ALL_OPTIONS = (
    "[multi_site_trust, hospital_chain, specialty_franchise, urgent_emergency_care_network, "
    "aco_ico, mcp, pacs, enhanced_health_in_care_homes, gp_federation, super_practice]"
)
CLOSED_BY_A_COUNCIL = f"""gates:
  - id: council_closes_all
    title: A council among the partners
    options: {ALL_OPTIONS}
    when:
      partners: {{any: [local_authority]}}
    reason: A test pack whose gates close every option for a council partnership.
    source: {{document: toolkit, section: "Objective importance rating"}}
"""
COUNCIL = """schema_version: 1
name: Council partnership
partners:
  - {name: North Council, kind: local_authority}
objectives:
  integrating_health_and_social_care: 5
"""


def test_a_closed_option_never_reads_as_a_sure_first_choice(
    ncm, pack_copy: Path, tmp_path: Path
) -> None:
    """A pack whose gates close every option: the option first by score showed "First 100%"
    and the board paper called it "Robust ... comes first in 100%", though the source rules
    it out. A closed option's share is 0 in JSON (a number still), "–" under First in the
    terminal, Markdown and HTML, and the paper's How sure says no option is open."""
    _edit(pack_copy / "scoring.yaml", ("gates:\n", CLOSED_BY_A_COUNCIL))
    profile = tmp_path / "council.yaml"
    profile.write_text(COUNCIL, encoding="utf-8")
    assert ncm("validate", "--content", str(pack_copy)).exit_code == 0

    r = ncm("score", str(profile), "--content", str(pack_copy), "--format", "json")
    assert r.exit_code == 0, r.stderr
    import json

    ranking = json.loads(r.stdout)["results"][0]["ranking"]
    assert all(e["gated"] for e in ranking)
    assert [e["first_rank_acceptability"] for e in ranking] == [0.0] * 10

    r = ncm("score", str(profile), "--content", str(pack_copy))
    assert r.exit_code == 0 and "100%" not in r.stdout and "–" in r.stdout, r.stdout

    for fmt in ("md", "html"):
        out = tmp_path / f"council.{fmt}"
        r = ncm(
            "report", str(profile), "--content", str(pack_copy), "--format", fmt, "-o", str(out)
        )
        assert r.exit_code == 0, r.stderr
        paper = out.read_text(encoding="utf-8")
        assert "comes first in 100%" not in paper and "| 100% |" not in paper
        assert ">100%<" not in paper and "Robust" not in paper
        assert "None open" in paper and "No option comes first" in paper
        assert ("| closed | – |" if fmt == "md" else '<td class="num">–</td>') in paper


RECORD = """kind: readiness
schema_version: 1
partnership: North Partnership
stakeholder: {role: Director of Finance, organisation: North Council}
as_of: 2026-01-10
profile: ../profiles/%s
answers: {}
"""


def test_a_record_naming_a_bad_profile_is_an_error_at_its_profile_line(ncm, tmp_path: Path) -> None:
    """A record whose `profile:` names an invalid or missing profile: `show` reported the
    profile's own line (or `missing.yaml:1:1`, a file that is not there) and never the
    record's `profile:` line that named it, and `ncm validate` passed the record, so CI went
    green and `show` then failed. Both now name the record's line too (exit 1)."""
    bad = tmp_path / "profiles" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text(COUNCIL.replace(": 5\n", ": 9\n"), encoding="utf-8")
    ready = tmp_path / "ready"
    ready.mkdir()
    (ready / "a.yaml").write_text(RECORD % "bad.yaml", encoding="utf-8")
    (ready / "b.yaml").write_text(RECORD % "missing.yaml", encoding="utf-8")
    at_line = re.compile(
        r"(?m)^(.*ready/[ab]\.yaml):6:10: profile: names (an invalid profile|no file)"
    )

    for name, what in (("a.yaml", "an invalid profile"), ("b.yaml", "no file")):
        r = ncm("readiness", "show", str(ready / name))
        assert r.exit_code == 1
        found = at_line.search(r.stderr)
        assert found and found.group(2) == what, r.stderr
    assert (
        "integrating_health_and_social_care: must be a whole number"
        in ncm("readiness", "show", str(ready / "a.yaml")).stderr
    )

    r = ncm("validate", str(tmp_path / "profiles"), str(ready))
    assert r.exit_code == 1
    assert len(at_line.findall(r.stderr)) == 2, r.stderr
    # the profile's own error once, though it is validated and named by a record
    assert r.stderr.count("must be a whole number") == 1, r.stderr


def test_a_rule_or_gate_must_test_a_value_the_structure_answer_can_hold(
    ncm, pack_copy: Path
) -> None:
    """A gate on `practices: [not_aplicable]` (a typo) or `acute_inside: ["true"]` (text where
    the answer is a yes or a no) validated, and the gate then never closed anything: the
    values are now read against the profile's `Structure` model, an error at the value."""
    _edit(
        pack_copy / "scoring.yaml",
        (
            "structure: {practices: [not_applicable]}",
            "structure: {practices: [not_aplicable]}",
        ),
        ("structure_not: {acute_inside: [true]}", 'structure_not: {acute_inside: ["true"]}'),
    )
    r = ncm("validate", "--content", str(pack_copy))
    assert r.exit_code == 1
    errors = _errors(r.stderr, "scoring.yaml")
    assert len(errors) == 2, r.stderr
    assert re.search(
        r"scoring\.yaml:\d+:\d+: gates\[\d\]\.when\.structure\.practices\[0\]: .*"
        r"never 'not_aplicable'.*did you mean 'not_applicable'",
        errors[0],
    ), errors[0]
    assert re.search(r"when\.structure_not\.acute_inside\[0\]: .*never 'true'", errors[1])
