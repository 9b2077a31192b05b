"""The case studies as test cases: each case's own option should rank at or near the top.

Every `tests/case_profiles/<case_id>.yaml` is a profile written only from what the case study's
text says the partnership wanted and who its partners were (see that folder's README and the
comment atop each file). The real `ncm score` ranks it and the option the case study is filed under
(`option` in `data/case_studies/<case_id>.yaml`) must be among the top 3.

A failure here points at the content pack's alignments or rules, not at the profile: fix the data
with evidence from the sources, never by tuning a profile.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from ncm_toolkit.cli import app

ROOT = Path(__file__).resolve().parents[1]
PROFILES = ROOT / "tests" / "case_profiles"
CASES = ROOT / "data" / "case_studies"
TOP = 3

CASE_PROFILES = sorted(PROFILES.glob("*.yaml"))


def case_option(case_id: str) -> str:
    data = YAML(typ="safe").load((CASES / f"{case_id}.yaml").read_text(encoding="utf-8"))
    return str(data["option"])


def score(path: Path) -> list[dict]:
    result = CliRunner().invoke(app, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["errors"] == []
    (res,) = data["results"]
    return res["ranking"]


def standing(ranking: list[dict], option: str) -> int:
    """1 + the number of options scoring strictly higher: a tie is not lost on tie-break order."""
    mine = next(e["score"] for e in ranking if e["option"] == option)
    return 1 + sum(e["score"] > mine for e in ranking)


def test_enough_cases_over_enough_options():
    options = {case_option(p.stem) for p in CASE_PROFILES}
    assert len(CASE_PROFILES) >= 10
    assert len(options) >= 8


@pytest.mark.parametrize("path", CASE_PROFILES, ids=[p.stem for p in CASE_PROFILES])
def test_case_option_ranks_in_top_3(path: Path):
    assert (CASES / f"{path.stem}.yaml").is_file(), f"no case study {path.stem}"
    option = case_option(path.stem)
    ranking = score(path)
    rank = standing(ranking, option)
    table = ", ".join(f"{e['rank']}. {e['option']} {e['score']}" for e in ranking)
    assert rank <= TOP, f"{path.stem}: {option} ranks {rank}; {table}"
