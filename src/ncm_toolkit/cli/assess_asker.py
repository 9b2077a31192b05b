"""The terminal asker of `ncm assess`: each Quick Guide question (and each end prompt) put
in a real terminal through questionary on prompt_toolkit. The interview engine
(`ncm_toolkit.interview`) decides what to ask; this module only asks it. What every ncm prompt
shares (keys, typed-text cleaning, the prompt's layout) is in `console.py`."""

from typing import Any

from ncm_toolkit.cli.console import (
    CLEANED,
    SMALLEST,
    fit_prompt,
    prepare_question,
    typed_text,
)
from ncm_toolkit.safe_text import markup, term

TYPE_ROOM = 30
"""Columns a text field keeps for the answer after its question; else the hint goes below."""
BACK = "__back__"
LONG_LIST = 7
"""Lists with more choices than this get type-to-filter; shorter ones number keys."""


CHOICE_LEAD = {"numbered": 6, "filter": 3, "tick": 5}
"""Columns before a choice's title: the pointer (` » `), then `1) ` on a numbered list or
`○ ` before a tick box; a list filtered by typing has neither."""
CHOICE_INDENT = 2
"""A choice's description starts this far in; its continuation lines as far again."""


def choice_help_lines(title: str, help: str, width: int) -> list[Any]:
    """`  Title: description` wrapped at words to `width` columns, the continuation lines
    indented under the title (a hanging indent), title bold and description dim; each line
    a Rich `Text` (controls from the pack shown, never acted on; no markup read)."""
    from rich.console import Console
    from rich.text import Text

    body = Text.assemble(
        (term(" ".join(title.split())), "bold"), ": ", (term(" ".join(help.split())), "dim")
    )
    room = max(20, width - 2 * CHOICE_INDENT)
    out = []
    for i, line in enumerate(body.wrap(Console(width=room), room)):
        line.rstrip()
        out.append(Text(" " * (CHOICE_INDENT if i == 0 else 2 * CHOICE_INDENT)) + line)
    return out


def _plain(text: str) -> str:
    """Text as the filter compares it: lower case, spaces, hyphens and underscores alike."""
    import re

    return " ".join(re.split(r"[\s_\-]+", text.lower())).strip()


def _list_control(question: Any) -> Any:
    """The list a questionary `select` question draws (its `InquirerControl`)."""
    from questionary.prompts.common import InquirerControl

    controls = question.application.layout.find_all_controls()
    return next(c for c in controls if isinstance(c, InquirerControl))


def filter_by_words(question: Any, choices: list[Any]) -> None:
    """Type-to-filter on a long list finds a choice by its title, its id or a word analysts
    write for it (data/words.yaml: `council` finds "Local authority", `pcn` "GP federation or
    network"). questionary's own filter reads titles only, and when nothing matched it showed
    the whole list again with the first choice pointed at: Enter then chose "Acute hospital
    trust" for a partner typed as `council`. Here a filter that matches nothing says so, and
    Enter does nothing until it is changed (Backspace)."""
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from questionary.prompts.common import InquirerControl

    from ncm_toolkit.read.wording import words

    said: dict[str, list[str]] = {}
    for table in words().values():
        for word, meant in table.items():
            for value in meant:
                said.setdefault(value, []).append(word)
    found = {
        c.value: _plain(" ".join([str(c.title), str(c.value), *said.get(str(c.value), [])]))
        for c in choices
    }
    exact = {c.value: {_plain(str(c.value)), *said.get(str(c.value), [])} for c in choices}
    control = _list_control(question)

    def hits(control: Any) -> list[Any]:
        typed = _plain(control.search_filter or "")
        matched = [c for c in control.choices if typed in found.get(c.value, _plain(str(c.title)))]
        # first what starts with it or is its very word (`care`: Care home; `la`: Local
        # authority), then the rest in list order
        return sorted(
            matched,
            key=lambda c: (
                not (_plain(str(c.title)).startswith(typed) or typed in exact.get(c.value, ()))
            ),
        )

    class WordFilter(type(control)):  # type: ignore[misc]
        @property
        def filtered_choices(self) -> list[Any]:
            if not self.search_filter:
                return list(self.choices)
            matched = hits(self)
            self.found_in_search = bool(matched)
            return matched or list(self.choices)

        def get_search_string_tokens(self) -> Any:
            tokens = super().get_search_string_tokens()
            if tokens and not hits(self):
                tokens = [*tokens, ("class:instruction", "  nothing matches: Backspace")]
            return tokens

    control.__class__ = WordFilter
    for shown in question.application.layout.find_all_controls():
        text = getattr(shown, "text", None)
        if (
            shown is not control
            and getattr(text, "__func__", None) is InquirerControl.get_search_string_tokens
        ):
            shown.text = control.get_search_string_tokens  # the search line, bound at its making
    kb = KeyBindings()

    # decided from the filter itself, not from the last screen drawn: keys that arrive
    # together (a paste, a fast typist) are handled before the list is drawn again
    @kb.add(
        "c-m",
        eager=True,
        filter=Condition(lambda: bool(control.search_filter and not hits(control))),
    )
    def _nothing(event: Any) -> None:
        return None

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), kb])


