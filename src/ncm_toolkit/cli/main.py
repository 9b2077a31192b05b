"""The entry point: the app (its commands are imported when run: `core.COMMANDS`), signals and
streams set up, and no traceback for a user unless --debug asks for one."""

import contextlib
import os
import sys

from ncm_toolkit.cli.core import DEBUG, app, write_err
from ncm_toolkit.errors import EXIT_INVALID, EXIT_PIPE, quiet_stdout

__all__ = ["app", "main"]


def _on_termination() -> None:
    """SIGTERM (CI runners, `timeout`, `docker stop`) and SIGHUP (a closed terminal) unwind
    like Ctrl-C: temporary files removed, --jobs workers stopped; exit 143 or 129. Only the
    first one counts, so that a second signal cannot interrupt the clean-up."""
    import signal

    from ncm_toolkit.errors import STOPPED, Terminated

    def stop(signum: int, _frame: object) -> None:
        if STOPPED:
            return
        STOPPED.append(signum)
        raise Terminated(signum)

    for name in ("SIGTERM", "SIGHUP"):  # Windows has no SIGHUP
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


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
    from ncm_toolkit.errors import Terminated, check_stopped

    _on_termination()
    _utf8_streams()
    try:
        try:
            app()
        finally:
            check_stopped()  # the handler's exception may have been dropped on the way
    except KeyboardInterrupt:
        write_err("\nncm: interrupted\n")
        sys.exit(130)
    except Terminated as exc:
        import signal

        write_err(f"\nncm: stopped by {signal.Signals(exc.signum).name}\n")
        sys.exit(128 + exc.signum)
    except SystemExit:
        raise
    except BrokenPipeError:  # raised outside a command (the final flush of a pipe)
        quiet_stdout()
        sys.exit(EXIT_PIPE)
    except Exception as exc:
        if DEBUG["on"] or "--debug" in sys.argv:
            raise
        from concurrent.futures.process import BrokenProcessPool

        if isinstance(exc, BrokenProcessPool):  # --jobs: a worker was killed (out of memory?)
            write_err(
                "ncm: a worker process stopped unexpectedly (killed, or out of memory?); "
                "the batch is incomplete and no --output file was written; run it again, "
                "or with --jobs 1\n"
            )
            sys.exit(EXIT_INVALID)
        from ncm_toolkit.safe_text import term

        write_err(
            f"ncm: internal error: {type(exc).__name__}: {term(exc)}\n"
            "ncm: run again with --debug for the details, and please report it\n"
        )
        sys.exit(EXIT_INVALID)
