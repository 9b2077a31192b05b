"""The typer app, the options every command shares, and the helpers commands use to turn an
error into a located message and an exit code from the contract."""

import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
import typer.core
import typer.main

from ncm_toolkit import __version__
from ncm_toolkit.errors import (
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_PIPE,
    EXIT_USAGE,
    NcmError,
    quiet_stdout,
)
from ncm_toolkit.vocabulary import OPTION_IDS

if TYPE_CHECKING:
    from ncm_toolkit.content import ContentPack


COMMANDS = {
    "init": "Write a commented starter profile that validates as written.",
    "examples": "List the example profiles shipped with ncm (use one with `ncm init --example "
    "NAME`).",
    "assess": "The Quick Guide as an interview; ends with the ranking, the decision and a report.",
    "validate": "Validate partnership profiles or content packs; with no PATH, the content pack "
    "in use.",
    "score": "Score partnership profiles: rank the ten options for each one.",
    "plan": "After the ranking: the organisational form for the option pursued and the workforce "
    "implications for these partners, every rule sourced.",
    "report": "Render board papers (Markdown, HTML or Word), one per profile.",
    "compare": "Compare stakeholders' answers: where they agree, where they split, the shared "
    "ranking.",
    "readiness": "Module 2 as a readiness self-assessment: create, answer and report a record.",
    "models": "Browse the ten options (new models of care).",
    "cases": "Browse the case studies.",
    "questions": "Module 2's questions for consideration, by area (or its background topics).",
    "schema": "Print the JSON Schema of a profile, a content file or a JSON output, for "
    "validators.",
    "migrate": "Rewrite version-1 profiles as version 2 in place, keeping every comment and line.",
}
"""Every command, in the order of the work (`ncm --help` lists them so), with the first
paragraph of its help. `ncm X` lives in `cli/X.py`, which registers X on `app` when imported;
`_Group` imports it only when X runs, so `ncm --help` imports no command module and is as quick
as typer itself. tests/test_lazy_commands.py checks these lines equal the commands' own."""


class _Argument(typer.core.TyperArgument):
    """An argument shown as its metavar alone (`PROFILE...`, `[PATH]`), not typer's internal
    type and braces (`{PROFILE}...`, `PROFILE <list[Path]>`)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def _rich_display_name(self) -> str:
        return self.display_name_raw + ("..." if self.nargs != 1 else "")

    def _usage_display_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")

    def make_metavar(self, ctx: Any = None) -> str:
        """The usage line's name on typer 0.16 too, which returns a set metavar as it is
        (`PROFILE`, no `...`); later typers call `_usage_display_name` themselves."""
        raw = str(self.metavar or self.name or "ARG")
        return (raw if self.required else f"[{raw}]") + ("..." if self.nargs != 1 else "")


def _option_metavar(param: Any) -> str:
    """An option's metavar from its type: typer 0.29 and later describe it themselves
    (`type_descriptor`); earlier ones (the floor is 0.16) carry a click type."""
    desc = getattr(param, "type_descriptor", None)
    if desc is not None:
        choices = list(desc.choices or ()) if desc.is_choice else []
        kind = "int" if desc.is_ranged or desc.annotation is int else "path" if desc.is_path else ""
    else:
        choices = list(getattr(param.type, "choices", None) or ())
        name = getattr(param.type, "name", "")
        kind = "int" if name in ("integer", "integer range") else "path" if name == "path" else ""
    if choices:
        return "[" + "|".join(str(getattr(c, "value", c)) for c in choices) + "]"
    if kind:
        return "N" if kind == "int" else "FILE"
    return str(param.name or "VALUE").upper()


def _readable(command: Any) -> Any:
    """Readable metavars in a command's help (and its sub-commands'): arguments in capitals,
    options without `metavar=` shown by their choices (`[table|json]`), as N, FILE or the
    option's name in capitals, never typer's `<int range>` or `<str>`."""
    if getattr(command, "_ncm_readable", False):
        return command
    command._ncm_readable = True
    for param in command.params:
        if isinstance(param, typer.core.TyperArgument):
            param.__class__ = _Argument
            param.metavar = (param.metavar or param.name or "ARG").upper()
        elif isinstance(param, typer.core.TyperOption) and param.metavar is None:
            if param.is_flag or param.count:
                continue
            param.metavar = _option_metavar(param)
    for sub in getattr(command, "commands", {}).values():
        _readable(sub)
    return command


class WholeLinesGroup(typer.core.TyperGroup):
    """A command group (`ncm readiness`, `ncm models`, `ncm cases`) whose help lists each
    subcommand with the whole first paragraph of its help, wrapped, as `ncm --help` does:
    click's shortening ended "Report records without asking: readiness per area, blocking..."."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                text = command.short_help or (command.help or "").split("\n\n")[0]
                rows.append((name, " ".join(text.split())))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


