"""`ncm compare` answers first (issue 17, item 9): what the stakeholders agree on, where they
split (who holds which view) and what the workshop must settle come before the details, in
Markdown, HTML and the terminal table; a shared first place is named as a tie; labels from
file names are escaped in each medium. Through the real CLI on real files."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ncm_toolkit.report_data import check_report_files

from .conftest import write

AGREE = "What the stakeholders agree on"
SPLIT = "Where they split"
SETTLE = "What the workshop must settle"


def profile(path: Path, objectives: dict[str, int], extra: str = "") -> Path:
    lines = ["schema_version: 1", "name: North", "objectives:"]
    lines += [f"  {k}: {v}" for k, v in objectives.items()]
    return write(path, "\n".join(lines) + "\n" + extra)


def answers(must_change: bool, alone: bool) -> str:
    yes_no = {True: "true", False: "false"}
    return (
        f"sustainability:\n  configuration_must_change: {yes_no[must_change]}\n"
        f"  can_do_alone: {yes_no[alone]}\n"
    )


def split_trio(tmp: Path) -> list[Path]:
    """Three stakeholders: two want primary care and say the configuration must change, the
    third wants urgent care and says it need not; all three say they cannot do it alone."""
    return [
        profile(
            tmp / "acute.yaml", {"redesigning_urgent_and_emergency_care": 5}, answers(False, False)
        ),
        profile(tmp / "gp.yaml", {"integrating_primary_care": 5}, answers(True, False)),
        profile(tmp / "council.yaml", {"integrating_primary_care": 4}, answers(True, False)),
    ]


def tied_pair(tmp: Path) -> list[Path]:
    """Two stakeholders whose one objective puts ACO/ICO and PACS level at the top."""
    return [
        profile(tmp / f"{name}.yaml", {"integrating_primary_and_secondary_care": imp})
        for name, imp in (("a", 5), ("b", 4))
    ]


def run(ncm, paths: list[Path], fmt: str) -> str:
    result = ncm("compare", *map(str, paths), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def flat(text: str) -> str:
    return " ".join(text.split())  # the console wraps long lines


def in_order(text: str, *parts: str) -> None:
    at = [text.find(p) for p in parts]
    assert -1 not in at, [p for p, i in zip(parts, at, strict=True) if i < 0]
    assert at == sorted(at), list(zip(parts, at, strict=True))


def test_agree_split_settle_come_first_in_every_format(ncm, tmp_path: Path) -> None:
    paths = split_trio(tmp_path)
    md = run(ncm, paths, "md")
    in_order(
        md,
        f"## {AGREE}",
        f"## {SPLIT}",
        f"## {SETTLE}",
        "## Stakeholders",
        "## Objectives",
        "## Rankings",
        "disagree most",
    )
    html = run(ncm, paths, "html")
    in_order(html, AGREE, SPLIT, SETTLE, 'id="stakeholders"', 'id="objectives"', 'id="rankings"')
    table = flat(run(ncm, paths, "table"))
    in_order(table, AGREE, SPLIT, SETTLE, "Stakeholders", "Objectives: importance", "Rankings:")
    for text in (flat(md), flat(html), table):
        # who holds which view, and the workshop's items with counts
        assert (
            "Whether the configuration of organisations must change: yes (gp, council); no (acute)"
            in text
        )
        assert (
            "Agree whether the configuration of organisations must change: "
            "2 of 3 say yes, 1 says no" in text
        )
        assert "Can do this alone: all say no." in text  # agreed, so not to settle
        assert "Choose which option to take forward: 2 of 3 put Super-Practice first" in text
        assert (
            "Agree how much Integrating primary care matters: importances from 0 to 5, median 4"
            in text
        )
    settle_md = md.split(f"## {SETTLE}")[1].split("## Stakeholders")[0]
    assert settle_md.strip().startswith("1. Choose which option")  # the decision, then its causes
    assert "can do this alone" not in settle_md.lower()


def test_json_keeps_its_keys_and_adds_to_settle(ncm, tmp_path: Path) -> None:
    data = json.loads(run(ncm, split_trio(tmp_path), "json"))
    assert {"verdicts", "rankings", "combined", "options", "most_disputed", "notes"} <= set(data)
    kinds = [(s["kind"], s["key"]) for s in data["to_settle"]]
    assert kinds[0] == ("first_choice", "")
    assert ("answer", "configuration_must_change") in kinds
    assert ("answer", "can_do_alone") not in kinds
    assert ("objective", "integrating_primary_care") in kinds
    first = data["to_settle"][0]
    assert first["views"][0] == {
        "view": "Super-Practice",
        "stakeholders": ["gp", "council"],
        "options": ["super_practice"],
    }
    answer = next(s for s in data["to_settle"] if s["key"] == "configuration_must_change")
    assert [(v["view"], v["stakeholders"]) for v in answer["views"]] == [
        ("yes", ["gp", "council"]),
        ("no", ["acute"]),
    ]


def test_a_shared_first_place_is_named_as_a_tie(ncm, tmp_path: Path) -> None:
    paths = tied_pair(tmp_path)
    data = json.loads(run(ncm, paths, "json"))
    top = [r["option"] for r in data["combined"]["ranking"] if r["rank"] == 1]
    assert top == ["aco_ico", "pacs"]  # the premise: a tie at the top
    assert [s["kind"] for s in data["to_settle"]] == ["tie"]
    assert data["to_settle"][0]["views"][0]["options"] == ["aco_ico", "pacs"]
    pair = "Accountable / Integrated Care Organisation and Primary and Acute Care System"
    for fmt in ("md", "html", "table"):
        text = flat(run(ncm, paths, fmt)).replace("\\", "")
        assert (
            f"Every stakeholder ranks {pair} joint first (2 of 2): a tie none of them breaks"
            in text
        ), fmt
        assert f"{pair} share first place: a tie, not a winner" in text, fmt
        first = '<ol> <li class="user-text">' if fmt == "html" else "1. "
        assert f"{first}Choose between the options tied for first place: {pair}" in text, fmt
        assert "ranks first." not in text, fmt  # no silent winner


def test_nothing_to_settle_when_they_agree(ncm, tmp_path: Path) -> None:
    paths = [
        profile(tmp_path / f"{n}.yaml", {"integrating_primary_care": imp}, answers(True, False))
        for n, imp in (("a", 5), ("b", 4))
    ]
    data = json.loads(run(ncm, paths, "json"))
    assert data["to_settle"] == []
    md = flat(run(ncm, paths, "md"))
    assert "Every stakeholder ranks Super-Practice first (2 of 2)." in md
    assert "Nowhere that matters" in md and "Nothing: the stakeholders agree" in md


def test_hostile_labels_are_escaped(ncm, tmp_path: Path) -> None:
    hostile = "<img src=x onerror=alert(1)>[bold red]*x*"
    a, b, c = split_trio(tmp_path)
    evil = tmp_path / "sub"
    evil.mkdir()
    moved = evil / f"{hostile}.yaml"
    a.rename(moved)
    paths = [moved, b, c]
    html = run(ncm, paths, "html")
    assert "<img" not in html
    assert "no (&lt;img src=x onerror=alert(1)&gt;[bold red]*x*)" in html
    md = run(ncm, paths, "md")
    assert not re.search(r"(?<!\\)<img|(?<!\\)\*x", md)  # only escaped
    assert "\\<img src=x onerror=alert(1)\\>\\[bold red\\]\\*x\\*" in md
    table = flat(run(ncm, paths, "table"))
    assert "no (<img src=x onerror=alert(1)>[bold red]*x*)" in table  # markup shown literally


def test_compare_wording_is_validated(tmp_path: Path) -> None:
    from ncm_toolkit.content import bundled_content_dir

    text = (bundled_content_dir() / "report" / "board.yaml").read_text(encoding="utf-8")
    write(tmp_path / "report" / "board.yaml", text)
    assert check_report_files(tmp_path) == []
    bad = text.replace("Agree $question", "Agree $questoin")
    write(tmp_path / "report" / "board.yaml", bad)
    [diag] = check_report_files(tmp_path)
    assert "settle_answer: unknown placeholder $questoin" in diag.message


def test_html_renders_in_headless_chromium_with_the_settle_list_first(ncm, tmp_path: Path) -> None:
    """The browser's own DOM, not our text: the three sections are parsed as headings before the
    details, the hostile label stays text, and no script runs."""
    from .test_report_html_browser import CONSOLE, _browser, _run_browser

    browser = _browser()
    a, b, c = split_trio(tmp_path)
    moved = a.rename(tmp_path / "<img src=x onerror=alert(1)>.yaml")
    page = tmp_path / "compare.html"
    result = ncm("compare", str(moved), str(b), str(c), "--format", "html", "-o", str(page))
    assert result.exit_code == 0, result.stderr
    dom = _run_browser(
        browser,
        tmp_path / "chrome",
        "--enable-logging=stderr",
        "--v=0",
        "--dump-dom",
        page.as_uri(),
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    heads = re.findall(r"<h[23][^>]*>([^<]*)<", dom.stdout)
    assert heads[:5] == ["Where the stakeholders stand", AGREE, SPLIT, SETTLE, "Stakeholders"]
    assert "<img" not in dom.stdout and "&lt;img src=x onerror=alert(1)&gt;" in dom.stdout
    assert not CONSOLE.search(dom.stderr), dom.stderr[-2000:]
