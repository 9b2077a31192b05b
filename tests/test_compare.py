"""`ncm compare` through the real CLI on real files: agreement, splits, reversed rankings, and
two snapshots of one partnership over time."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ncm_toolkit.vocabulary import OBJECTIVE_IDS, OPTION_IDS

from .conftest import MINIMAL, write


def profile(path: Path, name: str, objectives: dict[str, int], extra: str = "") -> Path:
    lines = [f"schema_version: 1\nname: {name}\nobjectives:\n"]
    lines += [f"  {k}: {v}\n" for k, v in objectives.items()]
    return write(path, "".join(lines) + extra)


def run_json(ncm, *paths: Path) -> dict:
    result = ncm("compare", *map(str, paths), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def objective(data: dict, oid: str) -> dict:
    return next(o for o in data["objectives"] if o["objective"] == oid)


def option(data: dict, oid: str) -> dict:
    return next(o for o in data["options"] if o["option"] == oid)


@pytest.fixture
def reversed_pair(tmp_path: Path) -> tuple[Path, Path]:
    """A hospital view and a practice view: each one's winner is near the bottom for the other."""
    hospital = profile(
        tmp_path / "hospital.yaml",
        "Hospital view",
        # (method 2: with sites instead of social care the hospital chain, strong on the back
        # office too, led both views, and there was no reversal to test)
        {"redesigning_urgent_and_emergency_care": 5, "integrating_health_and_social_care": 4},
    )
    practice = profile(
        tmp_path / "practice.yaml",
        "Practice view",
        {"integrating_primary_care": 5, "integrating_back_office": 4},
    )
    return hospital, practice


def test_profiles_that_agree(ncm, tmp_path):
    objs = [
        {"integrating_primary_care": 4, "integrating_back_office": 3},
        {"integrating_primary_care": 5, "integrating_back_office": 3},
        {"integrating_primary_care": 4, "integrating_back_office": 2},
    ]
    paths = [profile(tmp_path / f"p{i}.yaml", "North", o) for i, o in enumerate(objs)]
    data = run_json(ncm, *paths)
    assert data["verdicts"] == {"agreement": 2, "uncertain": 0, "split": 0}
    assert objective(data, "integrating_primary_care")["combined"] == 4
    assert objective(data, "integrating_back_office")["combined"] == 3
    assert data["over_time"] is None  # three profiles are stakeholders, not snapshots
    # Everyone puts the same option first, and so does the combined ranking.
    winners = {r["ranking"][0]["option"] for r in data["rankings"]}
    assert winners == {data["combined"]["ranking"][0]["option"]}
    table = ncm("compare", *map(str, paths))
    assert table.exit_code == 0, table.stderr
    assert "Agreement on 2, uncertain on 0, split on 0 of the objectives held" in table.stdout


def test_identical_profiles_have_nothing_to_dispute(ncm, tmp_path):
    a = write(tmp_path / "a.yaml", MINIMAL)
    b = write(tmp_path / "b.yaml", MINIMAL.replace("Minimal", "Other"))
    data = run_json(ncm, a, b)
    assert data["most_disputed"] == []
    assert all(o["rank_spread"] == 0 and o["score_spread"] == 0 for o in data["options"])
    assert "Nowhere" in ncm("compare", str(a), str(b)).stdout


