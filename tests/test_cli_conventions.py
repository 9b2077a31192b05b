"""CLI conventions through the real CLI: readable help with examples for every command and
sub-command, ids listed where they are asked for, `-` for stdin and stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import typer
from typer.testing import CliRunner

from ncm_toolkit.cli.main import app

PROFILE = Path("tests/case_profiles/alder_hey.yaml")
BAD = "schema_version: 1\nname: Bad\nobjectives:\n  integrating_primary_care: 4\n  bogus: 3\n"


def _commands() -> list[list[str]]:
    """Every command and sub-command, walked from the click app (no hand list)."""
    found: list[list[str]] = [[]]

    def walk(group: Any, prefix: list[str]) -> None:
        ctx = click.Context(group)
        for name in getattr(group, "list_commands", lambda _c: [])(ctx):
            sub = group.get_command(ctx, name)
            found.append([*prefix, name])
            walk(sub, [*prefix, name])

    walk(typer.main.get_command(app), [])
    return found


COMMANDS = _commands()


def _help(args: list[str]) -> str:
    result = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1"}).invoke(
        app, [*args, "-h"], prog_name="ncm"
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_command_and_sub_command_is_walked() -> None:
    names = {" ".join(c) for c in COMMANDS}
    assert {"", "score", "readiness init", "readiness show", "models show", "cases show"} <= names
    assert len(COMMANDS) >= 20


@pytest.mark.parametrize("args", COMMANDS, ids=lambda c: " ".join(c) or "ncm")
def test_help_has_readable_metavars_and_examples(args: list[str]) -> None:
    text = _help(args)
    for internal in ("list[", "Path]", "<", "{", "}"):
        assert internal not in text, f"`ncm {' '.join(args)} -h` shows {internal!r}:\n{text}"
    assert "Examples:" in text


def test_metavars_read_as_documented() -> None:
    assert "Usage: ncm score [OPTIONS] PROFILE..." in _help(["score"])
    assert "Usage: ncm validate [OPTIONS] [PATH]..." in _help(["validate"])
    assert "Usage: ncm init [OPTIONS] [PATH]\n" in _help(["init"])
    score = _help(["score"])
    assert "--format [table|json|csv|xlsx]" in score
    assert "-o, --output FILE" in score and "--top N" in score


@pytest.mark.parametrize(
    "args",
    [["plan"], ["cases"], ["models", "show"]],
    ids=lambda c: " ".join(c),
)
def test_option_ids_listed_where_asked_for(args: list[str]) -> None:
    from ncm_toolkit.vocabulary import OPTION_IDS

    flat = " ".join(_help(args).split())
    assert all(i in flat for i in OPTION_IDS), flat


def test_area_ids_listed_and_equal_to_the_packs() -> None:
    from ncm_toolkit.cli.questions import AREA_IDS_HELP
    from ncm_toolkit.content import load_pack

    areas = [a.id for a in load_pack().considerations.areas]
    assert AREA_IDS_HELP.split(", ") == areas
    for args in (["questions"], ["readiness", "ask"]):
        flat = " ".join(_help(args).split())
        assert all(a in flat for a in areas)


def test_unknown_id_lists_the_known_ones(ncm) -> None:
    result = ncm("cases", "show", "whitstable")
    assert result.exit_code == 2
    assert "whitstable_medical_practice" in result.stderr and "known:" in result.stderr


def test_ids_complete_on_tab() -> None:
    from ncm_toolkit.cli.core import complete_from_pack, complete_option

    assert complete_option("gp") == ["gp_federation"]
    cases = complete_from_pack(lambda pack: list(pack.cases))("whit")
    assert cases == ["whitstable_medical_practice"]


class _Ran:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def _run(*args: str, input: str | None = None) -> _Ran:
    """`ncm ARGS` in-process (the real app and files), with stdin and stdout streams that
    are no terminal, as a pipe is: what `-` reads and writes there is what the tests see."""
    result = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1"}).invoke(app, list(args), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return _Ran(result.exit_code, result.stdout, result.stderr)


def _run_child(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """The installed `ncm` command (real stdin and stdout)."""
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "ncm_toolkit", *args],
        input=input,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )


def test_score_reads_a_profile_from_stdin() -> None:
    text = PROFILE.read_text(encoding="utf-8")
    from_file = _run("score", str(PROFILE), "--format", "json")
    from_stdin = _run_child("score", "-", "--format", "json", input=text)  # a real pipe
    assert from_stdin.returncode == 0, from_stdin.stderr
    a, b = json.loads(from_file.stdout), json.loads(from_stdin.stdout)
    assert a["results"][0]["ranking"] == b["results"][0]["ranking"]
    assert b["results"][0]["profile"] == "<stdin>"


def test_validate_locates_errors_in_stdin() -> None:
    result = _run("validate", "-", input=BAD)
    assert result.returncode == 1
    assert result.stderr.startswith("<stdin>:5:3: objectives.bogus"), result.stderr
    ok = _run("validate", "-", input=PROFILE.read_text(encoding="utf-8"))
    assert ok.returncode == 0 and "1 file valid" in ok.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["score", str(PROFILE), "--format", "csv"],
        ["score", str(PROFILE)],
        ["plan", str(PROFILE), "--format", "md"],
        ["compare", str(PROFILE), "tests/case_profiles/cambridge_aco.yaml", "--format", "json"],
    ],
    ids=["score-csv", "score-table", "plan-md", "compare-json"],
)
def test_dash_output_is_stdout(args: list[str]) -> None:
    result = _run(*args, "-o", "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert not Path("-").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["score", str(PROFILE), "--format", "xlsx"],
        ["compare", str(PROFILE), str(PROFILE), "--format", "xlsx"],
        ["report", str(PROFILE), "--format", "docx"],
        ["report", str(PROFILE)],
    ],
    ids=["score-xlsx", "compare-xlsx", "report-docx", "report"],
)
def test_binary_and_report_refuse_dash_output(args: list[str]) -> None:
    result = _run(*args, "-o", "-")
    assert result.returncode == 2, result.stderr
    assert "ncm: error:" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not Path("-").exists()
