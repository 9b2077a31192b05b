"""Profiles written by hand from a description of a real partnership: the mistakes an analyst
makes, and what `ncm validate` and `ncm score` then say. Each message names the file, line and
field, says what is allowed, and suggests the likely intended value; the value is still
refused (a suggestion is never an alias)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write

V1 = """\
schema_version: 1
name: South Borough integrated care partnership
partners:
  - name: South Borough Council
    kind: {kind}
objectives:
  {objective}: {importance}
sustainability:
  configuration_must_change: {answer}
governance:
  formality: {formality}
"""
GOOD = {
    "kind": "local_authority",
    "objective": "integrating_health_and_social_care",
    "importance": "4",
    "answer": "true",
    "formality": "contractual",
}

V2 = """\
schema_version: 2
name: North practices
objectives:
  integrating_primary_care: 5
structure:
  {key}: {value}
"""


def _both(ncm, path: Path) -> str:
    """What `ncm validate` says; `ncm score` must refuse the file with the same message."""
    checked = ncm("validate", str(path))
    scored = ncm("score", str(path))
    assert checked.exit_code == 1 and scored.exit_code == 1, (checked.output, scored.output)
    line = checked.stderr.splitlines()[0]
    assert line in scored.stderr
    return line


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"kind": "council"},
            ":5:11: partners[0].kind: unknown value 'council' "
            "(hint: did you mean 'local_authority'?)",
        ),
        ({"kind": "CCG"}, "did you mean 'commissioner'?"),
        ({"kind": "ICB"}, "did you mean 'commissioner'?"),
        ({"kind": "hospital"}, "did you mean 'acute_trust'?"),
        ({"kind": "GP"}, "did you mean 'gp_practice' or 'gp_federation'?"),
        (
            {"formality": "corporate joint venture"},
            ":11:14: governance.formality: unknown value "
            "'corporate joint venture' (hint: did you mean 'corporate'?)",
        ),
        ({"formality": "joint venture"}, "did you mean 'contractual' or 'corporate'?"),
        (
            {"objective": "Redesigning urgent and emergency services"},
            ":7:3: objectives.Redesigning urgent and emergency services: unknown key (hint: did "
            "you mean 'redesigning_urgent_and_emergency_care'?)",
        ),
        (
            {"objective": "Integrating primary care"},
            "objectives.Integrating primary care: unknown key (hint: did you mean "
            "'integrating_primary_care'?)",
        ),
        (
            {"importance": "6"},
            ":7:39: objectives.integrating_health_and_social_care: must be a "
            "whole number from 0 to 5, got the number 6",
        ),
        ({"importance": "-1"}, "must be a whole number from 0 to 5, got the number -1"),
        ({"importance": "4.5"}, "must be a whole number from 0 to 5, got the number 4.5"),
        (
            {"answer": "yes"},
            ":9:30: sustainability.configuration_must_change: expected true or "
            "false, got text 'yes' (hint: did you mean true? YAML reads yes as text: write true or "
            "false, unquoted)",
        ),
        ({"answer": "Y"}, "(hint: did you mean true?"),
        ({"answer": "no"}, "(hint: did you mean false?"),
        ({"answer": "'true'"}, "got text 'true' (hint: write true without quotes)"),
    ],
)
def test_v1_mistakes(ncm, tmp_path: Path, change: dict[str, str], expected: str) -> None:
    path = write(tmp_path / "south.yaml", V1.format(**{**GOOD, **change}))
    assert expected in _both(ncm, path)


def test_the_good_file_is_valid(ncm, tmp_path: Path) -> None:
    path = write(tmp_path / "south.yaml", V1.format(**GOOD))
    assert ncm("validate", str(path)).exit_code == 0


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        (
            "lead",
            "GP",
            ":6:9: structure.lead: unknown value 'GP' (hint: did you mean 'general_practice'?)",
        ),
        ("integration_form", "merger", "did you mean 'takeover'?"),
        ("practices", "federation", "did you mean 'keep_contracts'?"),
        ("population", "registered list", "did you mean 'registered_list'?"),
    ],
)
def test_v2_structure_mistakes(ncm, tmp_path: Path, key: str, value: str, expected: str) -> None:
    path = write(tmp_path / "north.yaml", V2.format(key=key, value=value))
    assert expected in _both(ncm, path)


def test_structure_in_a_version_1_file_is_placed_at_structure(ncm, tmp_path: Path) -> None:
    text = V2.format(key="lead", value="general_practice").replace("version: 2", "version: 1")
    path = write(tmp_path / "north.yaml", text)
    assert ":6:3: structure: needs schema_version: 2 (run `ncm migrate FILE`)" in (_both(ncm, path))


def test_a_partner_written_as_a_plain_name(ncm, tmp_path: Path) -> None:
    text = V1.format(**GOOD).replace(
        "  - name: South Borough Council\n    kind: local_authority\n",
        "  - South Borough Council\n",
    )
    path = write(tmp_path / "south.yaml", text)
    assert (
        ":4:5: partners[0]: must be a mapping (`key: value` lines), got text 'South Borough "
        "Council' (hint: write `- name: South Borough Council` with `kind:` below it)"
    ) in _both(ncm, path)


def test_a_profile_with_only_a_name_lists_the_objectives(ncm, tmp_path: Path) -> None:
    path = write(tmp_path / "only.yaml", "name: Only a name\n")
    line = _both(ncm, path)
    assert (
        "objectives: required field is missing (hint: a mapping (`key: value` lines), each "
        "value a whole number from 0 to 5; its keys:" in line
    )
    assert "integrating_primary_care" in line and "strategic_estates_and_primary_care" in line


def test_a_suggestion_is_not_an_alias(ncm, tmp_path: Path) -> None:
    """Every word of data/words.yaml is still refused; each suggestion is an allowed value."""
    from ncm_toolkit.read.wording import words

    for field, table in words().items():
        for word, meant in table.items():
            assert word not in meant, (field, word)
    path = write(tmp_path / "south.yaml", V1.format(**{**GOOD, "kind": "council"}))
    assert ncm("validate", str(path)).exit_code == 1


def test_validate_of_the_pack_checks_the_words_file(ncm, pack_copy: Path) -> None:
    """data/words.yaml is checked with the pack (a broken one would silently suggest
    nothing), not reported as a stray file."""
    assert ncm("validate", str(pack_copy)).exit_code == 0
    write(pack_copy / "words.yaml", "kinds:\n  council: local_authority\n")
    out = ncm("validate", str(pack_copy))
    assert out.exit_code == 1
    assert "words.yaml:1:1: kinds: unknown key (hint: did you mean 'kind'?)" in out.stderr
