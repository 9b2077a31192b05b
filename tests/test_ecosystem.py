"""Conventions analysts and CI expect: GitHub annotations, one version, packaging files."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import ncm_toolkit

from .conftest import ROOT, write

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
