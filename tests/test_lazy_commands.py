"""Commands are imported only when run (`cli.core.COMMANDS`): `ncm --help` lists every command
without importing one, each command still runs, and the table's lines cannot drift from the
commands' own help."""

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

import ncm_toolkit.cli
from ncm_toolkit.cli.core import COMMANDS
from ncm_toolkit.cli.main import app

from .conftest import EXAMPLES

EXAMPLE = EXAMPLES / "south_borough_integration.yaml"

# A fresh interpreter runs `ncm ARGS...` as the console script does, then reports which
# command modules it imported.
_CHILD = """
import json, sys
args, names = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.argv = ["ncm", *args]
from ncm_toolkit.launch import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
loaded = sorted(n for n in names if "ncm_toolkit.cli." + n in sys.modules)
sys.stderr.write("\\nLOADED " + json.dumps({"code": code, "loaded": loaded}) + "\\n")
"""


def _run(args: list[str]) -> tuple[str, dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(args), json.dumps(list(COMMANDS))],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        check=False,
    )
    report = json.loads(done.stderr.rsplit("LOADED ", 1)[1])
    return done.stdout, report


def test_help_lists_every_command_without_importing_one() -> None:
    out, report = _run(["--help"])
    assert report == {"code": 0, "loaded": []}
    listed: list[str] = []
    for line in out.split("Commands:\n", 1)[1].splitlines():
        if line.startswith("   "):  # a wrapped line goes on under its command's text
            listed[-1] += " " + line.strip()
        else:
            listed.append(line)
    assert [line.split()[0] for line in listed] == list(COMMANDS)
    for line, (name, text) in zip(listed, COMMANDS.items(), strict=True):
        shown = line.split(None, 1)[1]
        assert shown == " ".join(text.split()), (name, shown)  # whole, wrapped, never cut


def test_a_command_imports_its_own_module_only() -> None:
    out, report = _run(["score", "--help"])
    assert report == {"code": 0, "loaded": ["score"]}
    assert out.startswith("Usage: ncm score [OPTIONS] PROFILE")


def test_every_command_runs_help_when_loaded_on_demand() -> None:
    """In one fresh process, each command built from a fresh group (its module not yet
    imported when first asked for) answers `--help` with its own usage."""
    script = """
import json, sys
from typer.testing import CliRunner
from ncm_toolkit.cli.main import app
names = json.loads(sys.argv[1])
before = [n for n in names if "ncm_toolkit.cli." + n in sys.modules]
results = {}
for name in names:
    args = [name, "--help"] if name != "readiness" else [name, "show", "--help"]
    result = CliRunner().invoke(app, args, prog_name="ncm")
    results[name] = [result.exit_code, result.stdout.splitlines()[0]]
print(json.dumps({"before": before, "results": results}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(list(COMMANDS))],
        capture_output=True,
        text=True,
        check=True,
    )
    answer = json.loads(done.stdout)
    assert answer["before"] == []
    for name in COMMANDS:
        code, usage = answer["results"][name]
        assert code == 0, name
        assert usage.startswith(f"Usage: ncm {name} "), usage


def test_a_mistyped_command_is_refused_with_exit_2() -> None:
    _out, report = _run(["scor"])
    assert report["code"] == 2


def test_the_table_equals_each_commands_own_help() -> None:
    """`COMMANDS` repeats each command's first help paragraph so that `ncm --help` need not
    import it; this keeps the two the same."""
    group: Any = typer.main.get_command(app)
    ctx = click.Context(group)
    for name, line in COMMANDS.items():
        command = group.get_command(ctx, name)
        assert command is not None, name
        first = " ".join((command.help or "").split("\n\n")[0].split())
        assert first == line, f"COMMANDS[{name!r}] differs from the command's help: {first!r}"


HELPER_MODULES = {"assess_asker", "assess_end", "readiness_asker"}
"""Modules of `cli/` that only one command uses (`cli/X_part.py` beside `cli/X.py`): no
command of their own."""


def test_every_command_module_is_in_the_table_and_registers_its_name() -> None:
    """A new `cli/X.py` must be added to `COMMANDS` (else `ncm X` is unknown), and registers
    the command X (else `ncm X` fails); a helper module is named after its command."""
    here = Path(ncm_toolkit.cli.__file__).parent
    modules = {p.stem for p in here.glob("*.py")} - {"__init__", "core", "main", "console"}
    assert modules - HELPER_MODULES == set(COMMANDS)
    assert modules >= HELPER_MODULES
    assert all(h.split("_")[0] in COMMANDS for h in HELPER_MODULES)
    group: Any = typer.main.get_command(app)
    ctx = click.Context(group)
    for name in COMMANDS:
        group.get_command(ctx, name)
    built: Any = typer.main.get_command(app)  # from every registration, none loaded on demand
    assert set(built.commands) == set(COMMANDS)


_THREADS = """
import os, sys
sys.argv = ["ncm", "score", sys.argv[1], "--format", "json"]
from ncm_toolkit.launch import main
try:
    main()
except SystemExit:
    pass
assert "numpy" in sys.modules, "the score did not import numpy: this test tests nothing"
sys.stderr.write("\\nTHREADS %d\\n" % len(os.listdir("/proc/self/task")))
"""


@pytest.mark.skipif(
    not Path("/proc/self/task").is_dir() or len(os.sched_getaffinity(0)) < 2,
    reason="threads are counted in /proc; on one core BLAS starts no thread of its own",
)
def test_numpy_keeps_to_one_blas_thread() -> None:
    """`ncm` asks numpy's BLAS for one thread (`launch._one_blas_thread`): a score, which
    imports numpy, leaves the process with its one thread, not a pool spinning per core."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", _THREADS, str(EXAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert done.stderr.rstrip().endswith("THREADS 1"), done.stderr[-300:]
