"""`ncm score` through the real CLI on real files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ncm_toolkit.content import load_pack
from ncm_toolkit.profile import Profile
from ncm_toolkit.scoring import score_profile
from ncm_toolkit.vocabulary import OBJECTIVE_IDS, OPTION_IDS

from .conftest import EXAMPLES, MINIMAL, posix_only, terminal_class, write


@pytest.fixture(scope="module")
def pack():
    return load_pack()


def test_json_has_the_contract_keys(ncm):
    result = ncm("score", str(EXAMPLES), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"ncm_version", "content_version", "method_version", "results", "errors"} <= set(data)
    assert data["method_version"] == "2"
    assert data["errors"] == []
    paths = [r["profile"] for r in data["results"]]
    assert paths == sorted(paths) and len(paths) == len(list(EXAMPLES.glob("*.yaml")))
    for res in data["results"]:
        assert {"profile", "name", "ranking"} <= set(res)
        # competition ranking: tied options share a number and the next one skips (1, 1, 3)
        prev: dict | None = None
        for n, e in enumerate(res["ranking"], 1):
            tied = prev is not None and prev["option"] in e.get("tied_with", [])
            assert e["rank"] == (prev["rank"] if tied and prev else n)
            prev = e
        assert {e["option"] for e in res["ranking"]} == set(OPTION_IDS)
        # open options first, then those a gate closes (method 2); each part by score
        gated = [bool(e.get("gated")) for e in res["ranking"]]
        assert gated == sorted(gated)
        for part in (False, True):
            scores = [e["score"] for e, g in zip(res["ranking"], gated, strict=True) if g == part]
            assert scores == sorted(scores, reverse=True)
        for e in res["ranking"]:
            assert {"rank", "option", "title", "score"} <= set(e)
            assert 0 <= e["score"] <= 100


def test_every_score_adds_up(ncm):
    data = json.loads(ncm("score", str(EXAMPLES), "--format", "json").stdout)
    for res in data["results"]:
        for e in res["ranking"]:
            parts = sum(c["points"] for c in e["contributions"]) + sum(
                a["points"] for a in e["adjustments"]
            )
            # the score is the exact total rounded once; each part is rounded on its own
            n = len(e["contributions"]) + len(e["adjustments"])
            assert abs(parts - e["score"]) <= 0.005 * (n + 1) + 1e-9, (res["name"], e["option"])
            assert all(a["reason"] and a["source"] for a in e["adjustments"])


def test_invalid_profiles_reported_rest_scored(ncm, tmp_path):
    good = write(tmp_path / "a_good.yaml", MINIMAL)
    bad = write(tmp_path / "b_bad.yaml", MINIMAL + "colour: blue\n")
    result = ncm("score", str(tmp_path), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [r["profile"] for r in data["results"]] == [str(good)]
    assert data["errors"] == [
        {
            "profile": str(bad),
            "line": 5,
            "column": 1,
            "message": "unknown key",
            "field": "colour",
            "hint": "allowed keys: schema_version, name, description, "
            "partners, objectives, sustainability, risks, "
            "commissioning, governance, decision, structure, respondent, as_of",
        }
    ]
    assert f"{bad}:5:1: colour: unknown key" in result.stderr


def test_results_in_the_order_given(ncm, tmp_path):
    z = write(tmp_path / "z.yaml", MINIMAL)
    a = write(tmp_path / "a.yaml", MINIMAL)
    data = json.loads(ncm("score", str(z), str(a), "--format", "json").stdout)
    assert [r["profile"] for r in data["results"]] == [str(z), str(a)]


def test_csv_a_row_per_profile_and_option(ncm):
    result = ncm("score", str(EXAMPLES), "--format", "csv", "--top", "3")
    assert result.stdout.startswith("\ufeffprofile,")  # a BOM, so Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    # --top 3 keeps every option tied at the cut: rank 3 or better, at least 3 a profile
    per: dict[str, list[int]] = {}
    for row in rows:
        per.setdefault(row["profile"], []).append(int(row["rank"]))
    assert len(per) == len(list(EXAMPLES.glob("*.yaml")))
    assert all(len(ranks) >= 3 and max(ranks) <= 3 for ranks in per.values())
    assert {"profile", "name", "rank", "option", "title", "score"} <= set(rows[0])
    assert {row["method_version"] for row in rows} == {"2"}


def test_table_and_explain(ncm):
    path = EXAMPLES / "south_borough_integration.yaml"
    result = ncm("score", str(path), "--explain", "--top", "2")
    assert result.exit_code == 0
    assert "leads" in result.stdout or "ties" in result.stdout
    assert "(importance 5 × value " in result.stdout and ", from strength " in result.stdout


def test_output_file_written_atomically_and_not_overwritten(ncm, tmp_path):
    out = tmp_path / "scores.json"
    assert ncm("score", str(EXAMPLES), "--format", "json", "-o", str(out)).exit_code == 0
    first = out.read_bytes()
    again = ncm("score", str(EXAMPLES), "--format", "json", "-o", str(out))
    assert again.exit_code == 2 and "--force" in again.stderr
    assert ncm("score", str(EXAMPLES), "--format", "json", "-o", str(out), "--force").exit_code == 0
    assert out.read_bytes() == first  # deterministic
    assert [p.name for p in tmp_path.iterdir()] == ["scores.json"]


def test_collaborative_note_when_config_stays_and_can_do_alone(pack):
    profile = Profile.model_validate(
        {
            "name": "x",
            "objectives": {"integrating_primary_care": 3},
            "sustainability": {"configuration_must_change": False, "can_do_alone": True},
        }
    )
    result = score_profile(pack, profile)
    assert result.notes and "buddying" in result.notes[0]
    assert len(result.ranking) == 10
    other = Profile.model_validate({"name": "x", "objectives": {"integrating_primary_care": 3}})
    assert score_profile(pack, other).notes == []


def test_ties_reported_and_broken_by_pack_order(pack):
    # No objective any option serves at all is impossible; an objective with equal strength
    # across options with no adjustments gives ties.
    profile = Profile.model_validate({"name": "t", "objectives": {"integrating_back_office": 1}})
    result = score_profile(pack, profile)
    order = list(pack.options)
    for a, b in zip(result.ranking, result.ranking[1:], strict=False):
        if a.score == b.score:
            assert order.index(a.option) < order.index(b.option)
            assert b.option in a.tied_with and a.option in b.tied_with


def test_robustness_names_a_change_that_really_changes_the_winner(pack):
    profile = Profile.model_validate(
        {
            "name": "r",
            "objectives": {"integrating_health_and_social_care": 4, "integrating_primary_care": 3},
        }
    )
    result = score_profile(pack, profile)
    rob = result.robustness
    assert rob.winner == result.ranking[0].option
    assert rob.margin == round(result.ranking[0].score - result.ranking[1].score, 2)
    assert rob.change is not None
    stated: dict[str, int] = {str(k): v for k, v in profile.objectives.items()}
    changed = dict(stated)
    changed[rob.change.objective] = rob.change.new
    if not any(changed.values()):
        pytest.fail("suggested change removes every objective")
    again = score_profile(pack, Profile.model_validate({"name": "r", "objectives": changed}))
    # a change alters the first rank when who is first, or who shares first, changes
    firsts = [r.option for r in again.ranking if r.rank == 1]
    assert tuple(firsts) == rob.change.new_winners != tuple(rob.winners)
    assert firsts[0] == rob.change.new_winner
    assert pack.options[rob.change.new_winner].title in rob.sentence
    # and no smaller change would have done it
    step = abs(rob.change.new - rob.change.old)
    for obj in OBJECTIVE_IDS:
        cur = stated.get(obj, 0)
        for new in range(6):
            if 0 < abs(new - cur) < step:
                trial = {**stated, obj: new}
                if any(trial.values()):
                    t = score_profile(
                        pack, Profile.model_validate({"name": "r", "objectives": trial})
                    )
                    assert [r.option for r in t.ranking if r.rank == 1] == rob.winners


def test_formality_shortfall_costs_points(pack):
    base = {"name": "f", "objectives": {"expanding_services_across_sites": 5}}
    loose = score_profile(
        pack, Profile.model_validate({**base, "governance": {"formality": "informal"}})
    )
    free = score_profile(pack, Profile.model_validate(base))
    mst = {r.option: r for r in loose.ranking}["multi_site_trust"]
    assert any(a.rule == "formality_fit" for a in mst.adjustments)
    assert mst.score < {r.option: r for r in free.ranking}["multi_site_trust"].score


def test_score_is_deterministic(ncm):
    a = ncm("score", str(EXAMPLES), "--format", "json").stdout
    b = ncm("score", str(EXAMPLES), "--format", "json").stdout
    assert a == b


def test_missing_path_is_an_error_not_a_crash(ncm, tmp_path: Path):
    result = ncm("score", str(tmp_path / "nope.yaml"), "--format", "json")
    assert result.exit_code == 1
    assert "nope.yaml:1:1: cannot read" in result.stderr


def test_empty_folder_is_an_error_not_a_pass(ncm, tmp_path):
    empty = tmp_path / "profiles"
    empty.mkdir()
    for args in (("validate", str(empty)), ("score", str(empty), "--format", "json")):
        result = ncm(*args)
        assert result.exit_code == 1
        assert f"{empty}:1:1: no profiles" in result.stderr


def test_commissioners_do_not_change_the_partner_mix(pack):
    gp = {
        "name": "g",
        "objectives": {"integrating_primary_care": 4},
        "partners": [{"name": "A", "kind": "gp_practice"}, {"name": "B", "kind": "gp_practice"}],
    }
    with_icb = {**gp, "partners": [*gp["partners"], {"name": "ICB", "kind": "commissioner"}]}
    for data in (gp, with_icb):
        result = score_profile(pack, Profile.model_validate(data))
        fed = {r.option: r for r in result.ranking}["gp_federation"]
        assert "primary_care_partners_only" in {a.rule for a in fed.adjustments}
    only_icb = {**gp, "partners": [{"name": "ICB", "kind": "commissioner"}]}
    result = score_profile(pack, Profile.model_validate(only_icb))
    rules = {a.rule for r in result.ranking for a in r.adjustments}
    assert "primary_care_partners_only" not in rules


@posix_only
def test_progress_bar_on_a_terminal_only(ncm, tmp_path):
    import sys

    import pexpect

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(800):
        (folder / f"p{i:03}.yaml").write_text(MINIMAL)
    out = tmp_path / "o.json"
    child = terminal_class()(
        sys.executable,
        ["-m", "ncm_toolkit", "score", str(folder), "--format", "json", "-o", str(out)],
        encoding="utf-8",
        timeout=60,
    )
    child.expect("scoring")  # the bar, on the terminal's stderr
    child.expect(pexpect.EOF)
    assert json.loads(out.read_text())["errors"] == []
    # in-process: typer's runner gives stderr as a stream that is no terminal, as a pipe is
    piped = ncm("score", str(folder), "--format", "json", "-o", str(tmp_path / "p.json"))
    assert piped.exit_code == 0
    assert piped.stderr == f"wrote {tmp_path / 'p.json'}\n"  # no bar: stderr is no terminal


def test_options_level_at_100_are_ordered_by_their_total_before_the_clamp(pack):
    profile = Profile.model_validate(
        {
            "schema_version": 2,
            "name": "gp",
            # method 2: every objective at 5 gives each option close to 100 before the rules
            "objectives": dict.fromkeys(OBJECTIVE_IDS, 5),
            "partners": [
                {"name": "A", "kind": "gp_practice"},
                {"name": "B", "kind": "gp_practice"},
            ],
            "sustainability": {"configuration_must_change": True},
            "structure": {"lead": "general_practice"},
        }
    )
    result = score_profile(pack, profile)
    first, second = result.ranking[:2]
    assert first.score == second.score == 100
    assert first.unclamped > second.unclamped
    # gp_federation comes before super_practice in the pack; the clamp must not hide that the
    # super-practice gains more from the partnership's answers.
    assert (first.option, second.option) == ("super_practice", "gp_federation")
    # method 2: ties are decided on the totals before the clamp, so these two are not tied
    assert first.tied_with == [] and first.rank == 1 and second.rank == 2
    assert "before the clamp" in result.robustness.sentence
    assert result.robustness.winner == "super_practice"


@pytest.mark.parametrize("top", [None, 3])
def test_streamed_json_is_the_python_api_json(pack, top):
    """`ncm score --format json` assembles each result from pre-encoded pieces for speed; the
    text must be exactly `json.dumps` of `Result.to_json`, the documented Python API."""
    from ncm_toolkit.read.loader import load_model
    from ncm_toolkit.render.json import score_result_json

    paths = sorted(Path("tests/case_profiles").glob("*.yaml")) + sorted(EXAMPLES.glob("*.yaml"))
    assert len(paths) > 20
    for path in paths:
        profile, diags = load_model(path, Profile)
        assert profile is not None, diags
        result = score_profile(pack, profile)
        expected = json.dumps({"profile": str(path), **result.to_json(top)}, ensure_ascii=False)
        assert score_result_json(str(path), result, top) == expected


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_jobs_change_nothing_but_speed(ncm, big_batch, fmt):
    """The same bytes on stdout, the same errors on stderr, the same exit code, whether one
    process scores the batch or several (`--jobs 0` is auto: several on a multi-CPU Linux)."""
    runs = {
        jobs: ncm(
            "score",
            str(big_batch / "in"),
            str(big_batch / "empty"),
            "--format",
            fmt,
            "--jobs",
            jobs,
        )
        for jobs in ("1", "2", "3", "0")
    }
    one = runs["1"]
    assert one.exit_code == 1
    assert one.stderr.count("\n") == 5, one.stderr  # broken, typo (2), zero, empty folder
    assert "empty:1:1: " in one.stderr and "broken.yaml:2:1:" in one.stderr
    for jobs, run in runs.items():
        assert (run.exit_code, run.stdout, run.stderr) == (1, one.stdout, one.stderr), jobs


def test_jobs_really_fork_workers(pack, big_batch):
    """The parallel path is taken (and not silently serial) where it can be."""
    import os

    from ncm_toolkit import batch

    if not batch.resolve_jobs(2, 1000) > 1:
        pytest.skip("one process only on this platform")
    pids = {
        pid
        for _, pid, _ in batch.iter_rendered(
            pack, [big_batch / "in"], lambda shown, p, r: os.getpid(), jobs=2
        )
        if pid is not None
    }
    assert len(pids) == 2 and os.getpid() not in pids


def test_jobs_must_not_be_negative(ncm):
    result = ncm("score", str(EXAMPLES), "--jobs", "-1")
    assert result.exit_code == 2
