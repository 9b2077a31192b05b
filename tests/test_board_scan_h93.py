"""Defects a scan of the board papers of every example, case and outside profile found: a
Markdown heading glued to the blockquote above it, an appendix that showed two values for one
strength, chart labels cut mid-word, and a word broken by the line-wrap of a folded YAML text."""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

from ruamel.yaml import YAML

from .conftest import EXAMPLES, ROOT

CASES = ROOT / "tests" / "case_profiles"


def _paper(ncm, tmp_path: Path, profile: Path, fmt: str) -> str:
    out = tmp_path / f"paper.{fmt}"
    result = ncm("report", str(profile), "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


def test_every_markdown_heading_follows_a_blank_line(ncm, tmp_path: Path) -> None:
    """The "Before choosing" blockquote ran straight into "## The ten options": pandoc (and
    any Markdown without blank-line-free headings) reads the heading as part of the quote."""
    lines = _paper(ncm, tmp_path, EXAMPLES / "east_care_homes.yaml", "md").split("\n")
    assert any(line.startswith("> **Before choosing") for line in lines)
    glued = [(a, b) for a, b in pairwise(lines) if b.startswith("#") and a]
    assert glued == []


def test_one_strength_shows_one_value_in_an_option(ncm, tmp_path: Path) -> None:
    """Appendix C divided the rounded points by the importance: strength 3 of one option read
    "value 4.253" on one row and "value 4.252" on the next."""
    for fmt in ("md", "html"):
        text = _paper(ncm, tmp_path, EXAMPLES / "east_care_homes.yaml", fmt)
        rows = 0
        for section in re.split(r"\n###? |<table", text):
            seen: dict[str, set[str]] = defaultdict(set)
            for value, strength in re.findall(r"value ([\d.]+), from strength (\d)", section):
                seen[strength].add(value)
                rows += 1
            assert all(len(v) == 1 for v in seen.values()), (fmt, dict(seen))
        assert rows >= 6


def test_chart_labels_are_cut_between_words(ncm, tmp_path: Path) -> None:
    """ "Multi-specialty Community Pro…": the chart's labels end on a whole word."""
    text = _paper(ncm, tmp_path, CASES / "dudley_mcp.yaml", "html")
    labels = re.findall(r"<text [^>]*>([^<]*)…</text>", text)
    assert labels
    for label in labels:
        assert label and not label.endswith(" ")
        assert re.search(re.escape(label) + r"\s", text), label


def _strings(node: object):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def test_no_word_is_broken_by_a_folded_line() -> None:
    """A folded YAML text wrapped after a hyphen ("distribute shared-⏎savings") reads
    "shared- savings" in every paper; "short- and long-term" is a word, not a break."""
    yaml = YAML(typ="safe")
    broken = [
        (path.name, m.group(0))
        for path in sorted((ROOT / "data").rglob("*.yaml"))
        for s in _strings(yaml.load(path.read_text(encoding="utf-8")))
        for m in re.finditer(r"\w+- (?!and |or |to )\w+", s)
    ]
    assert broken == []
