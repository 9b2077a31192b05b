"""A board member's reading of the paper (H77): what the cover must say for a board to decide."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import CHROMIUM, EXAMPLES, write

DECIDED = (EXAMPLES / "south_borough_integration.yaml").read_text().replace(
    "schema_version: 1", "schema_version: 2"
) + "decision:\n  option: pacs\n  agreed_by: joint programme board\n"


def _cover(ncm, tmp_path: Path, fmt: str) -> str:
    profile = write(tmp_path / "decided.yaml", DECIDED)
    out = tmp_path / f"decided.{fmt}"
    result = ncm("report", str(profile), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    if fmt == "html":
        text = re.sub(r"<[^>]+>", "", text.split("The ten options")[0])
    return " ".join(text.split("## The ten")[0].replace("**", "").split())


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_decision_the_ranking_does_not_put_first_shows_where_it_stands(ncm, tmp_path, fmt):
    """Asked to confirm an option the ranking puts second, the cover named only the first
    option and called it robust: the board never saw the decided option's rank, score or share
    of weightings in which it comes first."""
    cover = _cover(ncm, tmp_path, fmt)
    assert (
        "Accountable / Integrated Care Organisation (63 out of 100), not the option decided"
        in cover
    )
    assert (
        "The option decided, Primary and Acute Care System: rank 2 of 10, 53 out of 100, "
        "first in 0% of 1,000 plausible weightings." in cover
    ), cover


def test_the_html_ask_has_one_parenthesis_not_two(ncm, tmp_path):
    """The HTML ask read '... System (which the ranking does not put first) (agreed by joint
    programme board), and ...': two brackets in a row in the sentence a board votes on."""
    cover = _cover(ncm, tmp_path, "html")
    assert ") (" not in cover
    assert (
        "(which the ranking does not put first), agreed by joint programme board, and commission"
        in cover
    )


@pytest.mark.skipif(
    CHROMIUM is None or shutil.which("pdftotext") is None,
    reason="headless Chromium or pdftotext is not installed",
)
def test_the_printed_readiness_keeps_titles_and_dates_whole(ncm, tmp_path, printed):
    """The readiness radar's left label was cut at the SVG's edge: the printed paper read
    "l Considerations" for Financial Considerations; and the next actions' narrow Due column
    broke each date at its hyphen ("2027-" over "01-31")."""
    profile = EXAMPLES / "south_borough_integration.yaml"
    record = tmp_path / "ready.yaml"
    made = ncm(
        "readiness",
        "init",
        str(profile),
        "--role",
        "Director of Finance",
        "--organisation",
        "South Borough Hospitals NHS Trust",
        "-o",
        str(record),
    )
    assert made.exit_code == 0, made.stderr
    text = record.read_text()
    record.write_text(
        text.replace(
            "  form_01:\n    status: not_considered",
            "  form_01:\n    status: open\n    owner: Director of Finance\n    due: 2027-01-31",
            1,
        )
    )
    out = tmp_path / "ready.html"
    result = ncm(
        "report", str(profile), "--readiness", str(record), "--appendix", "none", "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    text = subprocess.run(
        ["pdftotext", str(printed(out)), "-"], check=True, capture_output=True, text=True
    ).stdout
    radar = text[text.index("Readiness is the share") : text.index("the radar's text alternative")]
    for title in ("Financial Considerations", "Stakeholder Engagement", "Organisational Form"):
        assert title in " ".join(radar.split()), (title, radar)
    assert "2027-01-31" in text[text.index("Next actions") :]


TIED = "schema_version: 1\nname: Tied\nobjectives:\n  integrating_primary_and_secondary_care: 2\n"


@pytest.mark.skipif(
    CHROMIUM is None or shutil.which("pdftotext") is None,
    reason="headless Chromium or pdftotext is not installed",
)
def test_a_tie_prints_the_ten_options_on_one_page(ncm, tmp_path, printed):
    """The 'joint with ...' tags never wrapped: they widened the Option column, squeezed the
    reasons into five-line rows and pushed the table over two pages."""
    profile = write(tmp_path / "tied.yaml", TIED)
    out = tmp_path / "tied.html"
    result = ncm("report", str(profile), "--appendix", "none", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = subprocess.run(
        ["pdftotext", str(printed(out)), "-"], check=True, capture_output=True, text=True
    ).stdout
    page = next(p for p in text.split("\f") if "The ten options" in p)
    assert "Hospital Chain" in page and "First: the share of" in page
