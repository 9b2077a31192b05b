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


def test_the_module_map_names_every_module() -> None:
    """The README's table of stages names every module outside `cli/` (the commands' own
    modules are "one module per command"): it had left out `api`, `clock`, `launch`,
    `render/fragments` and `render/template_cache`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| stage | modules |", 1)[1].split("\n\n", 1)[0]
    named = set(re.findall(r"`([a-z_/]+)(?:\.[A-Za-z_.]+)?`", table))
    package = ROOT / "src" / "ncm_toolkit"
    modules = {
        path.relative_to(package).with_suffix("").as_posix() for path in package.glob("*.py")
    } | {
        path.relative_to(package).with_suffix("").as_posix()
        for folder in ("read", "render")
        for path in (package / folder).glob("*.py")
    }
    modules -= {"__init__", "__main__", "read/__init__", "render/__init__"}
    assert sorted(modules - named) == []
