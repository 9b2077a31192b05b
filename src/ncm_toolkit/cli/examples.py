"""`ncm examples`: the example profiles shipped with ncm."""

import typer

from ncm_toolkit.cli.core import app


@app.command("examples")
def examples() -> None:
    """List the example profiles shipped with ncm (use one with `ncm init --example NAME`).

    Examples:

      ncm examples

      ncm init --example north_practices profiles/north.yaml
    """
    from ncm_toolkit.starter import example_names

    for item in example_names():
        typer.echo(item)
