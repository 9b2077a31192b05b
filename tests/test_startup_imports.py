"""What a command imports (start-up is most of a command's CPU): each heavy library is loaded
only by the commands whose work needs it, and the Pydantic models a command never validates
are not built (`defer_build`). Exact sets of modules, never timings."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import EXAMPLES

EXAMPLE = str(EXAMPLES / "east_care_homes.yaml")
OTHER = str(EXAMPLES / "north_practices.yaml")

WATCHED = ("numpy", "rich", "jinja2", "pydantic", "questionary", "openpyxl", "docx")
"""The heavy libraries: numpy for the acceptability search, rich for terminal tables, Jinja
for reports and papers, Pydantic for validation, the rest for prompts and office files."""

# A fresh interpreter runs `ncm ARGS...` as the console script does, then reports which
# watched libraries it imported and which of the named models have their validator built.
_CHILD = """
import io, json, sys
args, watched, models = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
sys.argv = ["ncm", *args]
from ncm_toolkit.launch import main
out, sys.stdout = sys.stdout, io.StringIO()
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
sys.stdout = out
loaded = sorted(w for w in watched if w in sys.modules)
built = {}
for name in models:
    module, _, cls = name.rpartition(".")
    if module in sys.modules:
        built[name] = bool(getattr(sys.modules[module], cls).__pydantic_complete__)
sys.stderr.write("\\nLOADED " + json.dumps({"code": code, "loaded": loaded, "built": built}))
"""


def _run(args: list[str], models: tuple[str, ...] = ()) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(args), json.dumps(WATCHED), json.dumps(models)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        check=False,
    )
    assert "LOADED " in done.stderr, done.stderr[-2000:]
    report: dict[str, object] = json.loads(done.stderr.rsplit("LOADED ", 1)[1])
    return report


@pytest.mark.parametrize(
    ("args", "code", "loaded"),
    [
        (["--help"], 0, []),
        (["validate", EXAMPLE], 0, ["pydantic"]),
        (["validate", "--format", "json", EXAMPLE], 0, ["pydantic"]),
        (["score", "missing.yaml"], 1, ["pydantic"]),  # an error: nothing drawn, nothing searched
        (["score", "--format", "json", EXAMPLE], 0, ["numpy", "pydantic"]),
        (["score", EXAMPLE], 0, ["numpy", "pydantic", "rich"]),
        (["score", "--no-acceptability", EXAMPLE], 0, ["pydantic", "rich"]),
        (["plan", EXAMPLE], 0, ["pydantic", "rich"]),  # the ranking alone: no acceptability
        (["plan", "--format", "json", EXAMPLE], 0, ["pydantic"]),
        (["plan", "missing.yaml"], 1, ["pydantic"]),
        (["compare", "--format", "json", EXAMPLE, OTHER], 0, ["numpy", "pydantic"]),
        (["schema", "profile"], 0, ["pydantic"]),
        (["readiness", "--help"], 0, ["pydantic"]),  # the prompts' rich only when prompting
    ],
)
def test_a_command_imports_only_the_libraries_its_work_needs(
    args: list[str], code: int, loaded: list[str]
) -> None:
    report = _run(args)
    assert (report["code"], report["loaded"]) == (code, loaded)


DEFERRED = (
    "ncm_toolkit.profile.Draft",
    "ncm_toolkit.profile.Partner",
    "ncm_toolkit.readiness_schemas.Readiness",
    "ncm_toolkit.readiness_schemas.Answer",
    "ncm_toolkit.read.wording.WordsFile",
    "ncm_toolkit.schemas.OptionModel",
    "ncm_toolkit.schemas.Manifest",
)


def test_a_score_builds_the_profile_validator_only() -> None:
    """The cached pack is unpickled, not validated, and its models, the interview's draft and
    the readiness record are not built for a score; the profile's parts are built inside
    `Profile`'s own validator, not one each."""
    models = ("ncm_toolkit.profile.Profile", *DEFERRED)
    report = _run(["score", "--format", "json", EXAMPLE], models)
    assert report["code"] == 0
    assert report["built"] == {name: name == "ncm_toolkit.profile.Profile" for name in models}


def test_a_deferred_model_still_validates_and_describes_itself() -> None:
    """Built on first use, a deferred model checks a record as before, and its JSON Schema is
    the one `ncm schema` prints."""
    script = """
import json, sys
from ncm_toolkit.readiness_schemas import Readiness
before = Readiness.__pydantic_complete__
schema = Readiness.model_json_schema()
try:
    Readiness.model_validate({"kind": "readiness"})
except Exception as exc:
    refused = type(exc).__name__
print(json.dumps({"before": before, "after": Readiness.__pydantic_complete__,
                  "refused": refused, "schema": schema}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    answer = json.loads(done.stdout)
    assert (answer["before"], answer["after"], answer["refused"]) == (
        False,
        True,
        "ValidationError",
    )
    printed = subprocess.run(
        [sys.executable, "-m", "ncm_toolkit", "schema", "readiness"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(printed.stdout) == answer["schema"]