def echo_wrapped(question: Any, message: str, width: int) -> None:
    """The answer questionary prints after a list's question once it is chosen (`? Question
    Answer`) wrapped at words to `width`, its continuation lines indented two columns as the
    question's are: the terminal broke it wherever it met the edge, mid-word ("(GP federation
    or n" / "etwork)") when a chosen entry of the review was long."""
    import copy
    import textwrap

    control = _list_control(question)
    col = len("? " + message.rsplit("\n", 1)[-1] + " ")  # the question's last line, then a space

    class Echo(type(control)):  # type: ignore[misc]
        def get_pointed_at(self) -> Any:
            choice = super().get_pointed_at()
            if not self.is_answered or not isinstance(choice.title, str):
                return choice
            words = " ".join(choice.title.split())
            first = words.split(" ", 1)[0]
            start = col if col + len(first) <= width else 0  # else on a line of its own
            lines = textwrap.wrap(
                words,
                max(20, width),
                initial_indent="x" * start if start else "  ",
                subsequent_indent="  ",
                break_long_words=False,
                break_on_hyphens=False,
            )
            shown = "\n".join(lines)
            echo = copy.copy(choice)  # the value the same; the title as it is echoed
            echo.title = shown[start:] if start else "\n" + shown
            return echo

    control.__class__ = Echo


