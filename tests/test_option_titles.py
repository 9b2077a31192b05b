"""Two options with one title: every sentence naming both would read "X leads X", so the pack
is refused with a located error at the second title (`ncm validate`, exit 1)."""

from __future__ import annotations

from pathlib import Path


def test_two_options_with_one_title_are_refused(ncm, pack_copy: Path) -> None:
    chain = pack_copy / "models" / "hospital_chain.yaml"
    text = chain.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[at] = "title: '  multi-site  TRUST'\n"
    chain.write_text("".join(lines), encoding="utf-8")
    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1
    assert f"hospital_chain.yaml:{at + 1}:" in result.stderr
    assert "multi_site_trust" in result.stderr and "title" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_bundled_titles_are_distinct(ncm) -> None:
    result = ncm("validate")
    assert result.exit_code == 0, result.stderr
