"""Validating, scoring and rendering many files: streamed, in order, on one process or several.

Memory stays flat however many files there are: one file at a time is loaded, scored and
turned into output. With `jobs` above 1 (Linux), worker processes forked from this one load,
score and render chunks of files while this process writes what they return, in the order
the files were given.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any, TypeVar

from ncm_toolkit.content import ContentPack
from ncm_toolkit.errors import Diagnostic, check_stopped
from ncm_toolkit.plan import decision_form_problem
from ncm_toolkit.profile import Profile, ProfileTask, load_task, profile_tasks
from ncm_toolkit.scoring import Result, score_profile

T = TypeVar("T")

AUTO_JOBS_FROM = 100
"""With `jobs=0` (auto), batches smaller than this stay on one process: starting workers
costs more than they save."""
MAX_AUTO_JOBS = 8
CHUNK = 32
"""Files a worker takes at a time: large enough to amortise the hand-over, small enough to
keep every worker busy to the end."""
IN_FLIGHT_PER_WORKER = 4
"""Chunks handed out ahead per worker: enough to keep it busy, few enough that neither the
listing nor the results pile up in memory."""
POLL_SECONDS = 0.2
"""How long the batch waits for a worker's result before it looks for a signal noted
meanwhile (`_SignalsNoted`): the longest a stop request waits to be acted on."""


@dataclass
class Scored:
    path: str
    profile: Profile | None
    result: Result | None
    errors: list[Diagnostic]


def load_for(pack: ContentPack, task: ProfileTask) -> tuple[str, Profile | None, list[Diagnostic]]:
    """A profile file loaded, or its diagnostics; a decision naming a form PACK does not define
    is refused, located, by every command that reads profiles, as `ncm validate` refuses it."""
    shown, profile, diags = load_task(task)
    if profile is not None and (bad := decision_form_problem(pack, shown, profile)) is not None:
        return shown, None, [*diags, bad]
    return shown, profile, diags


def iter_profiles(
    pack: ContentPack, paths: Iterable[Path]
) -> Iterator[tuple[str, Profile | None, list[Diagnostic]]]:
    """Each profile file (folders expanded in sorted order), loaded against PACK (`load_for`)."""
    for task in profile_tasks(paths):
        yield load_for(pack, task)


def iter_scores(
    pack: ContentPack, paths: Iterable[Path], acceptability: bool = True
) -> Iterator[Scored]:
    """Each profile with its result, on this process (for the terminal table and compare)."""
    pairs = iter_rendered(pack, paths, lambda _s, p, r: (p, r), acceptability=acceptability)
    for shown, scored, diags in pairs:
        profile, result = scored if scored is not None else (None, None)
        yield Scored(shown, profile, result, diags)


Render = Callable[[str, Profile, "Result"], T]
"""What to make of one scored profile: (shown path, profile, result) -> output."""


Rendered = tuple[str, str | None, list[Diagnostic]]
"""A rendered profile as `iter_rendered` yields it to a writer: its shown path, its text (None
if invalid), its errors."""


def iter_rendered(
    pack: ContentPack,
    paths: Iterable[Path],
    render: Render[T],
    jobs: int = 1,
    acceptability: bool = True,
) -> Iterator[tuple[str, T | None, list[Diagnostic]]]:
    """(shown path, render's output or None, diagnostics) for each profile file, in order.

    `jobs`: processes to use; 0 picks one per available CPU (at most 8) for batches of
    `AUTO_JOBS_FROM` files or more. Several processes are used only where `fork` is the way
    to start them (Linux); elsewhere the batch runs on this one. An exception raised by
    `render` in a worker is raised here, as it would be on one process; a worker that dies
    raises `concurrent.futures.process.BrokenProcessPool`.
    """
    # How many files there are decides the jobs, but only up to AUTO_JOBS_FROM: the rest of
    # the listing is not held as a list (memory stays flat however big the batch).
    tasks = profile_tasks(paths)
    head = list(islice(tasks, AUTO_JOBS_FROM))
    known = len(head) if len(head) < AUTO_JOBS_FROM else sys.maxsize
    jobs = resolve_jobs(jobs, known)
    if jobs <= 1:
        return (_render_one(pack, render, acceptability, task) for task in chain(head, tasks))
    import multiprocessing  # stdlib, lazy: only a batch on several processes needs them
    from concurrent.futures import ProcessPoolExecutor

    # The profile's validator (deferred, `defer_build`) is built once, here, and inherited,
    # rather than built again by every worker on its first file (about 25 ms of CPU each).
    Profile.model_rebuild()
    pool = ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(pack, render, acceptability, os.getpid()),
    )
    return _drain(pool, jobs, chain(head, tasks))


def resolve_jobs(jobs: int, files: int) -> int:
    if jobs < 0:
        raise ValueError("jobs must be 0 (auto) or more")
    if not sys.platform.startswith("linux"):
        return 1
    if jobs == 0:
        if files < AUTO_JOBS_FROM:
            return 1
        cpus = len(os.sched_getaffinity(0))
        jobs = min(cpus, MAX_AUTO_JOBS)
    return max(1, min(jobs, -(-files // CHUNK)))  # no more workers than chunks


def _render_one(
    pack: ContentPack, render: Render[T], acceptability: bool, task: ProfileTask
) -> tuple[str, T | None, list[Diagnostic]]:
    shown, profile, diags = load_for(pack, task)
    if profile is None:
        return shown, None, diags
    return shown, render(shown, profile, score_profile(pack, profile, acceptability)), diags


_WORKER: list[Any] = []


def _start_worker(pack: ContentPack, render: Render[Any], acceptability: bool, parent: int) -> None:
    # Forked: pack and render are this process's own objects, not pickled copies. Ctrl-C is
    # the parent's to handle (it stops the workers); a worker must not print a traceback.
    # SIGTERM and SIGHUP get their default action back (the parent's handler would raise in
    # the worker): the parent stops the workers when it is told to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    # forked while the parent held these back (`_signals_held`): a worker must not keep them
    # blocked, or nothing but SIGKILL could ever end it
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGHUP})
    _end_with(parent)
    _WORKER[:] = [pack, render, acceptability]


def _end_with(parent: int) -> None:
    """A parent killed outright (SIGKILL, the out-of-memory killer) cannot stop its workers,
    which would wait for work for ever: Linux ends them with it (PR_SET_PDEATHSIG). Workers
    are only started on Linux (`resolve_jobs`)."""
    import ctypes  # stdlib, lazy: only a forked worker calls prctl

    pr_set_pdeathsig = 1
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGTERM))
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _work_chunk(chunk: list[ProfileTask]) -> list[tuple[str, Any, list[Diagnostic]]]:
    return [_render_one(_WORKER[0], _WORKER[1], _WORKER[2], task) for task in chunk]


@contextmanager
def _inherited_frozen() -> Iterator[None]:
    """Workers forked meanwhile leave what they inherit out of their garbage collector
    (`gc.freeze`, as Python's documentation advises before a fork): a full collection in a
    worker would otherwise walk every object of this process (typer, Pydantic, the pack), about
    40 ms each time, and copy the memory pages it touches. This process collects as before."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGTERM and SIGHUP wait (blocked) while workers are forked: Python drops an exception
    raised by their handler inside its fork hooks, with a traceback on stderr. A signal that
    came meanwhile is handled once they are unblocked, as the workers are there to stop."""
    held = {signal.SIGTERM, signal.SIGHUP}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _drain(
    pool: Any, jobs: int, tasks: Iterator[ProfileTask]
) -> Iterator[tuple[str, Any, list[Diagnostic]]]:
    """Results in the order of the tasks, with a few chunks in flight per worker at a time (so
    memory does not grow with the batch). A worker that dies (killed, out of memory) raises
    BrokenProcessPool here rather than leaving the batch waiting for it. Every call into the
    pool runs with signals noted, not raised (`_SignalsNoted`)."""
    in_flight: deque[Any] = deque()
    try:
        if chunk := list(islice(tasks, CHUNK)):
            with _SignalsNoted(), _signals_held(), _inherited_frozen():
                in_flight.append(pool.submit(_work_chunk, chunk))  # forks the workers
        while chunk := list(islice(tasks, CHUNK)):
            with _SignalsNoted():
                in_flight.append(pool.submit(_work_chunk, chunk))
            if len(in_flight) > IN_FLIGHT_PER_WORKER * jobs:
                check_stopped()
                yield from _result(in_flight.popleft())
        while in_flight:
            check_stopped()
            yield from _result(in_flight.popleft())
    finally:  # also on an error or an interrupt: cancel what has not started
        with _SignalsNoted():
            pool.shutdown(wait=True, cancel_futures=True)


def _result(future: Any) -> Any:
    """A chunk's results, waited for in short steps so that a signal noted meanwhile is acted
    on within `POLL_SECONDS`."""
    from concurrent.futures import wait  # stdlib, lazy like the pool itself

    with _SignalsNoted() as noted:
        while not (noted or future.done()):
            wait((future,), timeout=POLL_SECONDS)
        return [] if noted else future.result()  # a noted signal is raised on the way out


_STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class _SignalsNoted:
    """Inside the process pool's own code a signal is only noted, then acted on once the call
    has returned, as its handler would have acted. A handler's exception (Ctrl-C's
    KeyboardInterrupt, SIGTERM's Terminated) raised in the middle of the pool's code can leave
    one of its locks held, since `with lock:` is not safe against an exception that can come
    between any two steps; the batch then waits for ever at shutdown. Seen in CI: a `--jobs 2`
    batch sent SIGTERM never ended."""

    def __init__(self) -> None:
        self.noted: list[int] = []
        self._old: dict[int, Any] = {}

    def __enter__(self) -> list[int]:
        if threading.current_thread() is threading.main_thread():  # only it may set handlers
            for signum in _STOP_SIGNALS:
                self._old[signum] = signal.signal(signum, self._note)
        return self.noted

    def _note(self, signum: int, _frame: object) -> None:
        self.noted.append(signum)

    def __exit__(self, *_exc: object) -> None:
        for signum, handler in self._old.items():
            signal.signal(signum, handler)
        if not self.noted:
            return
        signum = self.noted[0]
        handler = self._old.get(signum)
        if handler == signal.SIG_DFL:  # the default action (most often: end the process)
            signal.raise_signal(signum)
        elif callable(handler):  # Python's or ncm's own handler: it raises, as a rule
            handler(signum, None)
