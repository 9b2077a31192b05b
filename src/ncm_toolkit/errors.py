"""One error type that carries a location, and one formatter per output format."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from ncm_toolkit.safe_text import json_text, term

# Exit codes of the public contract.
EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_PIPE = 141
"""A closed pipe ends `ncm` as SIGPIPE ends other Unix tools (128 + 13), quietly; 1 would say
the input was invalid."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (SIGINT): 128 + 2, as shells report it."""


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in one file, at one place, about one field."""

    file: str
    line: int
    column: int
    message: str
    field: str | None = None
    hint: str | None = None

    def render(self) -> str:
        """One line, safe for a terminal and a CI log: the file name, field, message and hint
        can all hold text from a file (see `safe_text.term`)."""
        where = f"{term(self.file)}:{self.line}:{self.column}: "
        what = f"{term(self.field)}: {term(self.message)}" if self.field else term(self.message)
        return where + what + (f" (hint: {term(self.hint)})" if self.hint else "")

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.message)


def per_file_limit(
    diagnostics: list[Diagnostic], limit: int, what: str = "errors"
) -> list[Diagnostic]:
    """At most LIMIT diagnostics a file, in the order given, then one line saying how many
    more WHAT: what one file reads alone (`read.loader`), for checks that span files too."""
    counts: dict[str, int] = {}
    for d in diagnostics:
        counts[d.file] = counts.get(d.file, 0) + 1
    if all(n <= limit for n in counts.values()):
        return diagnostics
    out: list[Diagnostic] = []
    kept: dict[str, int] = {}
    for d in diagnostics:
        n = kept[d.file] = kept.get(d.file, 0) + 1
        if n <= limit:
            out.append(d)
        if n == limit and counts[d.file] > limit:
            more = counts[d.file] - limit
            out.append(Diagnostic(d.file, d.line, d.column, f"... and {more} more {what}"))
    return out


class NcmError(Exception):
    """Raised when input is invalid; carries every diagnostic found, not just the first."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.render() for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[NcmError], tuple[list[Diagnostic]]]:
        """Whole again after crossing from a worker process (`batch --jobs`)."""
        return (NcmError, (self.diagnostics,))


class UsageError(Exception):
    """A command was called wrongly (exit 2)."""


class FileProblem(Exception):
    """The system refused a file operation (disk full, read-only, permission denied, ...):
    an environment problem, not a bug, so one line naming the path and the cause, exit 1."""

    def __init__(self, path: str, cause: str):
        super().__init__(path, cause)  # the args pickle, so it crosses from a worker whole
        self.path = path
        self.cause = cause

    def __str__(self) -> str:
        return f"{self.path}: {self.cause}"

    @classmethod
    def from_os(cls, path: object, exc: OSError, doing: str = "cannot write") -> FileProblem:
        reason = _CAUSES.get(exc.errno or 0) or (os.strerror(exc.errno) if exc.errno else str(exc))
        return cls(str(path), f"{doing}: {reason}")


_CAUSES = {
    errno.ENOSPC: "no space left on the device (disk full)",
    errno.EROFS: "read-only file system",
    errno.ENAMETOOLONG: "file name too long",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    getattr(errno, "EDQUOT", -1): "disk quota exceeded",
}


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwinds like Ctrl-C (temporary files removed, workers
    stopped) and exits 128 + the signal's number."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


STOPPED: list[int] = []
"""The signal that asked `ncm` to stop, if one did. The handler raises Terminated, but Python
drops an exception raised where it cannot propagate (in an at-fork hook, say); so places
that are about to commit something (a batch's next result, renaming an output into place)
check this too."""


def check_stopped() -> None:
    if STOPPED:
        raise Terminated(STOPPED[0])


def quiet_stdout() -> None:
    """Point stdout at the null device before exiting `EXIT_PIPE`, so the interpreter's last
    flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def format_text(diagnostics: Iterable[Diagnostic]) -> str:
    return "".join(d.render() + "\n" for d in diagnostics)


def _gh_data(text: str) -> str:
    """GitHub's escaping for a workflow command's message: a newline cannot end the command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions annotations (`::error file=...,line=...,col=...::message`), one a line, so
    a pull request shows each error on the line it is about. Every value is escaped as GitHub
    documents and shown as `term` shows it, so nothing from a file can start a workflow
    command of its own or act on the log viewer."""
    out = []
    for d in diagnostics:
        what = f"{d.field}: {d.message}" if d.field else d.message
        what += f" (hint: {d.hint})" if d.hint else ""
        # `term` as in the text format: no raw control, bidi mark or line separator reaches
        # the log, nor `##[`, the runner's older command syntax it obeys anywhere in a line;
        # the file name keeps its `:` `,` and line breaks %-escaped, as GitHub documents.
        out.append(
            f"::error file={term(_gh_property(d.file))},line={d.line},col={d.column},"
            f"title=ncm validate::{_gh_data(term(what))}\n"
        )
    return "".join(out)


def format_json(diagnostics: Iterable[Diagnostic]) -> list[dict[str, object]]:
    return [{k: v for k, v in asdict(d).items() if v is not None} for d in diagnostics]


def dumps_json(data: object) -> str:
    """The one JSON encoding every command uses: stable key order, UTF-8, trailing newline;
    controls and invisible characters as `\\u` escapes (`safe_text.json_text`)."""
    import json  # not at the top: `ncm --help` imports this module and needs no JSON

    return json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
