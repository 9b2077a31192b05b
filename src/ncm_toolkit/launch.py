"""The `ncm` console script. `ncm --version` is answered before typer (or anything else) is
imported: it is what scripts and installers call to check the tool is there."""

import sys

from ncm_toolkit import __version__


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"ncm {__version__}\n")
        return
    from ncm_toolkit.cli.main import main as run  # lazy: `ncm --version` must not import typer

    run()
