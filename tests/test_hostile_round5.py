"""Hostile input, round 5: faults found by running the real `ncm` on odd files, odd paths and
odd command lines after the earlier rounds (test_hostile*.py, test_untrusted_*.py). Each test
runs the real CLI on real files and fails without its fix."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import MINIMAL, posix_only, write

NCM = [sys.executable, "-m", "ncm_toolkit"]


def test_compare_refuses_standard_input_given_twice(tmp_path: Path) -> None:
    """`ncm compare - -` read standard input once and counted it as two stakeholders who
    agree on everything (exit 0); `a.yaml - < a.yaml` did the same with one file. Both are
    the same file given twice, refused as `a.yaml ./a.yaml` is (exit 2)."""
    a = write(tmp_path / "a.yaml", MINIMAL)
    b = write(tmp_path / "b.yaml", MINIMAL.replace("4", "2"))
    for args, stdin in (
        (["-", "-"], a),
        ([str(a), "-"], a),
    ):
        with open(stdin, "rb") as fh:
            r = subprocess.run([*NCM, "compare", *args], stdin=fh, capture_output=True, text=True)
        assert r.returncode == 2, (args, r.stderr)
        assert "the same file" in r.stderr and "<stdin>" in r.stderr
        assert "Traceback" not in r.stderr
    with open(b, "rb") as fh:  # another file on standard input still compares
        r = subprocess.run([*NCM, "compare", str(a), "-"], stdin=fh, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


@posix_only
def test_a_file_rewritten_in_place_keeps_its_mode(ncm, tmp_path: Path) -> None:
    """`ncm migrate` on a profile kept private (0600) left it 0644, readable by every user
    on the machine; a file replaced with --force likewise took the umask's mode. A replaced
    file now keeps its own mode; a new file still gets the umask's."""
    profile = write(tmp_path / "north.yaml", MINIMAL)
    profile.chmod(0o600)
    r = ncm("migrate", str(profile))
    assert r.exit_code == 0, r.stderr
    assert "schema_version: 2" in profile.read_text()
    assert stat.S_IMODE(profile.stat().st_mode) == 0o600
    out = tmp_path / "s.json"
    old = os.umask(0o022)
    try:
        assert ncm("score", str(profile), "-o", str(out)).exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644  # new: from the umask
        out.chmod(0o640)
        assert ncm("score", str(profile), "-o", str(out), "--force").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def _record(ncm, tmp_path: Path, profile_line: str) -> Path:
    write(tmp_path / "north.yaml", MINIMAL)
    record = tmp_path / "rec.yaml"
    r = ncm(
        "readiness", "init", str(tmp_path / "north.yaml"), "-o", str(record),
        "--role", "Director of Finance", "--organisation", "North Trust",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    text = record.read_text()
    lines = [profile_line if ln.startswith("profile:") else ln for ln in text.splitlines()]
    record.write_text("\n".join(lines) + "\n")
    return record


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('profile: "north.yaml\\0"', "profile: a file name cannot hold a NUL character"),
        ('profile: "-"', "profile: the profile's file name, not `-` (standard input)"),
        ('profile: "./-"', "profile: the profile's file name, not `-` (standard input)"),
    ],
)
def test_a_records_profile_is_a_file_name(
    ncm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, message: str
) -> None:
    """A record's `profile:` is opened as written: `"north.yaml\\0"` (a YAML escape) stopped
    `readiness show` and `compare` with an internal error (ValueError: embedded null byte),
    and `-` read standard input, waiting at a terminal for a profile to be typed. Both are
    now a located error in the record, also from `ncm validate`."""
    record = _record(ncm, tmp_path, line)
    monkeypatch.chdir(tmp_path)  # `-` beside the record: joined to its folder, `.`, it stayed `-`
    for args in (
        ("readiness", "show", "rec.yaml"),
        ("validate", "rec.yaml"),
        ("compare", "rec.yaml", str(_record_copy(record))),
    ):
        r = ncm(*args, input="schema_version: 1\nname: typed\n")
        assert r.exit_code == 1, (args, r.stderr)
        assert f"rec.yaml:14:10: {message}" in r.stderr
        assert "internal error" not in r.stderr


