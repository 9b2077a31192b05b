"""`ncm assess`: the interview in a terminal (questionary on prompt_toolkit), or unattended
from a complete `--answers` file."""

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ncm_toolkit.cli.console import CLEANED, fit_prompt, prepare_question, typed_text
from ncm_toolkit.cli.core import (
    ContentOpt,
    app,
    fail_usage,
    file_path,
    pack_or_exit,
    write_err,
    wrote,
)
from ncm_toolkit.cli.core import console as make_console
from ncm_toolkit.errors import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, FileProblem
from ncm_toolkit.safe_text import display_name, markup, shell_word, term

TYPE_ROOM = 30
"""Columns a text field keeps for the answer after its question; else the hint goes below."""
SMALLEST = (20, 8)
"""The terminal size (columns, lines) the interview lays out for when the real one is smaller:
the terminal wraps or scrolls what does not fit."""
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
        return str(
            self._ask(
                questionary.select(
                    choices=items,
                    default=start,
                    use_shortcuts=not long,
                    use_search_filter=long,
                    use_jk_keys=False,
                    **self._fit(
                        q.prompt,
                        "(type to filter, arrows, Enter; Esc back)"
                        if long
                        else "(numbers or arrows, Enter; Esc back)",
                    ),
                )
            )
        )

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

        try:
            return str(
                self._ask(
                    questionary.select(
                        choices=items,
                        default=items[0] if nav else None,
                        use_shortcuts=False,
                        use_jk_keys=False,
                        **self._fit("Choose an answer to change it, or:", "(Esc back)"),
                    )
                )
            )
        except Back:
            return "back"


def _q(prompt: str, help: str | None = None) -> Any:
    """A prompt of the end screens (not a Quick Guide question): what an asker reads."""
    from types import SimpleNamespace

    return SimpleNamespace(prompt=prompt, help=help)


def _opt(text: str | None) -> str | None:
    return None if text is None else term(text)


def _writable_or_exit(path: Path | None, answers: Path | None = None) -> None:
    """Refuse, before any question, an output `--force` cannot replace (a folder, a device,
    a symbolic link), or the `--answers` file itself (its comments would be lost): a usage
    error, not an internal error once the interview is over."""
    from ncm_toolkit.errors import UsageError
    from ncm_toolkit.files import check_can_save, check_target, refuse_input

    if path is None:
        return
    try:
        refuse_input(path, [] if answers is None else [answers])
        check_target(path, force=True)
    except UsageError as exc:
        fail_usage(str(exc))
    check_can_save(path)  # a missing or read-only folder: one error (exit 1), nothing asked


def _load_answers(path: Path, draft: bool, pack: Any = None) -> dict[str, Any]:
    """A profile (or a draft of one) as plain data; located errors and exit 1 if invalid.
    Given the PACK, a `decision.form` it lacks is refused too, as `ncm validate` refuses it
    (else the interview saved it as the partnership's decision, exit 0)."""
    from ncm_toolkit.errors import format_text
    from ncm_toolkit.profile import Draft, Profile
    from ncm_toolkit.read.loader import load_model

    model, diags = load_model(path, Draft if draft else Profile)
    if model is None:
        write_err(format_text(diags))
        raise typer.Exit(EXIT_INVALID)
    if pack is not None:
        from ncm_toolkit.plan import decision_form_problem

        bad = decision_form_problem(pack, str(path), model)
        if bad is not None:
            write_err(format_text([bad]))
            raise typer.Exit(EXIT_INVALID)
    return model.model_dump(exclude_unset=True)


def _read_checked(path: Path) -> str:
    """The text of a file `_load_answers` has just read (UTF-8, byte-order mark dropped); a
    file changed since is a located error, never an internal one."""
    from ncm_toolkit.errors import Diagnostic, format_text
    from ncm_toolkit.read.yamlfile import LoadError, read_text

    try:
        return read_text(path)
    except LoadError as exc:
        write_err(format_text([Diagnostic(str(path), exc.line, exc.column, exc.message)]))
        raise typer.Exit(EXIT_INVALID) from None


