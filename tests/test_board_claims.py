"""The board paper claims only what this partnership's ranking and the content pack establish,
and no part of it contradicts another: each test renders a real profile with the real CLI and
reads the sentences a board secretary would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import EXAMPLES, write

SOUTH = (EXAMPLES / "south_borough_integration.yaml").read_text(encoding="utf-8")

# South Borough, having decided on the option the ranking puts fourth (MCP; ACO/ICO first).
DECIDED_FOURTH = (
    SOUTH.replace("schema_version: 1", "schema_version: 2")
    + "decision:\n  option: mcp\n  agreed_by: the alliance board\n  agreed_on: 2026-10-01\n"
)


def _paper(ncm, tmp_path: Path, profile: Path, fmt: str) -> str:
    out = tmp_path / f"{profile.stem}.{fmt}"
    result = ncm("report", str(profile), "--output", str(out), "--force")
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def _text(paper: str) -> str:
    """The words of a paper, without HTML tags or Markdown escapes, on one line."""
    return " ".join(re.sub(r"<[^>]+>|\\|\*\*", "", paper).split())


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_cover_does_not_give_as_a_strength_what_the_table_calls_weak(ncm, tmp_path, fmt):
    """North Locality: the table says GP Federation 'does little for strategic estates' (it
    serves it at strength 1); the cover said its score 'comes most from' that objective."""
    paper = _text(_paper(ncm, tmp_path, EXAMPLES / "north_practices.yaml", fmt))
    assert "does little for strategic estates and primary care development" in paper
    cover = paper.split("Since the guidance")[0]
    assert "Pursue GP Federation" in cover
    assert "strategic estates" not in cover.split("Pursue GP Federation")[1]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_one_objective_is_not_called_the_objectives(ncm, tmp_path, fmt):
    """A recommendation served by one objective names it in the singular; one served only
    weakly says so rather than that its score 'comes most from' it."""
    profile = write(
        tmp_path / "one.yaml",
        "schema_version: 1\nname: One objective\npartners:\n"
        "  - {name: A Mental Health Trust, kind: mental_health_trust}\n"
        "objectives:\n  redesigning_urgent_and_emergency_care: 5\n"
        "  integrating_primary_care: 0\ngovernance: {formality: merger}\n",
    )
    paper = _text(_paper(ncm, tmp_path, profile, fmt))
    assert "comes most from the objective redesigning urgent and emergency services" in paper
    assert "the objectives redesigning" not in paper
    weak = write(
        tmp_path / "weak.yaml",
        "schema_version: 2\nname: Weak only\npartners:\n  - {name: The ICB, kind: commissioner}\n"
        "objectives:\n  integrating_primary_care: 5\nstructure: {practices: not_applicable}\n"
        "governance: {formality: informal}\n",
    )
    paper = _text(_paper(ncm, tmp_path, weak, fmt))
    assert "does little for integrating primary care" in paper  # the table, for the first
    assert "comes most from" not in paper
    assert "it serves only weakly: integrating primary care (importance 5)" in paper


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_risks_are_matched_to_the_option_decided(ncm, tmp_path, fmt):
    """The board is asked to confirm MCP: its risks are set beside MCP's barriers, as its
    form and workforce sections are, not beside those of the option the ranking puts first."""
    profile = write(tmp_path / "decided.yaml", DECIDED_FOURTH)
    paper = _text(_paper(ncm, tmp_path, profile, fmt))
    risks = paper.split("Risks beside the barriers they correspond to")[-1]
    risks = risks.split("Organisational form")[0]
    assert "Multi-specialty Community Provider" in risks
    assert "Accountable / Integrated Care Organisation" not in risks


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_appendices_hold_the_option_decided(ncm, tmp_path, fmt):
    """The option the board is asked to confirm (ranked fourth) has its guidance in Appendix A
    and its score's parts in Appendix C, beside the top three."""
    profile = write(tmp_path / "decided.yaml", DECIDED_FOURTH)
    paper = _text(_paper(ncm, tmp_path, profile, fmt))
    appendix_a = paper.split("Appendix A. The options' guidance")[-1].split("Appendix B.")[0]
    assert "Multi-specialty Community Provider (rank 4, score 46)" in appendix_a
    appendix_c = paper.split("Appendix C. How the scores were made")[-1]
    assert "Multi-specialty Community Provider: 46" in appendix_c


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_form_that_does_not_fit_is_not_recommended(ncm, tmp_path, fmt):
    """East care homes accept informal collaboration only: no usual form of Enhanced Health in
    Care Homes fits, so the paper must not call the least formal one 'recommended'."""
    paper = _text(_paper(ncm, tmp_path, EXAMPLES / "east_care_homes.yaml", fmt))
    assert "No usual form of this option fits these partners" in paper
    assert "ecommended: Lead provider model" not in paper
    assert "(no usual form fits these partners; the least formal: Lead provider model)" in paper
    assert "Least formal usual form: Lead provider model (it does not fit these partners)." in (
        paper
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_decided_form_that_does_not_fit_is_called_agreed(ncm, tmp_path, fmt):
    """A decision's form beyond the formality the partners accept is the partners' choice,
    neither 'recommended' nor 'the least formal'."""
    profile = write(
        tmp_path / "decided.yaml",
        SOUTH.replace("schema_version: 1", "schema_version: 2")
        + "decision:\n  option: aco_ico\n  form: merger_acquisition\n",
    )
    paper = _text(_paper(ncm, tmp_path, profile, fmt))
    assert "Agreed: Merger or acquisition (it does not fit these partners)." in paper
    assert "(agreed: Merger or acquisition, which does not fit these partners)" in paper
    assert "ecommended: Merger or acquisition" not in paper


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_option_closed_is_no_recommendation(ncm, tmp_path, pack_copy, fmt):
    """A pack whose gates close every option for these partners: the paper must not ask the
    board to agree, or recommend pursuing, an option that cannot be formed as the source
    describes it, nor say the partnership's answers called for a collaborative model."""
    scoring = pack_copy / "scoring.yaml"
    every = (
        "options: [multi_site_trust, hospital_chain, specialty_franchise, aco_ico, "
        "urgent_emergency_care_network, pacs, mcp, gp_federation, super_practice, "
        "enhanced_health_in_care_homes]"
    )
    text = scoring.read_text(encoding="utf-8")
    old = "options: [multi_site_trust, hospital_chain, specialty_franchise]"
    assert old in text
    scoring.write_text(text.replace(old, every, 1), encoding="utf-8")
    profile = write(
        tmp_path / "closed.yaml",
        "schema_version: 2\nname: Every option closed\npartners:\n"
        "  - {name: The ICB, kind: commissioner}\nobjectives:\n  integrating_primary_care: 5\n",
    )
    out = tmp_path / f"closed.{fmt}"
    result = ncm("report", str(profile), "--content", str(pack_copy), "--output", str(out))
    assert result.exit_code == 0, result.output
    paper = _text(out.read_text(encoding="utf-8"))
    cover = paper.split("The ten options")[0]
    assert "Every option is closed" in cover
    assert "as the preferred option" not in cover
    assert "Pursue " not in cover
    assert "having first considered whether a collaborative model" not in cover
    assert "no option can be formed as the source describes it with these partners" in cover
    assert "None: every option is closed by a requirement the source states" in cover
    assert "agree the organisational form" not in cover
    assert "first by score though closed, for comparison only" in cover


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_decision_on_a_closed_option_says_it_is_closed(ncm, tmp_path, fmt):
    """South Borough has no care home: a decision to pursue Enhanced Health in Care Homes is
    one the ranking closes, not merely one it 'does not put first'."""
    profile = write(
        tmp_path / "decided.yaml",
        DECIDED_FOURTH.replace("option: mcp", "option: enhanced_health_in_care_homes"),
    )
    paper = _text(_paper(ncm, tmp_path, profile, fmt))
    cover = paper.split("The ten options")[0]
    assert (
        "pursue Enhanced Health in Care Homes (which the ranking closes: no care home among "
        "the partners and not serving care-home residents)" in cover
    )
    assert "which the ranking does not put first" not in cover


NO_PARTNERS = """\
schema_version: 1
name: Unnamed partners
objectives:
  integrating_health_and_social_care: 5
  strengthening_out_of_hospital_care: 4
"""


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_no_partners_listed_says_the_requirements_were_not_checked(ncm, tmp_path, fmt) -> None:
    """With no partner listed no gate on the partners can hold, so Enhanced Health in Care
    Homes was recommended with no word that its requirement (care homes or their residents)
    went unchecked. The cover now says which options' requirements were not checked."""
    profile = tmp_path / "nop.yaml"
    profile.write_text(NO_PARTNERS)
    out = tmp_path / f"nop.{fmt}"
    result = ncm("report", str(profile), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "Not checked" in text and "Enhanced Health in Care Homes" in text
    south = tmp_path / f"south.{fmt}"
    assert (
        ncm("report", str(EXAMPLES / "south_borough_integration.yaml"), "-o", str(south)).exit_code
        == 0
    )
    assert "Not checked" not in south.read_text(encoding="utf-8")


TIED = "schema_version: 1\nname: Tied\nobjectives:\n  integrating_primary_and_secondary_care: 2\n"


def test_a_tie_gives_each_options_reasons_in_markdown_as_in_html(ncm, tmp_path) -> None:
    """A shared first rank: the HTML cover gave each tied option's reasons, the Markdown (and
    so the Word) cover only their names; a board reading the Word paper saw no reason."""
    profile = tmp_path / "tied.yaml"
    profile.write_text(TIED)
    out = tmp_path / "tied.md"
    result = ncm("report", str(profile), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    row = next(x for x in out.read_text().splitlines() if x.startswith("| **Recommendation**"))
    assert "No single option" in row, row
    assert row.count("its score comes") >= 2, row


NO_COUNCIL = """\
schema_version: 1
name: Health bodies only
partners:
  - {name: City Hospitals NHS Trust, kind: acute_trust}
  - {name: Northside GP Federation, kind: gp_federation}
objectives:
  integrating_primary_and_secondary_care: 5
  integrating_health_and_social_care: 4
governance: {formality: contractual}
"""


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_less_suited_reason_reads_inside_its_sentence(ncm, tmp_path, fmt) -> None:
    """'Alternatives: ... (less suited: A section 75 arrangement is ...)': a reason written as
    a sentence in data/plan/forms.yaml kept its capital inside the paper's bracket."""
    profile = tmp_path / "nc.yaml"
    profile.write_text(NO_COUNCIL)
    out = tmp_path / f"nc.{fmt}"
    result = ncm("report", str(profile), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    found = re.findall(r"less suited: (\w+ \w+)", out.read_text(encoding="utf-8"))
    assert any(f.startswith("a section") for f in found), found
    assert not any(f[0].isupper() and f[1:2].islower() for f in found), found


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_paper_gives_the_packs_own_number_of_samples(ncm, tmp_path, pack_copy, fmt) -> None:
    """ "comes first in 100% of 1,000 plausible variations": the board paper wrote 1,000 in
    Python and in the templates, whatever `acceptability.samples` the pack's scoring.yaml set."""
    scoring = pack_copy / "scoring.yaml"
    text = scoring.read_text(encoding="utf-8")
    assert "  samples: 1000\n" in text
    scoring.write_text(text.replace("  samples: 1000\n", "  samples: 400\n"), encoding="utf-8")
    out = tmp_path / f"p.{fmt}"
    result = ncm(
        "report",
        str(EXAMPLES / "south_borough_integration.yaml"),
        "-o",
        str(out),
        "--content",
        str(pack_copy),
    )
    assert result.exit_code == 0, result.stderr
    paper = out.read_text(encoding="utf-8")
    assert "400 plausible" in paper and "1,000 plausible" not in paper
