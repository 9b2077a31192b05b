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