@app.command()
def assess(
    resume: Annotated[
        Path | None,
        typer.Option(
            "--resume",
            metavar="FILE",
            help=(
                "Continue an interrupted interview from its autosave file (saved back to it, "
                "or to --output); needs a terminal."
            ),
        ),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help=(
                "Answers given in advance (laid over the --resume file's): only the open "
                "questions are asked; unattended when not in a terminal."
            ),
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=(
                "Where answers are saved as they are given [default: assessment.yaml, or the "
                "--resume file]."
            ),
            parser=file_path,
        ),
    ] = None,
    ask_all: Annotated[
        bool, typer.Option("--ask-all", help="Ask every question, answered ones too.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --output.")] = False,
    content: ContentOpt = None,
) -> None:
    """The Quick Guide as an interview; ends with the ranking, the decision and a report.

    Every answer is saved at once; Ctrl-C or Ctrl-D stops cleanly and `--resume FILE` goes on.

    Examples:

      ncm assess -o profiles/north.yaml

      ncm assess --resume profiles/north.yaml
    """
    from ncm_toolkit.interview import Back, Interview, NobodyAsker

    if output is not None and str(output) == "-":  # else a file named `-` (the autosave)
        fail_usage(
            "-o -: the interview saves its answers to a file as they are given, and prints "
            "the ranking on stdout; give -o FILE"
        )
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if not interactive:
        if resume is not None:  # the autosave is continued in a terminal; else say which to use
            fail_usage(
                "not a terminal: --resume continues an interview in a terminal; to run "
                f"unattended pass the file as --answers {shell_word(resume)}"
            )
        if answers is None:
            fail_usage("not a terminal: pass a profile with --answers FILE to run unattended")
        if output is not None and output.exists() and not force:
            fail_usage(f"{output} already exists: use --force or another --output")
        _writable_or_exit(output, answers)
        pack = pack_or_exit(content)
        unattended = Interview(pack, NobodyAsker(), _load_answers(answers, draft=True, pack=pack))
        data = unattended.run()
        _load_answers(answers, draft=False)  # a located error and exit 1 when incomplete
        open_steps = unattended.unanswered_steps()
        if open_steps:
            make_console().print(
                "Unanswered in "
                + markup(str(answers))
                + ": "
                + "; ".join(markup(t) for t in open_steps)
                + ". The ranking ignores them."
            )
        if output is not None:
            from ncm_toolkit.files import write_text
            from ncm_toolkit.interview import dump_profile

            write_text(output, dump_profile(data))
            wrote(output)
        _finish(pack, data, interactive=False, saved=output or answers)
        return
    pack = pack_or_exit(content)
    console = make_console()
    if resume is not None:
        if not resume.is_file():
            fail_usage(f"--resume {resume}: no such file")
        if output is not None and output.exists() and os.path.samefile(output, resume):
            output = None  # `-o FILE` naming the autosave itself: saved in place, as without
        target = output or resume  # `-o NEW`: go on from FILE, saving to NEW (FILE kept)
        if output is not None and output.exists() and not force:
            fail_usage(f"{output} already exists: use --force or another --output")
        _writable_or_exit(target, answers)
        data = _load_answers(resume, draft=True, pack=pack)  # checked first: located errors
        text = _read_checked(resume)
        replaced: list[str] = []
        if answers is not None:  # the layers: --answers over the autosave, then the prompts
            from ncm_toolkit.interview import layer_answers

            data, replaced = layer_answers(
                data,
                _load_answers(answers, draft=True, pack=pack),
                pack.quick_guide.questions,
            )
        interview = Interview.resumed(pack, TerminalAsker(console), data, text, target, ask_all)
        if answers is not None or output is not None:
            interview.loaded = None  # the layered answers are saved at the first save
        if replaced:
            console.print(
                f"These answers come from {markup(answers)}, not {markup(resume)}: "
                + ", ".join(markup(f) for f in replaced)
            )
    else:
        target = output or Path("assessment.yaml")
        if target.exists() and not force:
            fail_usage(
                f"{target} already exists: continue it with `ncm assess --resume "
                f"{target}`, or use --force or another --output"
            )
        _writable_or_exit(target, answers)
        data = _load_answers(answers, draft=True, pack=pack) if answers else {}
        interview = Interview(pack, TerminalAsker(console), data, target, ask_all)
    console.print(
        "[bold]ncm assess[/bold]: the Quick Guide, step by step. Answers are saved "
        f"to {markup(target)} as you go; Esc goes back, Ctrl-C stops."
    )
    try:
        while True:
            final = interview.run()
            interview.ask_all = False
            try:
                _finish(pack, final, interactive=True, saved=target, asker=interview.asker)
            except Back:  # from the end prompts back to the review
                interview.position = "review"
                continue
    except (KeyboardInterrupt, EOFError):
        try:
            interview.save()
        except FileProblem as exc:
            _stopped_unsaved(console, target, exc)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        console.print(
            f"\nStopped. Your answers are saved in {markup(target)}.\n"
            f"Continue with: ncm assess --resume {markup(shell_word(target))}"
        )
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except FileProblem as exc:  # the autosave failed: disk full, read-only, ...
        _stopped_unsaved(console, target, exc)
        raise typer.Exit(EXIT_INVALID) from None