_CLICK_ERROR: Any = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
"""What click raises for a usage error, as this typer raises it: typer 0.2x carries its own copy
of click (`typer._click`), whose classes are not the `click` package's."""


_PYDANTIC_SAID = (
    (r"^Value error, ", ""),
    (r"^Input should be a valid integer\b.*", "must be a whole number"),
    (r"^Input should be greater than or equal to (\S+)$", r"must be \1 or more"),
    (r"^Input should be less than or equal to (\S+)$", r"must be \1 or less"),
    (r"^Input should be ([^,]*).*", r"must be \1"),
)
"""Pydantic's words in an option's usage error (this typer coerces option values with
Pydantic: `--format yaml` said "Value error, 'yaml' is not one of ...", `--top abc` "Input
should be a valid integer, unable to parse string as an integer"), said as ours are."""


def _said_safely(exc: Any) -> None:
    """Click's own usage errors quote what was typed with `repr` (`No such command '...'`,
    `'...' is not one of ...`): controls become escapes, but `##[error]` and `::` stay, for a
    CI runner to obey from a value a workflow passed on. Shown through `term`, as ours are,
    and in our words, not Pydantic's (`_PYDANTIC_SAID`)."""
    import re

    from ncm_toolkit.safe_text import term

    message = str(exc.message)
    for pattern, words in _PYDANTIC_SAID:
        plain, found = re.subn(pattern, words, message, count=1, flags=re.DOTALL)
        if found:
            message = plain
            break
    exc.message = term(_with_a_guess(message))


def _with_a_guess(message: str) -> str:
    """`'jsn' is not one of 'table', 'json', ...` ending `; did you mean 'json'?`, as ncm's own
    errors guess a mistyped id."""
    import re

    found = re.match(r"^'([^']*)' is not one of ((?:'[^']*'(?:, )?)+)\.?$", message)
    if found is None:
        return message
    guess = closest(found[1], re.findall(r"'([^']*)'", found[2]))
    return f"{message.rstrip('.')}; did you mean '{guess}'?" if guess else message


