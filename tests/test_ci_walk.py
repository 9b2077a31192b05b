"""A README walk as a CI engineer: profiles validated on every pull request, scored and turned
into board papers on merge, in GitHub Actions and in containers (real CLI on real files)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLES, ROOT

# Runs ncm as a user the password database does not know (a container's `--user 1234`,
# OpenShift's arbitrary uid), so that Python cannot find a home folder by any means.
_NO_PASSWD_ENTRY = """
import pwd, sys
def _unknown(uid):
    raise KeyError(f"getpwuid(): uid not found: {uid}")
pwd.getpwuid = _unknown
from ncm_toolkit.cli.main import main
sys.argv[0] = "ncm"
main()
"""


def _env_without_home(**extra: str) -> dict[str, str]:
    drop = {"HOME", "XDG_CACHE_HOME", "NCM_CACHE_DIR", "USERPROFILE", "LOCALAPPDATA"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(extra)
    return env


def test_no_home_and_no_passwd_entry_runs_uncached_and_leaves_no_tilde_folder(
    tmp_path: Path,
) -> None:
    """A container's non-root user with HOME unset has no home folder at all: ncm runs without
    its cache (it failed with 'internal error: RuntimeError: could not determine the home
    directory'; an older platformdirs would have made a folder named `~` in the work folder)."""
    shutil.copy(EXAMPLES / "north_practices.yaml", tmp_path / "north.yaml")
    script = tmp_path / "run_ncm.py"
    script.write_text(_NO_PASSWD_ENTRY, encoding="utf-8")
    work = tmp_path / "repo"
    work.mkdir()
    for args in (
        ["score", "../north.yaml", "--format", "json"],
        ["report", "../north.yaml", "-o", "north.html"],
    ):
        done = subprocess.run(
            [sys.executable, str(script), *args],
            cwd=work,
            env=_env_without_home(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert "internal error" not in done.stderr
    assert sorted(p.name for p in work.iterdir()) == ["north.html"]


def test_an_unexpanded_home_is_not_taken_for_a_cache_folder(monkeypatch) -> None:
    """platformdirs 3.x (the lowest supported) answers `~/.cache/ncm` when there is no home
    folder, and HOME=relative gives a relative one: either would put the private cache in the
    work folder. Such a run is uncached instead."""
    import platformdirs

    from ncm_toolkit import content

    monkeypatch.delenv("NCM_CACHE_DIR", raising=False)
    for answer in ("~/.cache/ncm", "relative-home/.cache/ncm"):
        monkeypatch.setattr(platformdirs, "user_cache_dir", lambda *a, _r=answer, **k: _r)
        assert content.cache_dir() is None
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda *a, **k: "/var/cache/x/ncm")
    assert content.cache_dir() == Path("/var/cache/x/ncm")


def _readme_pre_commit_config() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("```yaml\nrepos:\n") + len("```yaml\n")
    return text[start : text.index("```", start)]


def test_readme_pre_commit_example_for_another_pack_folder_runs_on_its_files() -> None:
    """pre-commit skips a hook whose `files:` matches nothing changed. The README's example
    for a content pack kept elsewhere said only `args: [my-pack]`: the hook's default
    `files: ^data/` then never matched a change under my-pack/, and the pack went unchecked.
    Uncommenting the content hook's lines as the README says must give a hook that runs."""
    import re

    from ruamel.yaml import YAML

    lines, inside = [], False
    for line in _readme_pre_commit_config().splitlines():
        if "- id:" in line:
            inside = "ncm-validate-content" in line
        if inside and re.match(r"\s+# (args|files):", line):
            line = line.replace("# ", "", 1)
        lines.append(line.split("  #")[0].rstrip() if inside else line)
    config = YAML(typ="safe").load("\n".join(lines))
    hook = next(h for h in config["repos"][0]["hooks"] if h["id"] == "ncm-validate-content")
    defaults = {
        h["id"]: h
        for h in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    }["ncm-validate-content"]
    folder = hook["args"][0]
    files = hook.get("files", defaults["files"])
    assert re.search(files, f"{folder}/pack.yaml"), (folder, files)
    assert re.search(files, f"{folder}/models/pacs.yaml"), (folder, files)


def test_a_warning_leaves_the_exit_code_and_the_readme_says_so(ncm, tmp_path: Path) -> None:
    """A CI engineer asks whether a warning fails the job. It does not (exit 0), it is one
    `ncm: warning:` line on stderr to grep for, and the README's exit codes now say both."""
    profile = tmp_path / "north.yaml"
    shutil.copy(EXAMPLES / "north_practices.yaml", profile)
    record = tmp_path / "ready.yaml"
    r = ncm(
        "readiness", "init", str(profile), "-o", str(record),
        "--role", "Director of Finance", "--organisation", "North Council",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    text = record.read_text(encoding="utf-8")
    record.write_text(
        "\n".join(
            "partnership: Somewhere else" if line.startswith("partnership:") else line
            for line in text.splitlines()
        )
        + "\n",
        encoding="utf-8",
    )
    r = ncm("report", str(profile), "--readiness", str(record), "-o", str(tmp_path / "n.html"))
    assert r.exit_code == 0
    assert any(line.startswith("ncm: warning: ") for line in r.stderr.splitlines()), r.stderr
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    exit_codes = readme[readme.index("Exit codes: `0` success") :][:2000]
    assert "leaves the exit code as it is" in exit_codes
    assert "`^ncm: warning:`" in exit_codes


_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


def _check(schema: dict, value: object, where: str = "$") -> list[str]:
    """The JSON Schema keywords `ncm schema *-output` uses, checked without a dependency."""
    wrong: list[str] = []
    if "oneOf" in schema:
        fits = [s for s in schema["oneOf"] if not _check(s, value, where)]
        return [] if len(fits) == 1 else [f"{where}: fits {len(fits)} of oneOf"]
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        is_bool = isinstance(value, bool)
        if not any(isinstance(value, _TYPES[k]) and (k == "boolean" or not is_bool) for k in kinds):
            return [f"{where}: {type(value).__name__} is not {kinds}"]
    if isinstance(value, dict):
        wrong += [f"{where}: no {k}" for k in schema.get("required", []) if k not in value]
        for k, sub in schema.get("properties", {}).items():
            if k in value:
                wrong += _check(sub, value[k], f"{where}.{k}")
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            wrong += _check(schema["items"], v, f"{where}[{i}]")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            wrong.append(f"{where}: below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            wrong.append(f"{where}: above {schema['maximum']}")
    return wrong


def test_the_json_outputs_have_a_schema_that_their_output_meets(ncm, tmp_path: Path) -> None:
    """A pipeline that reads `ncm score --format json` wants a schema of it, as `ncm schema`
    gives one of a profile: `ncm schema score-output` and `validate-output` now do. Every
    output, with a broken file, a tie, a gate and a decision among the inputs, meets them."""
    import json

    from tests.test_json_contract import RANKING_ENTRY, ROBUSTNESS, SCORE_RESULT

    for f in EXAMPLES.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "broken.yaml").write_text(
        "schema_version: 1\nname: X\nobjectives: {integrating_primary_care: 9}\n",
        encoding="utf-8",
    )
    (tmp_path / "closed.yaml").write_text(
        "schema_version: 2\nname: No partners\nobjectives: {integrating_primary_care: 5}\n"
        "decision: {option: aco_ico, agreed_by: board, agreed_on: 2026-01-05}\n",
        encoding="utf-8",
    )
    r = ncm("schema", "score-output")
    assert r.exit_code == 0, r.stderr
    schema = json.loads(r.stdout)
    result = schema["properties"]["results"]["items"]
    assert set(result["required"]) >= SCORE_RESULT
    assert set(result["properties"]["ranking"]["items"]["required"]) >= RANKING_ENTRY
    assert set(result["properties"]["robustness"]["required"]) >= ROBUSTNESS
    for extra in ([], ["--acceptability"], ["--top", "2"]):
        out = ncm("score", str(tmp_path), "--format", "json", *extra)
        assert out.exit_code == 1, out.stderr
        data = json.loads(out.stdout)
        assert data["errors"] and len(data["results"]) == 4
        assert _check(schema, data) == []
    assert _check(schema, {"results": []}) != []  # it can fail
    r = ncm("schema", "validate-output")
    assert r.exit_code == 0, r.stderr
    vschema = json.loads(r.stdout)
    for paths in ([str(tmp_path)], [str(tmp_path / "north_practices.yaml")]):
        out = ncm("validate", *paths, "--format", "json")
        assert _check(vschema, json.loads(out.stdout)) == []
    assert ncm("schema", "score-outputs").exit_code == 2


def test_job_summary_with_no_report_written_has_no_empty_table(
    ncm, tmp_path: Path, monkeypatch
) -> None:
    """A merge whose every profile is broken: the job summary said "0 reports written ... The
    full papers are files to upload as artifacts" over a table with a header and no rows. It
    now says no report was written and names the files, with no table and no artifact."""
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "schema_version: 1\nname: X\nobjectives: {integrating_primary_care: 9}\n", encoding="utf-8"
    )
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    r = ncm("report", str(broken), "-o", str(tmp_path / "papers") + "/", "--github-summary")
    assert r.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert "| Partnership |" not in text and "upload as artifacts" not in text, text
    assert "No report was written" in text and "broken.yaml" in text
    shutil.copy(EXAMPLES / "north_practices.yaml", tmp_path / "north.yaml")
    summary.unlink()
    r = ncm(
        "report", str(tmp_path / "north.yaml"), "-o", str(tmp_path / "p2") + "/", "--github-summary"
    )
    assert r.exit_code == 0, r.stderr
    text = summary.read_text(encoding="utf-8")
    assert "1 report written. The full papers are files to upload as artifacts." in text
    assert "| Partnership |" in text and "| North Locality practices |" in text


def test_colour_is_documented_for_ci_and_never_reaches_data(tmp_path: Path) -> None:
    """A CI engineer looks up NO_COLOR and FORCE_COLOR in "In CI" (only the interview named
    NO_COLOR): FORCE_COLOR=1 colours a table in a log, never JSON, CSV, annotations or errors."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    in_ci = readme[readme.index("### In CI") : readme.index("The reference below is generated")]
    assert "NO_COLOR=1" in in_ci and "FORCE_COLOR=1" in in_ci
    shutil.copy(EXAMPLES / "north_practices.yaml", tmp_path / "north.yaml")
    (tmp_path / "broken.yaml").write_text("schema_version: 1\nname: [\n", encoding="utf-8")
    env = {**os.environ, "FORCE_COLOR": "1", "GITHUB_ACTIONS": "true", "CI": "true"}
    runs = {
        "table": ["score", "north.yaml"],
        "json": ["score", ".", "--format", "json"],
        "csv": ["score", ".", "--format", "csv"],
        "github": ["validate", ".", "--format", "github"],
    }
    for kind, args in runs.items():
        done = subprocess.run(
            [sys.executable, "-m", "ncm_toolkit", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if kind == "table":
            assert "\x1b[" in done.stdout  # FORCE_COLOR does what the README says
        else:
            assert "\x1b" not in done.stdout + done.stderr, kind
