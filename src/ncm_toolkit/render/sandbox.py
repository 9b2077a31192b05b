"""User templates (`ncm report --templates DIR`) are untrusted: they are read only from regular
files that really lie inside DIR (`SafeFolderLoader`), and each render runs in a child process
bounded in time and memory (`render_bounded`). Our bundled templates are trusted and render in
the calling process (see `report.render`)."""

from __future__ import annotations

import errno
import os
import stat
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.loaders import split_template_path

from ncm_toolkit.content import bundled_templates_dir
from ncm_toolkit.errors import Diagnostic, NcmError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.connection import Connection

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
"""A user template larger than this is refused unread (the limit of every other input file)."""

DEFAULT_SECONDS = 10.0
DEFAULT_MIB = 512
TIMEOUT_ENV = "NCM_TEMPLATE_TIMEOUT"
MEMORY_ENV = "NCM_TEMPLATE_MEMORY"


class UnsafeTemplate(jinja2.TemplateError):
    """A user template that is not a regular file inside the templates folder. Not a
    `TemplateNotFound`, so that the bundled template is not used silently in its place."""

    def __init__(self, filename: str, message: str) -> None:
        super().__init__(f"{filename}: {message}")
        self.filename = filename
        self.reason = message


class SafeFolderLoader(jinja2.BaseLoader):
    """Templates from one folder, read only from regular files that really lie inside it:
    no symbolic link is followed (each folder and the file are opened relative to the one
    above with O_NOFOLLOW where the platform has it, else every part is checked with lstat and
    the resolved path must stay inside), `..` is refused, and a FIFO, device or folder is
    refused rather than read (opened non-blocking, then checked with fstat)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.shown = str(root)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        pieces = split_template_path(template)  # TemplateNotFound for "..", as Jinja's own
        shown = os.path.join(self.shown, *pieces)
        data = _read_inside(self.root, pieces, shown)
        if data is None:
            raise jinja2.TemplateNotFound(template)
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnsafeTemplate(shown, f"is not UTF-8 text (byte {exc.start})") from None
        return source, shown, lambda: True

    def list_templates(self) -> list[str]:
        return []


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FILE_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_LINK_ERRNOS = {errno.ELOOP, getattr(errno, "EMLINK", errno.ELOOP)}


def _read_inside(root: Path, pieces: list[str], shown: str) -> bytes | None:
    """The bytes of ROOT/PIECES, or None when there is no such file; UnsafeTemplate when the
    path is a link, leaves the folder, or is not a regular file."""
    try:
        fd = _open_at(root, pieces, shown) if _can_open_at() else _open_checked(root, pieces, shown)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        if exc.errno in _LINK_ERRNOS:
            raise UnsafeTemplate(
                shown, "is a symbolic link; user templates are read only from regular files"
            ) from None
        raise UnsafeTemplate(shown, f"cannot be read: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeTemplate(shown, "is not a regular file")
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise UnsafeTemplate(shown, f"is larger than {MAX_TEMPLATE_BYTES // 2**20} MiB")
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > MAX_TEMPLATE_BYTES:
                raise UnsafeTemplate(shown, f"is larger than {MAX_TEMPLATE_BYTES // 2**20} MiB")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise UnsafeTemplate(shown, f"cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)


def _can_open_at() -> bool:
    return bool(_NOFOLLOW) and hasattr(os, "O_DIRECTORY") and os.open in os.supports_dir_fd


def _open_at(root: Path, pieces: list[str], shown: str) -> int:
    """Walk down from ROOT one name at a time, each opened relative to the folder above and
    without following a link: nothing can be swapped for a link between check and open."""
    dir_flags = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(root, dir_flags)
    try:
        for piece in pieces[:-1]:
            try:
                inner = os.open(piece, dir_flags | _NOFOLLOW, dir_fd=fd)
            except NotADirectoryError:  # Linux says so of a link opened with O_NOFOLLOW
                if stat.S_ISLNK(os.stat(piece, dir_fd=fd, follow_symlinks=False).st_mode):
                    raise OSError(errno.ELOOP, "symbolic link", piece) from None
                raise
            os.close(fd)
            fd = inner
        return os.open(pieces[-1], _FILE_FLAGS, dir_fd=fd)
    finally:
        os.close(fd)


def _open_checked(root: Path, pieces: list[str], shown: str) -> int:
    """Where the platform cannot open relative to a folder (Windows): no part of the path may
    be a link, and the resolved path must lie inside the resolved folder."""
    path = root
    for piece in pieces:
        path = path / piece
        if path.is_symlink() or (hasattr(path, "is_junction") and path.is_junction()):
            raise OSError(errno.ELOOP, "symbolic link", str(path))
    if not path.resolve().is_relative_to(root.resolve()):
        raise UnsafeTemplate(shown, "lies outside the templates folder")
    return os.open(path, _FILE_FLAGS | getattr(os, "O_BINARY", 0))


@dataclass(frozen=True)
class Limits:
    """How long and how much memory one render of a user template may take."""

    seconds: float = DEFAULT_SECONDS
    mib: int = DEFAULT_MIB


def limits_from_env() -> Limits:
    """The bounds from $NCM_TEMPLATE_TIMEOUT (seconds) and $NCM_TEMPLATE_MEMORY (MiB)."""

    def number(name: str, default: float, least: float = 0.0) -> float:
        raw = os.environ.get(name, "").strip()
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not (0 < value <= 1e6 and value >= least):
            what = f"a number from {least:g}" if least else "a positive number"
            shown = raw if len(raw) <= 40 else raw[:37] + "..."
            raise UsageError(f"${name}: expected {what}, got {shown!r}")
        return value

    # whole MiB: 0.5 was cut to a bound of 0 MiB, which no render fits in
    return Limits(number(TIMEOUT_ENV, DEFAULT_SECONDS), int(number(MEMORY_ENV, DEFAULT_MIB, 1)))


def render_bounded(
    render: Callable[[], str], templates: Path, template: str, limits: Limits
) -> str:
    """Call `render` (which renders the user template TEMPLATE of the folder TEMPLATES; a
    picklable callable, such as a `functools.partial` of a module's function, where processes
    are spawned) in a child process, killed after `limits.seconds`, with its address space
    capped at its size at start plus `limits.mib` (POSIX RLIMIT_AS; Linux enforces it, macOS
    and Windows have no such cap, so there only the time bound holds). Every failure is a
    located template error (NcmError), never a traceback."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    ctx: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_child,
        args=(send, render, templates, limits.mib),
        daemon=True,
        name="ncm-template",
    )
    shown = os.path.join(str(templates), template)
    child.start()
    send.close()
    message: Any = None
    try:
        if receive.poll(limits.seconds):
            message = receive.recv()
    except (EOFError, OSError):
        message = None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if message is None:
        if child.exitcode is not None and child.exitcode != 0 and child.exitcode != -9:
            what = f"the render stopped unexpectedly (exit status {child.exitcode})"
        else:
            what = (
                f"the render took longer than {limits.seconds:g} s and was stopped "
                f"(${TIMEOUT_ENV}); is a template looping?"
            )
        raise TemplateFailed([Diagnostic(shown, 1, 1, f"template error: {what}")])
    if message[0] == "ok":
        return str(message[1])
    _, file, line, text, fatal = message
    raise TemplateFailed([Diagnostic(file or shown, line, 1, f"template error: {text}")], fatal)


