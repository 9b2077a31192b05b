"""`ncm assess`: the interview in a terminal, or unattended from a complete `--answers`
file. This module is the command: its options, the answers loaded and layered, the engine
(`ncm_toolkit.interview`) wired to an asker, and the exit codes. The terminal's prompts are in
`assess_asker.py`, the ranking and the end prompts (decision, profile, report) in
`assess_end.py`."""

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ncm_toolkit.cli.assess_asker import TerminalAsker
from ncm_toolkit.cli.assess_end import finish
from ncm_toolkit.cli.core import (
    ContentOpt,
    app,
    fail_usage,
    file_path,
    pack_or_exit,
    write_err,
    wrote,
    yaml_output_or_exit,
)
from ncm_toolkit.cli.core import console as make_console
from ncm_toolkit.errors import EXIT_INTERRUPTED, EXIT_INVALID, FileProblem
from ncm_toolkit.safe_text import markup, shell_word


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
    yaml_output_or_exit(output, "the profile", "the board paper: `ncm report PROFILE -o FILE`")
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
        finish(pack, data, interactive=False, saved=output or answers)
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
        over = None if answers is None else _load_answers(answers, draft=True, pack=pack)
        # the layers: --answers over the autosave, then the prompts
        interview = Interview.resumed(
            pack, TerminalAsker(console), data, text, target, ask_all, over=over
        )
        if output is not None:
            interview.loaded = None  # saved to NEW at the first save
        replaced = interview.replaced
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
                finish(pack, final, interactive=True, saved=target, asker=interview.asker)
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
