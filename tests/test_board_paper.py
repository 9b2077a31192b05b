"""The board paper (issue 17): the answer first, honest ties and certainty, risks matched by
meaning, no repeated bullets, appendices inline, separate or left out, a compact CI summary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ncm_toolkit.board import match_risks, subjects_of
from ncm_toolkit.content import load_pack
from ncm_toolkit.render import reports as reports_batch

from .conftest import CHROMIUM, EXAMPLES, write

PROFILE = EXAMPLES / "south_borough_integration.yaml"
TIED = "schema_version: 1\nname: Tied\nobjectives:\n  integrating_primary_and_secondary_care: 2\n"


@pytest.fixture(autouse=True)
def _pinned_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def _report(ncm, tmp_path: Path, profile: Path, fmt: str = "md", *extra: str) -> str:
    out = tmp_path / f"r.{fmt}"
    result = ncm("report", str(profile), "--format", fmt, "--output", str(out), *extra)
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


def test_first_page_says_what_why_how_sure_and_the_ask(ncm, tmp_path):
    text = _report(ncm, tmp_path, PROFILE)
    cover = text.split("## The ten options")[0]
    assert "| **Purpose** | For decision |" in cover
    assert "Pursue **Accountable / Integrated Care Organisation**" in cover
    assert "integrating health and social care (importance 5)" in cover  # its own objectives
    assert "local authority" in cover  # its own partners
    assert "**How sure** | **Robust.**" in cover and "100%" in cover
    assert "The board is asked to** | agree" in cover
    assert "Alliance contracting model" in cover  # next steps: the form


def test_collaborative_note_comes_before_any_score(ncm, tmp_path):
    profile = write(
        tmp_path / "p.yaml",
        PROFILE.read_text()
        .replace("configuration_must_change: false", "configuration_must_change: false")
        .replace("can_do_alone: false", "can_do_alone: true"),
    )
    text = _report(ncm, tmp_path, profile)
    note = text.find("Before any score")
    assert note != -1, "expected the Quick Guide's collaborative note"
    first_score = re.search(r"\(\d+ out of 100\)|\| \d+ \| \d+%", text)
    assert first_score is None or note < first_score.start()


def test_a_shared_first_rank_is_said_and_the_board_asked_to_choose(ncm, tmp_path):
    text = _report(ncm, tmp_path, write(tmp_path / "t.yaml", TIED))
    cover = text.split("## The ten options")[0]
    assert "No single option" in cover and "choose between" in cover
    assert "**Tied.**" in cover
    ranks = re.findall(r"^\| 1= \| ([^|]+) \|", text, re.M)
    assert len(ranks) >= 2  # every tied option carries the same rank mark


def test_scores_are_whole_numbers_and_no_literal_empty_code(ncm, tmp_path):
    text = _report(ncm, tmp_path, PROFILE)
    table = text.split("## The ten options")[1].split("##")[0]
    assert not re.search(r"\| \d+\.\d \|", table)
    assert "` `" not in text and "``" not in text.replace("```", "")
    assert "(contractual)" not in text
    assert not re.search(r"follows?\.\s*$", text, re.M)
    assert "as printed" not in text


def test_no_bullet_appears_twice(ncm, tmp_path):
    for fmt in ("md",):
        text = _report(ncm, tmp_path, PROFILE, fmt)
        bullets = [ln.strip() for ln in text.splitlines() if ln.lstrip().startswith("- ")]
        dupes = {b for b in bullets if bullets.count(b) > 1}
        assert not dupes, dupes


def test_risks_sit_only_beside_barriers_sharing_a_subject():
    pack = load_pack()
    aco = pack.options["aco_ico"]
    found = match_risks(["Social care budgets are under pressure."], aco)
    assert found[0].barriers == []  # "care" and "budget" are no subject
    found = match_risks(["The council fears cost shifting."], aco)
    assert found[0].barriers and all(
        s == "funding flows and cost shifting" for _, s in found[0].barriers
    )
    assert [s.id for s in subjects_of("The acute trust is in deficit.")] == ["partner_finances"]
    assert subjects_of("monitor contracts") and not any(
        s.id == "regulation_competition" for s in subjects_of("monitor contracts")
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_appendix_separate_and_none(ncm, tmp_path, fmt):
    out = tmp_path / f"paper.{fmt}"
    args = ("report", str(PROFILE), "--format", fmt, "--output", str(out))
    assert ncm(*args, "--appendix", "separate").exit_code == 0
    paper = out.read_text()
    appendix = (tmp_path / f"paper.appendix.{fmt}").read_text()
    assert "Appendix A" not in paper and "Appendix A" in appendix
    assert "Organisational form" in paper and "Organisational form</h2>" not in appendix
    out.unlink()
    (tmp_path / f"paper.appendix.{fmt}").unlink()
    assert ncm(*args, "--appendix", "none").exit_code == 0
    assert "Appendix A" not in out.read_text()
    assert not (tmp_path / f"paper.appendix.{fmt}").exists()


def test_html_paper_has_an_acceptability_chart_without_script(ncm, tmp_path):
    html = _report(ncm, tmp_path, PROFILE, "html")
    cover = html.split('id="options"')[0]
    assert '<title id="acc-title">' in cover and "<script" not in html.lower()


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_main_paper_prints_to_at_most_six_a4_pages(ncm, tmp_path, printed):
    for profile in sorted(EXAMPLES.glob("*.yaml")):
        out = tmp_path / f"{profile.stem}.html"
        args = ("report", str(profile), "--format", "html", "--output", str(out))
        assert ncm(*args, "--appendix", "none").exit_code == 0
        pdf = printed(out)  # the same paper test_board_paper2 reads: printed once
        data = pdf.read_bytes()
        assert 1 <= _pages(data) <= 6, (profile.name, _pages(data))
        assert str(pdf.parent).encode() not in data  # no file path stamped in the margins


def _profiles(folder: Path, n: int) -> Path:
    folder.mkdir()
    base = PROFILE.read_text()
    for i in range(n):
        write(
            folder / f"p{i:03d}.yaml",
            base.replace("South Borough integrated", f"Place {i} integrated"),
        )
    return folder


def test_github_summary_is_one_compact_table_for_the_batch(ncm, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    folder = _profiles(tmp_path / "profiles", 200)
    out = tmp_path / "out"
    result = ncm(
        "report",
        str(folder),
        "--format",
        "md",
        "--output",
        str(out),
        "--appendix",
        "none",
        "--github-summary",
    )
    assert result.exit_code == 0, result.stderr
    text = summary.read_text()
    assert len(text.encode()) < 1024 * 1024
    assert text.count("\n| Place ") == 200
    assert (
        "| Place 7 integrated care partnership | Accountable / Integrated Care Organisation"
        " | robust (100% first) | `p007.md` |" in text
    )
    assert "Appendix A" not in text and "warning" not in result.stderr


def test_github_summary_cut_with_a_warning(ncm, tmp_path, monkeypatch):

    monkeypatch.setattr(reports_batch, "SUMMARY_LIMIT", 1500)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    folder = _profiles(tmp_path / "profiles", 12)
    result = ncm(
        "report",
        str(folder),
        "--format",
        "md",
        "--output",
        str(tmp_path / "o"),
        "--appendix",
        "none",
        "--github-summary",
        "--jobs",
        "1",
    )
    assert result.exit_code == 0
    assert "cut" in result.stderr and "1 MiB" in result.stderr
    text = summary.read_text()
    assert len(text.encode()) < 1500 and "**Warning:** the summary was cut after" in text


def test_docx_has_the_markdown_headings_tables_and_chart_and_is_reproducible(ncm, tmp_path):
    docx = pytest.importorskip("docx")
    md = _report(ncm, tmp_path, PROFILE, "md")
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    for out in (a, b):
        args = ("report", str(PROFILE), "--format", "docx", "--output", str(out))
        assert ncm(*args).exit_code == 0
    assert a.read_bytes() == b.read_bytes()  # SOURCE_DATE_EPOCH pins zip times and properties
    doc = docx.Document(str(a))
    headings = [
        p.text
        for p in doc.paragraphs
        if p.style.name.startswith("Heading") or p.style.name == "Title"
    ]
    md_headings = [
        re.sub(r"\\(.)", r"\1", ln.lstrip("#").strip())
        for ln in md.splitlines()
        if ln.startswith("#")
    ]
    assert headings == md_headings
    assert len(doc.tables) >= 3 and len(doc.inline_shapes) == 1
    assert doc.core_properties.created.year == 2023
    assert doc.tables[0].cell(1, 0).text == "Purpose"


def test_validate_checks_the_report_data_files(ncm, tmp_path):
    import shutil as sh

    from ncm_toolkit.content import bundled_content_dir

    pack = tmp_path / "pack"
    sh.copytree(bundled_content_dir(), pack)
    assert ncm("validate", str(pack)).exit_code == 0
    (pack / "report" / "board.yaml").write_text("certainty: {robust_at: 0.2, fragile_below: 0.9}\n")
    result = ncm("validate", str(pack))
    assert result.exit_code == 1 and "board.yaml" in result.stderr + result.stdout


def test_a_recorded_decision_is_what_the_board_is_asked_to_confirm(ncm, tmp_path):
    text = PROFILE.read_text().replace("schema_version: 1", "schema_version: 2")
    text += "decision:\n  option: pacs\n  agreed_by: joint programme board\n"
    cover = _report(ncm, tmp_path, write(tmp_path / "d.yaml", text)).split("## The ten")[0]
    assert "confirm the partnership's decision to pursue Primary and Acute Care System" in cover
    assert "(which the ranking does not put first)" in cover
    assert "agreed by joint programme board" in cover