class TemplateFailed(NcmError):
    """A template that failed on one profile's paper: that profile gets no paper and a batch
    goes on. `fatal`: the template cannot be used at all (it does not compile, is not found or
    is refused as unsafe), so no paper of the batch could be rendered with it."""

    def __init__(self, diagnostics: list[Diagnostic], fatal: bool = False):
        super().__init__(diagnostics)
        self.fatal = fatal

    def __reduce__(self) -> tuple[Any, ...]:
        """Whole again after crossing from a worker process (`--jobs`)."""
        return (TemplateFailed, (self.diagnostics, self.fatal))


def _child(send: Connection, render: Callable[[], str], templates: Path, mib: int) -> None:
    """Render in the child; send back ("ok", text) or ("error", file, line, message)."""
    roots: tuple[str, ...] = (str(templates),)
    try:
        _cap_memory(mib)
        roots = (str(templates), str(bundled_templates_dir()))
        reply: tuple[Any, ...] = ("ok", render())
    except MemoryError:
        reply = ("error", None, 1, f"the render needs more than {mib} MiB (${MEMORY_ENV})", False)
    except BaseException as exc:  # whatever a template does is its own error
        unusable = (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound, UnsafeTemplate)
        fatal = isinstance(exc, unusable)
        reply = ("error", *_locate(exc, roots), _describe(exc), fatal)
    try:
        send.send(reply)
    except (MemoryError, OSError, ValueError):
        pass
    finally:
        send.close()


def _cap_memory(mib: int) -> None:
    """Cap the address space at its present size plus MIB (where RLIMIT_AS exists)."""
    try:
        import resource
    except ImportError:  # Windows
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            now = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        now = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    cap = now + mib * 2**20
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):  # a platform that refuses the cap: the time bound remains
        pass


def _locate(exc: BaseException, roots: tuple[str, ...]) -> tuple[str | None, int]:
    """The template file and line where EXC happened: Jinja's syntax errors carry them, and
    its runtime tracebacks hold a frame per template line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename, exc.lineno or 1
    if isinstance(exc, UnsafeTemplate):
        return exc.filename, 1
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        if frame.filename.startswith(roots) and frame.lineno:
            return frame.filename, frame.lineno
    return None, 1


def _describe(exc: BaseException) -> str:
    if isinstance(exc, UnsafeTemplate):
        return exc.reason
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.message or "syntax error"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"no template {exc.name!r} in the templates folder or the bundled ones"
    if isinstance(exc, jinja2.TemplateError):
        return str(exc.message or exc)
    if isinstance(exc, RecursionError):
        return "RecursionError: the template recurses too deeply"
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    return f"{type(exc).__name__}: {exc}"