def test_profiles_that_split(ncm, tmp_path):
    acute = profile(
        tmp_path / "acute.yaml",
        "West",
        {
            "integrating_primary_and_secondary_care": 5,
            "redesigning_urgent_and_emergency_care": 5,
            "integrating_primary_care": 1,
            "leveraging_technology": 3,
        },
    )
    gp = profile(
        tmp_path / "gp.yaml",
        "West",
        {
            "integrating_primary_care": 5,
            "integrating_primary_and_secondary_care": 4,
            "leveraging_technology": 2,
        },
    )
    council = profile(
        tmp_path / "council.yaml",
        "West",
        {
            "integrating_health_and_social_care": 5,
            "integrating_primary_and_secondary_care": 4,
            "integrating_primary_care": 3,
            "leveraging_technology": 4,
        },
    )
    data = run_json(ncm, acute, gp, council)
    got = {o["objective"]: o["verdict"] for o in data["objectives"]}
    assert got["integrating_primary_care"] == "split"  # 1, 5, 3: spread 4
    assert got["redesigning_urgent_and_emergency_care"] == "split"  # 5 against 0
    assert got["integrating_primary_and_secondary_care"] == "agreement"  # 5, 4, 4
    assert got["leveraging_technology"] == "uncertain"  # 3, 2, 4: spread 2 above 0
    assert got["integrating_back_office"] == "agreement"  # nobody holds it ...
    assert data["verdicts"] == {"agreement": 1, "uncertain": 1, "split": 3}  # ... nor counts it
    # Medians: an objective only one of three holds drops out of the combined view.
    imp = data["combined"]["importances"]
    assert imp["integrating_primary_care"] == 3
    assert imp["integrating_primary_and_secondary_care"] == 4
    assert imp["redesigning_urgent_and_emergency_care"] == 0
    assert imp["leveraging_technology"] == 3
    # The most disputed options come with the objectives that drive the dispute.
    assert 1 <= len(data["most_disputed"]) <= 3
    first = option(data, data["most_disputed"][0])
    assert first["rank_spread"] == max(o["rank_spread"] for o in data["options"])
    assert first["drivers"], first
    for d in first["drivers"]:
        assert d["weight"] == d["spread"] * d["strength"] > 0
    weights = [d["weight"] for d in first["drivers"]]
    assert weights == sorted(weights, reverse=True)
    table = ncm("compare", str(acute), str(gp), str(council)).stdout
    assert "Where the stakeholders disagree most" in table
    assert first["title"] in table.split("disagree most")[1]


def test_profiles_that_reverse_the_ranking(ncm, reversed_pair):
    hospital, practice = reversed_pair
    data = run_json(ncm, hospital, practice)
    h, p = (r["ranking"] for r in data["rankings"])
    assert h[0]["option"] == "urgent_emergency_care_network"
    assert p[0]["option"] == "gp_federation"
    # Each stakeholder's first choice is near the bottom of the other's ranking.
    # (positions, not rank numbers: tied options share a rank number since method 2)
    rank_in = {r["option"]: n for n, r in enumerate(p, 1)}
    assert rank_in[h[0]["option"]] >= 8
    rank_in = {r["option"]: n for n, r in enumerate(h, 1)}
    assert rank_in[p[0]["option"]] >= 7
    assert "urgent_emergency_care_network" in data["most_disputed"][:2]
    assert "gp_federation" in data["most_disputed"]
    uec = option(data, "urgent_emergency_care_network")
    assert uec["drivers"][0]["objective"] == "redesigning_urgent_and_emergency_care"
    gpf = option(data, "gp_federation")
    assert gpf["drivers"][0]["objective"] in ("integrating_primary_care", "integrating_back_office")
    assert all(o["verdict"] == "split" for o in data["objectives"] if max(o["importances"]))
    # Medians of two are means, rounded half up: 5 and 0 make 3, 4 and 0 make 2.
    assert objective(data, "redesigning_urgent_and_emergency_care")["combined"] == 3
    assert objective(data, "integrating_back_office")["combined"] == 2
    assert data["over_time"] is None  # different partnership names: not snapshots


