"""`ncm report`: golden files, reproducibility, file safety, the CI summary."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .conftest import EXAMPLES, MINIMAL, write

GOLDEN = Path(__file__).parent / "golden"
PROFILE = EXAMPLES / "south_borough_integration.yaml"
EPOCH = "1700000000"  # 2023-11-14


@pytest.fixture(autouse=True)
def _pinned_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_and_byte_identical(ncm, tmp_path, fmt, monkeypatch):
    monkeypatch.chdir(PROFILE.parents[2])  # the report names the profile as given: relative
    rel = str(PROFILE.relative_to(PROFILE.parents[2]))
    a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    assert ncm("report", rel, "--format", fmt, "--output", str(a)).exit_code == 0
    assert ncm("report", rel, "--format", fmt, "--output", str(b)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    golden = GOLDEN / f"south_borough.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(a.read_bytes())
    assert a.read_text() == golden.read_text(), (
        f"report differs from {golden}; if intended, rerun with UPDATE_GOLDEN=1"
    )
    assert "2023-11-14" in a.read_text()


def test_markdown_holds_every_section(ncm, tmp_path):
    out = tmp_path / "r.md"
    ncm("report", str(PROFILE), "--format", "md", "--output", str(out))
    text = out.read_text()
    for heading in (
        "## The ten options",
        "## Risks beside the barriers they correspond to",
        "## Organisational form",
        "## Workforce implications",
        "## Appendix A. The options' guidance",
        "#### Business case: finances",
        "#### Case studies",
        "### Legal models",
        "## Appendix B. Questions to answer next",
        "## Appendix C. How the scores were made",
        "## Sources",
    ):
        assert heading in text, heading
    assert text.count("- [ ] ") >= 5  # the questions to answer next, not all 119
    assert "**How sure**" in text
    assert "The acute trust is in deficit" in text


def test_folder_of_profiles_gives_one_report_each(ncm, tmp_path):
    out = tmp_path / "reports"
    result = ncm("report", str(EXAMPLES), "--format", "md", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.stem.replace("_", "_") + ".md" for p in EXAMPLES.glob("*.yaml"))


def test_existing_report_needs_force_and_nothing_half_written(ncm, tmp_path):
    out = tmp_path / "r.md"
    out.write_text("keep me")
    result = ncm("report", str(PROFILE), "--format", "md", "--output", str(out))
    assert result.exit_code == 2 and "--force" in result.stderr
    assert out.read_text() == "keep me"
    assert (
        ncm("report", str(PROFILE), "--format", "md", "--output", str(out), "--force").exit_code
        == 0
    )
    assert out.read_text().startswith("# New care models assessment")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"]


def test_symlink_target_refused(ncm, tmp_path):
    real = tmp_path / "real.md"
    real.write_text("x")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    result = ncm("report", str(PROFILE), "--format", "md", "--output", str(link), "--force")
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert real.read_text() == "x"


def test_hostile_names_cannot_escape_the_output_folder(ncm, tmp_path):
    src = tmp_path / "in"
    dots = write(src / "..%2f..%2fetc.yaml", MINIMAL)  # hidden: walked past unless named
    write(src / "CON.yaml", MINIMAL)
    out = tmp_path / "out"
    result = ncm("report", str(src), str(dots), "--format", "md", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    made = sorted(p.name for p in out.iterdir())
    assert len(made) == 2
    assert all("/" not in n and not n.startswith(".") for n in made)
    assert "con.md" not in made


def test_markdown_user_text_is_inert(ncm, tmp_path):
    profile = write(
        tmp_path / "h.yaml",
        MINIMAL.replace(
            "Minimal partnership", "'[x](javascript:alert(1)) <img src=x onerror=alert(1)>'"
        ),
    )
    out = tmp_path / "h.md"
    assert ncm("report", str(profile), "--format", "md", "--output", str(out)).exit_code == 0
    text = out.read_text()
    assert not re.search(r"(?<!\\)\]\(javascript:", text)  # the ] escaped: no link
    assert not re.search(r"(?<!\\)<img", text)  # only as escaped, literal text


def test_github_step_summary(ncm, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = ncm(
        "report",
        str(PROFILE),
        "--format",
        "html",
        "--output",
        str(tmp_path / "r.html"),
        "--github-summary",
    )
    assert result.exit_code == 0, result.stderr
    assert summary.read_text().startswith("# New care models assessment")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY")
    again = ncm(
        "report",
        str(PROFILE),
        "--format",
        "md",
        "--output",
        str(tmp_path / "x.md"),
        "--github-summary",
    )
    assert again.exit_code == 2


def test_user_templates_are_sandboxed(ncm, tmp_path):
    def with_template(name: str, source: str):
        tpl = write(tmp_path / name / "report.md.j2", source)
        out = tmp_path / f"{name}.md"
        args = ("report", str(PROFILE), "--format", "md", "--output", str(out))
        return ncm(*args, "--templates", str(tpl.parent)), out

    result, out = with_template("escape", "{{ profile.__class__.__mro__ }}\n")
    assert result.exit_code != 0 or "object" not in out.read_text()
    result, out = with_template("plain", "# {{ profile.name }}\n")
    assert result.exit_code == 0
    assert out.read_text() == "# South Borough integrated care partnership\n"


def test_reports_are_the_same_whatever_the_jobs(ncm, big_batch, tmp_path, monkeypatch):
    """Workers render and write the reports; the files, the list of them, the errors and the
    job summary (appended in the order the profiles were given) do not depend on --jobs."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    seen = {}
    for jobs in ("1", "2"):
        summary = tmp_path / f"summary-{jobs}.md"
        summary.write_text("", encoding="utf-8")
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
        out = tmp_path / f"out-{jobs}"
        run = ncm(
            "report",
            str(big_batch / "in"),
            "--format",
            "html",
            "-o",
            str(out),
            "--jobs",
            jobs,
            "--github-summary",
        )
        files = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
        listed = run.stdout.replace(str(out), "OUT")
        said = run.stderr.replace(str(out), "OUT")  # the errors, then a "wrote" line per paper
        seen[jobs] = (run.exit_code, listed, said, files, summary.read_text("utf-8"))
    assert seen["1"][0] == 1 and len(seen["1"][3]) > 100
    assert seen["1"] == seen["2"]


