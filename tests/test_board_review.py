"""A board member's reading of the paper (H77): what the cover must say for a board to decide."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import EXAMPLES, write

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
    assert "Accountable / Integrated Care Organisation (63 out of 100), not the option decided" in cover
    assert (
        "The option decided, Primary and Acute Care System: rank 2 of 10, 53 out of 100, "
        "first in 0% of 1,000 plausible weightings." in cover
    ), cover


def test_the_html_ask_has_one_parenthesis_not_two(ncm, tmp_path):
    """The HTML ask read '... System (which the ranking does not put first) (agreed by joint
    programme board), and ...': two brackets in a row in the sentence a board votes on."""
    cover = _cover(ncm, tmp_path, "html")
    assert ") (" not in cover
    assert "(which the ranking does not put first), agreed by joint programme board, and commission" in cover
