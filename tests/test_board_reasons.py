"""The board paper's reasons for its recommendation claim only what the ranking shows. It
said "it suits the kinds of partner here: ..." for any option, listing every partner's kind
(no rule of the pack makes that fit), and "the partners accept informal partnership" as a
reason even when the formality fit took points because the option needs more."""

from __future__ import annotations

from pathlib import Path

from .conftest import EXAMPLES

TWO_HOSPITALS = """\
schema_version: 1
name: Two hospitals
partners:
  - {name: North Hospital NHS Trust, kind: acute_trust}
  - {name: South Hospital NHS Trust, kind: acute_trust}
objectives:
  expanding_services_across_sites: 5
  integrating_back_office: 4
governance:
  formality: informal
"""


def _recommendation(ncm, profile: Path, out: Path) -> str:
    result = ncm("report", str(profile), "--format", "md", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    line = next(x for x in out.read_text().splitlines() if x.startswith("| **Recommendation**"))
    return line


def test_no_partner_kinds_claimed_as_a_fit(ncm, tmp_path: Path) -> None:
    line = _recommendation(ncm, EXAMPLES / "south_borough_integration.yaml", tmp_path / "p.md")
    assert "kinds of partner" not in line, line
    assert "acute hospital trust" not in line, line  # a partner kind no rule scored
    assert "the local authority is a partner" in line, line  # a rule that did score it


def test_a_formality_that_falls_short_is_not_a_reason(ncm, tmp_path: Path) -> None:
    profile = tmp_path / "two.yaml"
    profile.write_text(TWO_HOSPITALS)
    line = _recommendation(ncm, profile, tmp_path / "two.md")
    assert "Hospital Chain" in line, line  # which needs a contractual form at least
    assert "accept" not in line, line


def test_a_formality_that_suffices_is_a_reason(ncm, tmp_path: Path) -> None:
    line = _recommendation(ncm, EXAMPLES / "south_borough_integration.yaml", tmp_path / "p.md")
    assert "the partners accept contractual joint venture, formal enough" in line, line