def test_unchanged_reports_are_left_alone(ncm, tmp_path, monkeypatch):
    """--force over reports that would come out byte-identical keeps the files (and their
    modification times) and says so; a report whose bytes change is replaced."""
    out = tmp_path / "out"
    first = ncm("report", str(EXAMPLES), "--format", "html", "-o", str(out))
    assert first.exit_code == 0 and first.stderr.count("wrote ") == 3
    files = sorted(out.iterdir())
    for f in files:
        os.utime(f, ns=(1_000_000_000, 1_000_000_000))
    again = ncm("report", str(EXAMPLES), "--format", "html", "-o", str(out), "--force")
    assert again.exit_code == 0
    assert again.stderr.count("unchanged ") == 3 and "wrote" not in again.stderr
    assert all(f.stat().st_mtime_ns == 1_000_000_000 for f in files)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 86_400))  # the next day
    later = ncm("report", str(EXAMPLES), "--format", "html", "-o", str(out), "--force")
    assert later.stderr.count("wrote ") == 3
    assert all(f.stat().st_mtime_ns != 1_000_000_000 for f in files)
    assert "2023-11-15" in files[0].read_text(encoding="utf-8")


def test_github_step_summary_names_the_files_not_reported_once_each(ncm, tmp_path, monkeypatch):
    """The summary said "3 profile(s) could not be reported (see the log)" for one file with
    three errors, and named none: now it counts files and names them."""
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    folder = tmp_path / "in"
    write(folder / "good.yaml", PROFILE.read_text(encoding="utf-8"))
    write(folder / "three.yaml", "schema_version: 1\nname: ''\nobjectives: {x: 9, y: 9}\n")
    write(folder / "broken.yaml", "name: [unclosed\n")
    result = ncm(
        "report", str(folder), "--format", "md", "-o", str(tmp_path / "out"), "--github-summary"
    )
    assert result.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert "1 report written; 2 files could not be reported." in text
    named = next(line for line in text.splitlines() if line.startswith("Not reported"))
    assert "broken.yaml" in named and "three.yaml" in named and "good.yaml" not in named
    assert named.count("three.yaml") == 1
