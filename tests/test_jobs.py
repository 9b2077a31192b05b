"""`--jobs`: worker processes must not change what a batch produces, nor how it fails."""

from __future__ import annotations

import os
import signal
import sys
from concurrent.futures.process import BrokenProcessPool

import pytest

from ncm_toolkit import batch
from ncm_toolkit.cli import main as cli
from ncm_toolkit.content import load_pack

pytestmark = pytest.mark.skipif(
    batch.resolve_jobs(2, 1000) < 2, reason="worker processes are used on Linux only"
)

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="--jobs forks worker processes on Linux only"
)


@pytest.fixture(scope="module")
def pack():
    return load_pack()


@pytest.fixture
def deadline():
    """Fail, rather than hang, if a batch waits for a worker that will never answer."""

    def expired(*_):
        raise TimeoutError("the batch hung")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_workers_leave_ctrl_c_to_the_parent(pack, big_batch):
    """A worker ignores SIGINT: on Ctrl-C the parent stops the batch and prints one line; the
    workers print no traceback of their own."""
    seen = {
        handler
        for _, handler, _ in batch.iter_rendered(
            pack, [big_batch / "in"], lambda s, p, r: signal.getsignal(signal.SIGINT), jobs=2
        )
        if handler is not None
    }
    assert seen == {signal.SIG_IGN}


def test_an_interrupt_stops_the_batch(pack, big_batch, deadline, capfd):
    parent = os.getpid()

    def interrupt_at_one(shown, profile, result):
        if shown.endswith("b/whitstable_medical_practice.yaml"):
            os.kill(parent, signal.SIGINT)
        return shown

    with pytest.raises(KeyboardInterrupt):
        for _ in batch.iter_rendered(pack, [big_batch / "in"], interrupt_at_one, jobs=2):
            pass
    assert "Traceback" not in capfd.readouterr().err


def test_a_dead_worker_fails_the_batch_instead_of_hanging(pack, big_batch, deadline):
    def die_at_one(shown, profile, result):
        if shown.endswith("c/whitstable_medical_practice.yaml"):
            os._exit(9)  # as the kernel's OOM killer would leave it
        return shown

    with pytest.raises(BrokenProcessPool):
        for _ in batch.iter_rendered(pack, [big_batch / "in"], die_at_one, jobs=2):
            pass


def test_a_dead_worker_is_one_clear_line(monkeypatch, capsys, tmp_path):
    """Through the console entry point: a located message, exit 1, no traceback, and no
    --output file (it is only renamed into place on success)."""

    def broken(*args, **kwargs):
        raise BrokenProcessPool("A process in the process pool was terminated abruptly")

    monkeypatch.setattr(batch, "iter_rendered", broken)
    out = tmp_path / "scores.json"
    monkeypatch.setattr(
        sys, "argv", ["ncm", "score", "examples/profiles", "--format", "json", "-o", str(out)]
    )
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("ncm: a worker process stopped unexpectedly") and "Traceback" not in err
    assert not out.exists()
