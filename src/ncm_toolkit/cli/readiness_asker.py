"""The two askers of `ncm readiness ask` (the loop that asks is `readiness_ask.py`): one
answer a line on stdin for pipes and scripts, or a terminal's prompts with the keys and layout
of `ncm assess` (`console.py`, imported, with rich and questionary, only when prompting)."""

import sys
from typing import Any

from ncm_toolkit.cli.core import write_err
from ncm_toolkit.readiness_ask import Back


class LineAsker:
    """Questions on stderr, answers one line each from stdin (pipes, scripts, plain consoles)."""

    def say(self, text: str) -> None:
        from ncm_toolkit.safe_text import term

        # Line by line: a newline of our own is a line break, not a control to show as "\n".
        write_err("\n".join(term(line) for line in text.split("\n")) + "\n")

    def choose(self, prompt: str, choices: list[str], default: str) -> str | None:
        while True:
            write_err(f"{prompt} [{' | '.join(choices)}] ({default}): ")
            line = sys.stdin.readline()
            if not line:
                return None
            got = line.strip() or default
            if got in choices:
                return got
            write_err(f"  please answer one of: {', '.join(choices)}\n")

    def text(self, prompt: str, default: str) -> str | None:
        from ncm_toolkit.safe_text import term  # the default came from the record: not trusted

        write_err(f"{prompt} ({term(default) or 'empty'}): ")
        line = sys.stdin.readline()
        return None if not line else (line.strip() or default)


class TerminalAsker(LineAsker):
    """questionary's prompts, for a person at a terminal, with the keys of `ncm assess`:
    Escape goes back (Ctrl-B too in a list), Ctrl-C or Ctrl-D stops (the engine saves what
    was given; exit 130, as the contract and `ncm assess` have it), Ctrl-Z suspends; a text
    answer is one line without control characters. Statuses are shown by their titles, the
    question and its key hint wrapped at words to the terminal's width (it would break them
    mid-word)."""

    def _width(self) -> int:
        import shutil

        from ncm_toolkit.cli.console import SMALLEST  # rich: for the prompts only

        return max(SMALLEST[0], shutil.get_terminal_size((80, 24)).columns) - 1

    def say(self, text: str) -> None:
        import textwrap

        from ncm_toolkit.safe_text import term

        width = self._width()
        lines = []
        for line in text.split("\n"):
            lead = line[: len(line) - len(line.lstrip())]
            wrapped = textwrap.wrap(term(line.strip()), width - len(lead), subsequent_indent="  ")
            lines += [lead + w for w in wrapped] or [""]
        write_err("\n".join(lines) + "\n")

    def _ask(self, question: Any, text_field: bool = False) -> Any:
        """As `ncm assess` asks: Escape is "back" at once (never the start of an Alt key or
        of a repeat count: Escape then 2027 typed 2,027 dashes), Ctrl-B too outside text."""
        from ncm_toolkit.cli.console import prepare_question  # rich: for the prompts only

        prepare_question(question, Back, text_field)
        try:
            return question.unsafe_ask()
        except EOFError:  # Ctrl-D: the person stops, as with Ctrl-C (piped input's end: 0)
            raise KeyboardInterrupt from None

    def _fit(self, prompt: str, hint: str) -> dict[str, Any]:
        """The prompt and its key hint wrapped at words, as `ncm assess` lays them out."""
        from ncm_toolkit.cli.console import fit_prompt  # rich: for the prompts only

        return fit_prompt(prompt, hint, self._width())

    def choose(self, prompt: str, choices: list[str], default: str) -> str | None:
        import questionary

        from ncm_toolkit.readiness_ask import BACK, STATUS_TITLES
        from ncm_toolkit.readiness_schemas import STATUS_HELP

        items = [
            questionary.Choice(
                STATUS_TITLES.get(c, c) + (f": {STATUS_HELP[c]}" if c in STATUS_HELP else ""), c
            )
            for c in choices
        ]
        back = "; Esc back" if BACK in choices else ""
        question = questionary.select(
            choices=items,
            default=default if default in choices else None,
            use_shortcuts=True,
            use_jk_keys=False,
            **self._fit(prompt, f"(numbers or arrows, Enter{back}; Ctrl-C stops)"),
        )
        answer: str | None = self._ask(question)
        return answer

    def text(self, prompt: str, default: str) -> str | None:
        import questionary

        from ncm_toolkit.cli.console import CLEANED, typed_text  # rich: for the prompts only

        error = ""
        while True:
            question = questionary.text(
                default=default,
                **self._fit(prompt, f"{error}(Enter to keep; Esc back)"),
            )
            got: str | None = self._ask(question, text_field=True)
            if got is None:
                return None
            answer, cleaned = typed_text(got)
            if not cleaned:
                return answer
            default, error = answer, f"✗ {CLEANED} "
