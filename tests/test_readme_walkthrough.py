"""What a new user met following the README top to bottom, each held by the real CLI: the
starter's sections uncomment into valid YAML, counts read as English, the readiness interview
prints its area headings, and the README's examples (compare over time, `unchanged` reports,
copying the bundled pack) do what the README says."""

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import posix_only

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

NORTH = """\
schema_version: 2
name: North Locality
partners:
  - {name: North GP Federation, kind: gp_federation}
  - {name: North Council, kind: local_authority}
objectives:
  integrating_primary_care: 5
  integrating_health_and_social_care: 3
  strengthening_out_of_hospital_care: 4
sustainability: {configuration_must_change: false, can_do_alone: false}
governance: {formality: contractual}
"""


def _toggle_comments(text: str, sections: set[str]) -> str:
    """Uncomment whole sections as an editor's toggle-comment does: "# " off every line of the
    block, the explanatory lines inside it included."""
    out, inside = [], False
    for line in text.splitlines():
        if line.startswith("# ") and line[2:].split(":")[0] in sections:
            inside = True
        elif not line.startswith("#   "):
            inside = False
        out.append(line[2:] if inside else line)
    return "\n".join(out) + "\n"


def test_starter_sections_uncommented_whole_are_valid(ncm, tmp_path: Path) -> None:
    r = ncm("init", "-")
    assert r.exit_code == 0, r.stderr
    sections = {"partners", "sustainability", "risks", "commissioning", "governance"}
    sections |= {"structure", "respondent"}
    full = tmp_path / "north.yaml"
    full.write_text(_toggle_comments(r.stdout, sections), encoding="utf-8")
    r = ncm("validate", str(full))
    assert r.exit_code == 0, r.stderr + full.read_text(encoding="utf-8")
    assert "\nsustainability:\n  # Does the configuration" in full.read_text(encoding="utf-8")


