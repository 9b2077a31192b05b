"""Hostile round 13: content packs, user templates, comparisons, batch folders and the
environment, attacked as a fresh attacker would. Each test failed before its fix."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import EXAMPLES

NORTH = str(EXAMPLES / "north_practices.yaml")


def _record(ncm, out: Path, role: str) -> Path:
    result = ncm(
        "readiness", "init", str(EXAMPLES / "north_practices.yaml"), "-o", str(out),
        "--role", role, "--organisation", "North",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return out


def test_compare_of_records_with_one_broken_record_locates_it(ncm, tmp_path: Path) -> None:
    """A record with a YAML error among records was "compare readiness records with readiness
    records only" (exit 2, no file named): it is a record whose error is located (exit 1)."""
    _record(ncm, tmp_path / "a.yaml", "DoF")
    broken = _record(ncm, tmp_path / "b.yaml", "CEO")
    broken.write_text(
        broken.read_text(encoding="utf-8").replace('role: "CEO"', 'role: "CEO'), encoding="utf-8"
    )
    result = ncm("compare", str(tmp_path))
    assert result.exit_code == 1, result.stderr
    assert f"{broken}:" in result.stderr
    assert "records only" not in result.stderr
    # a profile among records is still refused, and both files are named
    profile = tmp_path / "p.yaml"
    profile.write_text((EXAMPLES / "north_practices.yaml").read_text(encoding="utf-8"))
    broken.unlink()
    result = ncm("compare", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path / 'a.yaml'} is a readiness record but {profile} is not" in result.stderr


def _retitle(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_word_paper_takes_a_pack_title_with_a_control(ncm, pack_copy: Path, tmp_path) -> None:
    """The chart's caption printed the options' titles raw: a pack title holding ESC (a
    YAML escape) was an internal error ("All strings must be XML compatible")."""
    _retitle(pack_copy / "models" / "gp_federation.yaml", "title: GP Federation", 'title: "GP\\e"')
    out = tmp_path / "north.docx"
    result = ncm(
        "report", NORTH, "--content", str(pack_copy), "-o", str(out)
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    import zipfile

    body = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert "(GP\\x1b: " in body  # the caption, with the escape shown as the paper shows it


def test_a_readiness_record_keeps_a_pack_area_title_in_its_comment(
    ncm, pack_copy: Path, tmp_path: Path
) -> None:
    """An area's title was written raw into the record's comment: a line break in it ended
    the comment (the rest read as YAML, here a second answer) and an ESC made the record
    `ncm readiness init` had just written unreadable."""
    _retitle(
        pack_copy / "questions" / "considerations.yaml",
        "title: Organisational Form",
        'title: "Form\\e form_01: {status: settled} #"',
    )  # a line break there is refused by `ncm validate` since session 12 (a title is one line)
    record = tmp_path / "dof.yaml"
    made = ncm(
        "readiness", "init", str(EXAMPLES / "north_practices.yaml"), "-o", str(record),
        "--role", "DoF", "--organisation", "North", "--content", str(pack_copy),
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    text = record.read_text(encoding="utf-8")
    assert "  # ---- Form\\x1b form_01: {status: settled} # (organisational_form) ----\n" in text
    shown = ncm("readiness", "show", str(record), "--content", str(pack_copy), "--format", "json")
    assert shown.exit_code == 0, shown.stderr


def test_html_writes_a_lone_carriage_return_as_a_reference(
    ncm, pack_copy: Path, tmp_path: Path
) -> None:
    """HTML kept a CR raw: on a terminal (`cat north.html`) it returns over the line, hiding
    what came before, and a GitHub Actions runner reads it as a line end, so `::error::`
    after it, which the page did not escape (it escapes `::` after a line feed), was a
    workflow command."""
    # A pack's titles are one line (`ncm validate` refuses a CR there); a profile's name and
    # a pack's longer texts may still hold one.
    profile = tmp_path / "cr.yaml"
    text = Path(NORTH).read_text(encoding="utf-8")
    name = next(ln for ln in text.splitlines() if ln.startswith("name: "))
    profile.write_text(text.replace(name, 'name: "North\\r::error::forged"', 1), encoding="utf-8")
    out = tmp_path / "north.html"
    result = ncm(
        "report", str(profile), "--content", str(pack_copy), "-o", str(out)
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    page = out.read_bytes().decode("utf-8")
    assert "\r" not in page
    assert "North&#xd;::error::forged" in page


def test_a_record_with_hundreds_of_unknown_ids_gets_at_most_100_diagnostics(
    ncm, tmp_path: Path
) -> None:
    """Every other file stops at 100 diagnostics ("... and N more"); a record's unknown
    question ids did not: 800 of them were 800 lines in `validate` and in `show`'s warnings."""
    record = _record(ncm, tmp_path / "dof.yaml", "DoF")
    extra = "".join(f"  zz_{i}: {{status: open}}\n" for i in range(800))
    record.write_text(record.read_text(encoding="utf-8") + extra, encoding="utf-8")
    checked = ncm("validate", str(record))
    assert checked.exit_code == 1
    lines = checked.stderr.splitlines()
    assert len(lines) == 102, lines[-3:]  # 100, the "more" line, the summary
    assert lines[-2].endswith("... and 700 more unknown or retired question ids")
    shown = ncm("readiness", "show", str(record), "--format", "json")
    assert shown.exit_code == 0
    warnings = shown.stderr.splitlines()
    assert len(warnings) == 101 and warnings[-1].endswith(
        "700 more unknown or retired question ids"
    )


def test_a_pack_file_gets_at_most_100_diagnostics(ncm, pack_copy: Path) -> None:
    """The checks that span a pack's files were not capped per file: a currency term with no
    note matching "the" was 140 errors for one file (2,100 lines in all)."""
    _retitle(
        pack_copy / "currency.yaml",
        "terms:\n",
        "terms:\n  - term: the word the\n    match: [the, and, of]\n    notes: []\n",
    )
    result = ncm("validate", "--content", str(pack_copy))
    assert result.exit_code == 1
    per_file: dict[str, int] = {}
    for line in result.stderr.splitlines()[:-1]:
        per_file[line.split(":")[0]] = per_file.get(line.split(":")[0], 0) + 1
    assert max(per_file.values()) == 101
    considerations = str(pack_copy / "questions" / "considerations.yaml")
    assert per_file[considerations] == 101
    assert re.search(
        f"^{re.escape(considerations)}:\\d+:\\d+: \\.\\.\\. and \\d+ more errors$",
        result.stderr,
        re.M,
    )


def test_a_comparison_too_wide_for_a_worksheet_is_refused(monkeypatch) -> None:
    """8,191 stakeholders need 16,386 columns: openpyxl wrote them, and Excel calls such a
    workbook corrupt. The command's usage error (exit 2) says which formats take them. (A
    unit test: comparing 8,191 real profiles would take a minute.) 8,190 fill a worksheet
    exactly: the sheets handed to the writer are checked, not written (openpyxl takes 2 s of
    CPU over 16,384 columns and refuses no width)."""
    from types import SimpleNamespace
    from typing import Any

    import pytest

    from ncm_toolkit.errors import UsageError
    from ncm_toolkit.render import xlsx

    # two columns a stakeholder and five more (option, combined rank and score, spread and,
    # since session 12, `closed for`): 8,190 stakeholders need 16,385
    people = [SimpleNamespace(label=f"s{i}") for i in range(8190)]
    with pytest.raises(UsageError, match=r"16,385 columns, more than a worksheet holds \(16,384\)"):
        xlsx.compare_workbook(SimpleNamespace(stakeholders=people, objectives=[], options=[]))
    widths: list[int] = []

    def workbook_bytes(sheets: Any) -> bytes:
        widths.extend(len(header) for _, header, _ in sheets)
        return b"x"

    monkeypatch.setattr(xlsx, "workbook_bytes", workbook_bytes)
    assert xlsx.compare_workbook(
        SimpleNamespace(stakeholders=people[:8189], objectives=[], options=[])
    )
    assert max(widths) == xlsx.MAX_COLUMNS - 1 == 16_383  # the widest that fits