class _Group(typer.core.TyperGroup):
    """The `ncm` group. Its commands are listed from `COMMANDS` and imported only when run.
    Every command's environment errors (disk full, read-only file system, permission
    denied, ...) become one line naming the path and the cause, exit 1: not a bug to report."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command, its module imported on first use (`COMMANDS`)."""
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            importlib.import_module(f"ncm_toolkit.cli.{cmd_name}")  # registers it on `app`
            built: Any = typer.main.get_command(app)  # a group like this one, with the new command
            self.commands[cmd_name] = built.commands[cmd_name]
        command = super().get_command(ctx, cmd_name)
        return None if command is None else _readable(command)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The list in `ncm --help`, from `COMMANDS` alone, each line whole and wrapped under
        its command: shortened to the terminal as click does, nine of the fourteen ended
        mid-phrase ("use one with `ncm...")."""
        with formatter.section("Commands"):
            formatter.write_dl(list(COMMANDS.items()))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """A mistyped name (`ncm scor`): typer suggests the closest of the commands the group
        holds, so it is given them all."""
        if args and args[0] not in COMMANDS:
            for name in COMMANDS:
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """An empty argument is refused, wherever it is: an unset variable (`ncm validate
        "$FILES"`, `-o "$OUT"`) gave the path `""`, which is `.`, so `validate` checked the
        current folder and said "valid", `report` wrote papers there. No option takes ""."""
        unset = "is a shell variable unset?"
        for i, arg in enumerate([] if ctx.resilient_parsing else args):  # not when completing
            before = args[i - 1] if i else ""
            if arg == "" and before.startswith("-") and before not in self._flags(ctx, args):
                fail_usage(f"{before}: an empty value; {unset}")
            if arg == "":
                fail_usage(f"an empty argument; {unset}")
            if arg.startswith("--") and arg.endswith("=") and arg.count("=") == 1:
                fail_usage(f"{arg[:-1]}: an empty value; {unset}")
        return list(super().parse_args(ctx, args))

    def _flags(self, ctx: Any, args: list[str]) -> set[str]:
        """The options of the command ARGS run that take no value (`--force`), and `--`."""
        command: Any = self
        for word in args:
            sub = command.get_command(ctx, word) if hasattr(command, "get_command") else None
            if sub is None:
                break
            command = sub
        flags = {"--"}
        for param in command.params:
            if getattr(param, "is_flag", False) or getattr(param, "count", False):
                flags.update(param.opts + param.secondary_opts)
        return flags

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except _CLICK_ERROR as exc:
            _said_safely(exc)
            raise

    def invoke(self, ctx: Any) -> Any:
        import errno

        from ncm_toolkit.errors import FileProblem
        from ncm_toolkit.safe_text import term  # a path may hold any control character

        try:
            try:
                return super().invoke(ctx)
            finally:  # output still buffered fails here, reported, not at exit (`> /dev/full`)
                sys.stdout.flush()
        except _CLICK_ERROR as exc:  # a sub-command's usage error
            _said_safely(exc)
            raise
        except FileProblem as exc:
            write_err(f"ncm: error: {term(exc)}\n")
            raise typer.Exit(EXIT_INVALID) from None
        except KeyboardInterrupt:  # typer would turn it into a silent exit 130
            write_err("\nncm: interrupted\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # `ncm ... | head`: the reader has all it wanted
                quiet_stdout()
                raise typer.Exit(EXIT_PIPE) from None
            # no file name: a write to standard output failed (`> /dev/full`, a broken disk)
            where = exc.filename if exc.filename is not None else "<stdout>"
            problem = FileProblem.from_os(where, exc, doing="cannot use it")
            write_err(f"ncm: error: {term(problem)}\n")
            raise typer.Exit(EXIT_INVALID) from None


app = typer.Typer(
    cls=_Group,
    name="ncm",
    help="New Care Models assessment toolkit: the HLP guidance as content, an interview, "
    "scoring and reports.\n\n"
    "Examples:\n\n"
    "  ncm init profiles/north.yaml\n\n"
    "  ncm score profiles/north.yaml\n\n"
    "  ncm report profiles/north.yaml -o north.html\n\n"
    "Run `ncm COMMAND -h` for a command's options and examples.",
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


def file_path(value: str | Path) -> Path:
    """An output FILE as given. `Path("out/")` is `out`: `-o out/` wrote a file named `out`
    where a folder was meant (and a later `ncm report -o out/` found a file there). A name
    ending in a separator is a usage error instead."""
    if isinstance(value, Path):  # a default
        return value
    if value != "-" and value.endswith(tuple({"/", os.sep, os.altsep or "/"})):
        from ncm_toolkit.safe_text import term

        raise typer.BadParameter(f"{term(value)} names a folder (it ends with /); give a file")
    return Path(value)


OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to this file; - for stdout.",
        parser=file_path,
    ),
]
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

OPTION_IDS_HELP = ", ".join(OPTION_IDS)
"""The ten option ids, listed in the help of every argument or option that asks for one."""


def complete_option(incomplete: str) -> list[str]:
    """Tab completion of an option id (from the vocabulary: nothing heavy to import)."""
    return [i for i in OPTION_IDS if i.startswith(incomplete)]


def complete_from_pack(ids: Callable[["ContentPack"], Iterable[str]]) -> Callable[..., list[str]]:
    """Tab completion of ids held by the bundled pack (case studies, forms, areas); the pack is
    loaded only when completing, never for `--help`."""

    def complete(incomplete: str) -> list[str]:
        from ncm_toolkit.content import load_pack

        try:
            return [i for i in ids(load_pack(None)) if i.startswith(incomplete)]
        except Exception:  # completion must never print a traceback into the shell
            return []

    return complete


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


def write_err(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


def fail_usage(message: str) -> NoReturn:
    from ncm_toolkit.safe_text import term  # messages quote paths and values from files

    write_err(f"ncm: error: {term(message)}\n")
    raise typer.Exit(EXIT_USAGE)


def text_option_or_exit(option: str, value: str | None) -> None:
    """A value that becomes text in a file (a partnership's name, a role) is UTF-8. Bytes of
    another encoding (a Latin-1 terminal's `ö`) reach Python as lone surrogates: `ncm init
    --name` saved them as U+FFFD, the name lost without a word, and `readiness init` said
    Pydantic's "unable to parse raw data as a unicode string"."""
    if value is not None and any("\udc80" <= c <= "\udcff" for c in value):
        fail_usage(
            f"{option}: not UTF-8 text (a byte of another encoding); set the terminal to "
            "UTF-8, or write the value in the file"
        )


def content_folder_or_exit(content: Path | None) -> None:
    """`--content` names a folder, or exit 2: a typo there is a usage error in every command."""
    if content is not None and not content.is_dir():
        fail_usage(f"--content {content}: not a folder")


def pack_or_exit(content: Path | None) -> "ContentPack":
    """The content pack (`--content` or the bundled one), or exit 1 with its errors listed."""
    from ncm_toolkit.content import load_pack
    from ncm_toolkit.errors import format_text

    content_folder_or_exit(content)
    try:
        return load_pack(content)
    except NcmError as exc:
        write_err(format_text(exc.diagnostics))
        write_err("ncm: the content pack is invalid; run `ncm validate` on it\n")
        raise typer.Exit(EXIT_INVALID) from None


def console(stderr: bool = False) -> Any:
    """A Rich console that ends quietly on a closed pipe (see `console.PipeConsole`)."""
    from ncm_toolkit.cli.console import PipeConsole

    return PipeConsole(stderr=stderr, highlight=False, soft_wrap=False)


E = TypeVar("E", bound=Enum)


def infer_format(fmt: E | None, output: Path | None, choices: type[E], default: E) -> E:
    """`--format` if given, else the output file's suffix (`-o scores.csv`), else `default`.

    A suffix naming a format this command does not write (`ncm plan -o plan.docx`, `ncm
    report -o paper.pdf`) is a usage error: `default` in that file (a text table, HTML) was a
    file its program would not open."""
    if fmt is not None:
        return fmt
    if output is not None and str(output) != "-":
        suffix = output.suffix.lower().lstrip(".")
        suffix = {"markdown": "md", "htm": "html"}.get(suffix, suffix)
        for choice in choices:
            if choice.value == suffix:
                return choice
        if suffix in _DOCUMENT_SUFFIXES:
            known = ", ".join(c.value for c in choices)
            fail_usage(
                f"{output}: this command writes no .{suffix} file; its formats: {known} "
                "(name the file with one of these suffixes, or give --format)"
            )
    return default


def yaml_output_or_exit(output: Path | None, what: str, then: str) -> None:
    """Exit 2 when a command that writes YAML (`what`: a profile, a readiness record) is given
    an output named as another format promises (`ncm assess -o north.html`, `ncm readiness
    init -o ready.docx`): YAML in a file its program would not open, that no folder of
    profiles takes (`*.yaml`) either. `then`: the command that does write that format."""
    if output is None or str(output) == "-":
        return
    if document_format(output) not in (None, "yaml"):
        fail_usage(
            f"{output}: {what} is written as YAML, never as a {output.suffix.lower()} file; "
            f"name it .yaml ({then})"
        )


def names_a_document(path: Path) -> bool:
    """Whether `path`'s suffix promises a file format (`.md`, `.HTML`, `.yaml`, `.pdf`)."""
    return document_format(path) is not None


def document_format(path: Path) -> str | None:
    """The file format `path`'s suffix promises, one name for each (`.markdown` is `md`,
    `.htm` `html`, `.yml` `yaml`), or None for a suffix that promises none (`.txt`, none)."""
    written = path.suffix.lower().lstrip(".")
    written = {"markdown": "md", "htm": "html", "yml": "yaml"}.get(written, written)
    return written if written in _DOCUMENT_SUFFIXES else None


_DOCUMENT_SUFFIXES = frozenset(
    {"md", "html", "json", "csv", "xlsx", "docx", "pdf", "doc", "xls", "odt", "ods", "rtf"}
    | {"yaml", "yml"}  # a report or table in north.yaml is a broken profile to `ncm validate .`
)
"""Suffixes that promise a format: an output named so must be in it (`infer_format`)."""


def output_sink(output: Path | None, force: bool) -> Any:
    """Where text output goes: stdout for no `-o` or `-o -`, else the file, written whole or
    not at all (`files.atomic_writer`)."""
    if output is None or str(output) == "-":
        return contextlib.nullcontext(sys.stdout)
    from ncm_toolkit.files import atomic_writer

    return atomic_writer(output, force)


def refuse_input_output(output: Path | None, inputs: "list[Path]") -> None:
    """Exit 2 when `-o` names a file the command reads: `--force` would replace an input."""
    from ncm_toolkit.errors import UsageError
    from ncm_toolkit.files import refuse_input

    try:
        refuse_input(output, inputs)
    except UsageError as exc:
        fail_usage(str(exc))


def wrote(output: Path | str | None, changed: bool = True) -> None:
    """The one line on stderr for each file a command wrote (`-o FILE`, a report, a starter
    profile): stdout stays the command's output (`-o -`), and every command says it alike."""
    if output is not None and str(output) != "-":
        from ncm_toolkit.safe_text import term  # a file name may hold any control character

        write_err(f"{'wrote' if changed else 'unchanged'} {term(output)}\n")


def closest(value: str, known: list[str]) -> str | None:
    """The known word nearest VALUE, if one is near enough to be a guess at a typo: case,
    spaces, hyphens and underscores aside (`PACS`, `aco-ico` and `acoico` are guesses at
    `pacs` and `aco_ico`), or the one id that holds it (`whitstable`)."""
    import difflib
    import re

    def norm(word: str) -> str:
        return re.sub(r"[\s_-]+", "", word.lower())

    by_norm = {norm(k): k for k in reversed(known)}  # the first of equals wins
    part = [k for n, k in by_norm.items() if len(norm(value)) >= 3 and norm(value) in n]
    if len(part) == 1:  # a part of one id only (`whitstable`: whitstable_medical_practice)
        return part[0]
    close = difflib.get_close_matches(norm(value), list(by_norm), n=1)
    return by_norm[close[0]] if close else None


def fail_unknown(what: str, value: str, known: list[str]) -> NoReturn:
    """An unknown id: exit 2 with the closest known id and the whole list."""
    guess = closest(value, known)
    hint = f" (did you mean '{guess}'?)" if guess else ""
    fail_usage(f"unknown {what} '{value}'{hint}; known: {', '.join(known)}")
