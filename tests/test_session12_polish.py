"""Small things a user met (session 12): options that did nothing without a word, and a
warning printed before the usage error that made it moot."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import EXAMPLES

SOUTH = EXAMPLES / "south_borough_integration.yaml"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_explain_says_when_the_format_has_no_room_for_it(ncm, tmp_path: Path, fmt: str) -> None:
    """`ncm score P --explain --format csv` wrote the same CSV as without `--explain`, and
    said nothing: the user believed the arithmetic was in the file."""
    out = tmp_path / f"s.{fmt}"
    result = ncm("score", str(SOUTH), "--explain", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "--explain" in result.stderr and "JSON always carries it" in result.stderr
    assert out.is_file()
    plain = ncm("score", str(SOUTH), "--format", fmt, "-o", str(tmp_path / f"t.{fmt}"))
    assert "--explain" not in plain.stderr


def test_explain_in_json_and_the_table_gives_no_warning(ncm) -> None:
    for fmt in ("json", "table"):
        result = ncm("score", str(SOUTH), "--explain", "--format", fmt)
        assert result.exit_code == 0, result.output
        assert "warning" not in result.stderr, result.stderr


def test_compare_xlsx_without_output_is_refused_before_any_warning(ncm) -> None:
    """Two profiles of different partnerships to `--format xlsx` with no `-o` printed the
    "profiles name 2 partnerships" warning, then the usage error that made it moot."""
    two = sorted(EXAMPLES.glob("*.yaml"))[:2]
    result = ncm("compare", *(str(p) for p in two), "--format", "xlsx")
    assert result.exit_code == 2, result.output
    assert "give --output FILE.xlsx" in result.stderr
    assert "warning" not in result.stderr, result.stderr
