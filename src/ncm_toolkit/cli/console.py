"""The terminal console every command prints through."""

from typing import Any

from rich.console import Console

from ncm_toolkit.errors import EXIT_PIPE, quiet_stdout


class PipeConsole(Console):
    """Rich exits 1 on a closed pipe; `ncm ... | head` is no invalid input, so it ends as
    SIGPIPE ends other Unix tools."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self._width is not None and self._width < 1:
            # COLUMNS=0 (a CI runner or a script that sets it blindly): Rich would print
            # nothing at all, and exit 0; the width is then found as if COLUMNS were unset
            self._width = None

    def on_broken_pipe(self) -> None:
        quiet_stdout()
        raise SystemExit(EXIT_PIPE)
