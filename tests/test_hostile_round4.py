"""Hostile input, round 4: faults found by running the real `ncm` on bad, odd and malicious
files, content packs and terminals after the earlier rounds (test_hostile*.py,
test_untrusted_*.py). Each test runs the real CLI on real files and fails without its fix."""

from __future__ import annotations

from pathlib import Path

from .conftest import MINIMAL, write


def _cells(path: Path) -> list[tuple[str, str, object]]:
    """Every cell of a workbook: (sheet, data type, value)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return [(ws.title, c.data_type, c.value) for ws in wb for row in ws.iter_rows() for c in row]


def test_a_workbook_header_from_a_file_name_is_text_never_a_formula(ncm, tmp_path: Path) -> None:
    """`compare --format xlsx` heads its columns with the stakeholders' file names: a name
    starting with `=` was stored as a formula, and one with a control character stopped the
    command with an internal error (XML cannot hold it)."""
    views = tmp_path / "views"
    write(views / "=1+1.yaml", MINIMAL)
    write(views / "a\x1bb.yaml", MINIMAL.replace("4", "2"))
    out = tmp_path / "c.xlsx"
    r = ncm("compare", str(views), "-o", str(out))
    assert r.exit_code == 0, r.stderr
    cells = _cells(out)
    assert not [c for c in cells if c[1] == "f"]
    values = {c[2] for c in cells}
    assert {"=1+1", "a\\x1bb", "=1+1 rank"} <= values
