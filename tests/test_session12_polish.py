"""Small things a user met (session 12): options that did nothing without a word, and a
warning printed before the usage error that made it moot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import EXAMPLES

SOUTH = EXAMPLES / "south_borough_integration.yaml"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_explain_says_when_the_format_has_no_room_for_it(ncm, tmp_path: Path, fmt: str) -> None:
    """`ncm score P --explain --format csv` wrote the same CSV as without `--explain`, and
    said nothing: the user believed the arithmetic was in the file."""
    out = tmp_path / f"s.{fmt}"
    result = ncm("score", str(SOUTH), "--explain", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "--explain" in result.stderr and "JSON always carries it" in result.stderr
    assert out.is_file()
    plain = ncm("score", str(SOUTH), "--format", fmt, "-o", str(tmp_path / f"t.{fmt}"))
    assert "--explain" not in plain.stderr


def test_explain_in_json_and_the_table_gives_no_warning(ncm) -> None:
    for fmt in ("json", "table"):
        result = ncm("score", str(SOUTH), "--explain", "--format", fmt)
        assert result.exit_code == 0, result.output
        assert "warning" not in result.stderr, result.stderr


def test_compare_xlsx_without_output_is_refused_before_any_warning(ncm) -> None:
    """Two profiles of different partnerships to `--format xlsx` with no `-o` printed the
    "profiles name 2 partnerships" warning, then the usage error that made it moot."""
    two = sorted(EXAMPLES.glob("*.yaml"))[:2]
    result = ncm("compare", *(str(p) for p in two), "--format", "xlsx")
    assert result.exit_code == 2, result.output
    assert "give --output FILE.xlsx" in result.stderr
    assert "warning" not in result.stderr, result.stderr


def test_a_pack_title_over_two_lines_is_a_located_error(ncm, pack_copy: Path) -> None:
    """An option's `title` with a line break validated, and every table, heading and sentence
    then printed it as `\\n`: a title, name or label is one line (ESC there is shown escaped
    where printed, as in any text)."""
    model = pack_copy / "models" / "aco_ico.yaml"
    lines = model.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, ln in enumerate(lines) if ln.startswith("title: "))
    lines[at] = 'title: "Accountable Care\\n| x |\\n\\u001b[31mred"\n'
    model.write_text("".join(lines), encoding="utf-8")
    result = ncm("validate", "--content", str(pack_copy))
    assert result.exit_code == 1, result.output
    assert (
        f"{model}:{at + 1}:8: title: must be one line of text, got a line break (U+000A) "
        "(hint: write it on one line)"
    ) in result.stderr, result.stderr
    assert "pattern" not in result.stderr


def test_currency_dates_out_of_order_are_located_errors(ncm, pack_copy: Path) -> None:
    """A currency note checked after the notes were reviewed as a whole (a typo such as
    2062), or citing a source published after the note was checked, validated: every paper's
    "what has changed since" then rested on a date that cannot be right."""
    path = pack_copy / "currency.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    first_as_of = next(i for i, ln in enumerate(lines) if ln.strip().startswith("as_of:"))
    indent = lines[first_as_of][: len(lines[first_as_of]) - len(lines[first_as_of].lstrip())]
    lines[first_as_of] = f'{indent}as_of: "2062-11-30"\n'
    source_date = next(
        i for i, ln in enumerate(lines) if i > first_as_of and ln.strip().startswith("date:")
    )
    lines[source_date] = lines[source_date].split("date:")[0] + 'date: "2063"\n'
    path.write_text("".join(lines), encoding="utf-8")
    result = ncm("validate", "--content", str(pack_copy))
    assert result.exit_code == 1, result.output
    err = result.stderr
    assert f"{path}:{first_as_of + 1}:" in err and "as_of 2062-11-30 is after the notes" in err
    assert f"{path}:{source_date + 1}:" in err and "the source is dated 2063, after" in err
    assert "2 errors" in err, err


def test_the_batch_summary_gives_scores_and_margins_to_two_places(ncm) -> None:
    """The summary printed the score to one place and the margin as it came ("9.7" beside
    "8.34", "50.9" where the full table says 50.93): both now to two places, as the tables."""
    result = ncm("score", str(EXAMPLES), "--format", "table")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("---"))
    numbers = [re.findall(r"  (\d+\.\d+)(?=  )", ln) for ln in lines[start + 1 :]]
    pairs = [n[-2:] for n in numbers if len(n) >= 2]
    assert len(pairs) == len(list(EXAMPLES.glob("*.yaml"))), result.stdout
    for score, margin in pairs:
        assert re.fullmatch(r"\d+\.\d\d", score) and re.fullmatch(r"\d+\.\d\d", margin), pairs


def test_init_to_stdout_says_how_to_write_the_schema_its_first_line_names(ncm) -> None:
    """`ncm init - > p.yaml` wrote an editor line naming profile.schema.json, which only
    `ncm init FILE` writes: the editor found no schema, and nothing said how to make one."""
    result = ncm("init", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# yaml-language-server: $schema=profile.schema.json")
    assert "ncm schema > profile.schema.json" in result.stderr
    assert "ncm schema" not in result.stdout.splitlines()[0]


def test_a_mistyped_path_gets_the_name_beside_it(ncm, tmp_path: Path) -> None:
    """`ncm score profile/` (for profiles/) said only "no such file or folder": the name
    beside it that it is probably a typo of is now the hint, in score, report and validate."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "north_practices.yaml").write_bytes((EXAMPLES / "north_practices.yaml").read_bytes())
    for args in (
        ("score", str(tmp_path / "profile")),
        ("validate", str(tmp_path / "profile")),
        ("report", str(tmp_path / "profile"), "-o", str(tmp_path / "out")),
    ):
        result = ncm(*args)
        assert result.exit_code == 1, (args, result.output)
        assert f"(hint: did you mean {folder}?)" in result.stderr, (args, result.stderr)
    result = ncm("score", str(folder / "north.yaml"))
    assert f"(hint: did you mean {folder / 'north_practices.yaml'}?)" in result.stderr
    result = ncm("score", str(folder / "quite_unlike.yaml"))
    assert result.exit_code == 1 and "hint" not in result.stderr, result.stderr


