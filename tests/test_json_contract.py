"""Every JSON output keeps the contract's keys and carries those the README lists under "What
the JSON outputs carry" (additions only: a key that disappears fails here)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import EXAMPLES

ENVELOPE = {"ncm_version", "content_version", "method_version", "results", "errors"}
SCORE_RESULT = {"profile", "name", "ranking", "robustness", "notes", "decision"}
RANKING_ENTRY = {"rank", "option", "title", "score", "base", "contributions", "adjustments"}
ROBUSTNESS = {"winner", "winners", "runner_up", "margin", "change", "one_step", "sentence"}
PLAN_RESULT = {
    "profile", "name", "option", "option_title", "option_chosen_by", "form", "form_title",
    "form_reason", "form_source", "forms", "implications", "decision", "currency",
    "currency_reviewed", "guidance_written",
}  # fmt: skip


def _json(ncm, *args: str) -> dict:
    result = ncm(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data: dict = json.loads(result.stdout)
    return data


def test_score_json_keys(ncm) -> None:
    data = _json(ncm, "score", str(EXAMPLES))
    assert ENVELOPE | {"content_digest"} <= set(data)
    for r in data["results"]:
        assert set(r) >= SCORE_RESULT
        assert set(r["robustness"]) >= ROBUSTNESS
        assert all(set(e) >= RANKING_ENTRY for e in r["ranking"])
        ranks = [e["rank"] for e in r["ranking"]]
        assert ranks == sorted(ranks) and ranks[0] == 1


def test_single_profile_carries_acceptability_and_the_decision_key(ncm) -> None:
    data = _json(ncm, "score", str(EXAMPLES / "north_practices.yaml"))
    (r,) = data["results"]
    assert all(0 <= e["first_rank_acceptability"] <= 1 for e in r["ranking"])
    assert "decision" in r  # null when the profile saved none


def test_plan_json_keys(ncm) -> None:
    data = _json(ncm, "plan", str(EXAMPLES / "north_practices.yaml"))
    assert set(data) >= ENVELOPE
    (r,) = data["results"]
    assert set(r) >= PLAN_RESULT
    topics = {i["topic"] for i in r["implications"]}
    assert {"tupe", "pensions", "consultation"} <= topics


def test_compare_json_keys(ncm) -> None:
    files = sorted(Path(EXAMPLES).glob("*.yaml"))[:2]
    data = _json(ncm, "compare", *map(str, files))
    assert {"ncm_version", "content_version", "method_version", "to_settle"} <= set(data)
    assert all({"kind", "key", "text", "views"} <= set(s) for s in data["to_settle"])
