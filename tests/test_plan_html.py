"""`ncm plan --format html` through the real CLI: a self-contained, accessible page; text from
the profile (its name, the decision's `agreed_by`, the file name) escaped; the same forms and
implications as the JSON output; the format inferred from `-o x.html`."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from .conftest import EXAMPLES, write

HOSTILE = "<script>alert(1)</script>"
HOSTILE_PROFILE = f"""\
schema_version: 2
name: "North {HOSTILE} & co"
partners:
  - {{name: "<img src=x onerror=alert(2)>", kind: acute_trust}}
  - {{name: Federation, kind: gp_federation}}
objectives:
  integrating_primary_care: 4
governance:
  formality: merger
decision:
  option: pacs
  form: lead_contractor
  agreed_by: "<b onmouseover=alert(3)>board</b>"
  agreed_on: 2024-05-01
"""


class Page(HTMLParser):
    """The page's tags, and for each table (by caption) its body rows as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tables: list[list[list[str]]] = []
        self.in_body = False
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append([])
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.in_body:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self.in_body = False
        elif tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


def run_both(ncm, tmp_path: Path, *args: str) -> tuple[str, dict]:
    out = tmp_path / "plan.html"
    result = ncm("plan", *args, "--format", "html", "-o", str(out), "--force")
    assert result.exit_code == 0, result.stderr + result.stdout
    js = ncm("plan", *args, "--format", "json")
    assert js.exit_code == 0, js.stderr
    return out.read_text(encoding="utf-8"), json.loads(js.stdout)


def test_page_structure(ncm, tmp_path: Path) -> None:
    text, data = run_both(ncm, tmp_path, str(EXAMPLES / "south_borough_integration.yaml"))
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">')
    page = parse(text)
    tags = [t for t, _ in page.tags]
    for tag in ("title", "main", "h1", "h2", "h3", "table", "caption", "thead", "tbody"):
        assert tag in tags, tag
    assert tags.count("table") == 2  # forms, implications
    headers = [a.get("scope") for t, a in page.tags if t == "th"]
    assert "col" in headers and "row" in headers
    # self-contained: no script, no external resource
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert "http" not in "".join(str(a) for t, a in page.tags)
    r = data["results"][0]
    assert f"Guidance written {r['guidance_written']}" in text
    assert f"currency notes reviewed {r['currency_reviewed']}" in text
    if r["currency"]:
        assert "Since the guidance was written" in text
    forms_rows, _ = page.tables
    # every form with its pros, cons, requires and source
    assert len(forms_rows) == len(r["forms"])
    for row, f in zip(forms_rows, r["forms"], strict=True):
        assert f"({f['form']})" in row[0]
        assert len(row) == 7
        for key, col in (("pros", 3), ("cons", 4), ("requires", 5)):
            for item in f[key]:
                assert item["text"] in row[col], (f["form"], key)
        assert f["source"]["section"] in row[6]


def test_same_implications_as_json(ncm, tmp_path: Path) -> None:
    for path in sorted(EXAMPLES.glob("*.yaml")):
        text, data = run_both(ncm, tmp_path, str(path))
        r = data["results"][0]
        imp_rows = parse(text).tables[1]
        got = [(row[0].rsplit("(", 1)[1].rstrip(")"), row[1]) for row in imp_rows]
        assert got == [(i["topic"], i["level"]) for i in r["implications"]], path.name
        for row, i in zip(imp_rows, r["implications"], strict=True):
            assert i["reason"] in row[2]
            for a in i["actions"]:
                assert a["text"] in row[3]
            for q in i["questions"]:
                assert q["id"] in row[4] and q["text"] in row[4]
            assert i["source"]["section"] in row[5]
        assert f"{r['form_title']} (<code>{r['form']}</code>)" in text


def test_hostile_text_is_escaped(ncm, tmp_path: Path) -> None:
    p = write(tmp_path / "x<i>y</i>.yaml", HOSTILE_PROFILE)
    assert ncm("validate", str(p)).exit_code == 0
    text, data = run_both(ncm, tmp_path, str(p))
    r = data["results"][0]
    assert r["form"] == "lead_contractor" and "<b onmouseover" in r["form_reason"]
    page = parse(text)
    tags = {t for t, _ in page.tags}
    assert not tags & {"script", "img", "i"}  # none of the profile's markup became a tag
    assert not any("onmouseover" in a or "onerror" in a for _, attrs in page.tags for a in attrs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b onmouseover=alert(3)&gt;board&lt;/b&gt;" in text
    assert "x&lt;i&gt;y&lt;/i&gt;.yaml" in text
    assert "North " in text and "&amp; co" in text


def test_format_follows_the_output_suffix(ncm, tmp_path: Path) -> None:
    out = tmp_path / "p.html"
    result = ncm("plan", str(EXAMPLES / "north_practices.yaml"), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    # an explicit --format wins over the suffix
    out2 = tmp_path / "p2.html"
    north = str(EXAMPLES / "north_practices.yaml")
    result = ncm("plan", north, "--format", "json", "-o", str(out2))
    assert result.exit_code == 0
    assert json.loads(out2.read_text(encoding="utf-8"))["results"]
    # a refused overwrite leaves the file whole
    again = ncm("plan", north, "-o", str(out))
    assert again.exit_code == 2 and "--force" in again.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
