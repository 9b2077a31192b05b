"""A stop signal during a `--jobs` batch is acted on between the process pool's calls, never in
the middle of one: an exception raised inside the pool's own code can leave one of its locks
held, and the batch then waits for ever at shutdown (CI saw a SIGTERM'd batch hang)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

import pytest

from ncm_toolkit import batch


class Stop(Exception):
    pass


@pytest.fixture
def raising_hup() -> Iterator[list[str]]:
    """SIGHUP's handler raises `Stop`, as ncm's own handler raises `Terminated`; `calls` records
    where the handler ran."""
    calls: list[str] = []

    def handler(signum: int, _frame: object) -> None:
        calls.append("handler")
        raise Stop(signum)

    old = signal.signal(signal.SIGHUP, handler)
    yield calls
    signal.signal(signal.SIGHUP, old)


def test_a_signal_inside_is_raised_on_the_way_out(raising_hup):
    with pytest.raises(Stop), batch._SignalsNoted() as noted:
        os.kill(os.getpid(), signal.SIGHUP)
        time.sleep(0.05)  # the handler would have run by now
        raising_hup.append("after the signal")  # reached: nothing was raised in here
        assert noted == [signal.SIGHUP]
    assert raising_hup == ["after the signal", "handler"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


class FakePool:
    """Sends itself SIGHUP inside submit and shutdown, where the real pool holds its locks."""

    def __init__(self, log: list[str]):
        self.log = log

    def submit(self, fn: Any, chunk: Any) -> Future[Any]:
        os.kill(os.getpid(), signal.SIGHUP)
        time.sleep(0.05)
        self.log.append("submit returned")
        done: Future[Any] = Future()
        done.set_result([])
        return done

    def shutdown(self, wait: bool, cancel_futures: bool) -> None:
        os.kill(os.getpid(), signal.SIGHUP)
        time.sleep(0.05)
        self.log.append("shutdown returned")


def test_the_batch_never_raises_inside_the_pool(raising_hup):
    tasks: Iterator[Any] = iter(range(batch.CHUNK * 3))
    with pytest.raises(Stop):
        list(batch._drain(FakePool(raising_hup), 1, tasks))
    # each handler ran after the pool's call had returned (this one raises every time)
    assert raising_hup == ["submit returned", "handler", "shutdown returned", "handler"]


def test_waiting_for_a_worker_does_not_hide_a_signal(raising_hup):
    never: Future[Any] = Future()  # a worker that never answers
    threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGHUP)).start()
    started = time.monotonic()
    with pytest.raises(Stop):
        batch._result(never)
    assert time.monotonic() - started < 0.3 + 5 * batch.POLL_SECONDS


def test_a_default_action_still_happens():
    """With no handler of its own (the Python API, not the CLI), SIGTERM still ends the process,
    once the pool's call has returned."""
    code = (
        "import os, signal, sys\n"
        "from ncm_toolkit import batch\n"
        "with batch._SignalsNoted():\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    print('inside', flush=True)\n"
        "print('after', flush=True)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGTERM
    assert proc.stdout == "inside\n"
