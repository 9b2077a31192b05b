"""The board paper's readiness section (issue 20, item 6) and `ncm readiness show --format
docx`: through the real CLI, on the example profile and a record written by `readiness init`."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import EXAMPLES, write

PROFILE = EXAMPLES / "south_borough_integration.yaml"
TIED = "schema_version: 1\nname: Tied\nobjectives:\n  integrating_primary_and_secondary_care: 2\n"
HOSTILE = '"<script>alert(1)</script> | *Chief* [x](http://evil.example)"'


@pytest.fixture(autouse=True)
def _pinned_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def _record(ncm, tmp_path: Path) -> Path:
    rec = tmp_path / "rec.yaml"
    args = ("readiness", "init", str(PROFILE), "-o", str(rec))
    assert (
        ncm(*args, "--role", "Director of Finance", "--organisation", "South Trust").exit_code == 0
    )
    text = rec.read_text()
    for qid, extra in [
        ("acc_06", f"open\n    owner: {HOSTILE}\n    due: 2027-01-31"),
        ("wf_02", "settled"),
        ("form_01", "partly\n    owner: Director of Strategy\n    due: 2026-12-01"),
    ]:
        old = f"  {qid}:\n    status: not_considered"
        assert old in text
        text = text.replace(old, f"  {qid}:\n    status: {extra}")
    return write(rec, text)


def _paper(ncm, tmp_path: Path, fmt: str, *extra: str, profile: Path = PROFILE) -> str:
    out = tmp_path / f"paper.{fmt}"
    result = ncm("report", str(profile), "--format", fmt, "-o", str(out), "--force", *extra)
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_without_a_record_the_appendix_lists_only_the_blocking_questions(ncm, tmp_path, fmt):
    paper = _paper(ncm, tmp_path, fmt)
    assert "Appendix B. Questions to answer next" in paper
    assert "Is it clear where clinical accountability and financial accountability lie?" in paper
    # a question of Module 2 that blocks nothing for this option and form is not reprinted
    assert "What organisational form is proposed" not in paper
    assert "Readiness per area" not in paper and 'id="readiness"' not in paper


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_with_a_record_the_paper_shows_readiness_blocking_and_actions(ncm, tmp_path, fmt):
    rec = _record(ncm, tmp_path)
    paper = _paper(ncm, tmp_path, fmt, "--readiness", str(rec))
    assert "Appendix B. Questions to answer next" not in paper
    assert "How the scores were made" in paper and "Appendix C" not in paper
    assert "Questions still open that block the chosen option" in paper
    blocking = paper.split("block the chosen option")[1].split("Next actions")[0]
    assert "acc" in blocking and "wf_02" not in blocking.replace("\\", "")  # settled: gone
    assert "Director of Strategy" in paper and "2026-12-01" in paper
    assert "Workforce" in paper and ("| 6% |" in paper or ">6%<" in paper)  # 1 of 16 settled
    if fmt == "html":
        assert (
            '<table id="readiness-table">' in paper
            and 'aria-describedby="readiness-table"' in paper
        )
        assert "<script>" not in paper and "&lt;script&gt;alert(1)&lt;/script&gt;" in paper
    else:
        assert "\\<script\\>" in paper and "[x](http" not in paper and "\\*Chief\\*" in paper


def test_the_old_full_checklist_is_not_in_the_paper(ncm, tmp_path):
    rec = _record(ncm, tmp_path)
    for extra in ((), ("--readiness", str(rec))):
        paper = _paper(ncm, tmp_path, "md", *extra)
        assert paper.count("- [ ]") <= 20
        assert "Organisational Form checklist" not in paper


def test_a_shared_first_rank_says_the_questions_depend_on_the_choice(ncm, tmp_path):
    tied = write(tmp_path / "tied.yaml", TIED)
    paper = _paper(ncm, tmp_path, "md", profile=tied)
    assert "depends on the board's choice between" in paper
    rec = _record(ncm, tmp_path)
    out = tmp_path / "t.html"
    result = ncm("report", str(tied), "-o", str(out), "--readiness", str(rec))
    assert result.exit_code == 0, result.stderr
    assert "depend on the board's choice between" in out.read_text()
    # the record names another partnership: warned, located, reported all the same
    assert "warning" in result.stderr and "rec.yaml:" in result.stderr and "Tied" in result.stderr


def test_a_bad_record_is_a_located_error_and_nothing_is_written(ncm, tmp_path):
    rec = _record(ncm, tmp_path)
    bad = write(tmp_path / "bad.yaml", rec.read_text().replace("status: open", "status: yes"))
    out = tmp_path / "p.html"
    result = ncm("report", str(PROFILE), "-o", str(out), "--readiness", str(bad))
    assert result.exit_code == 1
    assert "bad.yaml:" in result.stderr and "acc_06.status" in result.stderr
    assert not out.exists() and list(tmp_path.glob("p*")) == []


def test_the_docx_paper_carries_the_readiness_section(ncm, tmp_path):
    docx = pytest.importorskip("docx")
    rec = _record(ncm, tmp_path)
    out = tmp_path / "p.docx"
    assert ncm("report", str(PROFILE), "-o", str(out), "--readiness", str(rec)).exit_code == 0
    doc = docx.Document(str(out))
    assert "Readiness" in [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Workforce" in cells and any("<script>alert(1)</script>" in c for c in cells)


def test_readiness_show_docx_is_reproducible_and_reads_back(ncm, tmp_path):
    docx = pytest.importorskip("docx")
    rec = _record(ncm, tmp_path)
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    for out in (a, b):
        args = ("readiness", "show", str(rec), "--profile", str(PROFILE), "--format", "docx")
        result = ncm(*args, "-o", str(out))
        assert result.exit_code == 0, result.stderr
    assert a.read_bytes() == b.read_bytes()
    doc = docx.Document(str(a))
    assert doc.paragraphs[0].text == "Readiness: South Borough integrated care partnership"
    table = doc.tables[0]
    assert table.cell(0, 0).text == "Area" and table.cell(1, 0).text == "Organisational Form"
    texts = [p.text for p in doc.paragraphs]
    assert any("*Chief*" in t and "<script>" in t for t in texts)  # literal, not formatting
    assert doc.core_properties.created.year == 2023
    assert ncm("readiness", "show", str(rec), "--format", "docx").exit_code == 2
