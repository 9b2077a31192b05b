"""The `ncm` command line: thin commands over the Python API.

Only typer is imported at start-up; each command imports what it needs, so `ncm --help` and
`ncm --version` stay as quick as typer itself.
"""

import contextlib
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
import typer.core

from . import __version__
from .errors import EXIT_INVALID, EXIT_OK, EXIT_USAGE, NcmError, UsageError

if TYPE_CHECKING:
    from .content import ContentPack
    from .errors import Diagnostic


class _Group(typer.core.TyperGroup):
    """Every command's environment errors (disk full, read-only file system, permission
    denied, ...) become one line naming the path and the cause, exit 1: not a bug to report."""

    def invoke(self, ctx: Any) -> Any:
        import errno

        from .errors import FileProblem

        try:
            return super().invoke(ctx)
        except FileProblem as exc:
            _stderr(f"ncm: error: {exc}\n")
            raise typer.Exit(EXIT_INVALID) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # `ncm ... | head`: the reader has all it wanted
                _quiet_stdout()
                raise typer.Exit(EXIT_PIPE) from None
            where = exc.filename if exc.filename is not None else "ncm"
            problem = FileProblem.from_os(where, exc, doing="cannot use it")
            _stderr(f"ncm: error: {problem}\n")
            raise typer.Exit(EXIT_INVALID) from None


app = typer.Typer(
    cls=_Group,
    name="ncm",
    help="New Care Models assessment toolkit: the HLP guidance as content, an interview, "
    "scoring and reports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, pwsh
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)

ContentOpt = Annotated[
    Path | None,
    typer.Option(
        "--content", metavar="DIR", help="Use this content pack instead of the bundled one."
    ),
]

OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite --output if it exists.")]
JobsOpt = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        help="Processes to use: 0 (the default) uses one per CPU for batches of 100 files or "
        "more (Linux). The output is the same whatever the number.",
    ),
]

DEBUG = {"on": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ncm {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
) -> None:
    DEBUG["on"] = debug


def _stderr(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


def _fail_usage(message: str) -> NoReturn:
    from .safe_text import term  # messages quote paths and values from files

    _stderr(f"ncm: error: {term(message)}\n")
    raise typer.Exit(EXIT_USAGE)


def _pack(content: Path | None) -> "ContentPack":
    from .content import load_pack
    from .errors import format_text

    if content is not None and not content.is_dir():
        _fail_usage(f"--content {content}: not a folder")
    try:
        return load_pack(content)
    except NcmError as exc:
        _stderr(format_text(exc.diagnostics))
        _stderr("ncm: the content pack is invalid; run `ncm validate` on it\n")
        raise typer.Exit(EXIT_INVALID) from None


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            """Rich exits 1 on a closed pipe; `ncm ... | head` is no invalid input."""
            _quiet_stdout()
            raise SystemExit(EXIT_PIPE)

    return _Console(stderr=stderr, highlight=False, soft_wrap=False)


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH", help="Content pack folders, profile files or folders of profiles."
        ),
    ] = None,
    fmt: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            help="Output format: text, json, or github (annotations on stdout for GitHub Actions).",
        ),
    ] = ValidateFormat.text,
    content: ContentOpt = None,
) -> None:
    """Validate the active content pack (no PATH), content packs, or partnership profiles.

    Examples:

      ncm validate profiles/

      ncm validate profiles/ --format github     (annotations in pull requests)
    """
    from .batch import validate_paths
    from .errors import dumps_json, format_github, format_json, format_text

    checked, diags, packs = validate_paths(list(paths or []), content)
    if fmt is ValidateFormat.github:
        sys.stdout.write(format_github(diags))
        n = len(diags)
        typer.echo(f"{n} error{'s' if n != 1 else ''} in {checked} files checked")
    elif fmt is ValidateFormat.json:
        sys.stdout.write(
            dumps_json({"valid": not diags, "files_checked": checked, "errors": format_json(diags)})
        )
    else:
        _stderr(format_text(diags))
        if not diags:  # say what was checked: a pack's check is not a check of profiles
            where = f" (content pack: {', '.join(packs)})" if packs else ""
            after = "; give a path to check profiles" if not paths else ""
            typer.echo(f"ok: {checked} file{'s' if checked != 1 else ''} valid{where}{after}")
        else:
            _stderr(
                f"{len(diags)} error{'s' if len(diags) != 1 else ''} in {checked} files checked\n"
            )
    raise typer.Exit(EXIT_INVALID if diags else EXIT_OK)


class ScoreFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


E = TypeVar("E", bound=Enum)


def infer_format(fmt: E | None, output: Path | None, choices: type[E], default: E) -> E:
    """`--format` if given, else the output file's suffix (`-o scores.csv`), else `default`."""
    if fmt is not None:
        return fmt
    if output is not None and str(output) != "-":
        suffix = output.suffix.lower().lstrip(".")
        for choice in choices:
            if choice.value == suffix or (suffix == "markdown" and choice.value == "md"):
                return choice
    return default


@app.command()
def score(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PROFILE", help="Profile files or folders of profiles."),
    ],
    fmt: Annotated[
        ScoreFormat | None,
        typer.Option(
            "--format",
            help="Output format (default: from the --output suffix, else table). xlsx needs "
            "--output.",
        ),
    ] = None,
    top: Annotated[
        int | None, typer.Option("--top", min=1, help="Show only the best N options.")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show how each score adds up.")
    ] = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
    jobs: JobsOpt = 0,
    content: ContentOpt = None,
    acceptability: Annotated[
        bool | None,
        typer.Option(
            "--acceptability/--no-acceptability",
            help="First-rank acceptability (SMAA-2) of each option: on for one profile, "
            "off for a batch unless asked.",
        ),
    ] = None,
) -> None:
    """Score partnership profiles: rank the ten options for each one.

    Examples:

      ncm score profiles/ --explain

      ncm score profiles/ -o scores.xlsx      (the format follows the suffix)
    """
    from . import scoring
    from .batch import iter_rendered, iter_scores
    from .errors import format_text
    from .files import atomic_writer
    from .output import result_csv, result_json, write_csv, write_json, write_table
    from .profile import expand_paths

    found = expand_paths(paths)
    single = next(found, None) is not None and next(found, None) is None
    if acceptability is None:  # it doubles a batch's scoring time: opt-in beyond one file
        acceptability = single
    previous, scoring.ACCEPTABILITY = scoring.ACCEPTABILITY, acceptability  # before forking
    try:
        pack = _pack(content)
        errors: list[Diagnostic] = []
        fmt = infer_format(fmt, output, ScoreFormat, ScoreFormat.table)
        try:
            if fmt is ScoreFormat.xlsx:
                from .files import write_output_bytes
                from .xlsx import score_workbook

                if output is None or str(output) == "-":
                    _fail_usage("--format xlsx writes a workbook: give --output FILE.xlsx")
                items = _with_progress(iter_scores(pack, paths), paths)
                write_output_bytes(output, score_workbook(items, top, errors), force)
            elif fmt is ScoreFormat.table and output is None and not single and not explain:
                from .output import summary_row, write_summary

                rows = iter_rendered(pack, paths, summary_row, jobs)
                write_summary(_console(), _with_progress(rows, paths), errors)
            elif fmt is ScoreFormat.table and output is None:
                items = _with_progress(iter_scores(pack, paths), paths)
                write_table(_console(), pack, items, top, explain, errors)
            else:
                sink = (
                    atomic_writer(output, force) if output else contextlib.nullcontext(sys.stdout)
                )
                with sink as out:
                    if fmt is ScoreFormat.json:
                        rendered = iter_rendered(pack, paths, _by_result(result_json, top), jobs)
                        write_json(out, pack, _with_progress(rendered, paths), errors)
                    elif fmt is ScoreFormat.csv:
                        rendered = iter_rendered(pack, paths, _by_result(result_csv, top), jobs)
                        write_csv(out, _with_progress(rendered, paths), errors)
                    else:
                        items = _with_progress(iter_scores(pack, paths), paths)
                        from rich.console import Console

                        write_table(
                            Console(file=out, width=120, no_color=True),
                            pack,
                            items,
                            top,
                            explain,
                            errors,
                        )
        except UsageError as exc:
            _fail_usage(str(exc))
        _stderr(format_text(errors))
        raise typer.Exit(EXIT_INVALID if errors else EXIT_OK)
    finally:  # in-process callers (tests, the Python API) keep their own setting
        scoring.ACCEPTABILITY = previous


