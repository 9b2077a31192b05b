"""A second walk through the README as a new user (an ICB analyst): `ncm plan`, `ncm compare`,
readiness, the board paper, batch and CI use, the Python API. Each test is a stumble found on
that walk, run through the real CLI on real files."""

from __future__ import annotations

import shutil
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "profiles"


def _file_cells(stdout: str) -> list[list[str]]:
    """The batch summary's file column, one list of lines per row."""
    lines = stdout.splitlines()
    head = lines[1]
    start, end = head.index("file"), head.index("best option")
    score_at = head.index("score")
    rows: list[list[str]] = []
    for line in lines[3:]:
        if line.startswith("Full tables"):
            break
        cell = line[start:end].rstrip()
        if line[score_at - 2 : score_at + 5].strip():  # the score: a row's first line
            rows.append([cell])
        elif cell:
            rows[-1].append(cell)
    return rows


def test_batch_summary_folds_a_long_path_at_separators_not_mid_word(ncm, tmp_path, monkeypatch):
    """README "Batches in a terminal": at 80 columns the file column is 14 wide. A folder name
    longer than that ("north-east-and-north-cumbria/") was cut mid-word ("north-east-and" /
    "-north-cumbria" / "/"), and so was a file name ("east_care_home" / "s.yaml"); now every
    line of the cell ends at '/', '-' or '_', or the next begins with '.'."""
    deep = tmp_path / "regions" / "north-east-and-north-cumbria" / "integrated-care-partnerships"
    deep.mkdir(parents=True)
    for src in EXAMPLES.glob("*.yaml"):
        shutil.copy(src, deep / src.name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    result = ncm("score", "regions/")
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    rows = _file_cells(result.stdout)
    assert len(rows) == 3, result.stdout
    for cells in rows:
        whole = "".join(cells)
        assert whole.startswith("regions/north-east-and-north-cumbria/"), cells
        assert whole.endswith(".yaml"), cells
        for here, after in pairwise(cells):
            assert here[-1] in "/-_" or after.startswith("."), cells


def test_examples_describes_each_example_and_stays_one_name_a_line_for_scripts(ncm):
    """README "A first assessment": `ncm examples` listed bare file names, so a new user could
    not tell which example fits. `--describe` (the default on a terminal) adds the partnership
    and its partners' kinds; piped (as here), or with `--names`, it is one name a line."""
    names = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
    piped = ncm("examples")
    assert piped.exit_code == 0 and piped.stdout.splitlines() == names
    assert ncm("examples", "--names").stdout.splitlines() == names
    described = ncm("examples", "--describe")
    assert described.exit_code == 0, described.stderr
    lines = dict(line.split(None, 1) for line in described.stdout.splitlines())
    assert sorted(lines) == names
    assert lines["north_practices"] == "North Locality practices: GP practice x3"
    assert lines["east_care_homes"].startswith("East care homes programme: community health")
    assert "care home" in lines["east_care_homes"]


def test_compare_warns_when_the_profiles_name_different_partnerships(ncm, tmp_path):
    """README "Several voices": each profile is one stakeholder's answers for the SAME
    partnership. Comparing three different partnerships (here the three bundled examples, as a
    new user trying the command would) went through silently, every answer reported as a
    "split" to settle; now a warning names each partnership and its files (exit still 0)."""
    answers = tmp_path / "answers"
    answers.mkdir()
    for who, example in (("acute", "north_practices"), ("gp", "south_borough_integration")):
        shutil.copy(EXAMPLES / f"{example}.yaml", answers / f"{who}.yaml")
    result = ncm("compare", str(answers / "acute.yaml"), str(answers / "gp.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "warning: the profiles name 2 partnerships" in result.stderr
    assert "North Locality practices (" in result.stderr and "acute.yaml)" in result.stderr
    assert "South Borough integrated care partnership (" in result.stderr
    # One partnership, two stakeholders (the name differing only in case and spaces): no warning.
    text = (EXAMPLES / "north_practices.yaml").read_text(encoding="utf-8")
    (answers / "gp.yaml").write_text(
        text.replace("name: North Locality practices", "name: north  locality practices").replace(
            "integrating_back_office: 4", "integrating_back_office: 1"
        ),
        encoding="utf-8",
    )
    same = ncm("compare", str(answers / "acute.yaml"), str(answers / "gp.yaml"))
    assert same.exit_code == 0, same.stderr
    assert "warning" not in same.stderr


def test_readme_says_what_ncm_plans_method_version_is(ncm, tmp_path):
    """README "After the ranking": `ncm plan --format json` carries `method_version: "1"` while
    the README's scoring section says method 2, which read as a stale or mismatched ncm. The
    README now says the plan's is its own rules' version, and names the value it prints."""
    import json
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    said = re.search(r'`method_version` is the plan\s+rules\' version, "(\d+)"', readme)
    assert said, "the README does not say what ncm plan's method_version is"
    result = ncm("plan", str(EXAMPLES / "north_practices.yaml"), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["method_version"] == said.group(1)


def test_readme_python_api_example_runs_and_to_json_is_a_dict(tmp_path):
    """README "Python API": the example runs as printed from a checkout's root, and
    `Result.to_json()` gives a dict, as the README now says (it said "the JSON", and
    `json.loads(result.to_json())` failed)."""
    import re
    import subprocess
    import sys

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Python API") : readme.index("## How scoring works")]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code
    script = code.group(1) + "\nassert isinstance(result.to_json(), dict)\n"
    assert "as a dict" in section
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "GP Federation" in run.stdout
