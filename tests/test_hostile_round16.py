"""Hostile round 16: the inputs besides profiles, which round 15 left: `--content` packs,
`--templates` folders, readiness records, `ncm assess --answers` files and batches of papers
that fail half-way. Each test runs the real CLI on real files and failed before its fix."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ncm_toolkit.content import bundled_content_dir
from tests.conftest import EXAMPLES, write

NORTH = "north_practices.yaml"


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """The three example profiles in one folder: a batch whose second paper is North's."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    for path in sorted(EXAMPLES.glob("*.yaml")):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_template_failing_on_one_profile_leaves_the_others_papers(
    ncm, tmp_path: Path, batch: Path, jobs: str
) -> None:
    """A user template that fails on one partnership's data only (here a division by zero for
    North; in life a missing field, a filter on a `None`) stopped the batch with one error
    naming neither the profile nor the papers: East's paper was written but not listed, South's
    never written, and the error said only `report.md.j2:1:1: template error`. Now that profile
    gets no paper, its error names it, and the others are written and listed (exit 1)."""
    tpl = write(
        tmp_path / "tpl" / "report.md.j2",
        '{% if profile.name == "North Locality practices" %}{{ 1 / 0 }}{% endif %}'
        "Paper of {{ profile.name }}\n",
    )
    out = tmp_path / "out"
    result = ncm(
        "report",
        str(batch),
        "-o",
        f"{out}/",
        "--format",
        "md",
        "--templates",
        str(tpl.parent),
        "--jobs",
        jobs,
    )
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "east_care_homes.md",
        "south_borough_integration.md",
    ]
    err = result.stderr
    assert "Traceback" not in err
    assert "ZeroDivisionError" in err and f"(the paper of {batch / NORTH})" in err
    for name in ("east_care_homes.md", "south_borough_integration.md"):
        assert f"wrote {out / name}" in err
    assert "Paper of East" in (out / "east_care_homes.md").read_text(encoding="utf-8")


def test_a_template_that_does_not_compile_stops_the_batch_once(
    ncm, tmp_path: Path, batch: Path
) -> None:
    """A syntax error fails every paper alike: one located error naming the paper it stopped
    at, a line saying the batch stopped, no paper, exit 1 (before: the same error, but naming
    no paper)."""
    tpl = write(tmp_path / "tpl" / "report.md.j2", "{% if %}\n")
    out = tmp_path / "out"
    result = ncm(
        "report", str(batch), "-o", f"{out}/", "--format", "md", "--templates", str(tpl.parent)
    )
    assert result.exit_code == 1
    err = result.stderr
    assert err.count("template error") == 1, err
    assert "(the paper of " in err and "the batch stopped" in err
    assert not any(out.iterdir())