def _record_copy(record: Path) -> Path:
    other = record.with_name("other.yaml")
    other.write_text(record.read_text().replace("North Trust", "South Trust"))
    return other


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "{p}", "-o", "{d}/plan.docx"),
        ("score", "{p}", "-o", "{d}/scores.xlsx.pdf"),
        ("report", "{p}", "-o", "{d}/paper.pdf"),
        ("compare", "{p}", "{q}", "-o", "{d}/views.docx"),
    ],
)
def test_an_output_suffix_the_command_cannot_write_is_a_usage_error(
    ncm, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """`ncm plan p.yaml -o plan.docx` wrote a text table into plan.docx, and `ncm report -o
    paper.pdf` HTML into paper.pdf: files Word or a PDF reader refuse to open, exit 0. A
    suffix naming a format the command does not write is now a usage error, nothing
    written; a suffix naming none (`.txt`, `.out`) still gets the default."""
    p = write(tmp_path / "p.yaml", MINIMAL)
    q = write(tmp_path / "q.yaml", MINIMAL.replace("4", "2"))
    filled = [a.format(p=p, q=q, d=tmp_path) for a in args]
    r = ncm(*filled)
    assert r.exit_code == 2, r.stderr
    assert "this command writes no ." in r.stderr and "give --format" in r.stderr
    assert sorted(x.name for x in tmp_path.iterdir()) == ["p.yaml", "q.yaml"]
    r = ncm(*filled[:-1], filled[-1] + ".txt")
    assert r.exit_code == 0, r.stderr
    assert ncm("report", str(p), "-o", str(tmp_path / "paper.htm")).exit_code == 0
    assert (tmp_path / "paper.htm").read_text().startswith("<!DOCTYPE html>")


def test_an_appendix_is_never_written_over_another_profiles_paper(ncm, tmp_path: Path) -> None:
    """`north.yaml` and `north.appendix.yaml` reported with `--appendix separate`: the
    appendices of North were written over the paper of the other partnership (exit 0, one
    `wrote` line for both), so that partnership's paper was lost. Now a usage error naming
    both, nothing written; inline appendices still give both papers."""
    src = tmp_path / "in"
    write(src / "north.yaml", MINIMAL.replace("Minimal partnership", "North"))
    write(src / "north.appendix.yaml", MINIMAL.replace("Minimal partnership", "Other"))
    out = tmp_path / "out"
    for fmt in ("md", "docx"):
        r = ncm("report", str(src), "-o", str(out), "--appendix", "separate", "--format", fmt)
        assert r.exit_code == 2, r.stderr
        assert f"would both be written as {out / ('north.appendix.' + fmt)}" in r.stderr
        assert not out.exists() or not list(out.iterdir())
    r = ncm("report", str(src), "-o", str(out), "--format", "md")
    assert r.exit_code == 0, r.stderr
    assert "# " in (out / "north.appendix.md").read_text()
    assert "Other" in (out / "north.appendix.md").read_text()


@pytest.mark.parametrize(
    "args",
    [
        ("score", "{p}", "-o", "{d}/out/"),
        ("plan", "{p}", "-o", "{d}/out/"),
        ("compare", "{p}", "{q}", "-o", "{d}/out/"),
        ("readiness", "init", "{p}", "-o", "{d}/out/", "--role", "R", "--organisation", "O"),
        ("init", "{d}/out/"),
        ("assess", "--answers", "{p}", "-o", "{d}/out/"),
    ],
)
def test_an_output_ending_in_a_slash_is_a_folder_never_a_file(
    ncm, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """`-o out/` (a folder, as `ncm report -o papers/` takes it) wrote a file named `out`:
    pathlib drops the slash. A later `ncm report -o out/` then found a file where its folder
    should be. It is now a usage error naming the value, nothing written."""
    p = write(tmp_path / "p.yaml", MINIMAL)
    q = write(tmp_path / "q.yaml", MINIMAL.replace("4", "2"))
    r = ncm(*[a.format(p=p, q=q, d=tmp_path) for a in args])
    assert r.exit_code == 2, r.stderr
    assert "out/ names a folder (it ends with /)" in r.stderr
    assert not (tmp_path / "out").exists()


def test_quote_it_quotes_what_was_written(ncm, tmp_path: Path) -> None:
    """`name: 012` (a practice code) is read by YAML as the number 12, and the hint said
    `quote it: "12"`: following it lost the leading zero (`0x1F` became "31", `1e5`
    "100000.0", `True` "true"). The hint now quotes the text as written."""
    bad = write(
        tmp_path / "codes.yaml",
        "schema_version: 1\nname: 012\npartners:\n  - name: 0x1F  # code\n    kind: gp_practice\n"
        "risks: [1e5, True]\nobjectives:\n  integrating_primary_care: 4\n",
    )
    r = ncm("validate", str(bad))
    assert r.exit_code == 1
    for where, raw in (("2:7: name", "012"), ("4:11: partners[0].name", "0x1F"),
                       ("6:9: risks[0]", "1e5"), ("6:14: risks[1]", "True")):  # fmt: skip
        assert (
            f'{bad}:{where}: expected text, got a number or boolean (hint: quote it: "{raw}")'
            in r.stderr
        ), r.stderr


def test_separate_appendices_never_replace_an_input_and_are_named(ncm, tmp_path: Path) -> None:
    """`ncm report p.yaml -o paper.md --appendix separate --force` with the readiness record
    `paper.appendix.md` replaced the record with the appendices (an input file, which no
    output may replace, `--force` or not), and the appendices were written without a
    `wrote` line. Now refused (exit 2, the record intact), and each appendix is named."""
    p = write(tmp_path / "p.yaml", MINIMAL)
    record = tmp_path / "paper.appendix.md"  # renamed so: `readiness init` writes no .md
    made = tmp_path / "record.yaml"
    r = ncm("readiness", "init", str(p), "-o", str(made), "--role", "R", "--organisation", "O")
    assert r.exit_code == 0, r.stderr
    made.rename(record)
    before = record.read_text()
    paper = tmp_path / "paper.md"
    r = ncm("report", str(p), "-o", str(paper), "--appendix", "separate", "--force",
            "--readiness", str(record))  # fmt: skip
    assert r.exit_code == 2, r.stderr
    assert f"{record}: is an input file; refusing to write over it" in r.stderr
    assert record.read_text() == before and not paper.exists()
    out = tmp_path / "out.md"
    r = ncm("report", str(p), "-o", str(out), "--appendix", "separate")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == f"wrote {out}\nwrote {tmp_path / 'out.appendix.md'}\n"


def test_a_report_is_never_written_into_a_yaml_file(ncm, tmp_path: Path) -> None:
    """`ncm report p.yaml -o north.yaml` wrote an HTML paper into north.yaml, which the next
    `ncm validate .` called a broken profile; `ncm score -o s.yml` likewise a table."""
    p = write(tmp_path / "p.yaml", MINIMAL)
    for args in (("report", str(p), "-o", str(tmp_path / "north.yaml")),
                 ("score", str(p), "-o", str(tmp_path / "s.yml"))):  # fmt: skip
        r = ncm(*args)
        assert r.exit_code == 2, r.stderr
        assert "this command writes no .y" in r.stderr
    assert [x.name for x in tmp_path.iterdir()] == ["p.yaml"]


def test_the_job_summary_is_never_appended_to_a_paper(
    ncm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`GITHUB_STEP_SUMMARY` naming a paper the same run writes (`-o summary.md`): the paper
    was written, then the job summary appended to its end (exit 0). Now a usage error before
    anything is written."""
    p = write(tmp_path / "p.yaml", MINIMAL)
    paper = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(paper))
    r = ncm("report", str(p), "-o", str(paper), "--github-summary")
    assert r.exit_code == 2, r.stderr
    assert f"GITHUB_STEP_SUMMARY is {paper}, a file this command writes" in r.stderr
    assert not paper.exists()
