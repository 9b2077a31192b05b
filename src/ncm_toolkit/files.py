"""Writing files safely: to a temporary file beside the target, then renamed into place, so an
interrupted run leaves the old file or the new one and never a partial one."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TextIO

from ncm_toolkit.errors import FileProblem, UsageError, check_stopped

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def check_target(path: Path, force: bool) -> None:
    """Refuse to write where the result would not be a plain new or replaced file: through a
    symbolic link, over a directory, a device, a FIFO or a socket (as root in CI, `-o
    /dev/null --force` would otherwise turn /dev/null into a file), or over any file without
    `force`."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:  # name too long, permission denied, a file where a folder is
        raise FileProblem.from_os(path, exc) from None
    if stat.S_ISLNK(mode):
        raise UsageError(f"{path}: is a symbolic link; refusing to write through it")
    _refuse_special(path, mode)
    if not force:
        raise UsageError(f"{path}: already exists; use --force to overwrite it")


def refuse_input(output: Path | None, inputs: typing.Iterable[Path]) -> None:
    """Refuse an output that is one of the input files (`ncm score p.yaml -o p.yaml --force`
    would replace the profile with its scores): a usage error naming it, before anything is
    read or written. Folders given as inputs are not searched: their profiles end in .yaml."""
    Inputs(inputs).refuse(output)


class Inputs:
    """The files a command reads, for refusing outputs that are one of them (`refuse_input`)
    one output at a time: the inputs are looked at once, when the first output that exists
    is checked, not once per output (a batch of N papers from N files was N x N stats)."""

    def __init__(self, inputs: typing.Iterable[Path]) -> None:
        self._inputs = list(inputs)
        self._files: set[tuple[int, int]] | None = None

    def refuse(self, output: Path | None) -> None:
        if output is None or str(output) == "-":
            return
        try:
            st = os.stat(output)
        except OSError:
            return  # nothing there yet: no input can be it
        if self._files is None:
            self._files = set()
            for given in self._inputs:
                try:
                    one = os.stat(given)
                except OSError:
                    continue
                if stat.S_ISREG(one.st_mode):
                    self._files.add((one.st_dev, one.st_ino))
        if (st.st_dev, st.st_ino) in self._files:
            raise UsageError(f"{output}: is an input file; refusing to write over it")


def _refuse_special(path: Path, mode: int) -> None:
    for test, kind in _KINDS:
        if test(mode):
            raise UsageError(f"{path}: is {kind}; --force replaces regular files only")


def _umask() -> int:
    """The process's umask (read by setting it and putting it back; no other way exists)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    """The permission bits for a file written at `path`: those of the regular file there (the
    set-id bits dropped), else what a new file gets from the umask."""
    try:
        st = os.lstat(path)
    except OSError:
        return 0o666 & ~_umask()
    return stat.S_IMODE(st.st_mode) & 0o777 if stat.S_ISREG(st.st_mode) else 0o666 & ~_umask()


def _write_problem(path: Path, folder: Path, exc: OSError) -> FileProblem:
    """A system error writing `path` in `folder`, in the words every output uses."""
    if exc.errno == errno.ENOENT and not folder.is_dir():
        return FileProblem(str(path), f"cannot write: no such folder: {folder}")
    return FileProblem.from_os(path, exc)


def nearby(path: Path) -> str | None:
    """For a path that is not there, the name beside it that it is probably a typo of
    (`profile/` where `profiles/` is, `north.yaml` where `north_practices.yaml` is), as a
    hint; None when the folder cannot be listed or holds nothing close. Only the first 1,000
    names are looked at, so a huge folder costs no more than a small one."""
    import difflib
    import itertools

    folder = path.parent if str(path.parent) else Path(".")
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in itertools.islice(entries, 1000) if not e.name.startswith(".")]
    except OSError:
        return None
    # The names before their suffixes must be close too (one the start of the other, or
    # three quarters alike): a shared `.yaml` made north.yaml look like a typo of south.yaml.
    stem = Path(path.name).stem.casefold()

    def alike(name: str) -> bool:
        other = Path(name).stem.casefold()
        if other.startswith(stem) or stem.startswith(other):
            return True
        return difflib.SequenceMatcher(None, stem, other).ratio() >= 0.75

    close = [n for n in difflib.get_close_matches(path.name, names, n=3, cutoff=0.6) if alike(n)]
    if not close:
        return None
    return f"did you mean {folder / close[0] if str(path.parent) != '.' else close[0]}?"


def make_folder(folder: Path) -> None:
    """`folder` and its parents, made where missing (`ncm init profiles/north.yaml`). A file
    where a folder must be (`ncm init north.yaml/x.yaml`) was Python's "cannot use it: File
    exists": it is named, with what is wrong, as any other file problem (exit 1)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise FileProblem(
            str(exc.filename or folder), "cannot create the folder: a file is in the way"
        ) from None
    except OSError as exc:
        raise FileProblem.from_os(exc.filename or folder, exc, "cannot create the folder") from None


