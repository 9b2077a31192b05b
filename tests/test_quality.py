"""The project's own promises: lint and type clean, README reference generated from the code,
start-up kept light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_clean():
    result = _run(sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_clean():
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_reference_is_current():
    result = _run(sys.executable, "-m", "cogapp", "--check", "README.md")
    assert result.returncode == 0, "README is stale: run `cog -r README.md`\n" + result.stderr


def test_help_and_version_import_no_heavy_modules():
    code = (
        "import sys\n"
        "from ncm_toolkit.cli import main\n"
        "for argv in (['ncm', '--help'], ['ncm', '--version']):\n"
        "    sys.argv = argv\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "top = {m.split('.')[0] for m in sys.modules}\n"
        "heavy = sorted(top & {'pydantic', 'ruamel', 'jinja2'})\n"
        "print('HEAVY', heavy)\n"
    )
    result = _run(sys.executable, "-c", code)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr
