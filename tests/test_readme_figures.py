"""Figures the README quotes from the tool's own output stay true: it said `ok: 49 files
valid` when the bundled pack had grown to 54."""

from __future__ import annotations

import re

from .conftest import ROOT


def test_the_quoted_validate_line_is_what_validate_prints(ncm) -> None:
    result = ncm("validate")
    assert result.exit_code == 0, result.stderr
    printed = re.search(r"ok: (\d+) files valid", result.stdout)
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    quoted = re.findall(r"`ok: (\d+) files valid \(content pack: bundled\)", readme)
    assert printed and quoted, (result.stdout, quoted)
    assert set(quoted) == {printed[1]}
