"""The board paper read as a board member would (helper H56): the ask of the board comes
first on the cover, straight after the purpose, in every format; reasons in plain English."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import CHROMIUM, EXAMPLES, write

PROFILE = EXAMPLES / "south_borough_integration.yaml"
TIED = "schema_version: 1\nname: Tied\nobjectives:\n  integrating_primary_and_secondary_care: 2\n"


@pytest.fixture(autouse=True)
def _pinned_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def _report(ncm, tmp_path: Path, profile: Path, fmt: str, *extra: str) -> Path:
    out = tmp_path / f"r.{fmt}"
    result = ncm("report", str(profile), "--format", fmt, "--output", str(out), *extra)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.mark.parametrize("tied", [False, True])
def test_the_ask_follows_the_purpose_in_markdown_and_html(ncm, tmp_path, tied):
    profile = write(tmp_path / "t.yaml", TIED) if tied else PROFILE
    md = _report(ncm, tmp_path, profile, "md").read_text(encoding="utf-8")
    rows = [m.group(1) for m in re.finditer(r"^\| \*\*(.+?)\*\* \|", md, re.M)]
    assert rows[:4] == ["Partnership", "Purpose", "The board is asked to", "Recommendation"]
    html = _report(ncm, tmp_path, profile, "html").read_text(encoding="utf-8")
    terms = re.findall(r"<dt>(.+?)</dt>", html.split('id="summary-title"')[1])
    assert terms[:4] == ["Partnership", "Purpose", "The board is asked to", "Recommendation"]
    if tied:
        assert "choose between" in md.split("| **Recommendation**")[0]


def test_the_ask_follows_the_purpose_in_word(ncm, tmp_path):
    docx = pytest.importorskip("docx")
    doc = docx.Document(str(_report(ncm, tmp_path, PROFILE, "docx")))
    labels = [row.cells[0].text for row in doc.tables[0].rows]
    assert labels[:4] == ["Partnership", "Purpose", "The board is asked to", "Recommendation"]


def test_the_reason_against_names_the_forms_not_the_rules_ids(ncm, tmp_path):
    # north_practices accepts a corporate joint venture; a super-practice needs a merger
    md = _report(ncm, tmp_path, EXAMPLES / "north_practices.yaml", "md").read_text("utf-8")
    row = next(line for line in md.splitlines() if line.startswith("| 2 | Super-Practice |"))
    assert "Needs merger form" not in row and "accept corporate |" not in row
    assert "merger or acquisition" in row and "(corporate joint venture)" in row


def _new_record(ncm, tmp_path: Path, profile: Path) -> Path:
    """A new readiness record for PROFILE (`ncm readiness init`), as ready.yaml."""
    record = tmp_path / "ready.yaml"
    made = ncm(
        "readiness", "init", str(profile), "-o", str(record),
        "--role", "Director of Finance", "--organisation", "North Council",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    return record


def test_an_action_without_a_date_says_so(ncm, tmp_path):
    # a board reads "no date" as a gap to close; a dash reads as "not applicable"
    profile = EXAMPLES / "north_practices.yaml"
    record = _new_record(ncm, tmp_path, profile)
    text = record.read_text(encoding="utf-8").replace(
        "  form_06:\n    status: not_considered",
        "  form_06:\n    status: partly\n    owner: Director of Finance",
        1,
    )
    write(record, text)
    for fmt in ("md", "html"):
        paper = _report(ncm, tmp_path, profile, fmt, "--readiness", str(record))
        actions = paper.read_text(encoding="utf-8").split("Next actions")[1]
        row = next(line for line in actions.splitlines() if "Director of Finance" in line)
        assert "no date" in row and "–" not in row, row


def test_a_decision_against_the_ranking_is_not_also_recommended_against(ncm, tmp_path):
    # the cover must not ask the board to confirm one option and "recommend" another
    text = (EXAMPLES / "north_practices.yaml").read_text(encoding="utf-8")
    text = text.replace("schema_version: 1", "schema_version: 2") + (
        "decision:\n  option: super_practice\n  agreed_by: locality board\n"
        "  agreed_on: 2026-10-01\n"
    )
    profile = write(tmp_path / "decided.yaml", text)
    for fmt in ("md", "html"):
        cover = _report(ncm, tmp_path, profile, fmt).read_text("utf-8").split("The ten options")[0]
        assert "Pursue" not in cover and "Recommendation" not in cover
        assert "The ranking puts first" in cover and "not the option decided" in cover
        assert "confirm the partnership's decision to pursue Super-Practice" in cover


@pytest.mark.skipif(
    CHROMIUM is None or shutil.which("pdftotext") is None,
    reason="headless Chromium or pdftotext is not installed",
)
def test_the_summary_starts_on_the_first_page(ncm, tmp_path, printed):
    # east_care_homes has the longest cover (a "before any score" warning): it once left
    # page 1 with the title alone and the whole summary on page 2
    for profile in sorted(EXAMPLES.glob("*.yaml")):
        html = _report(ncm, tmp_path, profile, "html", "--appendix", "none", "--force")
        first = _pdf_text(printed(html), page=1)  # the paper test_board_paper prints
        for term in ("Summary for the board", "The board is asked to", "How sure", "Next steps"):
            assert term in first, (profile.name, term)


def _pdf_text(pdf: Path, page: int) -> str:
    """The text of one page of a PDF, whitespace folded."""
    text = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return " ".join(text.split())


@pytest.mark.skipif(
    CHROMIUM is None or shutil.which("pdftotext") is None,
    reason="headless Chromium or pdftotext is not installed",
)
def test_every_printed_page_carries_the_date_and_version(ncm, tmp_path, printed):
    pdf = printed(_report(ncm, tmp_path, PROFILE, "html"))  # printed once, read page by page
    for page in (1, 2, 5):
        text = _pdf_text(pdf, page)
        assert "2023-11-14 · ncm " in text and "scoring method" in text, page


def test_the_clamp_to_the_scale_is_not_a_reason(ncm, tmp_path):
    # east_care_homes: Multi-Site Trust's total is below 0, raised to 0 by the clamp
    md = _report(ncm, tmp_path, EXAMPLES / "east_care_homes.yaml", "md").read_text("utf-8")
    table = md.split("## The ten options")[1].split("\n## ")[0]
    assert "| Multi-Site Trust |" in table
    assert "Clamped" not in table


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_blocking_question_carries_its_currency_note(ncm, tmp_path, fmt):
    # reg_01 names NHS Improvement (abolished 2022); with the appendices left out the
    # readiness section is the only place a 2026 reader meets it
    profile = write(tmp_path / "t.yaml", TIED)
    record = _new_record(ncm, tmp_path, profile)
    paper = _report(ncm, tmp_path, profile, fmt, "--readiness", str(record), "--appendix", "none")
    text = paper.read_text(encoding="utf-8")
    after = text.split("CQC or NHS Improvement?")[1][:600]
    assert "Since then (as of" in after and "Health and Care Act 2022" in after


def test_the_change_that_would_alter_the_first_place_reads_as_a_move(ncm, tmp_path):
    # "importance 0 to 5 out of 5" read as a range; the board needs the move and the scale
    md = _report(ncm, tmp_path, PROFILE, "md").read_text("utf-8")
    sure = next(line for line in md.splitlines() if line.startswith("| **How sure**"))
    assert "out of 5)" not in sure
    assert "(its importance raised from 0 to 5, on the scale of 0 to 5)" in sure


def test_word_paper_is_a4_with_date_version_and_page_numbers_on_every_page(ncm, tmp_path):
    docx = pytest.importorskip("docx")
    from docx.shared import Cm

    doc = docx.Document(str(_report(ncm, tmp_path, PROFILE, "docx")))
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01)  # stored in twips
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
    footer = section.footer.paragraphs[0]
    assert "2023-11-14" in footer.text and "ncm " in footer.text  # SOURCE_DATE_EPOCH's day
    codes = [t.text.strip() for t in footer._p.iter() if t.tag.endswith("}instrText")]
    assert codes == ["PAGE", "NUMPAGES"]