def _by_result(fmt: Any, top: int | None) -> Any:
    """A `batch.Render` from a formatter of (path, result, top)."""
    return lambda shown, _profile, result: fmt(shown, result, top)


def _with_progress(items: Any, paths: list[Path]) -> Any:
    """A progress bar on stderr for long batches in a terminal; nothing otherwise."""
    if not sys.stderr.isatty() or not any(p.is_dir() for p in paths):
        return items
    from rich.progress import Progress

    def gen() -> Any:
        with Progress(console=_console(stderr=True), transient=True) as progress:
            task = progress.add_task("scoring", total=None)
            for item in items:
                progress.advance(task)
                yield item

    return gen()


@app.command()
def schema(
    name: Annotated[
        str,
        typer.Argument(
            help="profile, readiness, or a content schema: manifest, option, "
            "case-study, legal-models, considerations, "
            "background, quick-guide, scoring, currency."
        ),
    ] = "profile",
    content: ContentOpt = None,  # accepted for uniformity: the schemas do not depend on a pack
) -> None:
    """Print the JSON Schema of a profile (or of a content file), for editors and validators."""
    from .errors import dumps_json
    from .profile import profile_schema
    from .schemas import CONTENT_SCHEMAS

    if name == "profile":
        sys.stdout.write(dumps_json(profile_schema()))
        return
    if name == "readiness":
        from .readiness_schemas import Readiness

        sys.stdout.write(dumps_json(Readiness.model_json_schema()))
        return
    if name not in CONTENT_SCHEMAS:
        _fail_usage(
            f"unknown schema '{name}'; choose profile, readiness or one of: "
            + ", ".join(CONTENT_SCHEMAS)
        )
    sys.stdout.write(dumps_json(CONTENT_SCHEMAS[name].model_json_schema()))


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    docx = "docx"


class AppendixMode(str, Enum):
    inline = "inline"
    separate = "separate"
    none = "none"


@app.command()
def report(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PROFILE", help="Profile files or folders of profiles."),
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="A file for one profile; a folder for several (or for one: end it with / or "
            "name an existing folder).",
        ),
    ],
    fmt: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format", help="Report format (default: from the --output suffix, else html)."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing reports.")] = False,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="DIR",
            help=("Override the bundled templates with these (rendered sandboxed)."),
        ),
    ] = None,
    summary: Annotated[
        bool,
        typer.Option(
            "--github-summary", help=("Also append a Markdown summary to $GITHUB_STEP_SUMMARY.")
        ),
    ] = False,
    appendix: Annotated[
        AppendixMode,
        typer.Option(
            "--appendix",
            help="Appendices in the paper (inline), in NAME.appendix.EXT beside it, or none.",
        ),
    ] = AppendixMode.inline,
    jobs: JobsOpt = 0,
    content: ContentOpt = None,
) -> None:
    """Render board papers (Markdown, HTML or Word), one per profile.

    Examples:

      ncm report profiles/north.yaml -o north.html

      ncm report profiles/ -o papers/ --format docx
    """
    from .errors import format_text
    from .reports_batch import write_reports
    from .safe_text import term

    pack = _pack(content)
    if templates is not None and not templates.is_dir():
        _fail_usage(f"--templates {templates}: not a folder")
    folder = output.endswith(("/", os.sep)) or Path(output).is_dir()
    target = Path(output)
    fmt = infer_format(fmt, None if folder else target, ReportFormat, ReportFormat.html)
    try:
        run = write_reports(
            pack,
            paths,
            fmt.value,
            target,
            force,
            templates,
            summary,
            jobs,
            appendix.value,
            folder=folder,
        )
    except UsageError as exc:
        _fail_usage(str(exc))
    except NcmError as exc:
        _stderr(format_text(exc.diagnostics))
        raise typer.Exit(EXIT_INVALID) from None
    _stderr(format_text(run.errors))
    for path, changed in run.reports:
        typer.echo(f"{'wrote' if changed else 'unchanged'} {term(path)}")
    if run.summary_cut:
        _stderr("ncm: warning: the job summary was cut to stay under GitHub's 1 MiB limit\n")
    raise typer.Exit(EXIT_INVALID if run.errors else EXIT_OK)


