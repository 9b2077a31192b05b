"""Shared fixtures: the real CLI, real files, a private copy of the bundled content pack."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncm_toolkit.cli.main import app
from ncm_toolkit.content import bundled_content_dir

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "profiles"


class Run:
    """Run `ncm ARGS` in-process and keep stdout and stderr apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or fill the user's pack cache."""
    import os

    os.environ["NCM_CACHE_DIR"] = str(tmp_path_factory.mktemp("ncm-cache"))


@pytest.fixture
def ncm() -> Run:
    return Run()


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "pack"
    shutil.copytree(bundled_content_dir(), dest)
    return dest


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """\
schema_version: 1
name: Minimal partnership
objectives:
  integrating_primary_care: 4
"""


@pytest.fixture(scope="session")
def big_batch(tmp_path_factory):
    """More than AUTO_JOBS_FROM files: real profiles in four folders, three broken files among
    them, and an empty folder given on its own."""
    from ncm_toolkit.batch import AUTO_JOBS_FROM

    root = tmp_path_factory.mktemp("batch")
    sources = sorted(Path("tests/case_profiles").glob("*.yaml")) + sorted(EXAMPLES.glob("*.yaml"))
    for folder in "abcd":
        for src in sources:
            write(root / "in" / folder / src.name, src.read_text(encoding="utf-8"))
    write(root / "in" / "b" / "broken.yaml", "name: [unclosed\n")
    write(root / "in" / "c" / "typo.yaml", MINIMAL.replace("objectives", "objectivs"))
    write(root / "in" / "d" / "zero.yaml", MINIMAL.replace(": 4", ": 0"))
    (root / "empty").mkdir()
    assert len(list((root / "in").rglob("*.yaml"))) >= AUTO_JOBS_FROM
    return root


posix_only = pytest.mark.skipif(
    sys.platform == "win32",
    reason="needs what Windows lacks: a pty, POSIX signals, FIFOs, device nodes or file modes",
)
"""Tests of behaviour only POSIX systems have; everything else runs on every platform."""