def test_a_mistyped_path_is_not_matched_on_its_suffix_alone(ncm, tmp_path: Path) -> None:
    """`ncm score north.yaml` beside south.yaml said "did you mean south.yaml?": the shared
    `.yaml` made the names look close. The part before the suffix must be close too."""
    (tmp_path / "south.yaml").write_bytes((EXAMPLES / "north_practices.yaml").read_bytes())
    (tmp_path / "r4.yaml").write_bytes((EXAMPLES / "north_practices.yaml").read_bytes())
    for name in ("north.yaml", "nothere.yaml"):
        result = ncm("score", str(tmp_path / name))
        assert result.exit_code == 1, result.output
        assert "no such file or folder" in result.stderr and "hint" not in result.stderr, (
            name,
            result.stderr,
        )
    result = ncm("score", str(tmp_path / "soth.yaml"))
    assert f"(hint: did you mean {tmp_path / 'south.yaml'}?)" in result.stderr, result.stderr


def test_readiness_comparison_in_html_is_a_page_not_terminal_lines(ncm, tmp_path: Path) -> None:
    """`ncm compare RECORDS --format html` wrapped the terminal's lines in a `<pre>`: no title,
    no headings, no table, unlike every other HTML output. Now a page: a title, headings, the
    disagreements as a captioned table with header cells, every text from a file escaped."""
    profile = EXAMPLES / "north_practices.yaml"
    for name, role in [("dof", "Director <b>of</b> Finance"), ("ceo", "Chief Executive")]:
        made = ncm(
            "readiness", "init", str(profile), "-o", str(tmp_path / f"{name}.yaml"),
            "--role", role, "--organisation", "North",
        )  # fmt: skip
        assert made.exit_code == 0, made.stderr
    dof = tmp_path / "dof.yaml"
    dof.write_text(
        dof.read_text(encoding="utf-8").replace(
            "form_01:\n    status: not_considered", "form_01:\n    status: settled", 1
        ),
        encoding="utf-8",
    )
    page = tmp_path / "cmp.html"
    shown = ncm("compare", str(dof), str(tmp_path / "ceo.yaml"), "-o", str(page))
    assert shown.exit_code == 0, shown.stderr
    text = page.read_text(encoding="utf-8")
    assert "<pre>" not in text
    assert re.search(r"<title>Readiness compared: [^<]+</title>", text)
    assert "<h1>" in text and "<h2>Where stakeholders disagree</h2>" in text
    assert re.search(r"<caption>\d+ questions? answered differently</caption>", text)
    assert '<th scope="row"><b>form_01</b>' in text
    assert "&lt;b&gt;of&lt;/b&gt;" in text and "<b>of</b>" not in text


def test_a_record_read_with_another_partnerships_profile_is_warned(ncm, tmp_path: Path) -> None:
    """A record of North whose `profile:` (or `--profile`) was South's was shown with South's
    blocking questions and no word: the warning names the record's `partnership:` line."""
    north, south = EXAMPLES / "north_practices.yaml", EXAMPLES / "south_borough_integration.yaml"
    record = tmp_path / "rec.yaml"
    made = ncm(
        "readiness", "init", str(north), "-o", str(record), "--role", "DoF", "--organisation", "N"
    )
    assert made.exit_code == 0, made.stderr
    same = ncm("readiness", "show", str(record), "--profile", str(north))
    assert same.exit_code == 0 and "warning" not in same.stderr, same.stderr
    other = ncm("readiness", "show", str(record), "--profile", str(south))
    assert other.exit_code == 0, other.stderr
    line = next(
        i + 1
        for i, ln in enumerate(record.read_text(encoding="utf-8").splitlines())
        if ln.startswith("partnership:")
    )
    assert f"warning: {record}:{line}:14: partnership: the record is of 'North Locality" in (
        other.stderr
    ), other.stderr
    assert "is of 'South Borough integrated care partnership'" in other.stderr


def test_the_compare_workbook_says_whose_answers_close_an_option(ncm, tmp_path: Path) -> None:
    """The compare workbook's Rankings sheet showed a closed option (Multi-Site Trust, 29.44,
    rank 6) above an open one of lower score with nothing to say why, as the score workbook
    did before its `closed` column: a last column, `closed for`, names whose answers close it."""
    import openpyxl

    north, south = EXAMPLES / "north_practices.yaml", EXAMPLES / "south_borough_integration.yaml"
    book = tmp_path / "c.xlsx"
    result = ncm("compare", str(north), str(south), "-o", str(book))
    assert result.exit_code == 0, result.stderr
    head, *body = ([c.value for c in row] for row in openpyxl.load_workbook(book)["Rankings"].rows)
    assert head[-1] == "closed for"
    closed = {row[0]: row[-1] or "" for row in body}
    assert "north_practices" in closed["Multi-Site Trust"].split(", "), closed
    assert closed["GP Federation"] == "", closed


def test_compare_tables_give_scores_to_two_places(ncm) -> None:
    """`ncm compare` printed scores to one place (40.1, 52.6) where `ncm score` prints two
    (40.13): the same option's score read differently in the two tables."""
    result = ncm("compare", str(EXAMPLES))
    assert result.exit_code == 0, result.stderr
    rankings = result.stdout[result.stdout.index("Rankings") :]
    scores = re.findall(r"\((\d+\.\d+)\)", rankings)
    assert scores and all(re.fullmatch(r"\d+\.\d\d", s) for s in scores), scores