def _on_termination() -> None:
    """SIGTERM (CI runners, `timeout`, `docker stop`) and SIGHUP (a closed terminal) unwind
    like Ctrl-C: temporary files removed, --jobs workers stopped; exit 143 or 129. Only the
    first one counts, so that a second signal cannot interrupt the clean-up."""
    import signal

    from .errors import STOPPED, Terminated

    def stop(signum: int, _frame: object) -> None:
        if STOPPED:
            return
        STOPPED.append(signum)
        raise Terminated(signum)

    for name in ("SIGTERM", "SIGHUP"):  # Windows has no SIGHUP
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


EXIT_PIPE = 141
"""A closed pipe ends `ncm` as SIGPIPE ends other Unix tools (128 + 13), quietly; 1 would say
the input was invalid."""


def _quiet_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _utf8_streams() -> None:
    """UTF-8 output whatever the console's code page (a Windows cp1252 console, a C locale):
    names such as Ynys Môn and the chart's blocks cannot make output fail."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(encoding="utf-8")


def main() -> None:
    """Console-script entry point: no traceback reaches a user unless --debug asks for one."""
    # ncm uses no pydantic plugin, and looking for one scans every installed package's
    # metadata on the first validation (10-20 ms a run). Set the variable to opt back in.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from .errors import Terminated, check_stopped

    _on_termination()
    _utf8_streams()
    try:
        try:
            app()
        finally:
            check_stopped()  # the handler's exception may have been dropped on the way
    except KeyboardInterrupt:
        _stderr("\nncm: interrupted\n")
        sys.exit(130)
    except Terminated as exc:
        import signal

        _stderr(f"\nncm: stopped by {signal.Signals(exc.signum).name}\n")
        sys.exit(128 + exc.signum)
    except SystemExit:
        raise
    except BrokenPipeError:  # raised outside a command (the final flush of a pipe)
        _quiet_stdout()
        sys.exit(EXIT_PIPE)
    except Exception as exc:
        if DEBUG["on"] or "--debug" in sys.argv:
            raise
        from concurrent.futures.process import BrokenProcessPool

        if isinstance(exc, BrokenProcessPool):  # --jobs: a worker was killed (out of memory?)
            _stderr(
                "ncm: a worker process stopped unexpectedly (killed, or out of memory?); "
                "the batch is incomplete and no --output file was written; run it again, "
                "or with --jobs 1\n"
            )
            sys.exit(EXIT_INVALID)
        from .safe_text import term

        _stderr(
            f"ncm: internal error: {type(exc).__name__}: {term(exc)}\n"
            "ncm: run again with --debug for the details, and please report it\n"
        )
        sys.exit(EXIT_INVALID)


from . import assess_cmd as _assess  # noqa: E402,F401  (registers ncm assess)
from . import browse as _browse  # noqa: E402,F401  (registers ncm models/cases/questions)
from . import compare_cmd as _compare  # noqa: E402,F401
from . import init_cmd as _init  # noqa: E402,F401  (registers ncm init/examples)
from . import migrate_cmd as _migrate  # noqa: E402,F401  (registers ncm migrate)
from . import plan_cmd as _plan  # noqa: E402,F401  (registers ncm plan)
from . import readiness_cmd as _readiness  # noqa: E402,F401  (registers ncm readiness)
