"""A currency note's source in the Markdown board paper can be opened: its URL is printed
whole, as a code span (copied as it is, never autolinked), with no zero-width joiner inside."""

from __future__ import annotations

import re
from pathlib import Path

from ncm_toolkit.content import load_pack

from .conftest import EXAMPLES


def test_source_urls_are_whole_code_spans(ncm, tmp_path: Path) -> None:
    out = tmp_path / "paper.md"
    result = ncm(
        "report", str(EXAMPLES / "south_borough_integration.yaml"), "--format", "md", "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    urls = {n.source.url for n in load_pack().currency.notes}
    shown = [u for u in urls if f"`{u}`" in text]
    assert shown, "no currency note's source URL is shown whole"
    for span in re.findall(r"`(https://[^`]*)`", text):
        assert "\u200d" not in span and span in urls


def test_plan_markdown_source_urls_are_whole_code_spans(ncm) -> None:
    result = ncm("plan", str(EXAMPLES / "south_borough_integration.yaml"), "--format", "md")
    assert result.exit_code == 0, result.stderr
    urls = {n.source.url for n in load_pack().currency.notes}
    spans = re.findall(r"`(https://[^`]*)`", result.stdout)
    assert spans and set(spans) <= urls
    assert "\u200d" not in result.stdout.split("## Since the guidance", 1)[1]
