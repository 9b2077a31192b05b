"""A fourth walk through the README as a new user (an ICB analyst in 2026), at an 80-column
terminal: the first assessment, `ncm compare`, `ncm readiness`, the reference screens, `ncm
--help` and the CI summary. Each test is a stumble found on that walk, run through the real CLI
on real files."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from ncm_toolkit.cli.core import COMMANDS
from ncm_toolkit.content import load_pack

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "profiles"


@pytest.fixture(autouse=True)
def _eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("NO_COLOR", raising=False)


def _section(text: str, heading: str, end: str | None = None) -> list[str]:
    """The non-empty lines after the line starting with `heading`, up to the line starting
    with `end` (or an empty line)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading)) + 1
    out: list[str] = []
    for line in lines[start:]:
        if not line.strip() or (end is not None and line.startswith(end)):
            break
        out.append(line)
    return out


def _readiness_record(ncm, tmp_path: Path) -> Path:
    """README Readiness: `ncm readiness init PROFILE -o ready/dof.yaml --role ... --organisation
    ...`, from the South Borough example (its plan has likely workforce implications)."""
    profile = tmp_path / "profiles" / "south.yaml"
    made = ncm("init", "--example", "south_borough_integration", str(profile))
    assert made.exit_code == 0, made.stderr
    record = tmp_path / "ready" / "dof.yaml"
    made = ncm(
        "readiness", "init", str(profile), "-o", str(record),
        "--role", "Director of Finance", "--organisation", "North Council",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    return record


def test_readiness_show_keeps_wrapped_questions_under_their_item(ncm, tmp_path) -> None:
    """README: `ncm readiness show ready/dof.yaml  # readiness per area, blocking, next
    actions`. A question or reason longer than the line went on at column 0, under the
    headings, so the next question's id was hard to find. Now every line of the lists is
    indented under its item: only the two headings start at column 0."""
    record = _readiness_record(ncm, tmp_path)
    shown = ncm("readiness", "show", str(record))
    assert shown.exit_code == 0, shown.stderr
    blocking = _section(shown.stdout, "Blocking", end="Next actions")
    actions = _section(shown.stdout, "Next actions")
    assert len(blocking) > 5 and len(actions) > 5, shown.stdout
    for line in blocking + actions:
        assert line.startswith("  "), f"a line at column 0: {line!r}\n{shown.stdout}"
    items = [line for line in blocking if re.match(r"^  [a-z]+_\d\d ", line)]
    assert items, shown.stdout
    for line in blocking:  # a continuation is indented more than its item's id
        if line not in items:
            assert line.startswith("    "), line


def test_blocking_reason_says_the_workforce_implication_is_rated_likely(ncm, tmp_path) -> None:
    """The reason a workforce question blocks read "Professional regulation of new roles is
    likely", as if the regulation were likely. It is the implication that `ncm plan` rates
    likely, and the reason now says so."""
    record = _readiness_record(ncm, tmp_path)
    shown = ncm("readiness", "show", str(record), "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    reasons = [why for q in json.loads(shown.stdout)["blocking"] for why in q["reasons"]]
    assert any(why.startswith("Workforce implication rated likely: ") for why in reasons), reasons
    assert not any(why.endswith(" is likely") for why in reasons), reasons


def test_compare_keeps_wrapped_disagreements_under_their_item(ncm, tmp_path) -> None:
    """README: `ncm compare answers/acute.yaml answers/gp.yaml answers/council.yaml`. Under
    "Where the stakeholders disagree most" a long line ("... 21.26 points apart)") went on at
    column 0. Each line of the list is now indented under its numbered item."""
    paths = []
    for who, objective in (
        ("acute", "integrating_back_office"),
        ("gp", None),
        ("council", "integrating_health_and_social_care"),
    ):
        path = tmp_path / "answers" / f"{who}.yaml"
        made = ncm("init", str(path), "--name", "North Partnership")
        assert made.exit_code == 0, made.stderr
        if objective:
            text = path.read_text(encoding="utf-8").replace(f"{objective}: 0", f"{objective}: 5")
            path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    shown = ncm("compare", *paths)
    assert shown.exit_code == 0, shown.stderr
    lines = _section(shown.stdout, "Where the stakeholders disagree most")
    assert any(len(line) > 60 for line in lines), shown.stdout  # long enough to wrap at 80
    for line in lines:
        assert line.startswith("  "), f"a line at column 0: {line!r}\n{shown.stdout}"
        assert re.match(r"^  \d\. |^     ", line), line


@pytest.mark.parametrize(
    "args", [("models", "show", "pacs"), ("cases", "show", "whitstable_medical_practice")]
)
def test_reference_screens_say_what_each_source_id_stands_for(ncm, args) -> None:
    """README Commands: `ncm models show pacs`, `ncm cases show whitstable_medical_practice`.
    Each item ended with "(module1)", "(hempsons)", "(hlp_integration)" or "(case_studies)":
    ids a board analyst has never seen. The screen now ends with a key naming each document
    cited, by its title and publisher."""
    shown = ncm(*args)
    assert shown.exit_code == 0, shown.stderr
    cited = set(re.findall(r"\(([a-z0-9_]+)\)\s*$", shown.stdout, re.M))
    docs = {d.id: d for d in load_pack().manifest.documents}
    cited &= set(docs)
    assert cited, shown.stdout
    key = " ".join(" ".join(_section(shown.stdout, "Sources")).split())
    for doc in cited:
        assert f"{doc}: {' '.join(docs[doc].title.split())}" in key, key


@pytest.mark.parametrize("group", [(), ("readiness",), ("models",), ("cases",)])
def test_command_lists_in_help_are_whole_sentences(ncm, group) -> None:
    """`ncm --help` is the first thing a new user runs. Its command list cut nine of the
    fourteen lines mid-phrase ("List the example profiles shipped with ncm (use one with
    `ncm..."), and `ncm readiness --help` all three. Each line is now whole, wrapped under
    its command."""
    shown = ncm(*group, "--help")
    assert shown.exit_code == 0, shown.stderr
    listed = shown.stdout.split("Commands:", 1)[1]
    assert "..." not in listed, listed
    joined = " ".join(listed.split())
    if not group:
        for name, line in COMMANDS.items():
            assert f"{name} {' '.join(line.split())}" in joined, joined


def test_github_summary_counts_read_as_english(ncm, tmp_path, monkeypatch) -> None:
    """README In CI: `ncm report ... --github-summary`. The job summary said "1 report(s)
    written": counts now read as English, as `ncm validate`'s do."""
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    one = ncm(
        "report", str(EXAMPLES / "north_practices.yaml"), "-o", str(tmp_path / "papers") + "/",
        "--format", "md", "--github-summary",
    )  # fmt: skip
    assert one.exit_code == 0, one.stderr
    assert "1 report written." in summary.read_text(encoding="utf-8")
    summary.unlink()
    every = ncm(
        "report", str(EXAMPLES), "-o", str(tmp_path / "all"), "--format", "md",
        "--github-summary",
    )  # fmt: skip
    assert every.exit_code == 0, every.stderr
    text = summary.read_text(encoding="utf-8")
    assert "3 reports written." in text and "(s)" not in text, text


def _readme_block(after: str) -> list[str]:
    """The commands of the first ```sh block after the line `after` in README.md."""
    text = (ROOT / "README.md").read_text(encoding="utf-8").split(after, 1)[1]
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_readme_report_examples_run_as_written(ncm, tmp_path, monkeypatch) -> None:
    """README Reports: after "A first assessment" (profiles/north.yaml), its examples named
    `profiles/south.yaml` and `south.yaml`, which no step had made: copied as written, three of
    the four failed with "no such file". The block now makes the South Borough profile from the
    examples first, and every line runs, in order, in the folder of the first assessment."""
    monkeypatch.chdir(tmp_path)
    assert ncm("init", "profiles/north.yaml", "--name", "North Locality").exit_code == 0
    lines = _readme_block("### Reports: `ncm report`")
    assert len(lines) >= 4
    for line in lines:
        words = shlex.split(line, comments=True)
        while "=" in words[0]:  # an environment variable before the command
            name, value = words.pop(0).split("=", 1)
            monkeypatch.setenv(name, value)
        assert words[0] == "ncm", line
        done = ncm(*words[1:])
        assert done.exit_code == 0, (line, done.stdout, done.stderr)
    assert (tmp_path / "south.docx").is_file() and (tmp_path / "papers" / "south.html").is_file()
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["north.md", "south.md"]


def test_board_paper_does_not_call_the_objectives_by_points_the_highest_rated(
    ncm, tmp_path
) -> None:
    """The board paper's recommendation said "it serves the objectives the partnership rated
    highest: integrating primary and secondary care (importance 4), strengthening out of
    hospital care (importance 4) and integrating health and social care (importance 5)": the
    list is in order of the points each objective gives the option, so a board member read an
    importance 5 ranked below two 4s. It now says what the list is."""
    out = tmp_path / "south.md"
    done = ncm("report", str(EXAMPLES / "south_borough_integration.yaml"), "-o", str(out))
    assert done.exit_code == 0, done.stderr
    line = next(x for x in out.read_text(encoding="utf-8").splitlines() if "Recommendation" in x)
    assert "rated highest" not in line, line
    assert "its score comes most from the objectives integrating primary and secondary" in line


def test_plan_names_the_organisational_forms_by_title(ncm) -> None:
    """README: `ncm plan profiles/north.yaml` "gives the organisational form". Its table of
    forms listed ids alone ("section_75_partnership", "corporate_joint_venture"), while the
    line above it named the chosen form by title. Each form is now its title, with the id
    that `--form` takes after it."""
    shown = ncm("plan", str(EXAMPLES / "north_practices.yaml"))
    assert shown.exit_code == 0, shown.stderr
    table = shown.stdout.split("Organisational forms", 1)[1].split(" requires", 1)[0]
    first = [line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│")]
    assert "Corporate joint venture (new delivery vehicle)" in first, table
    assert "(corporate_joint_venture)" in first, table  # the id, under its title
    assert "corporate_joint_venture" not in first, table


def test_readme_values_of_strength_3_are_the_packs(ncm) -> None:
    """README, A first assessment: "divided by the option's breadth" next to `value 3.3774,
    from strength 3` read as if a division had made the value larger. The README now says the
    value is scaled by breadth, with the bundled pack's narrowest and broadest values of
    strength 3, which `--explain` shows."""
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "divided by the option's breadth" not in readme
    pack = load_pack()
    breadth = {
        o.title: sum(a.strength for a in o.alignments.values()) for o in pack.options.values()
    }
    narrow, broad = min(breadth, key=breadth.__getitem__), max(breadth, key=breadth.__getitem__)

    def value(title: str) -> str:
        e = pack.scoring.breadth_exponent  # README, How scoring works: the formula
        return f"{300 / (5 * breadth[title] ** e * 27 ** (1 - e)):.2f}"

    assert f"strength 3 is worth {value(narrow)} for {narrow}, the narrowest option" in readme
    assert f"and {value(broad)} for {broad}, the broadest" in readme
