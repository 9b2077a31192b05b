"""Where the files shipped with ncm are: inside the installed wheel (`_bundled/`), else in the
source checkout. A module of its own, importing nothing of the package, so that the lowest
layers (`read/`) can find bundled data without importing the content pack's loader."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """`data/` or `templates/`: inside the installed wheel, else in the source checkout."""
    installed = PACKAGE / "_bundled" / name
    return installed if installed.is_dir() else PACKAGE.parents[1] / name


def bundled_content_dir() -> Path:
    return _bundled("data")


def bundled_templates_dir() -> Path:
    return _bundled("templates")


def bundled_examples_dir() -> Path:
    """The example profiles (`examples/profiles` in a checkout), shipped in the wheel too."""
    installed = PACKAGE / "_bundled" / "examples"
    return installed if installed.is_dir() else PACKAGE.parents[1] / "examples" / "profiles"