class TerminalAsker:
    """Puts each question in a real terminal: arrow keys or numbers, y/n, a visible "Back"
    choice and Escape to go back; Ctrl-C and Ctrl-D stop (the caller saves and exits 130).

    Prompts, choices and help come from the content pack (and partners' names from the
    answers): each is shown through `safe_text` (controls visible, no Rich markup), and long
    text is printed by Rich, which wraps it at any width, rather than cut at the edge."""

    def __init__(self, console: Any):
        self.console = console

    def _help(self, q: Any) -> None:
        if q.help:
            self.console.print(f"[dim]{markup(' '.join(q.help.split()))}[/dim]")

    def _ask(self, question: Any, text_field: bool = False) -> Any:
        from ncm_toolkit.interview import Back

        prepare_question(question, Back, text_field)
        answer = question.unsafe_ask()
        if answer == BACK:
            raise Back()
        return answer

    def _fit(self, prompt: str, instruction: str, room: int = 0) -> dict[str, Any]:
        """The question and its key hint wrapped at words to the terminal (`fit_prompt`)."""
        return fit_prompt(prompt, instruction, self.size()[0] - 1, room)

    def _title(self, title: str, indent: int) -> str:
        """A choice's title wrapped at words (prompt_toolkit would cut it at the edge), the
        continuation under the title's first letter: `indent` columns of pointer and
        number (`CHOICE_LEAD`); a fixed 7 put it one column right of a numbered choice's
        and two of a tick box's."""
        import textwrap

        lines = textwrap.wrap(" ".join(term(title).split()), self.size()[0] - 1 - indent)
        return ("\n" + " " * indent).join(lines) or term(title)

    def _choices_help(self, choices: list[Any]) -> None:
        """Choice descriptions, wrapped at words under their indent (questionary's toolbar
        would cut them; Rich alone would wrap them back to column 0)."""
        for c in choices:
            if c.help:
                for line in choice_help_lines(c.title, c.help, self.size()[0]):
                    self.console.print(line)

    def text(self, q: Any, default: str, error: str | None) -> str:
        import questionary

        if error is None:
            self._help(q)
        while True:
            note = f"✗ {error} " if error else ""
            answer, cleaned = typed_text(
                str(
                    self._ask(
                        questionary.text(
                            default=default,
                            **self._fit(q.prompt, f"{note}(Esc back)", TYPE_ROOM),
                        ),
                        text_field=True,
                    )
                )
            )
            if not cleaned:
                return answer
            default, error = answer, CLEANED

    def confirm(self, q: Any, default: bool | None) -> bool:
        import questionary
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

        self._help(q)
        shown = "(y/n)" if default is None else "(Y/n)" if default else "(y/N)"
        question = questionary.confirm(
            default=bool(default), **self._fit(q.prompt, f"{shown} (Esc back) ")
        )
        if default is None:  # no default: Enter does nothing until y or n
            kb = KeyBindings()

            @kb.add("c-m", eager=True)
            def _nothing(event: Any) -> None:
                return None

            app = question.application
            app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), kb])
        return bool(self._ask(question))

    def select(self, q: Any, choices: list[Any], default: str | None) -> str:
        import questionary

        self._help(q)
        self._choices_help(choices)
        long = len(choices) + 1 > LONG_LIST  # the choices and "← Back"
        lead = CHOICE_LEAD["filter" if long else "numbered"]
        items = [questionary.Choice(self._title(c.title, lead), c.value) for c in choices]
        items.append(questionary.Choice("← Back", BACK))
        start = default if default in {c.value for c in choices} else None
        fit = self._fit(
            q.prompt,
            "(type to filter, arrows, Enter; Esc back)"
            if long
            else "(numbers or arrows, Enter; Esc back)",
        )
        question = questionary.select(
            choices=items,
            default=start,
            use_shortcuts=not long,
            use_search_filter=long,
            use_jk_keys=False,
            **fit,
        )
        echo_wrapped(question, fit["message"], self.size()[0] - 1)
        if long:
            filter_by_words(question, [*choices, questionary.Choice("← Back", BACK)])
        return str(self._ask(question))

    def checkbox(
        self, q: Any, choices: list[Any], checked: list[str], error: str | None
    ) -> list[str]:
        import questionary

        if error is None:
            self._help(q)
            self._choices_help(choices)
        note = f"✗ {error} " if error else ""
        items = [
            questionary.Choice(
                self._title(c.title, CHOICE_LEAD["tick"]), c.value, checked=c.value in checked
            )
            for c in choices
        ]
        return list(
            self._ask(
                questionary.checkbox(
                    choices=items,
                    **self._fit(
                        q.prompt, f"{note}(arrows, Space to tick, Enter to confirm; Esc back)"
                    ),
                )
            )
        )

    def note(self, text: str) -> None:
        self.console.print(f"[bold]Note:[/bold] {markup(text)}")

    def heading(self, title: str, intro: str | None) -> None:
        self.console.print(f"\n[bold underline]{markup(title)}[/bold underline]")
        if intro:
            self.console.print(markup(" ".join(intro.split())))

    def size(self) -> tuple[int, int]:
        import shutil

        cols, lines = shutil.get_terminal_size((80, 24))
        # at least SMALLEST: a window dragged narrower than the pointer and tick box (or a
        # split pane) left no width to wrap in, an internal error at the next question
        return (max(SMALLEST[0], min(cols, self.console.width)), max(SMALLEST[1], lines))

    def review(self, page: Any, problems: list[str]) -> str:
        """ "Check your answers", one page at a time (the engine cuts pages to fit the
        terminal): the page's answers are the menu, each one chosen to change it; next and
        previous page, score, back. Answers are wrapped at words here, not cut at the edge."""
        import questionary

        width, _ = self.size()
        self.console.print(
            f"\n[bold underline]Check your answers[/bold underline] "
            f"(page {page.number} of {page.count})"
        )
        self.console.print(f"[bold]{markup(page.title)}[/bold]")
        for p in problems:
            self.console.print(f"[bold]To fix:[/bold] {markup(p)}")
        items: list[Any] = []
        if not problems:
            items.append(questionary.Choice("Score the options now", "score"))
        if page.number < page.count:
            items.append(questionary.Choice("Next page", "next"))
        if page.number > 1:
            items.append(questionary.Choice("Previous page", "prev"))
        nav = len(items)
        items += [
            questionary.Choice("\n   ".join(term(x) for x in i.lines(width)), i.action)
            for i in page.items
        ]
        items.append(questionary.Choice("← Back", BACK))
        from ncm_toolkit.interview import Back

        fit = self._fit("Choose an answer to change it, or:", "(Esc back)")
        question = questionary.select(
            choices=items,
            default=items[0] if nav else None,
            use_shortcuts=False,
            use_jk_keys=False,
            **fit,
        )
        echo_wrapped(question, fit["message"], width - 1)
        try:
            return str(self._ask(question))
        except Back:
            return "back"
