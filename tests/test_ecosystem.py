"""Conventions analysts and CI expect: GitHub annotations, one version, packaging files."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

import ncm_toolkit

from .conftest import EXAMPLES, ROOT, write

BAD = "schema_version: 1\nname: North\nobjectives:\n  nope: 3\n"


def test_validate_github_annotations_locate_each_error(ncm, tmp_path: Path) -> None:
    write(tmp_path / "p" / "bad.yaml", BAD)
    good = "schema_version: 1\nname: G\nobjectives:\n  integrating_primary_care: 3\n"
    write(tmp_path / "p" / "good.yaml", good)
    r = ncm("validate", str(tmp_path / "p"), "--format", "github")
    assert r.exit_code == 1
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("::")]
    assert len(lines) == 1
    assert re.fullmatch(
        r"::error file=[^,]*bad\.yaml,line=4,col=3,title=ncm validate::objectives\.nope: .*",
        lines[0],
    )


def test_github_annotations_cannot_be_forged_from_a_file_name(ncm, tmp_path: Path) -> None:
    folder = tmp_path / "x\n::error file=evil::forged,y"
    write(folder / "bad.yaml", BAD)
    r = ncm("validate", str(folder), "--format", "github")
    assert r.exit_code == 1
    starts = [ln for ln in r.stdout.splitlines() if ln.startswith("::")]
    assert len(starts) == 1
    assert "%0A" in starts[0] and "%3A%3Aerror" in starts[0]


def test_valid_profiles_give_no_annotation(ncm) -> None:
    r = ncm("validate", str(ROOT / "examples" / "profiles"), "--format", "github")
    assert r.exit_code == 0
    assert "::" not in r.stdout


def test_the_version_is_written_in_one_place() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert importlib.metadata.version("ncm-toolkit") == ncm_toolkit.__version__


def test_packaging_files_exist() -> None:
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog
    assert f"## [{ncm_toolkit.__version__}]" in changelog
    assert (ROOT / "src" / "ncm_toolkit" / "py.typed").exists()


def test_pre_commit_hooks_follow_the_profiles_convention() -> None:
    from ruamel.yaml import YAML

    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    hooks = {h["id"]: h for h in YAML(typ="safe").load(text)}
    assert hooks["ncm-validate-profiles"]["files"].startswith("^profiles/")
    assert not re.search(hooks["ncm-validate-profiles"]["files"], ".github/workflows/ci.yml")


def test_init_writes_a_starter_that_validates_as_written(ncm, tmp_path: Path) -> None:
    target = tmp_path / "profiles" / "north.yaml"
    r = ncm("init", str(target), "--name", "Ynys Môn")
    assert r.exit_code == 0, r.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=profile.schema.json\n")
    assert '"$schema"' in (tmp_path / "profiles" / "profile.schema.json").read_text()
    assert ncm("validate", str(target)).exit_code == 0
    assert ncm("init", str(target)).exit_code == 2  # never overwritten without --force
    assert ncm("init", str(target), "--force").exit_code == 0


def test_the_starter_comments_are_real_answers(ncm, tmp_path: Path) -> None:
    """Uncommenting the explained sections gives a complete, valid profile: the comments
    teach the real format, not an approximation of it."""
    r = ncm("init", "-")
    lines = []
    sections = {"sustainability", "commissioning", "governance", "risks", "partners"}
    sections |= {"structure", "respondent"}  # profile version 2
    for line in r.stdout.splitlines():
        body = line[2:] if line.startswith("# ") else ""
        answer = body.split(":")[0] in sections or body.startswith("  ")
        if answer and not body.strip().startswith(("(", "*")):
            line = body
        lines.append(line)
    full = tmp_path / "full.yaml"
    full.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = ncm("validate", str(full))
    assert r.exit_code == 0, r.stderr + full.read_text()
    data = full.read_text()
    for section in ("sustainability:", "commissioning:", "governance:", "risks:", "partners:"):
        assert f"\n{section}" in data


def test_examples_ship_with_the_package_and_start_a_profile(ncm, tmp_path: Path) -> None:
    names = ncm("examples").stdout.split()
    assert {"north_practices", "south_borough_integration"} <= set(names)
    for name in names:
        target = tmp_path / f"{name}.yaml"
        assert ncm("init", "--example", name, str(target)).exit_code == 0
        assert ncm("validate", str(target)).exit_code == 0
    r = ncm("init", "--example", "nowhere", str(tmp_path / "x.yaml"))
    assert r.exit_code == 2 and "north_practices" in r.stderr


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    readme = (ROOT / "README.md").read_text()
    setup = readme[readme.index("## Set-up") : readme.index("## A first assessment")]
    blocks = re.findall(r"```sh\n(.*?)\n```", setup, re.S)
    assert len(blocks) == 2 and "pytest" in blocks[1]
    assert blocks[1] in (ROOT / ".ci" / "run").read_text().splitlines()


def test_short_help_and_completion(ncm) -> None:
    r = ncm("score", "-h")
    assert r.exit_code == 0 and "Usage:" in r.stdout
    assert "--install-completion" in ncm("--help").stdout


def _subprocess_env(**extra: str) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TERM")}
    env["PYTHONPATH"] = str(ROOT / "src")
    env.update(extra)
    return env


def _ncm(*args: str, **env: str) -> Any:
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "ncm_toolkit", *args],
        capture_output=True,
        env=_subprocess_env(**env),
    )


HOSTILE_NAME = (
    'schema_version: 1\nname: "=HYPERLINK(\\"http://x\\")"\n'
    "objectives:\n  integrating_primary_care: 4\n"
)


def test_xlsx_typed_cells_frozen_header_no_formula_and_reproducible(
    ncm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    write(tmp_path / "p" / "hostile.yaml", HOSTILE_NAME)
    for name in ("north_practices", "south_borough_integration"):
        write(tmp_path / "p" / f"{name}.yaml", (EXAMPLES / f"{name}.yaml").read_text())
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    # one run in this process, one in a child (another hash seed): byte-identical all the same
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert ncm("score", str(tmp_path / "p"), "-o", str(first)).exit_code == 0
    r = _ncm("score", str(tmp_path / "p"), "-o", str(second), SOURCE_DATE_EPOCH="1700000000")
    assert r.returncode == 0, r.stderr
    assert first.read_bytes() == second.read_bytes()  # byte-identical under SOURCE_DATE_EPOCH
    wb = load_workbook(first)
    assert wb.sheetnames == ["Summary", "Ranking", "Errors"]
    ranking = wb["Ranking"]
    assert ranking.freeze_panes == "A2"
    header = [c.value for c in ranking[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in ranking.iter_rows(2)]
    assert len(rows) == 30 and isinstance(rows[0]["rank"], int)
    assert isinstance(rows[0]["score"], float)
    hostile = [row for row in ranking.iter_rows(2) if str(row[1].value).startswith("=")]
    assert hostile and all(row[1].data_type == "s" for row in hostile)  # text, never a formula


def test_xlsx_needs_an_output_file(ncm) -> None:
    r = ncm("score", str(EXAMPLES), "--format", "xlsx")
    assert r.exit_code == 2 and "--output" in r.stderr


def test_format_follows_the_output_suffix(ncm, tmp_path: Path) -> None:
    out = tmp_path / "scores.json"
    assert ncm("score", str(EXAMPLES), "-o", str(out)).exit_code == 0
    assert out.read_text().lstrip().startswith("{")
    out = tmp_path / "scores.csv"
    assert ncm("score", str(EXAMPLES), "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("\ufeffprofile,")


def test_a_closed_pipe_ends_quietly() -> None:
    import subprocess
    import sys

    cases = str(ROOT / "tests" / "case_profiles")
    for args in (["score", cases, "--explain"], ["score", cases, cases, "--format", "csv"]):
        proc = subprocess.Popen(
            [sys.executable, "-m", "ncm_toolkit", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_subprocess_env(COLUMNS="120"),
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(20)
        proc.stdout.close()
        err = proc.stderr.read()
        assert proc.wait() == 141, err  # as SIGPIPE ends other tools; 1 means invalid input
        assert b"Traceback" not in err and b"internal error" not in err


def test_output_is_utf8_whatever_the_console_code_page(tmp_path: Path) -> None:
    profile = write(
        tmp_path / "ynys.yaml",
        "schema_version: 1\nname: Ynys Môn – “partnership”\nobjectives:\n"
        "  integrating_primary_care: 4\n",
    )
    for encoding in ("cp1252", "ascii"):
        r = _ncm("score", str(profile), PYTHONIOENCODING=encoding, COLUMNS="100")
        assert r.returncode == 0, r.stderr
        assert "Ynys Môn – “partnership”" in r.stdout.decode("utf-8")


def test_report_names_transliterate(ncm, tmp_path: Path) -> None:
    write(
        tmp_path / "p" / "Ynys Môn.yaml",
        "schema_version: 1\nname: Ynys Môn\nobjectives:\n  integrating_primary_care: 4\n",
    )
    r = ncm("report", str(tmp_path / "p"), "--format", "md", "-o", str(tmp_path / "out"))
    assert r.exit_code == 0, r.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["ynys-mon.md"]


def _narrow(*args: str) -> Any:
    """`ncm ARGS` in-process, output 60 columns wide (COLUMNS, as a narrow terminal sets it)."""
    from typer.testing import CliRunner

    from ncm_toolkit.cli.main import app

    env = {"COLUMNS": "60", "FORCE_COLOR": None, "TERM": None}
    result = CliRunner(env=env).invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert max(map(len, result.stdout.splitlines())) <= 60  # the width is the one given
    return result


def test_lists_wrap_whole_words_on_narrow_terminals(tmp_path: Path) -> None:
    r = _narrow("models")
    out = " ".join(r.stdout_bytes.decode("utf-8").split())
    for title in (
        "Multi-Site Trust",
        "Multi-Site Specialty Franchise",
        "Urgent and Emergency Care Network",
        "Enhanced Health in Care Homes",
    ):
        assert title in out
    assert "…" not in r.stdout_bytes.decode("utf-8")
    r = _narrow("cases")
    assert "tower_hamlets_integrated_provider_partnership" in r.stdout_bytes.decode("utf-8")


def test_the_declared_api_and_two_packs_in_one_process(pack_copy: Path, tmp_path: Path) -> None:
    """Each pack gives its own titles everywhere (JSON included): nothing derived from a pack
    is shared with another through module state."""
    import json

    import ncm_toolkit as ncm
    from ncm_toolkit.render.json import score_result_json

    assert set(ncm.__all__) >= {
        "load_pack",
        "load_profile",
        "score_profile",
        "render_report",
        "compare_profiles",
        "plan_profile",
        "validate_paths",
    }
    text = (pack_copy / "models" / "mcp.yaml").read_text(encoding="utf-8")
    (pack_copy / "models" / "mcp.yaml").write_text(
        text.replace("title: Multi-specialty Community Provider", "title: Renamed MCP", 1),
        encoding="utf-8",
    )
    bundled, other = ncm.load_pack(), ncm.load_pack(pack_copy)
    profile, errors = ncm.load_profile(EXAMPLES / "north_practices.yaml")
    assert profile is not None, errors
    for pack, title in (
        (bundled, "Multi-specialty Community Provider"),
        (other, "Renamed MCP"),
        (bundled, "Multi-specialty Community Provider"),
    ):
        result = ncm.score_profile(pack, profile)
        titles = {r.option: r.title for r in result.ranking}
        assert titles["mcp"] == title
        data = json.loads(score_result_json("p.yaml", result, None))
        assert {r["option"]: r["title"] for r in data["ranking"]}["mcp"] == title
        assert title in ncm.render_report(pack, profile, "md", result=result)


def test_report_output_folder_and_format_from_the_name(ncm, tmp_path: Path) -> None:
    one = str(EXAMPLES / "north_practices.yaml")
    r = ncm("report", one, "-o", str(tmp_path / "papers") + "/")  # a folder, even for one
    assert r.exit_code == 0, r.stderr
    assert [p.name for p in (tmp_path / "papers").iterdir()] == ["north_practices.html"]
    for name, start in (("p.md", b"# "), ("p.docx", b"PK"), ("p.html", b"<!DOCTYPE html")):
        r = ncm("report", one, "-o", str(tmp_path / name))
        assert r.exit_code == 0, r.stderr
        assert (tmp_path / name).read_bytes().lstrip()[: len(start)].lower() == start.lower()
    r = ncm("report", one, "-o", str(tmp_path / "q.txt"), "--format", "md")  # --format wins
    assert r.exit_code == 0 and (tmp_path / "q.txt").read_text().startswith("# ")


def test_compare_xlsx_one_sheet_per_view(ncm, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "cmp.xlsx"
    north, south = EXAMPLES / "north_practices.yaml", EXAMPLES / "south_borough_integration.yaml"
    r = ncm("compare", str(north), str(south), "--format", "xlsx", "-o", str(out))
    assert r.exit_code == 0, r.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["Objectives", "Rankings"]
    rankings = wb["Rankings"]
    assert rankings.freeze_panes == "A2" and rankings.max_row == 11  # header and ten options
    assert all(isinstance(c.value, int) for c in rankings["B"][1:])  # ranks are numbers
    assert ncm("compare", str(north), str(south), "--format", "xlsx").exit_code == 2
