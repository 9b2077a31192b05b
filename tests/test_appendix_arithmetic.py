"""The board paper's "How the scores were made" appendix shows arithmetic a reader can check:
each objective's points are importance × value (the value its strength gives), not importance ×
strength, which multiplied to a different number (4 × 3 shown beside +15.03)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import EXAMPLES

ROW = re.compile(
    r"importance (\d) (?:×|&times;) value ([\d.]+), from strength (\d)\D+?([+-]\d+\.\d\d)"
)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_part_is_importance_times_value(ncm, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"paper.{fmt}"
    result = ncm(
        "report", str(EXAMPLES / "south_borough_integration.yaml"), "--format", fmt, "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    rows = ROW.findall(out.read_text(encoding="utf-8"))
    assert len(rows) >= 3
    for importance, value, strength, points in rows:
        assert abs(int(importance) * float(value) - float(points)) < 0.03, (importance, value)
        assert int(strength) in (1, 2, 3)