def check_can_save(path: Path) -> None:
    """Before the first question of an interview that saves each answer into `path`: its
    folder exists and takes a new file (a temporary one, made and removed as a save would),
    so a missing or read-only folder is one error before anything is asked, not a stop at
    the first save with a `--resume` hint for a file that cannot exist."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _write_problem(path, folder, exc) from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(tmp)


@contextlib.contextmanager
def _replacing(
    path: Path,
    mode: str,
    durable: bool,
    private: bool = False,
    wrap: bool = True,
    exclusive: bool = False,
) -> Iterator[IO[Any]]:
    """A temporary file beside `path`, renamed over it on success and removed on failure.

    The file gets the mode a newly created file would (0644 under umask 022), not mkstemp's
    0600, unless `private`; a regular file it replaces keeps its own (`ncm migrate` left a
    0600 profile 0644, readable by every user). A system error (disk full, read-only,
    permission denied, no such folder, name too long) becomes a FileProblem naming `path`
    (unless not `wrap`). `exclusive` (an output without `--force`): never replace a file,
    even one that appeared after `check_target` (two `ncm score -o out.json` at once)."""
    folder = path.parent if str(path.parent) else Path(".")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=folder)
        if not private and hasattr(os, "fchmod"):
            os.fchmod(fd, _mode_for(path))
        binary = "b" in mode
        with os.fdopen(
            fd, mode, encoding=None if binary else "utf-8", newline=None if binary else "\n"
        ) as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        with contextlib.suppress(FileNotFoundError):  # appeared since check_target?
            st = os.lstat(path)
            if not stat.S_ISLNK(st.st_mode):
                _refuse_special(path, st.st_mode)
        check_stopped()  # told to stop (SIGTERM): leave the old file, not a new one
        if exclusive and _link_new(tmp, path):
            return  # `finally` removes the temporary name; the file stays under `path`
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        if not wrap:
            raise
        raise _write_problem(path, folder, exc) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _link_new(tmp: str, path: Path) -> bool:
    """Give the finished temporary file the name `path` only if nothing has that name: a hard
    link fails if the target exists, in one step (a rename would replace it). Return False
    where the file system or platform has no hard links (FAT, some network shares, Windows
    without the permission), so the caller falls back to a rename, which can then replace a
    file that appeared after `check_target`; elsewhere a file that appeared is refused."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise UsageError(f"{path}: already exists; use --force to overwrite it") from None
    except (AttributeError, NotImplementedError):
        return False
    except OSError as exc:
        if exc.errno in _NO_LINKS:
            return False
        raise
    return True


_NO_LINKS = {
    errno.EPERM,  # Linux on FAT or vfat, and a link refused by policy
    errno.EXDEV,
    errno.EMLINK,
    getattr(errno, "ENOTSUP", -1),
    getattr(errno, "EOPNOTSUPP", -1),
    getattr(errno, "ENOSYS", -1),
}


@contextlib.contextmanager
def atomic_writer(path: Path, force: bool = True, durable: bool = True) -> Iterator[TextIO]:
    """Yield a text stream; on success it replaces `path` atomically, on failure it vanishes.

    `durable` also flushes the data to disk before the rename, so that a power cut cannot
    leave an empty file: worth it for answers a person typed, not for a report that the same
    command regenerates."""
    check_target(path, force)
    with _replacing(path, "w", durable, exclusive=not force) as fh:
        yield typing.cast(TextIO, fh)


def write_output_bytes(path: Path, data: bytes, force: bool, durable: bool = True) -> None:
    """An output file of bytes (a workbook, a Word document): checked and written like text."""
    check_target(path, force)
    with _replacing(path, "wb", durable=durable, exclusive=not force) as fh:
        fh.write(data)


def write_text(
    path: Path,
    text: str | bytes,
    force: bool = True,
    durable: bool = True,
    keep_same: bool = False,
) -> bool:
    """Write `text` as UTF-8, encoded at once and written in one call (a text stream writes a
    100 KB report in many 8 KB pieces); return whether the file was written. (Bytes: text
    already encoded, as `safe_text.html_bytes` gives a page.)

    `keep_same`: leave a file that already holds exactly this text as it is, modification
    time included, so regenerating reports in CI does not touch what did not change (and
    skips the costliest step, replacing a file, which is slower than rendering it)."""
    check_target(path, force)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    if keep_same and _holds(path, data):
        return False
    with _replacing(path, "wb", durable, exclusive=not force) as fh:
        fh.write(data)
    return True


def _holds(path: Path, data: bytes) -> bool:
    """Whether `path` is a regular file with exactly these bytes (read only if the size fits)."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        with open(path, "rb") as fh:
            return fh.read(len(data) + 1) == data
    except OSError:
        return False


def walk_files(top: str) -> Iterator[tuple[str, ...]]:
    """Every file under `top`, as a tuple of path parts relative to it, in no set order.

    Iterative (a stack, not recursion: 1,200 nested folders are fine), does not follow
    symbolic links to folders, and skips hidden entries (`.git`, `.github`, `.x.yaml`): a
    folder given by name is walked whatever its own name."""
    stack: list[tuple[str, tuple[str, ...]]] = [(top, ())]
    while stack:
        folder, parts = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                    linked = is_dir and entry.is_symlink()
                except OSError:
                    is_dir = linked = False
                if is_dir:
                    if not linked:
                        stack.append((entry.path, (*parts, entry.name)))
                else:
                    yield (*parts, entry.name)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def safe_slug(name: str, max_len: int = 80) -> str:
    """A file-name stem from user text that cannot leave its folder or name a device. Letters
    with accents are transliterated first ("Ynys Môn" -> "ynys-mon", not "ynys-m-n")."""
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    stem = _UNSAFE.sub("-", plain).strip(".-_").lower()[:max_len].strip(".-_")
    if not stem or stem.split(".")[0] in _RESERVED:
        stem = f"report-{stem}" if stem else "report"
    return stem
