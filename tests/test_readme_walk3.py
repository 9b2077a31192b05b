"""A third walk through the README's opening as a new user (an ICB analyst), at an 80-column
terminal: Set-up, "A first assessment in five minutes" and the Commands reference. Each test is
a stumble found on that walk, run through the real CLI on real files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "profiles"
README = (ROOT / "README.md").read_text(encoding="utf-8")

LINE = re.compile(
    r"^\s+([+-]\d+\.\d\d)\s+.*\(importance (\d) × value (\d+\.\d+),\s+from\s+strength (\d)\)",
    re.S,
)


@pytest.fixture(autouse=True)
def _eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("NO_COLOR", raising=False)


def _entries(text: str) -> list[str]:
    """The explain lines, a wrapped line joined to the line it continues."""
    out: list[str] = []
    for line in text.splitlines():
        if re.match(r"^\s+[+-]\d+\.\d\d\s", line) or not out or not line.startswith(" " * 11):
            out.append(line)
        else:
            out[-1] += " " + line.strip()
    return out


def test_explain_shows_arithmetic_whose_product_is_the_points(ncm) -> None:
    """README: "`ncm score ... --explain` # the ranking, with the arithmetic". It printed
    `+12.75  Integrating primary care (importance 3 x strength 3)`: 3 x 3 is 9, so the
    arithmetic shown did not give the points. Now each line gives the value the README's
    "How scoring works" defines, and importance x value is the points, to the cent."""
    result = ncm("score", str(EXAMPLES / "south_borough_integration.yaml"), "--explain")
    assert result.exit_code == 0, result.stderr
    found = [m for e in _entries(result.stdout) if (m := LINE.match(e))]
    assert len(found) >= 20, result.stdout
    for m in found:
        points, importance, value = float(m[1]), int(m[2]), float(m[3])
        assert abs(importance * value - points) <= 0.0055, m[0]
    # one option's objectives of the same strength have the same value
    by_strength: dict[str, set[str]] = {}
    first = result.stdout.split("\n2. ")[0]
    for m in (LINE.match(e) for e in _entries(first)):
        if m:
            by_strength.setdefault(m[4], set()).add(m[3])
    assert by_strength and all(len(v) == 1 for v in by_strength.values()), by_strength
    assert "importance × value" in README


def _block(text: str, start: str, end: str) -> list[str]:
    lines = text.splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith(start))
    j = next(n for n in range(i + 1, len(lines)) if lines[n].startswith(end))
    return lines[i + 1 : j]


def test_plan_wraps_under_its_items_and_explains_source_silent(ncm, tmp_path) -> None:
    """README "A first assessment": `ncm plan profiles/north.yaml` on the starter profile. At 80
    columns the form's reason, the form's requirements and the currency notes wrapped back to
    column 0, so a paragraph ran into the next item; lines ended in padding spaces; and
    "(source silent)" was printed without the rule's note saying what the level rests on."""
    profile = tmp_path / "north.yaml"
    assert ncm("init", str(profile), "--name", "North Locality").exit_code == 0
    result = ncm("plan", str(profile))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert all(line == line.rstrip() for line in out.splitlines()), out
    for line in _block(out, "Form:", "Organisational forms"):
        assert line.startswith("  "), line
    for line in _block(out, "Corporate joint venture (new delivery vehicle) requires", "Workforce"):
        assert line.startswith("  • ") or line.startswith("    "), line
    workforce = _block(out, "Workforce implications", "Since the guidance")
    assert all(line.startswith("  ") for line in workforce if line), workforce
    assert all(line.startswith("  • ") or line.startswith("    ") for line in workforce if line), (
        workforce
    )
    silent = [n for n, line in enumerate(workforce) if "(source silent)" in line]
    assert silent, out
    assert any("Note: " in line for line in workforce), out
    assert "the rule's note saying what the level rests on" in " ".join(README.split())
    notes = out.split("Since the guidance was written")[1].splitlines()[1:]
    assert all(line.startswith("  ") for line in notes if line), notes


def test_models_list_wraps_each_detail_under_its_option(ncm) -> None:
    """README Commands: `ncm models` on an 80-column terminal prints a wrapped list; an option's
    detail line ("integrated health and social care; legal forms: ...") wrapped to column 0,
    where it read as a new entry."""
    result = ncm("models")
    assert result.exit_code == 0, result.stderr
    column = 0  # where the last option's title starts: its detail lines start there too
    for line in result.stdout.splitlines()[1:]:
        entry = re.match(r" *\d+\. ", line)
        if entry:
            column = entry.end()
        else:  # " 9." above "10.": the tenth's detail was one column left of its title
            assert not line or (line[:column].isspace() and not line[column].isspace()), line
        assert len(line) <= 80 and line == line.rstrip(), line
    assert column == 4, result.stdout


def test_models_show_wraps_items_and_notes_under_their_bullets(ncm) -> None:
    """README Commands: `ncm models show pacs` at 80 columns: bullets and currency notes
    wrapped to column 0, so an item's source ran into the left margin like a heading."""
    result = ncm("models", "show", "pacs")
    assert result.exit_code == 0, result.stderr
    overview = _block(result.stdout, "Overview", "Key features")
    assert all(line.startswith("  ") for line in overview if line), overview


