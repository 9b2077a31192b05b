"""What axe-core found on phones and desktops, kept fixed without a browser: every table that
scrolls sideways can be reached with the keyboard and has its own name, and every HTML page
has one main landmark. With `NCM_AXE_JS` pointing at axe-core's `axe.min.js` and Playwright
installed, the full axe-core run is made too (at 1280 and 375 pixels wide)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .conftest import EXAMPLES

WRAP = re.compile(r'<div class="table-wrap"([^>]*)>')


def _pages(ncm, tmp: Path) -> list[Path]:
    profiles = sorted(EXAMPLES.glob("*.yaml"))
    assert (
        ncm("report", *map(str, profiles), "-o", str(tmp / "r") + "/", "--format", "html").exit_code
        == 0
    )
    assert (
        ncm("compare", *map(str, profiles), "--format", "html", "-o", str(tmp / "c.html")).exit_code
        == 0
    )
    one = str(EXAMPLES / "north_practices.yaml")
    assert ncm("plan", one, "--format", "html", "-o", str(tmp / "p.html")).exit_code == 0
    record = tmp / "ready.yaml"
    made = ncm("readiness", "init", one, "-o", str(record), "--role", "Director of Finance",
               "--organisation", "North Council")  # fmt: skip
    assert made.exit_code == 0, made.stderr
    assert (
        ncm(
            "readiness", "show", str(record), "--format", "html", "-o", str(tmp / "s.html")
        ).exit_code
        == 0
    )
    paper = ncm("report", one, "--readiness", str(record), "-o", str(tmp / "with.html"))
    assert paper.exit_code == 0, paper.stderr
    return sorted(tmp.rglob("*.html"))


def test_scrolling_tables_are_reachable_and_named_and_pages_have_one_main(
    ncm, tmp_path: Path
) -> None:
    pages = _pages(ncm, tmp_path)
    assert len(pages) >= 7
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert html.count("<main") == 1, page.name
        labels = []
        for attrs in WRAP.findall(html):
            assert 'tabindex="0"' in attrs and 'role="region"' in attrs, (page.name, attrs)
            label = re.search(r'aria-label="([^"]+)"', attrs)
            assert label, (page.name, attrs)
            labels.append(label.group(1))
        assert len(labels) == len(set(labels)), (page.name, labels)


@pytest.mark.skipif(not os.environ.get("NCM_AXE_JS"), reason="set NCM_AXE_JS to axe.min.js")
def test_axe_core_finds_no_violation(ncm, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    axe = Path(os.environ["NCM_AXE_JS"]).read_text(encoding="utf-8")
    found: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("NCM_CHROMIUM", "/usr/bin/chromium")
        )
        for width in (1280, 375):
            page = browser.new_page(viewport={"width": width, "height": 800})
            for f in _pages(ncm, tmp_path / str(width)):
                page.goto(f.resolve().as_uri())
                page.add_script_tag(content=axe)
                ids = page.evaluate(
                    "async () => (await axe.run(document)).violations.map(v => v.id)"
                )
                found += [f"{width}px {f.name}: {i}" for i in ids]
        browser.close()
    assert not found, found