def test_validate_counts_read_as_english(ncm, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [\n", encoding="utf-8")
    r = ncm("validate", str(bad))
    assert r.exit_code == 1
    assert r.stderr.rstrip().endswith("1 error in 1 file checked")
    r = ncm("validate", str(bad), "--format", "github")
    assert r.stdout.rstrip().endswith("1 error in 1 file checked")


def test_readiness_ask_prints_area_headings_not_escapes(ncm, tmp_path: Path) -> None:
    record = tmp_path / "dof.yaml"
    r = ncm(
        "readiness",
        "init",
        "-o",
        str(record),
        "--partnership",
        "North Locality",
        "--role",
        "Director of Finance",
        "--organisation",
        "North Council",
    )
    assert r.exit_code == 0, r.stderr
    r = ncm("readiness", "ask", str(record), input="settled\n\n")
    assert "\\n" not in r.stderr
    assert "\n== Area 1 of 12: Organisational Form ==\n" in r.stderr


def test_answer_change_uses_the_right_article(ncm, tmp_path: Path) -> None:
    profile = tmp_path / "north.yaml"
    profile.write_text(NORTH, encoding="utf-8")
    r = ncm("score", str(profile), "--format", "json")
    assert r.exit_code == 0, r.stderr
    sentence = json.loads(r.stdout)["results"][0]["robustness"]["sentence"]
    assert "adding an ambulance trust partner" in sentence
    assert " a ambulance" not in sentence


def test_readme_compare_over_time_example_reads_over_time(ncm, tmp_path, monkeypatch) -> None:
    line = next(x for x in README.splitlines() if x.startswith("ncm compare spring.yaml"))
    argv = shlex.split(line.split("#")[0])
    monkeypatch.chdir(tmp_path)
    Path("spring.yaml").write_text(NORTH, encoding="utf-8")
    later = NORTH.replace("strengthening_out_of_hospital_care: 4", "leveraging_technology: 2")
    Path("autumn.yaml").write_text(later, encoding="utf-8")
    r = ncm(*argv[1:])
    assert r.exit_code == 0, r.stderr
    assert "## Over time: spring → autumn" in Path("progress.md").read_text(encoding="utf-8")


def test_unchanged_reports_need_force_as_the_readme_says(ncm, tmp_path, monkeypatch) -> None:
    assert "With `--force`, a report already on disk with exactly the bytes" in README
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.chdir(tmp_path)
    Path("profiles").mkdir()
    Path("profiles/north.yaml").write_text(NORTH, encoding="utf-8")
    assert ncm("report", "profiles/", "--format", "md", "--output", "reports/").exit_code == 0
    again = ncm("report", "profiles/", "--format", "md", "--output", "reports/")
    assert again.exit_code == 2 and "--force" in again.stderr
    forced = ncm("report", "profiles/", "--format", "md", "--output", "reports/", "--force")
    assert forced.exit_code == 0 and "unchanged reports/north.md" in forced.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="the README's line is POSIX shell")
def test_readme_copy_of_the_bundled_pack_validates(ncm, tmp_path: Path) -> None:
    command = re.search(r'`(cp -r "\$\(python -c .*? my-pack)`', README)
    assert command, "the README no longer shows how to copy the bundled pack"
    shell = command.group(1).replace("python -c", shlex.quote(sys.executable) + " -c", 1)
    subprocess.run(shell, shell=True, cwd=tmp_path, check=True)
    r = ncm("validate", str(tmp_path / "my-pack"))
    assert r.exit_code == 0, r.stderr
    assert "content pack: " in r.stdout


def test_interview_reasons_keep_acronyms(tmp_path: Path) -> None:
    """The interview's "Why the top three" (scoring.explain) lowers a title's first letter
    only: "partnership of GP practices only", never "gp practices"."""
    import ncm_toolkit as ncm
    from ncm_toolkit.scoring import explain

    profile = tmp_path / "gp.yaml"
    profile.write_text(
        "name: GPs\npartners: [{name: North GP Federation, kind: gp_federation}]\n"
        "objectives: {integrating_primary_care: 5}\n",
        encoding="utf-8",
    )
    pack = ncm.load_pack()
    loaded, errors = ncm.load_profile(profile)
    assert loaded is not None, errors
    ranking = ncm.score_profile(pack, loaded).ranking
    text = " ".join(explain(pack, r) for r in ranking)
    assert "partnership of GP practices only (+10)" in text
    assert " gp " not in text


@posix_only
@pytest.mark.parametrize("command", ["score", "plan", "compare", "readiness"])
def test_table_to_stdout_with_o_dash_ends_quietly_on_a_closed_pipe(
    command: str, tmp_path: Path
) -> None:
    """README: `-o -` means standard output, and a reader that stops early gives 141, as
    without `-o` (the table written through `-o -` used a plain Rich console: exit 1)."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TERM")}
    env["PYTHONPATH"] = str(ROOT / "src")
    cases = str(ROOT / "tests" / "case_profiles")
    examples = [str(p) for p in sorted((ROOT / "examples" / "profiles").glob("*.yaml"))]
    args = {
        "score": ["score", cases, "--explain"],
        "plan": ["plan", cases],
        "compare": ["compare", *examples],
        "readiness": ["readiness", "show", str(tmp_path / "r.yaml")],
    }[command]
    if command == "readiness":
        init = ["readiness", "init", "-o", str(tmp_path / "r.yaml"), "--partnership", "N"]
        init += ["--role", "Director of Finance", "--organisation", "North Council"]
        subprocess.run([sys.executable, "-m", "ncm_toolkit", *init], env=env, check=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ncm_toolkit", *args, "-o", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before ncm writes a byte: the write meets a closed pipe
    err = proc.stderr.read()
    assert proc.wait() == 141, err
    assert b"Traceback" not in err and b"internal error" not in err


def test_readiness_compare_counts_one_question(ncm, tmp_path: Path) -> None:
    records = []
    for role in ("Director of Finance", "Chief Executive"):
        path = tmp_path / f"{role.split()[0].lower()}.yaml"
        r = ncm(
            "readiness", "init", "-o", str(path), "--partnership", "North",
            "--role", role, "--organisation", "North Council", "--as-of", "2026-01-10",
        )  # fmt: skip
        assert r.exit_code == 0, r.stderr
        records.append(path)
    text = records[0].read_text(encoding="utf-8")
    records[0].write_text(text.replace("status: not_considered", "status: settled", 1))
    r = ncm("compare", *map(str, records))
    assert r.exit_code == 0, r.stderr
    assert "Where stakeholders disagree (1 question):" in r.stdout


def test_chart_labels_stop_before_the_bars(ncm, tmp_path: Path) -> None:
    """The board paper's acceptability chart cuts titles at 30 characters: Jinja's truncate
    let up to 35 through (its leeway), so "Multi-specialty Community Provider" ran under its bar."""
    profile = tmp_path / "north.yaml"
    profile.write_text(NORTH, encoding="utf-8")
    out = tmp_path / "north.html"
    assert ncm("report", str(profile), "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    labels = re.findall(r'<text x="0" [^>]*>([^<]*)</text>', html)
    assert "Multi-specialty Community…" in labels  # cut between words (session 12)
    assert all(len(label) <= 30 for label in labels), labels


def test_content_hook_checks_the_repository_pack(ncm, tmp_path: Path, monkeypatch) -> None:
    """pre-commit runs `entry` + `args` with no file names: without `args` the content hook
    ran a bare `ncm validate`, which checks the bundled pack and passed on a broken data/."""
    from ruamel.yaml import YAML

    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "ncm-validate-content")
    assert hook["pass_filenames"] is False and hook["args"] == ["data"]
    monkeypatch.chdir(tmp_path)
    Path("data").mkdir()
    Path("data/pack.yaml").write_text("name: [\n", encoding="utf-8")
    r = ncm(*hook["entry"].split()[1:], *hook["args"])
    assert r.exit_code == 1 and "data/pack.yaml" in r.stderr


def test_a_version_2_section_in_a_version_1_file_names_ncm_migrate(ncm, tmp_path: Path) -> None:
    """The README: a version 2 section in a version 1 file is an error that names `ncm
    migrate`. Uncommenting the profile example's `decision:` said only "set schema_version: 2
    in this file"."""
    for section in (
        "decision: {option: aco_ico}\n",
        "structure: {lead: general_practice}\n",
    ):
        f = tmp_path / "v1.yaml"
        f.write_text(
            "schema_version: 1\nname: X\nobjectives: {integrating_primary_care: 5}\n" + section,
            encoding="utf-8",
        )
        r = ncm("validate", str(f))
        assert r.exit_code == 1
        assert "ncm migrate" in r.stderr, r.stderr


def test_a_missing_profile_is_said_in_the_same_plain_words_everywhere(ncm, tmp_path: Path) -> None:
    """`ncm validate none.yaml` said "no such file or folder", `ncm score none.yaml` and `ncm
    plan none.yaml` Python's "No such file or directory": the README promises plain words."""
    missing = str(tmp_path / "none.yaml")
    for command in ("score", "plan", "validate"):
        r = ncm(command, missing)
        assert r.exit_code == 1
        assert "none.yaml:1:1:" in r.stderr and "no such file or folder" in r.stderr, r.stderr
        assert "directory" not in r.stderr
