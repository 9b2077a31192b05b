"""`ncm compare` on valid profiles whose union breaks the limits of one profile (issue 12,
item 14): more than 1,000 partners or risks together, names or risks that are only whitespace.
Each is valid input, so each compares (exit 0) in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import write


def profile(path: Path, name: str, partners: list[str], risks: list[str]) -> Path:
    lines = ["schema_version: 1", f"name: {json.dumps(name)}", "objectives:"]
    lines += ["  integrating_primary_care: 4", "  leveraging_technology: 2"]
    lines += ["partners:" if partners else "partners: []"]
    lines += [f"  - {{name: {json.dumps(p)}, kind: gp_practice}}" for p in partners]
    lines += ["risks:" if risks else "risks: []"]
    lines += [f"  - {json.dumps(r)}" for r in risks]
    return write(path, "\n".join(lines) + "\n")


def compare_all_formats(ncm, a: Path, b: Path, *extra: str) -> dict:
    for fmt in ("table", "md", "html"):
        result = ncm("compare", str(a), str(b), *extra, "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "internal error" not in result.stderr
    result = ncm("compare", str(a), str(b), *extra, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_more_than_1000_partners_and_risks_together(ncm, tmp_path: Path) -> None:
    a = profile(
        tmp_path / "a.yaml", "P", [f"a{i}" for i in range(1000)], [f"r{i}" for i in range(1000)]
    )
    b = profile(
        tmp_path / "b.yaml", "P", [f"b{i}" for i in range(1000)], [f"s{i}" for i in range(1000)]
    )
    data = compare_all_formats(ncm, a, b, "--over-time")
    assert data["combined"]["ranking"]
    risks = {c["label"] for c in data["over_time"]["changes"] if c["kind"] == "risk_added"}
    assert len(risks) == 1000


@pytest.mark.parametrize("names", [(" ", "  "), ("\t", " ")])
def test_names_that_are_only_whitespace(ncm, tmp_path: Path, names: tuple[str, str]) -> None:
    a = profile(tmp_path / "a.yaml", names[0], [], [])
    b = profile(tmp_path / "b.yaml", names[1], [], [])
    data = compare_all_formats(ncm, a, b)
    assert data["over_time"] is None  # the same (blank) name is not the same respondent
    assert compare_all_formats(ncm, a, b, "--over-time")["over_time"] is not None


def test_a_risk_that_is_only_whitespace(ncm, tmp_path: Path) -> None:
    a = profile(tmp_path / "a.yaml", "Q", [], [" "])
    b = profile(tmp_path / "b.yaml", "Q", [], ["x", "   "])
    data = compare_all_formats(ncm, a, b)
    assert data["combined"]["ranking"]
