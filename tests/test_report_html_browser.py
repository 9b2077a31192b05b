"""The HTML report through the real CLI: hostile free text stays inert, the file is
self-contained, and (where Chromium is installed, as in CI) a real browser renders it."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncm_toolkit.cli.main import app

from .conftest import EXAMPLES, MINIMAL, write

HOSTILE = """\
schema_version: 1
name: "<script>alert(1)</script>"
description: '"><img src=x onerror=alert(1)>'
partners:
  - name: "[bold]x[/bold]"
    kind: acute_trust
  - name: "South Council"
    kind: local_authority
objectives:
  integrating_health_and_social_care: 5
  strengthening_out_of_hospital_care: 3
sustainability:
  configuration_must_change: false
  can_do_alone: true
risks:
  - '<a href="javascript:alert(1)">click</a>'
commissioning:
  functions_remain: false
governance:
  formality: contractual
  accountability: "javascript:alert(1)"
"""

H1_TEXT = "&lt;script&gt;alert(1)&lt;/script&gt;"
BROWSERS = ("chromium", "chromium-browser")
CONSOLE = re.compile(r":CONSOLE[(:]\d+")  # a console message or uncaught JS error
RESOURCE = re.compile(
    r"""(?:\b(?:src|href|srcset|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|@import|url\s*\(|<\s*(?:link|img|iframe|object|embed|script|base)\b""",
    re.IGNORECASE,
)


def render_html(tmp_path: Path, profile_text: str, name: str = "profile") -> str:
    profile = write(tmp_path / f"{name}.yaml", profile_text)
    out = tmp_path / f"{name}.html"
    result = CliRunner().invoke(
        app,
        ["report", str(profile), "--format", "html", "--output", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, str]:
    html = render_html(tmp_path, HOSTILE, "hostile")
    return tmp_path / "hostile.html", html


def test_hostile_text_is_escaped_and_inert(hostile):
    _, html = hostile
    low = html.lower()
    assert "<script" not in low
    assert not re.search(r"<[a-z][^>]*\sonerror\s*=", low)
    assert 'href="javascript:' not in low and "href='javascript:" not in low
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", low)
    # every link stays inside the document
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', html))
    # the user's text is shown, escaped, where it belongs
    assert f'<h1 class="user-text">{H1_TEXT}</h1>' in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "[bold]x[/bold]" in html
    assert "&lt;a href=&#34;javascript:alert(1)&#34;&gt;click&lt;/a&gt;" in html
    assert ">javascript:alert(1)<" in html


def test_html_is_self_contained(hostile):
    _, html = hostile
    assert not RESOURCE.search(html), RESOURCE.search(html)
    assert "http://" not in html and "https://" not in html
    assert "<style>" in html and "<svg" in html


CASES = {
    **{p.stem: p for p in sorted(EXAMPLES.glob("*.yaml"))},
    "minimal": MINIMAL,
    "empty_sections": MINIMAL + "partners: []\nrisks: []\ngovernance: {}\nsustainability: {}\n",
    "ties": "schema_version: 1\nname: Tied\nobjectives:\n  integrating_back_office: 1\n",
}


@pytest.mark.parametrize("source", list(CASES.values()), ids=list(CASES))
def test_structure_and_accessibility(tmp_path, source):
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    html = render_html(tmp_path, text)
    assert html.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert '<meta charset="utf-8">' in html and 'name="viewport"' in html
    assert html.count("<h1") == 1
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert html.count(landmark) == 1, landmark
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "duplicate ids"
    for target in re.findall(r'href="#([^"]*)"', html):
        assert target in ids, target
    assert html.count("<table") == html.count("<caption>")
    assert 'role="img"' in html and '<title id="acc-title">' in html  # acceptability chart
    assert html.count("<rect ") >= 1
    assert 'id="appendix-b"' in html  # the questions to answer next
    assert "<script" not in html.lower()


def test_html_is_deterministic(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = render_html(tmp_path, HOSTILE, "one")
    second = render_html(tmp_path, HOSTILE, "two")
    assert first.replace("two.yaml", "one.yaml") == second.replace("two.yaml", "one.yaml")
    assert "2023-11-14" in first


# --- a real browser ----------------------------------------------------------------------


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed (CI installs it: apt-get install chromium)")


def _run_browser(browser: str, profile_dir: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--mute-audio",
        f"--user-data-dir={profile_dir}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)


def _png_rows(data: bytes, max_rows: int) -> tuple[int, list[bytes]]:
    """The first rows of an 8-bit RGB/RGBA PNG, unfiltered: the stdlib is enough."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, [], 0
    bpp = 3
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, _height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    stride = width * bpp
    raw = zlib.decompressobj().decompress(b"".join(idat), (stride + 1) * max_rows)
    rows: list[bytes] = []
    prev = bytearray(stride)
    for r in range(min(max_rows, len(raw) // (stride + 1))):
        start = r * (stride + 1)
        filt, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if filt == 1:
                line[i] = (line[i] + a) & 0xFF
            elif filt == 2:
                line[i] = (line[i] + b) & 0xFF
            elif filt == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return bpp, rows


def test_chromium_renders_the_report(hostile, tmp_path):
    browser = _browser()
    path, _ = hostile
    url = path.resolve().as_uri()
    shot = tmp_path / "shot.png"
    run = _run_browser(  # one launch does both: the screenshot and the DOM it rendered
        browser,
        tmp_path / "chrome-shot",
        "--enable-logging=stderr",
        "--v=0",
        f"--screenshot={shot}",
        "--window-size=1280,1600",
        "--dump-dom",
        url,
    )
    assert shot.is_file(), run.stderr[-2000:]
    assert "Uncaught" not in run.stderr
    assert not CONSOLE.search(run.stderr), run.stderr[-2000:]
    data = shot.read_bytes()
    assert len(data) > 20_000, "the screenshot looks blank"
    bpp, rows = _png_rows(data, 160)  # the header band: NHS blue with white text
    assert len(rows) == 160
    pixels = {row[i : i + 3] for row in rows[::4] for i in range(0, len(row), bpp * 2)}
    assert len(pixels) > 8, "the screenshot is (nearly) one colour"
    assert any(abs(p[0] - 0) < 8 and abs(p[1] - 94) < 8 and abs(p[2] - 184) < 8 for p in pixels), (
        "no NHS blue header band"
    )

    assert run.returncode == 0, run.stderr[-2000:]
    assert re.search(r"<h1[^>]*>" + re.escape(H1_TEXT) + "</h1>", run.stdout)
    assert "<script" not in run.stdout.lower()
