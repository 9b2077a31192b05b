"""`ncm score` shows the profile's saved `decision:` beside the ranking, through the real CLI:
a line under the terminal table (saying plainly when the decided option is not the
top-ranked), a `decision` object in each JSON result (null without one), CSV unchanged."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import EXAMPLES, write

BASE = """\
schema_version: 2
name: Decided partnership
partners:
  - {name: Trust, kind: acute_trust}
  - {name: Federation, kind: gp_federation}
objectives:
  integrating_primary_care: 4
governance:
  formality: merger
"""


def decision(option: str, extra: str = "") -> str:
    return f"decision:\n  option: {option}\n{extra}"


FULL = "  form: lead_contractor\n  agreed_by: joint programme board\n  agreed_on: 2024-05-01\n"


def score_json(ncm, path: Path) -> dict:
    result = ncm("score", str(path), "--format", "json", "--no-acceptability")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["results"][0]


def table(ncm, path: Path) -> str:
    result = ncm("score", str(path), "--no-acceptability")
    assert result.exit_code == 0, result.stderr
    return " ".join(result.stdout.split())  # the terminal wraps lines


def top_and_other(ncm, tmp_path: Path) -> tuple[str, str]:
    r = score_json(ncm, write(tmp_path / "plain.yaml", BASE))
    first = [x["option"] for x in r["ranking"] if x["rank"] == 1]
    other = next(x["option"] for x in r["ranking"] if x["rank"] > 1)
    return first[0], other


def test_json_decision_object(ncm, tmp_path: Path) -> None:
    _, other = top_and_other(ncm, tmp_path)
    r = score_json(ncm, write(tmp_path / "d.yaml", BASE + decision(other, FULL)))
    assert r["decision"] == {
        "option": other,
        "form": "lead_contractor",
        "agreed_by": "joint programme board",
        "agreed_on": "2024-05-01",
    }
    # only the option: the other keys are there, null
    r = score_json(ncm, write(tmp_path / "o.yaml", BASE + decision(other)))
    assert r["decision"] == {"option": other, "form": None, "agreed_by": None, "agreed_on": None}
    # no decision (every version-1 example): the key is there, null
    result = ncm("score", str(EXAMPLES), "--format", "json", "--no-acceptability")
    results = json.loads(result.stdout)["results"]
    assert results and all("decision" in x and x["decision"] is None for x in results)


def test_table_line_when_the_decision_is_not_the_top(ncm, tmp_path: Path) -> None:
    top, other = top_and_other(ncm, tmp_path)
    r = score_json(ncm, write(tmp_path / "plain.yaml", BASE))
    titles = {x["option"]: x["title"] for x in r["ranking"]}
    rank = next(x["rank"] for x in r["ranking"] if x["option"] == other)
    out = table(ncm, write(tmp_path / "d.yaml", BASE + decision(other, FULL)))
    assert (
        f"Decision: {titles[other]}, form Lead contractor model, agreed by joint programme "
        "board on 2024-05-01." in out
    )
    assert f"The decided option is not the top-ranked: it ranks {rank}" in out
    assert f"puts {titles[top]} first" in out
    # the line comes under the ranking, before the robustness sentence
    assert out.index("Decision:") > out.index(titles[other])


def test_table_line_when_the_decision_is_the_top(ncm, tmp_path: Path) -> None:
    top, _ = top_and_other(ncm, tmp_path)
    out = table(ncm, write(tmp_path / "d.yaml", BASE + decision(top)))
    assert "Decision: " in out
    assert "not the top-ranked" not in out
    # no decision, no line
    assert "Decision:" not in table(ncm, tmp_path / "plain.yaml")


def test_decision_text_is_not_markup(ncm, tmp_path: Path) -> None:
    _, other = top_and_other(ncm, tmp_path)
    hostile = '  agreed_by: "[red]board[/red] \\x1b[31m"\n'
    out = table(ncm, write(tmp_path / "h.yaml", BASE + decision(other, hostile)))
    assert "agreed by [red]board[/red]" in out
    assert "\x1b" not in out


def test_csv_unchanged_by_a_decision(ncm, tmp_path: Path) -> None:
    _, other = top_and_other(ncm, tmp_path)
    p = tmp_path / "same.yaml"

    def csv() -> str:
        result = ncm("score", str(p), "--format", "csv", "--no-acceptability")
        assert result.exit_code == 0, result.stderr
        return result.stdout

    write(p, BASE)
    without = csv()
    write(p, BASE + decision(other, FULL))
    assert csv() == without


def test_the_board_paper_names_the_decided_form_by_its_title(ncm, tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", BASE + decision("pacs", FULL))
    for fmt in ("md", "html"):
        out = tmp_path / f"p.{fmt}"
        result = ncm("report", str(path), "-o", str(out), "--force")
        assert result.exit_code == 0, result.stderr
        text = out.read_text(encoding="utf-8")
        assert "Lead contractor" in text.split("Appendix")[0], fmt
        assert "as lead_contractor" not in text and "as lead\\_contractor" not in text


def test_a_paper_is_not_written_for_a_decision_the_pack_cannot_name(ncm, tmp_path: Path) -> None:
    bad = FULL.replace("lead_contractor", "lead_contractorr")
    path = write(tmp_path / "p.yaml", BASE + decision("pacs", bad))
    good = write(tmp_path / "q.yaml", BASE + decision("pacs", FULL))
    result = ncm("report", str(path), str(good), "-o", str(tmp_path / "out") + "/")
    assert result.exit_code == 1
    assert "decision.form: unknown form 'lead_contractorr'" in result.stderr
    assert f"{path}:" in result.stderr  # located in the profile
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["q.html"], written
