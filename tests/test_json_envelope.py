"""Every `--format json` output carries the contract's envelope (`ncm_version`,
`content_version`, `method_version`, `results`, `errors`) and keeps the keys it had before the
envelope: the list below names every command offering `--format json` (a test checks that no
command is missing from it)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.test_readiness import PROFILE  # the same two-partner profile

NORTH = str(EXAMPLES / "north_practices.yaml")
SOUTH = str(EXAMPLES / "south_borough_integration.yaml")


def _records(ncm, tmp_path: Path) -> tuple[str, str]:
    """Two readiness records of one partnership, by two stakeholders."""
    (tmp_path / "prof.yaml").write_text(PROFILE)
    made = []
    for name, org in (("a.yaml", "South Borough Council"), ("b.yaml", "South Borough Trust")):
        out = tmp_path / name
        result = ncm(
            "readiness", "init", str(tmp_path / "prof.yaml"), "-o", str(out),
            "--role", "Director of Finance", "--organisation", org, "--as-of", "2026-01-10",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        made.append(str(out))
    b = Path(made[1])
    b.write_text(b.read_text().replace("status: not_considered", "status: open", 1))
    return made[0], made[1]


RECORD = {"file", "partnership", "stakeholder", "as_of", "plan", "areas", "blocking", "actions"}
CASES: dict[str, tuple[Callable[[Path, tuple[str, str]], list[str]], set[str]]] = {
    # command: (its arguments, from a tmp folder and two records; keys it had before)
    "score": (lambda _t, _r: ["score", NORTH], {"content_digest"}),
    "plan": (lambda _t, _r: ["plan", NORTH], set()),
    "validate": (lambda _t, _r: ["validate", NORTH, SOUTH], {"valid", "files_checked"}),
    "validate the pack": (lambda _t, _r: ["validate"], {"valid", "files_checked"}),
    "compare profiles": (
        lambda _t, _r: ["compare", NORTH, SOUTH],
        {"content_digest", "stakeholders", "verdicts", "rankings", "combined", "to_settle"},
    ),
    "compare records": (
        lambda _t, r: ["compare", *r],
        {"partnership", "stakeholders", "disagreements", "over_time"},
    ),
    "readiness show, one record": (lambda _t, r: ["readiness", "show", r[0]], RECORD),
    "readiness show, two records": (lambda _t, r: ["readiness", "show", *r], set()),
    "models show": (lambda _t, _r: ["models", "show", "pacs"], {"id", "title", "alignments"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_json_output_has_the_envelope(ncm, tmp_path: Path, case: str) -> None:
    args, before = CASES[case]
    records = _records(ncm, tmp_path) if "record" in case else ("", "")
    result = ncm(*args(tmp_path, records), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    assert isinstance(data.get("ncm_version"), str) and data["ncm_version"]
    assert isinstance(data.get("content_version"), str) and data["content_version"]
    assert isinstance(data.get("method_version"), str) and data["method_version"]
    assert isinstance(data.get("results"), list) and data["results"]
    assert all(isinstance(r, dict) for r in data["results"])
    assert data.get("errors") == []
    assert before <= set(data), before - set(data)


def test_each_output_s_results_are_its_unit(ncm, tmp_path: Path) -> None:
    """What `results` holds, command by command (the README says why)."""
    files = ncm("validate", NORTH, str(tmp_path / "missing.yaml"), "--format", "json")
    data = json.loads(files.stdout)
    assert files.exit_code == 1 and data["valid"] is False and data["files_checked"] == 1
    assert data["results"] == [{"file": NORTH, "valid": True, "errors": 0}]
    assert [e["file"] for e in data["errors"]] == [str(tmp_path / "missing.yaml")]
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(NORTH).read_text() + "colour: blue\n")
    data = json.loads(ncm("validate", str(bad), NORTH, "--format", "json").stdout)
    assert data["results"] == [
        {"file": str(bad), "valid": False, "errors": 1},
        {"file": NORTH, "valid": True, "errors": 0},
    ]
    cmp = json.loads(ncm("compare", NORTH, SOUTH, "--format", "json").stdout)
    assert cmp["results"] == cmp["rankings"]
    assert [r["profile"] for r in cmp["results"]] == [NORTH, SOUTH]
    a, b = _records(ncm, tmp_path)
    one = json.loads(ncm("readiness", "show", a, "--format", "json").stdout)
    assert one["results"] == [{k: one[k] for k in one["results"][0]}]
    two = json.loads(ncm("readiness", "show", a, b, "--format", "json").stdout)
    assert [r["file"] for r in two["results"]] == [a, b] and "file" not in two
    rec = json.loads(ncm("compare", a, b, "--format", "json").stdout)
    assert rec["results"] == rec["stakeholders"] and len(rec["results"]) == 2
    opt = json.loads(ncm("models", "show", "pacs", "--format", "json").stdout)
    assert opt["results"] == [{k: opt[k] for k in opt["results"][0]}]


def _commands(help_text: str) -> list[str]:
    """The names under `Commands:` in a help screen."""
    after = help_text.split("\nCommands:\n", 1)[1:]
    return [line.split()[0] for line in "".join(after).splitlines() if line.startswith("  ") and
            not line.startswith("   ")]  # fmt: skip


def test_every_command_offering_json_is_in_the_list(ncm) -> None:
    """A command given `--format json` later must join CASES, so that it gets the envelope."""
    with_json = set()
    for name in _commands(ncm("--help").stdout):
        text = ncm(name, "--help").stdout
        for sub in [[], *([s] for s in _commands(text))]:
            usage = ncm(name, *sub, "--help").stdout if sub else text
            options = usage.split("\nOptions:\n", 1)[-1]
            if any(w.strip().startswith("--format") and "json" in w for w in options.split("\n")):
                with_json.add(" ".join([name, *sub]))
    assert {"score", "validate", "models show"} <= with_json  # the scan itself works
    covered = {c.split(",")[0].removesuffix(" the pack") for c in CASES}
    covered = {c.removesuffix(" profiles").removesuffix(" records") for c in covered}
    assert with_json == covered, with_json ^ covered


def test_validate_output_schema_names_the_envelope(ncm, tmp_path: Path) -> None:
    """`ncm schema validate-output` requires the envelope's keys and describes `results`; the
    output, with a broken file among the inputs, meets it."""
    from tests.test_ci_walk import _check

    schema = json.loads(ncm("schema", "validate-output").stdout)
    envelope = {"ncm_version", "content_version", "method_version", "results", "errors"}
    assert envelope | {"valid", "files_checked"} <= set(schema["required"])
    entry = schema["properties"]["results"]["items"]
    assert set(entry["required"]) == {"file", "valid", "errors"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 2\nname: X\n")
    out = ncm("validate", str(bad), NORTH, "--format", "json")
    assert out.exit_code == 1 and _check(schema, json.loads(out.stdout)) == []
    assert _check(schema, {"valid": True, "files_checked": 0, "errors": []}) != []
