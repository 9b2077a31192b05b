"""The `ncm` console script. `ncm --version` is answered before typer (or anything else) is
imported: it is what scripts and installers call to check the tool is there."""

import io
import sys

from ncm_toolkit import __version__


class _ClosedStdout(io.TextIOBase):
    """Standard output when `ncm` was started with it closed (`ncm score p.yaml >&-`): a
    write fails as writing to a closed descriptor does (EBADF), which the CLI reports as one
    line, exit 1, instead of an internal error or output silently lost with exit 0."""

    def write(self, s: str) -> int:
        import errno
        import os

        raise OSError(errno.EBADF, os.strerror(errno.EBADF), "<stdout>")

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True


def _closed_standard_streams() -> None:
    """Python leaves `sys.stdin`, `sys.stdout` or `sys.stderr` None when its descriptor was
    closed at start, and the next file `ncm` opened would take that descriptor (a report
    written through descriptor 1 is what a child process would print into). Each closed one
    is opened on the null device, so no file takes its number; stdin then reads as empty
    (unattended) and stderr is discarded, and stdout refuses writes (`_ClosedStdout`)."""
    import os

    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is not None:
            continue
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
        if name == "stdout":
            sys.stdout = _ClosedStdout()
        else:
            setattr(sys, name, open(fd, "r" if fd == 0 else "w", closefd=False))  # noqa: SIM115


def _one_blas_thread() -> None:
    """numpy's BLAS would start a thread per core at import and keep them spinning after each
    product; the acceptability search multiplies a thousand rows by ten columns, which one
    thread does faster than a pool wakes (about 0.1 s of CPU saved a command, and `--jobs`
    workers no longer compete with each other's pools). A value the user set is kept."""
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _no_teardown_at_exit() -> None:
    """At exit Python takes apart every module and object it holds, one by one: 15-50 ms of
    CPU a command for typer, Pydantic and the content pack, memory the operating system takes
    back at once anyway. `gc.freeze`, run as the last exit handler (the output written, `--jobs`
    workers joined), leaves them out of the final garbage collections. What it skips is
    finalizers of reference cycles still there at exit, which Python does not promise to run
    (the data model's `__del__` note); ncm closes its files and removes its temporary files
    explicitly, never in a finalizer."""
    import atexit
    import gc

    atexit.register(gc.freeze)  # before ncm imports anything: run after their handlers


def main() -> None:
    _closed_standard_streams()
    _one_blas_thread()  # before anything imports numpy
    if sys.argv[1:] == ["--version"]:
        try:
            sys.stdout.write(f"ncm {__version__}\n")
        except OSError as exc:  # stdout closed: one line, as from every other command
            sys.stderr.write(f"ncm: error: <stdout>: cannot use it: {exc.strerror}\n")
            raise SystemExit(1) from None
        return
    _no_teardown_at_exit()
    from ncm_toolkit.cli.main import main as run  # lazy: `ncm --version` must not import typer

    run()
