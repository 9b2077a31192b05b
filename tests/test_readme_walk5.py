"""A fifth walk through the README as a new user (an ICB analyst in 2026), in a fresh clone
and virtual environment: set-up, the first assessment, every command example. Each test is a
finding of that walk, run through the real CLI on real files."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _flat(text: str) -> str:
    """The README with its line breaks made spaces, to find a sentence wrapped anywhere."""
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def _eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")


def test_questions_background_is_dated_and_carries_currency_notes(ncm) -> None:
    """README: `ncm questions` says near the top "Guidance written 2015-2017; currency notes
    reviewed ..." and prints each note under the statement it qualifies. `ncm questions
    background` printed neither: "The vanguards are expected to serve as blueprints" and
    "Within local STP development" reached a 2026 reader with no word that both ended."""
    result = ncm("questions", "background")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Guidance written 2015-2017; currency notes reviewed ")
    text = _flat(result.stdout)
    vanguards = text.index("The vanguards are expected to serve as blueprints")
    assert text.index("Since then (as of", vanguards) < text.index("Thematic reviews", vanguards)
    stp = text.index("STP development")
    assert "Since then" in text[stp : stp + 2000]


def test_a_tie_is_explained_where_the_first_ranking_is_read(ncm, tmp_path) -> None:
    """The first assessment said nothing of ties. README now says a tie shows as `=1` and
    "(tie)", is never broken, and stops `ncm plan` (exit 2) unless `--option` is given: each
    claim checked on a profile whose one objective ties ACO/ICO and PACS."""
    flat = _flat(README)
    assert 'share a rank (`=1`, "(tie)")' in flat
    assert "`ncm plan --option ID`, which otherwise stops at a tie (exit 2)" in flat
    profile = tmp_path / "tie.yaml"
    profile.write_text(
        "name: Tie test\nobjectives: {integrating_primary_and_secondary_care: 5}\n",
        encoding="utf-8",
    )
    scored = ncm("score", str(profile))
    assert scored.exit_code == 0, scored.stderr
    tied = [line for line in scored.stdout.splitlines() if "=1" in line]
    assert len(tied) == 2 and all("(tie)" in line for line in tied)
    planned = ncm("plan", str(profile))
    assert planned.exit_code == 2
    assert "--option" in planned.stderr
    chosen = ncm("plan", str(profile), "--option", "pacs")
    assert chosen.exit_code == 0, chosen.stderr


def test_readiness_ask_from_a_script_takes_answers_in_the_order_the_readme_gives(
    ncm, tmp_path
) -> None:
    """README: "With stdin not a terminal it reads one answer a line" did not say in what
    order, so a script's owner was read as a note and its status as an owner. README now
    says: the status, then (for open, partly, not_considered) owner and due date, then the
    note; an empty line keeps the value shown."""
    assert (
        "the status, then, for `open`, `partly` or `not_considered`, the owner and the due "
        "date, then the note; an empty line keeps the value shown" in _flat(README)
    )
    record = tmp_path / "ready" / "dof.yaml"
    made = ncm(
        "readiness", "init", "-o", str(record), "--partnership", "North",
        "--role", "Director of Finance", "--organisation", "North Council",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    asked = ncm(
        "readiness", "ask", str(record),
        input="open\nHead of Legal\n2027-03-01\n\nsettled\nagreed at the board\nsave and stop\n",
    )  # fmt: skip
    assert asked.exit_code == 0, asked.stderr
    text = record.read_text(encoding="utf-8")
    first = text[text.index("  form_01:") : text.index("  form_02:")]
    assert "status: open" in first and '"Head of Legal"' in first and "2027-03-01" in first
    assert "note:" not in first
    second = text[text.index("  form_02:") : text.index("  form_03:")]
    assert "status: settled" in second and "agreed at the board" in second


def test_readme_says_what_readiness_is_for_and_links_the_next_steps() -> None:
    """The first assessment ended at the board paper, and the Readiness section began with
    ids: a new user was not told when to use `ncm compare` or `ncm readiness`, nor what the
    self-assessment is for. Both are now said, with links to sections that exist."""
    flat = _flat(README)
    assert "What it is for: before a board commits to an option and a form" in flat
    for anchor, heading in [
        ("#several-voices-ncm-compare", "## Several voices: `ncm compare`"),
        ("#readiness-module-2-as-a-self-assessment", "## Readiness: Module 2 as a self-assessment"),
        ("#the-partnership-profile", "## The partnership profile"),
    ]:
        assert anchor in README and heading in README


def test_nhs_pension_scheme_in_lower_case_gets_its_currency_note(ncm) -> None:
    """README: a statement that names a term gets that term's notes. Module 2's background
    ("membership of the NHS pension scheme"), a workforce rule and a case study write the
    scheme in lower case, which the note on NHS Pension Scheme access (matched case as written)
    missed: a 2026 reader was told staff "may well lose their eligibility" with no word of the
    routes in force since. `data/currency.yaml` now lists that spelling too."""
    result = ncm("questions", "background")
    assert result.exit_code == 0, result.stderr
    text = _flat(result.stdout)
    start = text.index("membership of the NHS pension scheme")
    assert "Since then (as of" in text[start : text.index("lose their eligibility", start)]
    case = _flat(ncm("cases", "show", "harness_gp_cooperative").stdout)
    start = case.index("access to the NHS pension scheme")
    assert "Since then" in case[start : start + 600]
