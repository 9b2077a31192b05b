"""Every citation names a section its document has (`sources/sections.yaml`), with the right
Module 1 slide: a reader who opens the document finds the passage where the pack says it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ncm_toolkit.errors import Diagnostic
from ncm_toolkit.schemas import TOOLKIT_DOCUMENT, Evidence, Source, SourceSections


def citations(obj: Any) -> list[Source | Evidence]:
    """Every Source and Evidence in a loaded content object, without recursion."""
    found: list[Source | Evidence] = []
    stack = [obj]
    while stack:
        n = stack.pop()
        if isinstance(n, Source | Evidence):
            found.append(n)
        elif isinstance(n, BaseModel):
            stack.extend(getattr(n, name) for name in type(n).model_fields)
        elif isinstance(n, list | tuple):
            stack.extend(n)
        elif isinstance(n, dict):
            stack.extend(n.values())
    return found


def check_sections(
    objects: dict[Path, BaseModel],
    cited: dict[Path, list[Source | Evidence]],
    listed: SourceSections,
) -> list[Diagnostic]:
    """A located error for each citation of a section not listed for its document, or with a
    slide other than the listed one. The toolkit's own text is labelled, not cited: any
    section name is accepted for it only when listed too. `cited`: each file's `citations`."""
    known = {
        doc: {e.section: e.slide for e in entries} for doc, entries in listed.documents.items()
    }
    out: list[Diagnostic] = []
    for path, obj in objects.items():
        if isinstance(obj, SourceSections):
            continue
        lines: list[str] | None = None
        for c in cited[path]:
            sections = known.get(c.document)
            if sections is None and c.document != TOOLKIT_DOCUMENT:
                continue  # an unknown document is reported by the document check
            sections = sections or {}
            for extra in getattr(c, "also", []):
                if extra not in sections:
                    if lines is None:
                        lines = path.read_text(encoding="utf-8").splitlines()
                    line, col = _find(lines, extra)
                    out.append(
                        Diagnostic(
                            str(path),
                            line,
                            col,
                            f"'{extra}' is not a section of {c.document}",
                            "source.also",
                            "sections are listed in sources/sections.yaml",
                        )
                    )
            if c.section in sections and c.slide == sections[c.section]:
                continue
            if lines is None:
                lines = path.read_text(encoding="utf-8").splitlines()
            line, col = _find(lines, c.section)
            if c.section not in sections:
                message = f"'{c.section}' is not a section of {c.document}"
                hint = "sections are listed in sources/sections.yaml"
            else:
                message = f"'{c.section}' is slide {sections[c.section]}, not {c.slide}"
                hint = None
            out.append(Diagnostic(str(path), line, col, message, "source.section", hint))
    return out


def _find(lines: list[str], section: str) -> tuple[int, int]:
    """Where the citation is written (its section text's first occurrence), else line 1."""
    for i, text in enumerate(lines, 1):
        col = text.find(section)
        if col >= 0:
            return i, col + 1
    return 1, 1
