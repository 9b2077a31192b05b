"""The fixed cost of a command: what `--jobs` workers inherit, and what is left undone at exit.
States observed in the processes themselves, never timings."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys

import pytest

from ncm_toolkit import batch
from ncm_toolkit.content import load_pack

from .conftest import EXAMPLES

linux_only = pytest.mark.skipif(
    sys.platform != "linux", reason="--jobs forks worker processes on Linux only"
)


@linux_only
def test_workers_leave_what_they_inherit_out_of_their_garbage_collector(big_batch) -> None:
    """Each worker starts with the parent's objects frozen (`gc.freeze` before the fork), so its
    collections neither walk nor copy them; the parent itself is left as it was, and a batch on
    one process freezes nothing."""
    pack = load_pack()
    assert gc.get_freeze_count() == 0
    frozen = {
        count
        for _, count, _ in batch.iter_rendered(
            pack, [big_batch / "in"], lambda s, p, r: gc.get_freeze_count(), jobs=2
        )
        if count is not None
    }
    assert frozen and min(frozen) > 1000  # the parent's modules, the pack: thousands of objects
    assert gc.get_freeze_count() == 0
    alone = {  # no workers: nothing frozen, a library caller's objects collected as usual
        count
        for _, count, _ in batch.iter_rendered(
            pack, [big_batch / "in"], lambda s, p, r: gc.get_freeze_count(), jobs=1
        )
        if count is not None
    }
    assert alone == {0}


_VALIDATORS = """
import json, sys
from pathlib import Path
from ncm_toolkit import batch
from ncm_toolkit.content import load_pack
from ncm_toolkit.profile import Profile
pack = load_pack()
seen = {found for _, found, _ in batch.iter_rendered(
    pack, [Path(sys.argv[1])], lambda s, p, r: id(Profile.__pydantic_validator__), jobs=2
) if found is not None}
own = id(Profile.__pydantic_validator__)
print(json.dumps({"validators": len(seen), "inherited": seen == {own}}))
"""


@linux_only
def test_workers_inherit_the_profile_validator_built_once(big_batch) -> None:
    """The profile's deferred validator is built in the parent before the fork: every worker
    validates with that one object, instead of building its own on its first file."""
    done = subprocess.run(
        [sys.executable, "-c", _VALIDATORS, str(big_batch / "in")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == {"validators": 1, "inherited": True}


# A fresh interpreter: an exit handler registered before the console script's entry point runs
# after every handler the command registers, and reports what the garbage collector holds then.
_CHILD = """
import atexit, gc, io, json, sys
atexit.register(lambda: sys.__stderr__.write("\\nFROZEN " + json.dumps(gc.get_freeze_count())))
sys.argv = ["ncm", *json.loads(sys.argv[1])]
from ncm_toolkit.launch import main
sys.stdout = io.StringIO()
main()
"""


def _frozen_at_exit(args: list[str]) -> tuple[int, int]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(args)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        check=False,
    )
    assert "FROZEN " in done.stderr, done.stderr[-2000:]
    return done.returncode, int(done.stderr.rsplit("FROZEN ", 1)[1])


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--help"], 0),
        (["score", "--format", "json", str(EXAMPLES / "east_care_homes.yaml")], 0),
        (["score", "missing.yaml"], 1),
    ],
)
def test_a_command_ends_without_taking_its_objects_apart(args: list[str], code: int) -> None:
    """By the last exit handler everything is frozen, whatever the exit code, so the final
    collections skip it: the operating system frees a process's memory at once."""
    returncode, frozen = _frozen_at_exit(args)
    assert returncode == code
    assert frozen > 1000