def test_over_time_with_two_snapshots(ncm, tmp_path):
    before = profile(
        tmp_path / "2024.yaml",
        "South Borough",
        {"integrating_primary_care": 2, "redesigning_urgent_and_emergency_care": 5},
        "partners:\n  - {name: South Hospital, kind: acute_trust}\n"
        "  - {name: Elm Surgery, kind: gp_practice}\n"
        "sustainability: {can_do_alone: true}\n"
        "risks:\n  - Old risk\n"
        "governance: {formality: informal}\n",
    )
    after = profile(
        tmp_path / "2025.yaml",
        "South  Borough",  # the same name, whitespace aside
        {"integrating_primary_care": 5, "integrating_back_office": 3},
        "partners:\n  - {name: South Hospital, kind: acute_trust}\n"
        "  - {name: Oak Care Home, kind: care_home}\n"
        "sustainability: {can_do_alone: false}\n"
        "risks:\n  - 'New <b>risk</b> [x](http://evil)'\n"
        "governance: {formality: corporate}\n",
    )
    assert run_json(ncm, before, after)["over_time"] is None  # one name is not one respondent
    result = ncm("compare", str(before), str(after), "--over-time", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    ot = data["over_time"]
    assert (ot["before"], ot["after"], ot["basis"]) == ("2024", "2025", "asked")
    changes = {
        (c["kind"], c["key"] or c["label"]): (c["before"], c["after"]) for c in ot["changes"]
    }
    assert changes[("objective", "integrating_primary_care")] == (2, 5)
    assert changes[("objective", "redesigning_urgent_and_emergency_care")] == (5, 0)
    assert changes[("objective", "integrating_back_office")] == (0, 3)
    assert ("partner_added", "care_home") in changes
    assert ("partner_removed", "gp_practice") in changes
    assert changes[("answer", "can_do_alone")] == (True, False)
    assert changes[("formality", "formality")] == ("informal", "corporate")
    assert ("risk_added", "New <b>risk</b> [x](http://evil)") in changes
    assert ("risk_removed", "Old risk") in changes
    moves = ot["moves"]
    # competition ranks since method 2: tied options share a number (1, 1, 3)
    after_ranks = [m["rank_after"] for m in moves]
    assert after_ranks == sorted(after_ranks) and after_ranks[0] == 1
    before_ranks = sorted(m["rank_before"] for m in moves)
    assert all(r <= n for n, r in enumerate(before_ranks, 1)) and len(before_ranks) == 10
    for m in moves:
        assert m["places"] == m["rank_before"] - m["rank_after"]
        assert m["points"] == round(m["score_after"] - m["score_before"], 2)
    uec = next(m for m in moves if m["option"] == "urgent_emergency_care_network")
    assert uec["places"] < 0  # urgent care stopped being an objective: it fell
    table = ncm("compare", str(before), str(after), "--over-time")
    assert table.exit_code == 0, table.stderr
    assert "Over time: 2024 → 2025" in table.stdout
    assert "Partner added: Oak Care Home (Care home" in table.stdout
    assert "Formality accepted: Informal collaboration → " in table.stdout


def test_json_structure_and_determinism(ncm, reversed_pair):
    hospital, practice = reversed_pair
    data = run_json(ncm, hospital, practice)
    assert list(data) == [
        "ncm_version",
        "content_version",
        "content_digest",
        "method_version",
        "stakeholders",
        "objectives",
        "verdicts",
        "rankings",
        "combined",
        "options",
        "most_disputed",
        "over_time",
        "notes",
        "to_settle",  # issue 17: what the workshop must settle (an addition)
        "results",  # the contract's envelope: one entry per profile (`rankings`)
        "errors",
    ]
    assert data["stakeholders"] == [
        {"profile": str(hospital), "label": "hospital", "name": "Hospital view"},
        {"profile": str(practice), "label": "practice", "name": "Practice view"},
    ]
    assert [o["objective"] for o in data["objectives"]] == list(OBJECTIVE_IDS)
    for o in data["objectives"]:
        assert set(o) == {"objective", "title", "importances", "combined", "spread", "verdict"}
        assert len(o["importances"]) == 2
    assert set(data["combined"]) == {"importances", "ranking", "robustness", "notes"}
    ranks = [r["rank"] for r in data["combined"]["ranking"]]  # shared by ties (1, 1, 3)
    assert ranks == sorted(ranks) and all(r <= n for n, r in enumerate(ranks, 1))
    assert [o["option"] for o in data["options"]] == [
        r["option"] for r in data["combined"]["ranking"]
    ]
    assert {o["option"] for o in data["options"]} == set(OPTION_IDS)
    for o in data["options"]:
        assert o["rank_spread"] == max(o["ranks"]) - min(o["ranks"])
        assert o["score_spread"] == round(max(o["scores"]) - min(o["scores"]), 2)
    for r in data["rankings"]:
        assert {e["option"] for e in r["ranking"]} == set(OPTION_IDS)
    again = ncm("compare", str(hospital), str(practice), "--format", "json").stdout
    assert json.loads(again) == data


def test_folders_are_expanded(ncm, reversed_pair, tmp_path):
    data = run_json(ncm, tmp_path)
    assert [s["label"] for s in data["stakeholders"]] == ["hospital", "practice"]


def test_markdown_and_html_written(ncm, tmp_path):
    a = profile(
        tmp_path / "a.yaml",
        "Same <i>partnership</i>",
        {"integrating_primary_care": 4},
        "risks:\n  - '<script>alert(1)</script> [link](http://evil)'\n",
    )
    b = profile(tmp_path / "b.yaml", "Same <i>partnership</i>", {"integrating_primary_care": 1})
    md, html = tmp_path / "out.md", tmp_path / "out.html"
    for fmt, out in (("md", md), ("html", html)):
        result = ncm(
            "compare", str(a), str(b), "--over-time", "--format", fmt, "--output", str(out)
        )
        assert result.exit_code == 0, result.stderr
    text = md.read_text(encoding="utf-8")
    for heading in ("## Objectives", "## Rankings", "## Where the stakeholders", "## Over time"):
        assert heading in text
    assert "<script>" not in text and "<i>" not in text
    assert not re.search(r"(?<!\\)\]\(http", text)  # the ] escaped: no link
    assert "Risk removed: \\<script\\>" in text
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script>" not in page and "<i>partnership" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Same &lt;i&gt;partnership&lt;/i&gt;" in page
    assert 'id="over-time"' in page and "split</span>" in page
    # An existing output is kept unless --force is given.
    again = ncm("compare", str(a), str(b), "--format", "md", "--output", str(md))
    assert again.exit_code == 2 and "--force" in again.stderr
    forced = ncm("compare", str(a), str(b), "--format", "md", "-o", str(md), "--force")
    assert forced.exit_code == 0, forced.stderr


def test_html_has_its_own_css_without_report_css(ncm, tmp_path, monkeypatch):
    from ncm_toolkit.content import bundled_templates_dir
    from ncm_toolkit.render import report

    only = tmp_path / "templates"
    only.mkdir()
    src = bundled_templates_dir() / "compare.html.j2"
    (only / "compare.html.j2").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(report, "bundled_templates_dir", lambda: only)
    a = write(tmp_path / "a.yaml", MINIMAL)
    b = profile(tmp_path / "b.yaml", "B", {"integrating_back_office": 3})
    result = ncm("compare", str(a), str(b), "--format", "html")
    assert result.exit_code == 0, result.stderr
    assert ".tag--orange {" in result.stdout


def test_table_written_to_a_file(ncm, reversed_pair, tmp_path):
    out = tmp_path / "out.txt"
    result = ncm("compare", *map(str, reversed_pair), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "Where the stakeholders disagree most" in out.read_text(encoding="utf-8")


def test_fewer_than_two_profiles_is_a_usage_error(ncm, tmp_path):
    one = write(tmp_path / "one" / "a.yaml", MINIMAL)
    for args in ([str(one)], [str(one.parent)]):
        result = ncm("compare", *args)
        assert result.exit_code == 2
        assert "at least two profiles" in result.stderr
        assert result.stdout == ""
    assert ncm("compare").exit_code == 2


def test_invalid_profile_is_located_and_nothing_compared(ncm, tmp_path):
    good = write(tmp_path / "good.yaml", MINIMAL)
    bad = write(tmp_path / "bad.yaml", MINIMAL + "colour: blue\n")
    result = ncm("compare", str(good), str(bad), "--format", "json")
    assert result.exit_code == 1
    assert f"{bad}:5:1: colour: unknown key" in result.stderr
    assert result.stdout == ""


def test_no_shared_objective_falls_back_to_rounded_up_means(ncm, tmp_path):
    oids = ["integrating_primary_care", "leveraging_technology", "integrating_back_office"]
    paths = [profile(tmp_path / f"{o}.yaml", "East", {o: 4}) for o in oids]
    data = run_json(ncm, *paths)
    imp = data["combined"]["importances"]
    assert {o: imp[o] for o in oids} == dict.fromkeys(oids, 2)  # ceil(4 / 3)
    assert sum(imp.values()) == 6
    assert "share no objective" in data["notes"][0]
    assert data["combined"]["ranking"][0]["score"] > 0


def test_closed_options_are_marked_in_every_ranking_table(ncm, tmp_path: Path) -> None:
    """An option a stated requirement rules out (no care home, no general practice) ranks below
    open options whatever its score: the compare tables showed its score with no mark, so a
    25.5 ranked under a 7.6 looked like an error. Now 'closed', and `closed` in JSON."""
    gp = profile(
        tmp_path / "gp.yaml", "P", {"integrating_primary_care": 5},
        "partners:\n  - {name: A Surgery, kind: gp_practice}\n",
    )  # fmt: skip
    acute = profile(
        tmp_path / "acute.yaml", "P", {"integrating_primary_care": 5},
        "partners:\n  - {name: A Trust, kind: acute_trust}\n",
    )  # fmt: skip
    data = run_json(ncm, gp, acute)
    federation = option(data, "gp_federation")
    assert federation["closed"] == [False, True]  # the acute trust's view has no practice
    assert federation["combined_closed"] is False  # together they have one
    care_homes = option(data, "enhanced_health_in_care_homes")
    assert care_homes["closed"] == [True, True] and care_homes["combined_closed"] is True
    table = ncm("compare", str(gp), str(acute))
    rankings = table.stdout[table.stdout.index("Rankings") :]
    assert "(closed)" in rankings and "closed: ruled out by a requirement" in rankings
    md = ncm("compare", str(gp), str(acute), "--format", "md").stdout
    md_row = next(
        line for line in md.splitlines() if line.startswith("|") and "GP Federation" in line
    )
    assert "(closed)" in md_row and "ranks below every open option" in md
    html = ncm("compare", str(gp), str(acute), "--format", "html").stdout
    assert "(closed)" in html


def test_a_missing_file_is_not_called_an_invalid_profile(ncm, tmp_path: Path) -> None:
    """`ncm compare a.yaml dof.yaml` with a readiness record misspelt said "every
    stakeholder's profile must be valid": the files need not be profiles."""
    a = profile(tmp_path / "a.yaml", "P", {"integrating_primary_care": 3})
    result = ncm("compare", str(a), str(tmp_path / "dof-readiness.yaml"))
    assert result.exit_code == 1
    assert "dof-readiness.yaml" in result.stderr
    assert result.stderr.rstrip().endswith(
        "not compared: each file must be a valid profile or readiness record"
    )


def test_a_wrapped_item_hangs_under_its_text(ncm, monkeypatch) -> None:
    """The first screen's items wrapped back to column 2, under their dash, so one item ran
    into the next; their continuation lines now start under the item's text."""
    monkeypatch.setenv("COLUMNS", "80")
    from .conftest import EXAMPLES

    out = ncm("compare", *map(str, sorted(EXAMPLES.glob("*.yaml")))).stdout
    split = out[out.index("Where they split") : out.index("What the workshop must settle")]
    lines = [line for line in split.splitlines()[1:] if line.strip()]
    assert len(lines) > sum(line.startswith("  - ") for line in lines) > 1  # some wrap
    assert all(line.startswith(("  - ", "    ")) for line in lines)
