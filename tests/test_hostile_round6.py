"""Hostile input, round 6: the surfaces the earlier rounds (test_hostile*.py,
test_untrusted_*.py) touched least: unattended `ncm assess --answers` with odd but valid YAML,
readiness records and `readiness init` options, `ncm migrate` on odd layouts. Each test runs
the real CLI on real files and fails without its fix."""

from __future__ import annotations

from pathlib import Path

from .conftest import MINIMAL, write

V2 = MINIMAL.replace("schema_version: 1", "schema_version: 2")


def test_assess_answers_refuses_a_decision_form_the_pack_lacks(ncm, tmp_path: Path) -> None:
    """`ncm assess --answers a.yaml -o out.yaml` (unattended) took `decision.form:
    nonesuch_form`, printed "Decision: ..., form nonesuch_form", saved it as the partnership's
    decision and exited 0, although `ncm validate`, `plan` and `report` refuse that form.
    Now: located, exit 1, nothing written."""
    answers = write(tmp_path / "a.yaml", V2 + "decision:\n  option: mcp\n  form: nonesuch_form\n")
    out = tmp_path / "out.yaml"
    r = ncm("assess", "--answers", str(answers), "-o", str(out))
    assert r.exit_code == 1, r.stdout
    assert f"{answers}:7:9: decision.form: unknown form 'nonesuch_form'" in r.stderr
    assert "Traceback" not in r.stderr and not out.exists()
    # a form of the pack still goes through
    write(answers, V2 + "decision:\n  option: mcp\n  form: alliance\n")
    r = ncm("assess", "--answers", str(answers), "-o", str(out))
    assert r.exit_code == 0, r.stderr
    assert "form: alliance" in out.read_text()


def test_migrate_keeps_an_indented_mapping_one_mapping(ncm, tmp_path: Path) -> None:
    """A valid profile whose keys are all indented (`  name: N`): `ncm migrate` put
    `schema_version: 2` at column 1 above them, could not read its own result, and refused a
    valid file with "could not set schema_version: 2" (exit 1). The key now takes the
    mapping's indentation; every other line is kept."""
    text = "# North\n  name: N   # the name\n  objectives:\n    integrating_primary_care: 4\n"
    profile = write(tmp_path / "p.yaml", text)
    assert ncm("validate", str(profile)).exit_code == 0
    r = ncm("migrate", str(profile))
    assert r.exit_code == 0, r.stderr
    assert profile.read_text() == text.replace("  name:", "  schema_version: 2\n  name:")
    assert ncm("validate", str(profile)).exit_code == 0


def test_a_quoted_impossible_date_is_called_no_such_date(ncm, tmp_path: Path) -> None:
    """`as_of: '2026-02-30'` (quoted; or a readiness `due:`) was "not a date: write it as
    YYYY-MM-DD", although it is written so: the reader looked for a format fault that is not
    there. Now it says the day does not exist."""
    profile = write(tmp_path / "p.yaml", V2 + "as_of: '2026-02-30'\n")
    r = ncm("validate", str(profile))
    assert r.exit_code == 1
    assert "as_of: no such date: 2026-02-30 (day is out of range for month)" in r.stdout + r.stderr
    assert "write it as YYYY-MM-DD" not in r.stdout + r.stderr
    rec = tmp_path / "r.yaml"
    r = ncm("readiness", "init", "-o", str(rec), "--partnership", "N", "--role", "R",
            "--organisation", "O")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    text = rec.read_text().replace(
        "  form_01:\n    status: not_considered",
        "  form_01:\n    status: open\n    due: '2026-13-01'",
        1,
    )
    write(rec, text)
    r = ncm("readiness", "show", str(rec))
    assert r.exit_code == 1
    assert "answers.form_01.due: no such date: 2026-13-01 (month must be in 1..12)" in r.stderr


def test_readiness_init_names_the_value_too_long_for_a_record(ncm, tmp_path: Path) -> None:
    """A valid profile named in 400 characters (a profile takes 10,000, a record 300):
    `ncm readiness init` said "not a valid record: String should have at most 300
    characters", pydantic's words, naming neither the value nor the way round it; a long
    --role likewise. Now the value and its limit are named, and the profile's case says to
    give --partnership. Nothing is written."""
    profile = write(tmp_path / "p.yaml", V2.replace("Minimal partnership", "N" * 400))
    assert ncm("validate", str(profile)).exit_code == 0
    rec = tmp_path / "r.yaml"
    base = ("readiness", "init", str(profile), "-o", str(rec))
    r = ncm(*base, "--role", "R", "--organisation", "O")
    assert r.exit_code == 2
    assert f"the name in {profile} is longer than a record takes (300 characters at most)" in (
        r.stderr
    )
    assert "--partnership NAME" in r.stderr and "String should" not in r.stderr
    r = ncm(*base, "--role", "R" * 301, "--organisation", "O", "--partnership", "N")
    assert r.exit_code == 2
    assert "--role is longer than a record takes (300 characters at most)" in r.stderr
    assert not rec.exists()
    r = ncm(*base, "--role", "R", "--organisation", "O", "--partnership", "N")
    assert r.exit_code == 0, r.stderr


def test_compare_xlsx_refusal_lists_every_format_records_take(ncm, tmp_path: Path) -> None:
    """Two readiness records with --format xlsx: the refusal said records take "table, json,
    md", leaving out html, which they take."""
    recs = []
    for who in ("A", "B"):
        rec = tmp_path / f"{who}.yaml"
        r = ncm("readiness", "init", "-o", str(rec), "--partnership", "N", "--role", who,
                "--organisation", "O")  # fmt: skip
        assert r.exit_code == 0, r.stderr
        recs.append(str(rec))
    r = ncm("compare", *recs, "--format", "xlsx", "-o", str(tmp_path / "c.xlsx"))
    assert r.exit_code == 2
    assert "table, json, md or html" in r.stderr
    assert ncm("compare", *recs, "--format", "html").exit_code == 0


def test_compare_warning_shortens_long_partnership_names(ncm, tmp_path: Path) -> None:
    """Two profiles of different partnerships, each named in 10,000 characters (valid): the
    warning that they name two partnerships quoted both names whole, 20,000 characters of
    stderr in a CI log for one line of warning. Each name is now shortened, as in every
    other message quoting a value from a file."""
    a = write(tmp_path / "a.yaml", V2.replace("Minimal partnership", "a" * 10_000))
    b = write(tmp_path / "b.yaml", V2.replace("Minimal partnership", "b" * 10_000))
    r = ncm("compare", str(a), str(b), "--format", "json")
    assert r.exit_code == 0, r.stderr[:300]
    assert "the profiles name 2 partnerships" in r.stderr
    assert len(r.stderr) < 1_000 and "a" * 77 + "..." in r.stderr
