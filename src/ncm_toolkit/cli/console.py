"""The terminal console every command prints through."""

from rich.console import Console

from ncm_toolkit.errors import EXIT_PIPE, quiet_stdout


class PipeConsole(Console):
    """Rich exits 1 on a closed pipe; `ncm ... | head` is no invalid input, so it ends as
    SIGPIPE ends other Unix tools."""

    def on_broken_pipe(self) -> None:
        quiet_stdout()
        raise SystemExit(EXIT_PIPE)