def _stopped_unsaved(console: Any, target: Path, exc: Exception) -> None:
    """The interview cannot go on when its answers cannot be saved: say so, and what was."""
    kept = (
        f"The answers before it are in {markup(target)}."
        if target.exists()
        else "Nothing could be saved."
    )
    console.print(  # the path is the user's, and may hold controls or Rich markup
        f"\nStopped. Your last answer could not be saved: {markup(exc)}\n{kept}\n"
        f"Continue with: ncm assess --resume {markup(shell_word(target))}",
        markup=True,
    )


def _today() -> Any:
    """Today, or the day SOURCE_DATE_EPOCH pins (reproducible runs)."""
    import datetime as dt

    from ncm_toolkit.clock import source_date

    pinned = source_date()
    return pinned.date() if pinned is not None else dt.date.today()


def _hang(console: Any, lead: str, text: str, indent: int) -> None:
    """`lead text`, `indent` columns in, the text's continuation lines under its own first
    word (printed plainly, they went back to column 0 under the lead: a list of pros and
    cons, or the reasons for a rank, read as one block). Both are Rich markup."""
    from ncm_toolkit.render.terminal import hang

    hang(console, text, " " * indent + f"{lead} ")


def _result_screen(console: Any, pack: Any, result: Any, saved: Path | None) -> None:
    """What the board paper says beside the table: ties, adjustments, caps, how sure, where
    the arithmetic and the report are."""
    from ncm_toolkit.scoring import explain, shown

    console.print("[bold]Why the top three[/bold]")
    for r in shown(result.ranking, 3):  # ties at the cut kept, a shared rank read "=1"
        rank = f"={r.rank}" if r.tied_with else str(r.rank)
        _hang(console, f"{rank}.", markup(explain(pack, r)), 2)
        for a in r.adjustments:
            if a.rule == "clamp":
                _hang(
                    console,
                    "capped:",
                    f"the parts add up to {r.unclamped:.2f}, shown as {r.score:.2f} "
                    "(the scale ends there); not a perfect fit",
                    5,
                )
            else:
                _hang(console, "adjustment:", f"{markup(a.title)} {a.points:+g}", 5)
        for g in r.gates:
            _hang(console, "closed:", f"{markup(g.title)}: {markup(g.reason)}", 5)
    first = [r for r in result.ranking if r.rank == 1]
    if len(first) > 1:
        console.print(
            "[bold]Tie:[/bold] "
            + " and ".join(markup(r.title) for r in first)
            + f" share the first rank with equal totals ({first[0].score:.2f})."
        )
    sure = first[0].first_rank_acceptability
    if sure is not None:
        console.print(
            f"How sure: {markup(first[0].title)} comes first under {sure:.0%} of plausible "
            "weightings of your importances."
        )
    where = markup(shell_word(saved)) if saved else "PROFILE"
    console.print(
        f"The full arithmetic: ncm score --explain {where}; the board paper: ncm report {where}"
    )


