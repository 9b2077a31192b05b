"""Writing files safely: to a temporary file beside the target, then renamed into place, so an
interrupted run leaves the old file or the new one and never a partial one."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TextIO

from .errors import UsageError


def check_target(path: Path, force: bool) -> None:
    if path.is_symlink():
        raise UsageError(f"{path}: is a symbolic link; refusing to write through it")
    if path.exists() and path.is_dir():
        raise UsageError(f"{path}: is a directory")
    if path.exists() and not force:
        raise UsageError(f"{path}: already exists; use --force to overwrite it")


@contextlib.contextmanager
def _replacing(path: Path, mode: str, durable: bool) -> Iterator[IO[Any]]:
    """A temporary file beside `path`, renamed over it on success and removed on failure."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        binary = "b" in mode
        with os.fdopen(
            fd, mode, encoding=None if binary else "utf-8", newline=None if binary else "\n"
        ) as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_writer(path: Path, force: bool = True, durable: bool = True) -> Iterator[TextIO]:
    """Yield a text stream; on success it replaces `path` atomically, on failure it vanishes.

    `durable` also flushes the data to disk before the rename, so that a power cut cannot
    leave an empty file: worth it for answers a person typed, not for a report that the same
    command regenerates."""
    check_target(path, force)
    with _replacing(path, "w", durable) as fh:
        yield typing.cast(TextIO, fh)


def write_bytes(path: Path, data: bytes) -> None:
    """Atomically replace `path` with `data` (for caches: no overwrite check, no fsync)."""
    with _replacing(path, "wb", durable=False) as fh:
        fh.write(data)


def write_text(
    path: Path, text: str, force: bool = True, durable: bool = True, keep_same: bool = False
) -> bool:
    """Write `text` as UTF-8, encoded at once and written in one call (a text stream writes a
    100 KB report in many 8 KB pieces); return whether the file was written.

    `keep_same`: leave a file that already holds exactly this text as it is, modification
    time included, so regenerating reports in CI does not touch what did not change (and
    skips the costliest step, replacing a file, which is slower than rendering it)."""
    check_target(path, force)
    data = text.encode("utf-8")
    if keep_same and _holds(path, data):
        return False
    with _replacing(path, "wb", durable) as fh:
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
    """A file-name stem from user text that cannot leave its folder or name a device."""
    stem = _UNSAFE.sub("-", name).strip(".-_").lower()[:max_len].strip(".-_")
    if not stem or stem.split(".")[0] in _RESERVED:
        stem = f"report-{stem}" if stem else "report"
    return stem