@pytest.mark.parametrize(
    "args",
    [
        ("models", "show", "pacs"),
        ("questions", "governance"),
        ("questions", "background"),
        ("cases", "show", "whitstable_medical_practice"),
    ],
)
def test_reference_screens_keep_wrapped_lines_under_their_item(ncm, args) -> None:
    """README Commands examples at 80 columns: a numbered question, a bullet, an example's case
    study or an alignment's evidence wrapped to column 0 and lines carried padding spaces. Now
    every line is within 80 columns, without trailing spaces, and a line that starts at column
    0 begins a heading or a paragraph of the screen itself (its first word capitalised, a
    paragraph's continuation excepted: the option's summary, a currency note on it)."""
    result = ncm(*args)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 and line == line.rstrip() for line in lines), result.stdout
    items = [n for n, line in enumerate(lines) if re.match(r"\s+(•|\d+\.|\d  )", line)]
    assert items, result.stdout
    item = re.compile(r"\s+(•|\d+\.|\d  )")
    for n in items:  # an item's continuation lines are indented, never at column 0
        for after in lines[n + 1 :]:
            if item.match(after) or not after.startswith(" "):
                break
        if not after.startswith(" "):  # the first line back at column 0: a heading
            assert not after or after[0].isupper(), (lines[n], after)


def test_validate_help_says_which_pack_it_checks_without_a_path(ncm, tmp_path) -> None:
    """README "Set-up" runs `ncm validate` with no path, and "Commands" notes "the bundled
    content pack (not your profiles)". Its help said "Validate the active content pack (no
    PATH)": "active" is explained nowhere. It now says the content pack in use, bundled or
    --content, with the bare command among its examples; and the bare command says the same."""
    text = ncm("validate", "--help").stdout
    assert "active" not in text
    assert "with no PATH, the content pack in use" in " ".join(text.split())
    assert "bundled one, or the folder --content names" in " ".join(text.split())
    assert re.search(r"^\s+ncm validate\s+\(the content pack itself\)$", text, re.M), text
    bare = ncm("validate")
    assert bare.exit_code == 0 and "(content pack: bundled)" in bare.stderr + bare.stdout


def test_init_example_help_says_the_copy_has_no_guiding_comments(ncm, tmp_path) -> None:
    """README: `ncm init --example NAME` "starts from one (a copy of it, with no comments to
    guide you)", and `ncm init --help` opens "Every section of the Quick Guide is explained in
    comments": the --example help did not say it is the exception. Checked on the file too."""
    text = " ".join(ncm("init", "--help").stdout.split())
    assert "a copy of it, without the starter's guiding comments" in text
    out = tmp_path / "north.yaml"
    assert ncm("init", "--example", "north_practices", str(out)).exit_code == 0
    assert not [line for line in out.read_text(encoding="utf-8").splitlines() if "#" in line]


def test_version_2_is_described_with_its_decision_section(ncm, tmp_path) -> None:
    """README "The partnership profile": `decision:` is schema_version 2 only, and `ncm plan`
    reads it. The starter's first comment ("2 adds the optional structure, respondent and
    as_of") and `ncm migrate --help` ("version 2 adds optional sections (structure, respondent,
    as_of)") left it out, so a user with a decision to record did not know to migrate."""
    out = tmp_path / "north.yaml"
    assert ncm("init", str(out), "--name", "North Locality").exit_code == 0
    first = next(
        ln for ln in out.read_text(encoding="utf-8").splitlines() if "schema_version" in ln
    )
    assert "decision" in first, first
    assert "as_of, decision)" in " ".join(ncm("migrate", "--help").stdout.split())
    assert "decision:" in README and "schema_version: 2 only" in README


def test_readiness_init_profile_help_says_what_the_profile_gives(ncm) -> None:
    """README Commands: `ncm readiness init profiles/north.yaml -o ready/dof.yaml ...`. The
    PROFILE argument's help read "its name, and its plan for blocking", which says nothing to
    someone who has not met blocking questions yet; it now says what the record takes."""
    text = " ".join(ncm("readiness", "init", "--help").stdout.split())
    assert "plan for blocking" not in text
    assert "the record takes its name, and marks the questions that block the option and" in text


def test_readiness_show_names_the_option_and_form_that_decide_blocking(ncm, tmp_path) -> None:
    """README Commands: `ncm readiness init profiles/north.yaml ...` then `ncm readiness show
    ready/`. The screen's third line was "for: gp_federation, corporate_joint_venture": two
    ids after an unexplained "for". It now says these decide the blocking questions, by title."""
    profile = tmp_path / "north.yaml"
    assert ncm("init", str(profile), "--name", "North Locality").exit_code == 0
    record = tmp_path / "ready" / "dof.yaml"
    made = ncm(
        "readiness", "init", str(profile), "-o", str(record),
        "--role", "Director of Finance", "--organisation", "North Council",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    shown = ncm("readiness", "show", str(record.parent))
    assert shown.exit_code == 0, shown.stderr
    text = " ".join(shown.stdout.split())
    assert "for: gp_federation" not in text
    assert (
        "blocking questions are those of the option GP Federation (gp_federation) and the form"
        " Corporate joint venture (new delivery vehicle) (corporate_joint_venture)"
    ) in text, shown.stdout
