"""The batch summary (`ncm score DIR`, default output) is made by worker processes like the
JSON and CSV outputs, and must not change with their number."""

from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="--jobs forks worker processes on Linux only"
)


def test_summary_is_the_same_on_one_process_and_on_two(ncm, big_batch):
    one = ncm("score", str(big_batch / "in"), "--jobs", "1")
    two = ncm("score", str(big_batch / "in"), "--jobs", "2")
    assert one.exit_code == two.exit_code == 1  # three broken files among them
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr
    assert "Best option per partnership" in one.stdout
    for broken in ("broken.yaml", "typo.yaml", "zero.yaml"):
        assert broken in one.stderr
