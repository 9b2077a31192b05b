"""`ncm assess`: the interview in a terminal (questionary on prompt_toolkit), or unattended
from a complete `--answers` file."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .cli import ContentOpt, _console, _fail_usage, _pack, _stderr, app
from .errors import EXIT_INVALID, EXIT_OK, FileProblem
from .safe_text import display_name, markup, term

BACK_KEY = "c-b"
INTERRUPTED = 130


class TerminalAsker:
    """Puts each question in a real terminal: arrow keys, checkboxes, Ctrl-B to go back.

    Prompts, choices and help come from the content pack (and partners' names from the
    answers): each is shown through `safe_text` (controls visible, no Rich markup)."""

    def __init__(self, console: Any):
        self.console = console

    def _help(self, q: Any) -> None:
        if q.help:
            self.console.print(f"[dim]{markup(' '.join(q.help.split()))}[/dim]")

    def _ask(self, question: Any) -> Any:
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

        from .interview import Back

        kb = KeyBindings()

        @kb.add(BACK_KEY)
        def _back(event: Any) -> None:
            event.app.exit(exception=Back())

        @kb.add("c-d")
        def _eof(event: Any) -> None:
            event.app.exit(exception=EOFError())

        application = question.application
        application.key_bindings = merge_key_bindings([application.key_bindings, kb])
        return question.unsafe_ask()

    def text(self, q: Any, default: str, required: bool) -> str:
        import questionary

        self._help(q)
        return str(
            self._ask(
                questionary.text(
                    term(q.prompt),
                    default=default,
                    validate=(lambda s: bool(s.strip()) or "An answer is required.")
                    if required
                    else (lambda s: True),
                    instruction="(Ctrl-B back)",
                )
            )
        )

    def confirm(self, q: Any, default: bool | None) -> bool:
        from .schemas import Choice

        yes_no = [Choice(value="yes", title="Yes"), Choice(value="no", title="No")]
        start = None if default is None else ("yes" if default else "no")
        return self.select(q, yes_no, start) == "yes"

    def select(self, q: Any, choices: list[Any], default: str | None) -> str:
        import questionary

        self._help(q)
        items = [
            questionary.Choice(term(c.title), c.value, description=_opt(c.help)) for c in choices
        ]
        start = default if default in {c.value for c in choices} else None
        return str(
            self._ask(
                questionary.select(
                    term(q.prompt),
                    choices=items,
                    default=start,
                    instruction="(arrows, Enter; Ctrl-B back)",
                )
            )
        )

    def checkbox(self, q: Any, choices: list[Any], checked: list[str], required: bool) -> list[str]:
        import questionary

        self._help(q)
        items = [
            questionary.Choice(
                term(c.title), c.value, checked=c.value in checked, description=_opt(c.help)
            )
            for c in choices
        ]
        return list(
            self._ask(
                questionary.checkbox(
                    term(q.prompt),
                    choices=items,
                    validate=(lambda a: bool(a) or "Choose at least one.")
                    if required
                    else (lambda a: True),
                    instruction="(arrows, Space to tick, Enter to confirm; Ctrl-B back)",
                )
            )
        )

    def note(self, text: str) -> None:
        self.console.print(f"[bold]Note:[/bold] {markup(text)}")


def _opt(text: str | None) -> str | None:
    return None if text is None else term(text)


def _load_answers(path: Path, draft: bool) -> dict[str, Any]:
    """A profile (or a draft of one) as plain data; located errors and exit 1 if invalid."""
    from .errors import format_text
    from .loader import load_model
    from .profile import Draft, Profile

    model, diags = load_model(path, Draft if draft else Profile)
    if model is None:
        _stderr(format_text(diags))
        raise typer.Exit(EXIT_INVALID)
    return model.model_dump(exclude_unset=True)


@app.command()
def assess(
    resume: Annotated[
        Path | None,
        typer.Option(
            "--resume",
            metavar="FILE",
            help=("Continue an interrupted interview from its autosave file."),
        ),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help=(
                "Pre-fill from a profile; a complete one runs unattended when not in a terminal."
            ),
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="FILE", help=("Where answers are saved as they are given.")
        ),
    ] = Path("assessment.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite --output.")] = False,
    content: ContentOpt = None,
) -> None:
    """The Quick Guide as an interview; ends with the ranking and offers a profile and report.

    Every answer is saved at once; Ctrl-C or Ctrl-D stops cleanly and `--resume FILE` goes on.
    """
    from .interview import Interview, read_progress

    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if not interactive:
        if answers is None:
            _fail_usage(
                "not a terminal: pass a complete profile with --answers FILE to run unattended"
            )
        _finish(_pack(content), _load_answers(answers, draft=False), interactive=False)
        return
    pack = _pack(content)
    start: str | None = None
    if resume is not None:
        if not resume.is_file():
            _fail_usage(f"--resume {resume}: no such file")
        data = _load_answers(resume, draft=True)
        start = read_progress(resume.read_text(encoding="utf-8")) or "review"
        target = resume
    else:
        if output.exists() and not force:
            _fail_usage(
                f"{output} already exists: continue it with `ncm assess --resume "
                f"{output}`, or use --force or another --output"
            )
        data = _load_answers(answers, draft=True) if answers else {}
        target = output
    console = _console()
    console.print(
        "[bold]ncm assess[/bold]: the Quick Guide, step by step. Answers are saved "
        f"to {markup(target)} as you go; Ctrl-B goes back, Ctrl-C stops."
    )
    interview = Interview(pack, TerminalAsker(console), data, target)
    try:
        interview.run(start)
        final = _review(interview, console)
    except (KeyboardInterrupt, EOFError):
        try:
            interview.save(_current(interview))
        except FileProblem as exc:
            _stopped_unsaved(console, target, exc)
            raise typer.Exit(INTERRUPTED) from None
        console.print(
            f"\nStopped. Your answers are saved in {markup(target)}.\n"
            f"Continue with: ncm assess --resume {markup(target)}"
        )
        raise typer.Exit(INTERRUPTED) from None
    except FileProblem as exc:  # the autosave failed: disk full, read-only, ...
        _stopped_unsaved(console, target, exc)
        raise typer.Exit(EXIT_INVALID) from None
    _finish(pack, final, interactive=True, saved=target)


def _stopped_unsaved(console: Any, target: Path, exc: Exception) -> None:
    """The interview cannot go on when its answers cannot be saved: say so, and what was."""
    from rich.markup import escape

    kept = (
        f"The answers before it are in {target}." if target.exists() else "Nothing could be saved."
    )
    console.print(
        f"\nStopped. Your last answer could not be saved: {escape(str(exc))}\n{kept}\n"
        f"Continue with: ncm assess --resume {target}",
        markup=True,
    )


def _current(interview: Any) -> str:
    from .interview import read_progress

    if interview.save_to and interview.save_to.exists():
        return read_progress(interview.save_to.read_text(encoding="utf-8")) or "review"
    return "review"


def _review(interview: Any, console: Any) -> dict[str, Any]:
    """Show every answer; score, or change any one of them first."""
    import questionary
    from rich.table import Table

    from .loader import validate_data
    from .profile import Profile

    while True:
        interview.save("review")
        table = Table(title="Your answers", title_justify="left")
        table.add_column("Question")
        table.add_column("Answer")
        summary = interview.summary()
        for q, answer in summary:
            table.add_row(markup(q.prompt), markup(answer))
        console.print(table)
        _, diags = validate_data(interview.data, Profile, str(interview.save_to), "")
        for d in diags:
            console.print(f"[bold]To fix:[/bold] {markup(d.field or '')}: {markup(d.message)}")
        choices = [] if diags else [questionary.Choice("Score the options now", "__score__")]
        choices += [questionary.Choice(f"Change: {term(q.prompt[:70])}", q.id) for q, _ in summary]
        pick = TerminalAsker(console)._ask(
            questionary.select("Review", choices=choices, instruction="(arrows, Enter)")
        )
        if pick == "__score__":
            return dict(interview.data)
        q = next(q for q in interview.questions if q.id == pick)
        from .interview import Back

        try:
            interview.ask(q)
            follow = [x for x in interview.questions if x.type == "importance"]
            if q.type == "multiselect":
                for x in follow:
                    interview.ask(x)
        except Back:
            continue


def _finish(pack: Any, data: dict[str, Any], interactive: bool, saved: Path | None = None) -> None:
    """Score, show the ranking and the reasons; in a terminal, offer a profile and a report."""
    from .batch import Scored
    from .interview import dump_profile
    from .output import write_table
    from .profile import Profile
    from .scoring import explain, score_profile, shown

    profile = Profile.model_validate(data)
    result = score_profile(pack, profile)
    console = _console()
    write_table(
        console, pack, [Scored(str(saved or "answers"), profile, result, [])], None, False, []
    )
    console.print("[bold]Why the top three[/bold]")
    for r in shown(result.ranking, 3):  # ties at the cut kept, a shared rank read "=1"
        rank = f"={r.rank}" if r.tied_with else str(r.rank)
        console.print(f"  {rank}. {markup(explain(pack, r))}")
    if not interactive:
        raise typer.Exit(EXIT_OK)
    import questionary

    from .files import write_text

    asker = TerminalAsker(console)
    if saved is not None:
        write_text(saved, dump_profile(data))  # the autosave becomes a finished profile
        where = Path(
            str(
                asker._ask(
                    questionary.text(
                        "Save the profile as:", default=str(saved), instruction="(Enter to keep)"
                    )
                )
            )
        )
        if where.resolve() != saved.resolve() and (
            not where.exists()
            or asker._ask(questionary.confirm(f"{term(where)} exists. Overwrite?", default=False))
        ):
            write_text(where, dump_profile(data))
            saved = where
        console.print(f"Profile saved: {markup(saved)}")
    fmt = asker._ask(
        questionary.select(
            "Write a report?",
            choices=[
                questionary.Choice("HTML", "html"),
                questionary.Choice("Markdown", "md"),
                questionary.Choice("No report", "none"),
            ],
            default="html",
        )
    )
    if fmt != "none":
        from .files import safe_slug
        from .report import ReportInput, render

        default = f"{safe_slug(profile.name)}.{fmt}"
        where = Path(str(asker._ask(questionary.text("Report file:", default=default))))
        if where.exists() and not asker._ask(
            questionary.confirm(f"{term(where)} exists. Overwrite?", default=False)
        ):
            raise typer.Exit(EXIT_OK)
        write_text(where, render(pack, ReportInput(profile, result, display_name(str(saved))), fmt))
        console.print(f"Report written: {markup(where)}")
    raise typer.Exit(EXIT_OK)
