"""The `ncm` console script. `ncm --version` is answered before typer (or anything else) is
imported: it is what scripts and installers call to check the tool is there."""

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from ncm_toolkit import __version__

        sys.stdout.write(f"ncm {__version__}\n")
        return
    from ncm_toolkit.cli.main import main as run

    run()