def pick_title(r: Any) -> str:
    """An option in the end prompt's pick list: its score as the ranking table above shows
    it (two places: "15.10", not "15.1"; "0.00", not "0"), and "closed" where the table says
    a requirement rules it out (ranked after the open options whatever its score)."""
    return f"{r.title} ({r.score:.2f}{'; closed' if r.gates else ''})"


def _decide(
    pack: Any, data: dict[str, Any], result: Any, asker: Any, console: Any, saved: Path | None
) -> None:
    """After the ranking: the option pursued, the organisational form (pros and cons shown),
    the workforce implications, who agreed it; saved as `decision:` (schema_version 2)."""
    from ncm_toolkit.plan import plan_profile
    from ncm_toolkit.profile import Profile
    from ncm_toolkit.schemas import Choice

    old = data.get("decision") or {}
    first = [r.option for r in result.ranking if r.rank == 1]
    options = [Choice(value=r.option, title=pick_title(r)) for r in result.ranking]
    default = old.get("option") or (first[0] if len(first) == 1 else None)
    if len(first) > 1 and not old.get("option"):
        asker.note("The first rank is shared: choose the option the partnership will pursue.")
    q = _q(
        prompt="Which option will the partnership pursue?",
        help="The agreed option is saved in the profile as its decision; `ncm plan` uses it.",
    )
    option = asker.select(q, options, default)
    profile = Profile.model_validate({**data, "decision": None, "schema_version": 2})
    plan = plan_profile(pack, profile, option)
    console.print(f"\n[bold]Organisational form for {markup(plan.option_title)}[/bold]")
    for f in plan.forms:
        fit = "fits" if f.fits else "does not fit: " + "; ".join(f.why_not)
        console.print(f"[bold]{markup(f.title)}[/bold] ({markup(fit)})")
        for label, items in (("+", f.pros), ("-", f.cons), ("needs", f.requires)):
            for i in items:
                _hang(console, label, markup(i.text), 2)
    console.print(f"Recommended: {markup(plan.form_title)}: {markup(plan.form_reason)}")
    forms = [  # the fit said above scrolls away at 24 lines: the list says it too
        Choice(value=f.form, title=f.title + ("" if f.fits else " (does not fit)"))
        for f in plan.forms
    ]
    fq = _q(prompt="Which organisational form do the partners agree?", help=None)
    form = asker.select(fq, forms, old.get("form") if old.get("option") == option else plan.form)
    plan = plan_profile(pack, profile, option, form)
    console.print("\n[bold]Workforce implications[/bold]")
    for imp in plan.implications:
        if imp.level == "unlikely":
            continue
        console.print(f"[bold]{markup(imp.title)}[/bold] ({imp.level}): {markup(imp.reason)}")
        for a in imp.actions[:1]:
            _hang(console, "first:", markup(a.text), 2)
    where = markup(shell_word(saved)) if saved else "PROFILE"
    console.print(f"The full list: ncm plan {where}")
    bq = _q(
        prompt="Who agreed this? (a role or body, e.g. joint programme board; optional)",
        help=None,
    )
    by = asker.text(bq, str(old.get("agreed_by") or ""), None).strip()
    decision: dict[str, Any] = {"option": option, "form": form}
    if by:
        decision["agreed_by"] = by
    decision["agreed_on"] = _today()
    data["decision"] = decision
    data["schema_version"] = 2


