"""Every citation names a section that exists in its document (with Module 1's slide number), and
the list of sections (`data/sources/sections.yaml`) matches the source texts where they are at hand.

The pack's citations are checked against the list, which ships with the pack, so these tests need
no copy of the source documents; only the last test reads them, from ../shared/seeds, and it is
skipped where they are absent (the wheel check); NCM_SEEDS_DIR points elsewhere.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from ncm_toolkit.citations import citations
from ncm_toolkit.content import ContentPack, bundled_content_dir, load_pack
from ncm_toolkit.schemas import TOOLKIT_DOCUMENT, Evidence, Source

SEEDS = Path(
    os.environ.get("NCM_SEEDS_DIR")
    or Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
)
SECTIONS = "sources/sections.yaml"
Listed = dict[str, dict[str, int | None]]


def _listed(root: Path) -> Listed:
    """document id -> {section: slide or None}, from `sources/sections.yaml`."""
    data = YAML(typ="safe").load((root / SECTIONS).read_text(encoding="utf-8"))
    out: Listed = {}
    for doc, entries in data["documents"].items():
        out[doc] = {}
        for e in entries:
            assert e["section"] not in out[doc], f"{doc}: '{e['section']}' listed twice"
            out[doc][e["section"]] = e.get("slide")
    return out


def _citations(obj: Any) -> list[Source | Evidence]:
    return citations(obj)


def _bad(cites: list[Source | Evidence], listed: Listed) -> list[str]:
    bad: list[str] = []
    for c in cites:
        sections = listed.get(c.document, {})
        if c.section not in sections:
            bad.append(f"{c.document}: no section '{c.section}'")
        elif c.slide != sections[c.section]:
            bad.append(f"{c.document}: '{c.section}' is slide {sections[c.section]}, not {c.slide}")
    return sorted(set(bad))


def _content(pack: ContentPack) -> list[Any]:
    """Every object of the pack except the manifest (pack.yaml)."""
    return [
        *pack.options.values(),
        *pack.cases.values(),
        pack.legal,
        pack.considerations,
        pack.background,
        pack.quick_guide,
        pack.scoring,
    ]


def test_every_citation_names_a_real_section():
    pack = load_pack()
    cites = _citations(_content(pack))
    assert len(cites) > 2000
    assert _bad(cites, _listed(pack.root)) == []


def test_toolkit_text_is_labelled_and_the_quick_guide_is_cited_for_its_own_steps():
    pack = load_pack()
    step0 = next(s for s in pack.quick_guide.steps if s.number == 0)
    assert {q.source.document for q in step0.questions} == {TOOLKIT_DOCUMENT}
    for step in pack.quick_guide.steps[1:]:
        for q in step.questions:
            if q.id == "importance" or (q.field and q.field.startswith("respondent.")):
                assert q.source.document == TOOLKIT_DOCUMENT, q.id  # the toolkit's own
            else:
                assert q.source.document == "module1", q.id


def test_manifest_citations_name_real_sections():
    pack = load_pack()
    assert _bad(_citations(pack.manifest), _listed(pack.root)) == []


def test_an_invented_section_or_wrong_slide_is_caught(ncm, pack_copy: Path):
    """`ncm validate` refuses both, located in the file and line that cites them."""
    path = pack_copy / "models" / "multi_site_trust.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Option 1: Multi-Site Trust – Finances", "Business case: Finances", 1)
    text = text.replace(
        'Option 1: Multi-Site Trust – Overview", slide: 9',
        'Option 1: Multi-Site Trust – Overview", slide: 10',
        1,
    )
    path.write_text(text, encoding="utf-8")
    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1
    lines = text.splitlines()
    invented = next(i for i, s in enumerate(lines, 1) if "Business case: Finances" in s)
    assert f"multi_site_trust.yaml:{invented}:" in result.stderr
    assert "'Business case: Finances' is not a section of module1" in result.stderr
    assert "'Option 1: Multi-Site Trust – Overview' is slide 9, not 10" in result.stderr


def _norm(text: str) -> str:
    text = text.replace("**", "").replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip()


def _occurs_in_order(text: str, parts: list[str], start: int = 0) -> bool:
    """The path's components occur in the text in order (a component may itself contain ' – ')."""
    if not parts:
        return True
    for k in range(len(parts), 0, -1):
        phrase = _norm(" – ".join(parts[:k]))
        i = text.find(phrase, start)
        while i >= 0:
            if _occurs_in_order(text, parts[k:], i + len(phrase)):
                return True
            i = text.find(phrase, i + 1)
    return False


def _contents_ranges(module1: str) -> dict[str, range]:
    """Module 1's contents page: 'Option 1' -> slides 9-11, 'Legal models ...' -> 39-41, ..."""
    contents = module1[
        module1.index("Contents") : module1.index("Option 1: Multi-Site Trust Overview")
    ]
    out: dict[str, range] = {}
    for m in re.finditer(
        r"(Option \d+|Legal models|Conclusion)\D*?(\d+)(?:-(\d+))?(?= |$)", contents
    ):
        out[m.group(1)] = range(int(m.group(2)), int(m.group(3) or m.group(2)) + 1)
    return out


def _contents_key(section: str) -> str | None:
    """The contents-page entry a Module 1 section falls under, if any."""
    if m := re.match(r"Option \d+(?=:)", section):
        return m.group(0)
    if section.startswith(("Legal models", "Pros and cons of")):
        return "Legal models"
    return "Conclusion" if section.startswith("Conclusion") else None


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source texts (../shared/seeds) are not here")
def test_listed_sections_exist_in_the_source_texts():
    root = bundled_content_dir()
    listed = _listed(root)
    files = {d.id: d.file for d in load_pack().manifest.documents}
    assert set(listed) == set(files) | {TOOLKIT_DOCUMENT}
    missing: list[str] = []
    for doc, file in files.items():
        text = _norm((SEEDS / file).read_text(encoding="utf-8"))
        ranges = _contents_ranges(text) if doc == "module1" else {}
        for section, slide in listed[doc].items():
            if not _occurs_in_order(text, section.split(" – ")):
                missing.append(f"{doc}: '{section}'")
            if doc == "module1":
                key = _contents_key(section)
                if key is None:
                    assert slide is None, section
                else:
                    assert slide in ranges[key], (section, slide, ranges[key])
    assert missing == []