@pytest.fixture(scope="module")
def hostile_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled pack (one for the module: a pack load is the costly part) whose
    currency layer holds dates that do not exist, in the form its schema asks for, whose
    interview fills, reads and rates profile fields that do not exist, and whose plan gives
    one organisational form twice."""
    dest = tmp_path_factory.mktemp("hostile") / "pack"
    shutil.copytree(bundled_content_dir(), dest)
    for rel, edits in (
        (
            "currency.yaml",
            (
                ('reviewed: "2026-12-01"', 'reviewed: "0000-00-00"'),
                ('as_of: "2026-11-30"', 'as_of: "2026-13-45"'),
                ('date: "2022"', 'date: "2022-02-30"'),
            ),
        ),
        (
            "questions/quick_guide.yaml",
            (
                ("        field: name\n", "        field: name.first\n"),
                ("field: sustainability.can_do_alone", "field: sustainability.can_do_it"),
                ("{field: sustainability.can_do_alone, ", "{field: sustainability_can_do_alone, "),
            ),
        ),
    ):
        path = dest / rel
        text = path.read_text(encoding="utf-8")
        if rel == "currency.yaml":  # and the first form given twice, the second one altered
            forms = dest / "plan" / "forms.yaml"
            plan = forms.read_text(encoding="utf-8")
            start = plan.index("  - id: informal_partnership")
            end = plan.index("  - id: clinical_networks")
            again = plan[start:end].replace("Shared plans", "Hostile plans")
            forms.write_text(plan[:end] + again + plan[end:], encoding="utf-8")
            topics = dest / "plan" / "workforce.yaml"  # and one workforce topic twice
            work = topics.read_text(encoding="utf-8")
            start = work.index("  - id: tupe")
            end = work.index("\n  - id:", start + 1) + 1
            topics.write_text(work[:end] + work[start:end] + work[end:], encoding="utf-8")
        for old, new in edits:
            assert old in text
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return dest


def test_a_currency_date_that_does_not_exist_is_a_located_error(
    ncm, hostile_pack: Path, tmp_path: Path
) -> None:
    """The schema checked the currency layer's dates by their shape only: `reviewed:
    "0000-00-00"`, a note `as_of: "2026-13-45"` and a source of 30 February validated (exit 0),
    and every board paper's cover said "currency notes reviewed 0000-00-00". Now each is a
    located error naming its field, and no paper is written from the pack."""
    result = ncm("validate", "--content", str(hostile_pack))
    assert result.exit_code == 1
    err = result.stderr
    for field, value in (
        ("reviewed", "0000-00-00"),
        ("notes[0].as_of", "2026-13-45"),
        ("notes[0].source.date", "2022-02-30"),
    ):
        assert re.search(
            rf"currency\.yaml:\d+:\d+: {re.escape(field)}: no such date '{value}'", err
        ), err
    out = tmp_path / "north.md"
    result = ncm("report", "--content", str(hostile_pack), str(EXAMPLES / NORTH), "-o", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert "Traceback" not in result.stderr


def test_the_interview_fills_only_fields_a_profile_has(
    ncm, hostile_pack: Path, tmp_path: Path
) -> None:
    """A pack whose Quick Guide question fills `name.first` or `sustainability.can_do_it`, or
    asks only `when` `sustainability_can_do_alone` holds, validated (exit 0): the interview
    then saved answers into a profile no command reads, or never showed the question. Now
    each is an error at the question's line naming its field, and `ncm assess` refuses the
    pack before asking anything."""
    result = ncm("validate", "--content", str(hostile_pack))
    assert result.exit_code == 1
    err = result.stderr
    for field, value in (
        (
            "steps[0].questions[0].field",
            "'name.first' is not a field of a profile: 'name' is a value",
        ),
        ("steps[2].questions[1].field", "'sustainability.can_do_it' is not a field of a profile"),
        ("steps[2].questions[2].when[1].field", "'sustainability_can_do_alone' is not a field"),
    ):
        assert re.search(
            rf"quick_guide\.yaml:\d+:\d+: {re.escape(field)}: {re.escape(value)}", err
        ), err
    out = tmp_path / "answers.yaml"
    result = ncm(
        "assess", "--content", str(hostile_pack), "--answers", str(EXAMPLES / NORTH), "-o", str(out)
    )
    assert result.exit_code == 1 and not out.exists()
    assert "the content pack is invalid" in result.stderr


def test_the_job_summary_names_the_profile_a_template_failed_on(
    ncm, tmp_path: Path, batch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The job summary of such a batch lists the papers written and names the profile left
    without one (not the template: the log says why). Before, the batch stopped with no
    summary at all."""
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    tpl = write(
        tmp_path / "tpl" / "report.html.j2",
        '{% if profile.name == "North Locality practices" %}{{ 1 / 0 }}{% endif %}'
        "<p>{{ profile.name }}</p>\n",
    )
    out = tmp_path / "out"
    result = ncm(
        "report", str(batch), "-o", f"{out}/", "--format", "html",
        "--templates", str(tpl.parent), "--github-summary",
    )  # fmt: skip
    assert result.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert "2 reports written; 1 file could not be reported" in text
    assert f"Not reported (the log says why): `{batch / NORTH}`" in text
    assert "`east_care_homes.html`" in text and "report.html.j2" not in text


def test_an_id_given_twice_in_a_pack_file_is_a_located_error(ncm, hostile_pack: Path) -> None:
    """Two forms `informal_partnership` in plan/forms.yaml (or two scoring rules, gates,
    documents, objectives, legal models or questions of one id) validated (exit 0), and the
    later silently replaced the earlier: `ncm plan --form informal_partnership` printed the
    hostile copy's requirements. Now the second is an error naming the first's line."""
    result = ncm("validate", "--content", str(hostile_pack))
    assert result.exit_code == 1
    assert re.search(
        r"plan/forms\.yaml:\d+:\d+: forms\[1\]\.id: duplicate id 'informal_partnership' "
        r"\(hint: also the id of forms\[0\] on line \d+\)",
        result.stderr,
    ), result.stderr


def test_validate_with_a_content_path_that_is_not_a_folder_is_a_usage_error(ncm, tmp_path):
    """Every command says `--content X: not a folder` and exits 2 (usage); `ncm validate`
    exited 1 with "a part of the path is not a folder" for a file, unlike the others."""
    a_file = tmp_path / "pack.yaml"
    a_file.write_text("name: not a pack folder\n")
    for given in (a_file, tmp_path / "missing"):
        for cmd in ("validate", "schema"):
            args = [cmd, "--content", str(given)] + (["option"] if cmd == "schema" else [])
            result = ncm(*args)
            assert result.exit_code == 2, (cmd, given, result.stderr)
            assert result.stderr == f"ncm: error: --content {given}: not a folder\n"


def test_a_workforce_topic_given_twice_is_named(ncm, hostile_pack: Path) -> None:
    """plan/workforce.yaml with the `tupe` topic twice was refused as "every topic exactly
    once; missing: none", which names nothing; the topic given twice is now named."""
    result = ncm("validate", "--content", str(hostile_pack))
    assert result.exit_code == 1
    assert "workforce.yaml:8:1: every topic exactly once; given twice: tupe" in result.stderr
