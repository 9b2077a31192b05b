"""The board paper's cover carries an "Implications" row (helper H78): each heading an NHS
board paper's cover has, with what the paper holds on it and where, and "not assessed" where
the guidance gives nothing the toolkit can assess."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest

from ncm_toolkit.content import load_pack
from ncm_toolkit.plan import plan_profile
from ncm_toolkit.profile import load_profile

from .conftest import EXAMPLES, write

PROFILE = EXAMPLES / "south_borough_integration.yaml"
TIED = "schema_version: 1\nname: Tied\nobjectives:\n  integrating_primary_and_secondary_care: 2\n"
HEADINGS = [
    "Quality",
    "Finance",
    "Workforce",
    "Legal and regulatory",
    "Equality",
    "Patient and public involvement",
]


@pytest.fixture(autouse=True)
def _pinned_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def _report(ncm, tmp_path: Path, profile: Path, fmt: str) -> str:
    out = tmp_path / f"r.{fmt}"
    result = ncm("report", str(profile), "--format", fmt, "--output", str(out), "--force")
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


def _md_parts(md: str) -> dict[str, str]:
    row = next(line for line in md.splitlines() if line.startswith("| **Implications** |"))
    heads = re.findall(r"\*\*([^*]+?):\*\*", row)
    assert heads == HEADINGS
    bits = re.split(r"\*\*[^*]+?:\*\* ", row.split("|")[2])[1:]
    return dict(zip(heads, (b.strip() for b in bits), strict=True))


def _html_parts(page: str) -> dict[str, str]:
    cover = page.split('id="summary-title"')[1].split("</dl>")[0]
    dd = re.search(r"<dt>Implications</dt><dd>(.*?)</dd>", cover)
    assert dd is not None
    items = re.findall(r"<li><strong>(.+?):</strong> (.*?)</li>", dd.group(1))
    assert [h for h, _ in items] == HEADINGS
    return {h: htmllib.unescape(t) for h, t in items}


def test_the_row_names_the_plans_form_and_workforce_topics(ncm, tmp_path):
    profile, _ = load_profile(PROFILE)
    assert profile is not None
    plan = plan_profile(load_pack(), profile)
    likely = [i.title.lower() for i in plan.implications if i.level == "likely"]
    assert likely  # the example has likely topics to name
    md = _md_parts(_report(ncm, tmp_path, PROFILE, "md"))
    html = _html_parts(_report(ncm, tmp_path, PROFILE, "html"))
    for parts in (md, html):
        assert plan.form_title.lower() in parts["Legal and regulatory"].lower()
        assert "Organisational form" in parts["Legal and regulatory"]
        assert f"{len(likely)} likely workforce topics" in parts["Workforce"]
        for topic in likely:
            assert topic in parts["Workforce"].replace("\\", "")
        assert "Workforce implications" in parts["Workforce"]
        assert "business case" in parts["Finance"]
        for heading in ("Quality", "Equality", "Patient and public involvement"):
            assert parts[heading].startswith("Not assessed")
        for heading in ("Workforce", "Legal and regulatory"):
            assert "Not assessed" not in parts[heading]


def test_a_tie_states_each_first_option(ncm, tmp_path):
    profile = write(tmp_path / "t.yaml", TIED)
    md = _report(ncm, tmp_path, profile, "md")
    assert "No single option" in md
    parts = _md_parts(md)
    html = _html_parts(_report(ncm, tmp_path, profile, "html"))
    for section in (parts, html):
        # one sentence per option the board must choose between, each naming its form
        assert section["Legal and regulatory"].count("Organisational form") == 2
        assert section["Workforce"].count("Workforce implications") == 2


def test_the_word_paper_carries_the_row(ncm, tmp_path):
    docx = pytest.importorskip("docx")
    out = tmp_path / "r.docx"
    assert ncm("report", str(PROFILE), "--format", "docx", "--output", str(out)).exit_code == 0
    rows = {r.cells[0].text: r.cells[1].text for r in docx.Document(str(out)).tables[0].rows}
    assert all(f"{h}:" in rows["Implications"] for h in HEADINGS)


def test_a_packs_bad_implications_wording_is_reported(ncm, tmp_path):
    import shutil

    from ncm_toolkit.content import bundled_content_dir

    pack = tmp_path / "pack"
    shutil.copytree(bundled_content_dir(), pack)
    board = pack / "report" / "board.yaml"
    board.write_text(
        board.read_text(encoding="utf-8").replace("$option as $form", "$option as $nonsense"),
        encoding="utf-8",
    )
    result = ncm("validate", "--content", str(pack))
    assert result.exit_code == 1
    assert "board.yaml" in result.stderr + result.stdout
    assert "nonsense" in result.stderr + result.stdout
