"""The terminal console every command prints through, and what every terminal prompt of ncm
shares (`ncm assess`, `ncm readiness ask`): the keys that stop or suspend it, and what a typed
or pasted text answer may hold."""

import re
import signal
from typing import Any

from rich.console import Console, ConsoleDimensions

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

    @property
    def size(self) -> ConsoleDimensions:
        """Rich lays a dumb terminal (TERM=dumb, an editor's shell) out at 80x25 whatever
        its width: on a narrower one every long line was broken mid-word by the terminal.
        Its real size is read as any terminal's is."""
        dims = super().size
        if self._width is None and self.is_dumb_terminal:
            import shutil

            cols, lines = shutil.get_terminal_size((dims.width, dims.height))
            return ConsoleDimensions(cols or dims.width, lines or dims.height)
        return dims

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)  # type: ignore[attr-defined]

    def on_broken_pipe(self) -> None:
        quiet_stdout()
        raise SystemExit(EXIT_PIPE)


SMALLEST = (20, 8)
"""The terminal size (columns, lines) the prompts lay out for when the real one is smaller:
the terminal wraps or scrolls what does not fit."""
LINE_BREAKS = re.compile(r"[\t\n\v\f\r\x85\u2028\u2029]+")
"""What a paste of several lines puts into a one-line answer: each run becomes one space."""
TYPED_CONTROLS = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI sequences (colours, cursor moves) from a paste
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC (window title, hyperlink)
    r"|\x1b[@-_]?"  # other escapes
    r"|[\x00-\x08\x0e-\x1f\x7f-\x9f]"  # other C0 and C1 controls (Ctrl-Z, BEL, ...)
)
"""Control characters and escape sequences typed or pasted into a text answer: never meant
as text (a terminal program's colours, a key such as Ctrl-Z)."""
CLEANED = "control characters taken out: Enter to keep"
"""Said beside a text answer asked again after `typed_text` took something out."""


def typed_text(answer: str) -> tuple[str, bool]:
    """A typed answer as one line without control characters, and whether controls were
    taken out (the prompt then asks again with the cleaned text, so none is lost unseen)."""
    one_line = LINE_BREAKS.sub(" ", answer)
    cleaned = TYPED_CONTROLS.sub("", one_line)
    return cleaned, cleaned != one_line


def stop_and_suspend_keys() -> Any:
    """Key bindings every prompt gets: Ctrl-D stops (EOFError, as at the end of a piped
    file; prompt_toolkit ignores it in a list or a non-empty field) and Ctrl-Z suspends, as
    in any terminal program (`fg` resumes; prompt_toolkit would type it into a text field)."""
    from prompt_toolkit.key_binding import KeyBindings

    kb = KeyBindings()

    @kb.add("c-d", eager=True)
    def _eof(event: Any) -> None:
        event.app.exit(exception=EOFError())

    if hasattr(signal, "SIGTSTP"):

        @kb.add("c-z", eager=True)
        def _suspend(event: Any) -> None:
            event.app.suspend_to_background()

    return kb


def add_keys(question: Any, *more: Any) -> None:
    """Put `stop_and_suspend_keys` (and `more` bindings) over a questionary question's own."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    application = question.application
    application.key_bindings = merge_key_bindings(
        [application.key_bindings or KeyBindings(), stop_and_suspend_keys(), *more]
    )


BACK_KEYS = ("escape", "c-b")
"""The keys that go back one question; in a text field Escape only (Ctrl-B moves the cursor)."""


def prepare_question(question: Any, back: type[Exception], text_field: bool = False) -> None:
    """The key set-up every ncm prompt shares: Escape (and Ctrl-B outside text) raises BACK at
    once, never the first half of an Alt key typed by hand (prompt_toolkit would wait a second
    for one) nor a repeat count (Escape then 2027 typed 2,027 dashes); long choices wrap, never
    cut; and the keys that stop or suspend (`add_keys`)."""
    from prompt_toolkit.filters import to_filter
    from prompt_toolkit.key_binding import KeyBindings

    kb = KeyBindings()

    def _back(event: Any) -> None:
        event.app.exit(exception=back())

    for key in BACK_KEYS[:1] if text_field else BACK_KEYS:
        kb.add(key, eager=key != "escape")(_back)
    application = question.application
    application.ttimeoutlen = application.timeoutlen = 0.05  # a terminal sends Alt keys whole
    for window in application.layout.find_all_windows():
        window.wrap_lines = to_filter(True)
    add_keys(question, kb)


def fit_prompt(prompt: str, hint: str, width: int, room: int = 0) -> dict[str, Any]:
    """A question and its key hint wrapped at words to `width` (prompt_toolkit would break
    them at the edge, mid-word), as questionary's `message` and `instruction`: continuation
    lines indented under the question, the hint on a line of its own when it does not fit
    after it with `room` columns left to type in."""
    import textwrap

    from ncm_toolkit.safe_text import term

    lines = textwrap.wrap(" ".join(term(prompt).split()), width - 3) or [""]
    last = len(lines[-1]) + (3 if len(lines) == 1 else 2)
    if last + 1 + len(hint) + room > width:
        lines.append("")
    return {"message": "\n  ".join(lines), "instruction": hint}
