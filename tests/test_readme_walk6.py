"""A sixth walk through the README as a new user, in a fresh virtual environment from a copy of
the checkout: set-up, the first assessment, every command example. Each test is a finding of
that walk, run through the real CLI (a subprocess of `python -m ncm_toolkit`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "examples" / "profiles" / "north_practices.yaml"

PYDANTIC_WORDS = ("Value error", "Input should", "unable to parse")
"""Pydantic's words, which this typer's option checks put into click's usage errors."""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ncm_toolkit", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ("score", "--format", "yaml", str(PROFILE)),
            "Invalid value for '--format': 'yaml' is not one of 'table', 'json', 'csv', 'xlsx'.",
        ),
        (
            ("report", "--appendix", "foo", str(PROFILE)),
            "Invalid value for '--appendix': 'foo' is not one of 'inline', 'separate', 'none'.",
        ),
        (("score", "--top", "abc", str(PROFILE)), "Invalid value for '--top': must be a whole"),
        (("score", "--top", "0", str(PROFILE)), "Invalid value for '--top': must be 1 or more"),
        (("score", "--jobs", "x", str(PROFILE)), "must be a whole number"),
    ],
)
def test_a_mistyped_option_value_is_said_in_plain_words(args: tuple[str, ...], says: str) -> None:
    """A newcomer's first typo, `ncm score --format yaml`, printed "Invalid value for
    '--format': Value error, 'yaml' is not one of ..."; `--top abc` "Input should be a valid
    integer, unable to parse string as an integer": Pydantic's words, which typer's option
    coercion puts into click's usage error and no message of ncm's carries. Exit 2 still."""
    result = _run(*args)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr, result.stderr
    for word in PYDANTIC_WORDS:
        assert word not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_pack_counts_the_same_files_valid_or_not(tmp_path: Path) -> None:
    """`ncm validate` said "ok: 54 files valid" of the bundled pack, and "1 error in 57 files
    checked" of the same pack with one date mistyped: the report files and `words.yaml` were
    checked both times but counted only when something failed. A newcomer checking a copy of
    the pack saw its size change with its validity."""
    import json
    import shutil

    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "data", pack)
    good = json.loads(_run("validate", str(pack), "--format", "json").stdout)
    assert good["valid"] is True
    currency = pack / "currency.yaml"
    text = currency.read_text(encoding="utf-8")
    currency.write_text(text.replace('reviewed: "', 'reviewed: "1', 1), encoding="utf-8")
    bad = json.loads(_run("validate", str(pack), "--format", "json").stdout)
    assert bad["valid"] is False and len(bad["errors"]) == 1, bad
    assert good["files_checked"] == bad["files_checked"]
    assert good["files_checked"] == len(list(pack.rglob("*.yaml")))


def test_a_mistyped_choice_gets_a_guess(ncm) -> None:
    """`--format jsn` listed the choices but did not guess, unlike a mistyped id; a value far
    from every choice gets no guess."""
    result = ncm("score", "--format", "jsn", str(EXAMPLES))
    assert result.exit_code == 2
    assert "'jsn' is not one of 'table', 'json', 'csv', 'xlsx'; did you mean 'json'?" in (
        result.stderr
    )
    far = ncm("score", "--format", "zzz", str(EXAMPLES))
    assert far.exit_code == 2
    assert "'zzz' is not one of 'table', 'json', 'csv', 'xlsx'." in far.stderr
    assert "did you mean" not in far.stderr
