"""The starter profile (`ncm init`) says how to fill a list in a file: it copied the
interview's "One per entry; leave empty to finish.", which means nothing in an editor."""

from __future__ import annotations

from pathlib import Path


def test_the_starters_list_question_speaks_of_the_file(ncm, tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    result = ncm("init", str(target))
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    risks = [line for line in text.splitlines() if "known risks" in line]
    assert risks, text
    assert "leave empty" not in risks[0] and "per entry" in risks[0], risks
    assert "# risks:" in text