def _finish(
    pack: Any,
    data: dict[str, Any],
    interactive: bool,
    saved: Path | None = None,
    asker: Any = None,
) -> None:
    """Score and show the ranking and the reasons; in a terminal, the decision, then offer a
    profile and a report. Back at any end prompt raises `Back` (to the review)."""
    from ncm_toolkit.batch import Scored
    from ncm_toolkit.interview import dump_profile
    from ncm_toolkit.profile import Profile
    from ncm_toolkit.render.terminal import score_tables
    from ncm_toolkit.schemas import Choice
    from ncm_toolkit.scoring import score_profile

    profile = Profile.model_validate(data)
    result = score_profile(pack, profile)
    console = make_console()
    score_tables(
        console, pack, [Scored(str(saved or "answers"), profile, result, [])], None, False, []
    )
    _result_screen(console, pack, result, saved)
    if not interactive:
        raise typer.Exit(EXIT_OK)
    from ncm_toolkit.files import write_text

    _decide(pack, data, result, asker, console, saved)
    profile = Profile.model_validate(data)
    if saved is not None:
        write_text(saved, dump_profile(data))  # the autosave becomes a finished profile
        while True:
            sq = _q(prompt="Save the profile as:", help=None)
            where = Path(asker.text(sq, str(saved), None).strip() or str(saved))
            if where.resolve() == saved.resolve():
                break
            if where.exists():
                cq = _q(prompt=f"{where} exists. Overwrite?", help=None)
                if not asker.confirm(cq, False):
                    continue
            try:
                write_text(where, dump_profile(data))
            except FileProblem as exc:
                asker.note(f"Not saved: {exc}")
                continue
            saved = where
            break
        console.print(f"Profile saved: {markup(saved)}")
    rq = _q(prompt="Write a report?", help=None)
    fmt = asker.select(
        rq,
        [
            Choice(value="html", title="HTML"),
            Choice(value="md", title="Markdown"),
            Choice(value="none", title="No report"),
        ],
        "html",
    )
    report: Path | None = None
    if fmt != "none":
        from ncm_toolkit.files import safe_slug
        from ncm_toolkit.render.report import ReportInput, render

        default = f"{safe_slug(profile.name)}.{fmt}"
        while True:
            fq = _q(prompt="Report file:", help=None)
            where = Path(asker.text(fq, default, None).strip() or default)
            if where.exists():
                cq = _q(prompt=f"{where} exists. Overwrite?", help=None)
                if not asker.confirm(cq, False):
                    continue
            try:
                text = render(pack, ReportInput(profile, result, display_name(str(saved))), fmt)
                write_text(where, text)
            except FileProblem as exc:
                asker.note(f"Not written: {exc}")
                continue
            break
        console.print(f"Report written: {markup(where)}")
        report = where
    _next_steps(console, saved, report)
    raise typer.Exit(EXIT_OK)


def _next_steps(console: Any, saved: Path | None, report: Path | None) -> None:
    """The last lines: what to open and what comes next (the interview ended on "Report
    written: FILE" alone, or on nothing at all with no report)."""
    if saved is None:
        return
    where = markup(shell_word(saved))
    if report is not None:
        shown = "a browser" if report.suffix.lower() in (".html", ".htm") else "any editor"
        console.print(f"Open {markup(report)} in {shown}: the board paper.")
    else:
        console.print(f"The board paper, when you want it: ncm report {where} -o PAPER.html")
    console.print(
        f"Next: ncm plan {where} (the form and the workforce in full); each partner's "
        f"readiness (Module 2): ncm readiness init {where} -o ready/ROLE.yaml --role ROLE "
        "--organisation NAME, then ncm readiness ask ready/ROLE.yaml"
    )
