"""The project's own promises: lint and type clean, README reference generated from the code,
start-up kept light."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.parametrize(
    ("argv", "unwanted"),
    [
        ("--help", {"pydantic", "ruamel", "jinja2"}),
        ("--version", {"typer", "rich", "pydantic", "ruamel", "jinja2", "json"}),
    ],
)
def test_help_and_version_import_no_heavy_modules(argv, unwanted):
    """Through the console script's own entry point, as `ncm ...` runs it."""
    code = (
        "import sys\n"
        f"sys.argv = ['ncm', {argv!r}]\n"
        "from ncm_toolkit.launch import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('LOADED', sorted({m.split('.')[0] for m in sys.modules}))\n"
    )
    result = _run(sys.executable, "-c", code)
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("LOADED"))
    loaded = set(ast.literal_eval(line.removeprefix("LOADED ")))
    assert not loaded & unwanted, sorted(loaded & unwanted)


def test_readme_python_api_example_runs(tmp_path):
    """The README's Python API example is run as written (from the repository root)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "no ```python block in the README"
    script = tmp_path / "api_example.py"
    script.write_text(blocks[0], encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("characters of JSON") == len(
        list((ROOT / "examples" / "profiles").glob("*.yaml"))
    )
