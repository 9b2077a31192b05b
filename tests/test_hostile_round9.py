"""Hostile input, round 9: YAML features the earlier rounds did not try (typed collections such
as `!!omap`), dates in other ISO 8601 forms than YYYY-MM-DD, and environment variables far
out of range. Each test runs the real CLI on real files and fails without its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import EXAMPLES, MINIMAL, write

V2 = MINIMAL.replace("schema_version: 1", "schema_version: 2")


def test_a_source_date_epoch_of_thousands_of_digits_is_a_usage_error(
    ncm, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """SOURCE_DATE_EPOCH=999...9 (5,000 digits) passed the digits check, then `int()` hit
    Python's 4,300-digit guard: "internal error: ValueError: Exceeds the limit (4300 digits)
    for integer string conversion" (exit 1) from `score -o s.xlsx` and `report`. Now it is the
    usual usage error (exit 2), and the value it quotes is shortened, not 5,000 digits long."""
    value = "9" * 5000
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    profile = str(EXAMPLES / "north_practices.yaml")
    for args in (
        ("score", profile, "-o", str(tmp_path / "s.xlsx")),
        ("report", profile, "-o", str(tmp_path / "p.md")),
    ):
        r = ncm(*args)
        assert r.exit_code == 2, (args, r.output)
        assert "$SOURCE_DATE_EPOCH: expected whole seconds" in r.stderr
        assert "internal error" not in r.stderr and "Exceeds the limit" not in r.stderr
        assert len(r.stderr) < 300, r.stderr
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0" * 5000 + "1")  # leading zeros: still 1970
    assert ncm("score", profile, "-o", str(tmp_path / "s.xlsx")).exit_code == 0


@pytest.mark.parametrize(
    "objectives",
    [
        "!!omap [integrating_primary_care: 4, integrating_primary_care: 0]",
        "!!omap\n  - integrating_primary_care: 4\n  - integrating_primary_care: 0",
    ],
)
def test_a_key_twice_in_an_ordered_map_is_located(ncm, tmp_path: Path, objectives: str) -> None:
    """`objectives: !!omap [...]` (YAML's ordered map, which the safe loader builds) with a key
    twice: ruamel's constructor fails an `assert`, which has no message, so `ncm validate` said
    "p.yaml:1:1: cannot read the file: " (nothing after the colon, no line, no field). Now the
    duplicate is located at its second occurrence, with its field and the first line."""
    profile = write(tmp_path / "p.yaml", f"schema_version: 1\nname: X\nobjectives: {objectives}\n")
    r = ncm("validate", str(profile))
    assert r.exit_code == 1, r.stdout
    out = r.stdout + r.stderr
    assert "cannot read the file" not in out, out
    line = 3 if objectives.startswith("!!omap [") else 5
    assert f"p.yaml:{line}:" in out, out
    assert "objectives: duplicate key 'integrating_primary_care'" in out, out
    assert "Traceback" not in out


@pytest.mark.parametrize("value", ["2026-W01", "2026-W01-1", "'20260105'", "2026W011"])
def test_a_date_in_another_iso_form_is_refused(ncm, tmp_path: Path, value: str) -> None:
    """Python 3.11's `date.fromisoformat` reads every ISO 8601 date form, so `as_of: 2026-W01`
    (a week) was taken as 2025-12-29, another year, and shown so in every paper; `'20260105'`
    likewise. The format is documented as YYYY-MM-DD, and only that form is read now: the
    others are "not a date: write it as YYYY-MM-DD", in a profile (`as_of`, `agreed_on`) and in
    a readiness record (`as_of`, `due`) alike, and for `readiness init --as-of`."""
    profile = write(
        tmp_path / "p.yaml",
        V2 + f"as_of: {value}\ndecision:\n  option: mcp\n  agreed_on: {value}\n",
    )
    r = ncm("validate", str(profile))
    assert r.exit_code == 1, r.stdout
    out = r.stdout + r.stderr
    assert "p.yaml:5:8: as_of: not a date: write it as YYYY-MM-DD" in out, out
    assert "p.yaml:8:14: decision.agreed_on: not a date: write it as YYYY-MM-DD" in out, out

    rec = tmp_path / "r.yaml"
    bare = value.strip("'")
    r = ncm("readiness", "init", "-o", str(rec), "--partnership", "N", "--role", "R",
            "--organisation", "O", "--as-of", bare)  # fmt: skip
    assert r.exit_code == 2, r.stdout
    assert f"--as-of {bare}: not a date: write it as YYYY-MM-DD" in r.stderr and not rec.exists()
    r = ncm("readiness", "init", "-o", str(rec), "--partnership", "N", "--role", "R",
            "--organisation", "O", "--as-of", "2026-01-05")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    text = rec.read_text().replace(
        "  form_01:\n    status: not_considered",
        f"  form_01:\n    status: open\n    owner: CFO\n    due: {value}",
        1,
    )
    write(rec, text)
    r = ncm("readiness", "show", str(rec))
    assert r.exit_code == 1
    assert "answers.form_01.due: not a date: write it as YYYY-MM-DD" in r.stderr, r.stderr


@pytest.mark.parametrize("end", ["\r\n", "\r"])
def test_migrate_writes_its_line_with_the_files_own_line_break(
    ncm, tmp_path: Path, end: str
) -> None:
    """A version-1 profile without `schema_version:` (it defaults to 1) saved by a Windows
    editor (CRLF, with a byte-order mark) or with old Mac line ends (CR): `ncm migrate` put
    `schema_version: 2` above it with a bare LF, leaving a file with two kinds of line break
    (a diff then marks every line, and some tools see one long line). The line now ends as the
    file's others do."""
    body = "name: N\nobjectives:\n  integrating_primary_care: 4\n"
    f = tmp_path / "p.yaml"
    f.write_bytes(b"\xef\xbb\xbf" + body.replace("\n", end).encode())
    r = ncm("migrate", str(f))
    assert r.exit_code == 0, r.stderr
    assert (
        f.read_bytes()
        == b"\xef\xbb\xbf" + ("schema_version: 2\n" + body).replace("\n", end).encode()
    )
    assert ncm("validate", str(f)).exit_code == 0


def test_migrate_takes_a_profile_whose_first_key_is_explicit(ncm, tmp_path: Path) -> None:
    """`? name` / `: N` is the explicit form of `name: N`, valid YAML that `ncm validate`
    takes. `ncm migrate` put `schema_version: 2` between the `?` and its key and refused the
    valid file: "could not set schema_version: 2" (exit 1). The line now goes above the `?`."""
    text = "# North\n? name\n: N\nobjectives:\n  integrating_primary_care: 4\n"
    f = write(tmp_path / "p.yaml", text)
    assert ncm("validate", str(f)).exit_code == 0
    r = ncm("migrate", str(f))
    assert r.exit_code == 0, r.stderr
    assert f.read_text() == text.replace("? name", "schema_version: 2\n? name")
    assert ncm("validate", str(f)).exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ("validate", ""),
        ("score", "", "--format", "json"),
        ("report", "", "-o", "papers/"),
        ("score", "p.yaml", "-o", ""),
        ("report", "p.yaml", "-o", ""),
        ("report", "p.yaml", "--templates", "", "-o", "p.md"),
        ("score", "p.yaml", "--output="),
        ("readiness", "show", ""),
    ],
)
def test_an_empty_argument_is_a_usage_error(
    ncm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """An unset variable in a script (`ncm validate "$CHANGED"`, `-o "$OUT"`) gives the
    argument "", which `Path` reads as `.`: `ncm validate ""` checked the current folder and
    said "ok: 1 file valid" (exit 0, so CI passed having checked nothing it was asked to),
    `ncm report "" -o papers/` wrote papers for whatever profiles lay there, `report -o ""`
    wrote `./p.html`, and `score -o ""` said ".: is a directory; --force replaces regular
    files only" without --force given. Now any empty argument is a usage error (exit 2)."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "p.yaml", MINIMAL)
    before = sorted(p.name for p in tmp_path.iterdir())
    r = ncm(*args)
    assert r.exit_code == 2, r.output
    assert "empty" in r.stderr and "is a shell variable unset?" in r.stderr, r.stderr
    assert "valid" not in r.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("value", ["0.5", "0.999"])
def test_a_template_memory_bound_under_one_mib_is_a_usage_error(
    ncm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """NCM_TEMPLATE_MEMORY=0.5 passed the "positive number" check and was then cut to 0 MiB:
    every user template failed with "the render needs more than 0 MiB" (exit 1), a template
    error blamed on a template that is fine. A bound below 1 MiB is now refused as a usage
    error naming the variable, as any other bad value is."""
    monkeypatch.setenv("NCM_TEMPLATE_MEMORY", value)
    tpl = write(tmp_path / "tpl" / "report.md.j2", "# {{ profile.name }}\n")
    profile = write(tmp_path / "p.yaml", MINIMAL)
    out = tmp_path / "p.md"
    r = ncm("report", str(profile), "--templates", str(tpl.parent), "-o", str(out))
    assert r.exit_code == 2, r.output
    assert "$NCM_TEMPLATE_MEMORY" in r.stderr and "0 MiB" not in r.stderr
    assert not out.exists()
    monkeypatch.setenv("NCM_TEMPLATE_MEMORY", "1.5")  # 1 MiB or more is a bound, not a misuse
    r = ncm("report", str(profile), "--templates", str(tpl.parent), "-o", str(out))
    assert r.exit_code != 2, r.stderr


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ("objectives:\n  ? {a: 1}\n  : 4\n", ":4:5: objectives: while constructing a mapping"),
        ("objectives:\n  <<: 5\n", ":4:7: objectives.<<: while constructing a mapping"),
        (
            "objectives:\n  integrating_primary_care: !custom 4\n",
            ":4:29: objectives.integrating_primary_care: could not determine a constructor",
        ),
        (
            "objectives:\n  integrating_primary_care: 4\n  integrating_primary_care: 3\n",
            ":5:3: objectives: duplicate key 'integrating_primary_care': defined at line 4",
        ),
    ],
)
def test_what_yaml_cannot_build_names_its_field(
    ncm, tmp_path: Path, tail: str, expected: str
) -> None:
    """YAML the parser reads but cannot build (a mapping as a key, a merge `<<:` of a scalar,
    a tag with no constructor) and a key given twice inside a section were located by line
    and column only: "p.yaml:4:5: while constructing a mapping found unhashable key", no
    field, although every other error names one. They now name the field they are in."""
    profile = write(tmp_path / "p.yaml", "schema_version: 1\nname: X\n" + tail)
    r = ncm("validate", str(profile))
    assert r.exit_code == 1, r.stdout
    out = r.stdout + r.stderr
    assert f"p.yaml{expected}" in out, out
    assert "Traceback" not in out
