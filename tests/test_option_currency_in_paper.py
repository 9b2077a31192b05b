"""The board paper shows what has changed since the guidance for each option it describes in
Appendix A: the currency notes on an option as a whole (the Integrated Care Provider contract
and integrated health organisations for ACO/ICO, the neighbourhood provider contracts for PACS
and MCP...). Before, only notes on a statement the paper quoted were shown, so a board in 2026
read the 2015-2017 description of its preferred option with none of them."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from ncm_toolkit import load_pack, load_profile, score_profile
from ncm_toolkit.currency import notes_for_option
from ncm_toolkit.scoring import shown

from .conftest import EXAMPLES

PROFILE = EXAMPLES / "south_borough_integration.yaml"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_each_top_option_has_its_notes_in_the_paper(ncm, tmp_path: Path, fmt: str) -> None:
    pack = load_pack()
    profile, errors = load_profile(PROFILE)
    assert profile is not None, errors
    top = [r.option for r in shown(score_profile(pack, profile).ranking, 3)]
    out = tmp_path / f"paper.{fmt}"
    result = ncm("report", str(PROFILE), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    if fmt == "html":
        text = html.unescape(text)
    notes = [n for option in top for n in notes_for_option(pack.currency, option)]
    assert len(notes) >= 3, "the bundled pack has notes on these options: nothing to test"
    appendix = text[text.index("Appendix A") :]
    for note in notes:
        assert " ".join(note.text.split())[:80] in " ".join(appendix.split()), note.id
    assert "What has changed since the guidance" in appendix


DECIDED = """\
schema_version: 2
name: Decided elsewhere
partners:
  - {name: Borough Council, kind: local_authority}
  - {name: City Hospitals NHS Trust, kind: acute_trust}
  - {name: Northside GP Federation, kind: gp_federation}
objectives:
  integrating_primary_and_secondary_care: 5
  integrating_health_and_social_care: 4
decision: {option: super_practice}
"""


def _cover(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("| **Since the guidance**"))


def test_the_cover_says_what_has_changed_for_the_options_it_asks_about(ncm, tmp_path) -> None:
    """The first page names the currency notes on the option(s) put to the board: the one
    ranked first, and the one decided when the ranking puts another first."""
    pack = load_pack()
    out = tmp_path / "sb.md"
    assert ncm("report", str(PROFILE), "-o", str(out)).exit_code == 0
    row = _cover(out.read_text(encoding="utf-8"))
    profile, _ = load_profile(PROFILE)
    assert profile is not None
    first = score_profile(pack, profile).ranking[0].option
    for note in notes_for_option(pack.currency, first):
        assert note.title in row, (note.id, row)
    decided = tmp_path / "decided.yaml"
    decided.write_text(DECIDED)
    out = tmp_path / "decided.md"
    result = ncm("report", str(decided), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    row = _cover(out.read_text(encoding="utf-8"))
    assert "Super-Practice:" in row, row
    for note in notes_for_option(pack.currency, "super_practice"):
        assert note.title in row, (note.id, row)


def test_the_score_table_says_what_has_changed_for_the_first_option(ncm) -> None:
    """`ncm score FILE` (and the interview's result, the same table) ends with what has
    changed since the guidance for the option ranked first, with where to read more."""
    pack = load_pack()
    profile, _ = load_profile(PROFILE)
    assert profile is not None
    first = score_profile(pack, profile).ranking[0].option
    result = ncm("score", str(PROFILE))
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "Since the guidance (2015-2017)" in text, text[-600:]
    for note in notes_for_option(pack.currency, first):
        assert note.title in text, note.id
    assert f"ncm models show {first}" in text
