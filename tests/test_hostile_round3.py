"""Hostile input, round 3: faults found by running the real `ncm` on bad, odd and malicious
files and environments after the earlier rounds (test_hostile*.py, test_untrusted_*.py). Each
test runs the real CLI on real files and fails without its fix."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncm_toolkit.cli.main import app

from .conftest import MINIMAL, posix_only, write

# What a terminal or a log viewer acts on, or what hides or reorders text (test_untrusted_output).
RAW = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069"
    "\u2028\u2029\ufeff\ud800-\udfff]"
)


def run(*args: object, columns: int = 80, env: dict[str, str | None] | None = None):
    """`ncm ARGS` in-process, stdout and stderr apart, as in CI: no terminal, no colour, the
    width a CI runner's log gets (80 unless `columns`)."""
    base: dict[str, str | None] = {
        "FORCE_COLOR": None,
        "TERM": None,
        "NO_COLOR": "1",
        "COLUMNS": str(columns),
    }
    result = CliRunner().invoke(app, [str(a) for a in args], env={**base, **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def workflow_commands(text: str) -> list[str]:
    """Lines a GitHub Actions runner would obey: `::cmd::` at the start of a line (after
    spaces), or the older `##[cmd]` anywhere in a line."""
    return [ln for ln in text.splitlines() if ln.lstrip().startswith("::") or "##[" in ln]


def _workflow_profile(path: Path, pad: int) -> Path:
    """A profile whose texts hold workflow commands after `pad` letters and a space, so that
    a table cell that wraps or folds can put `::error::` at the start of a line."""
    a = "a" * pad
    return write(
        path,
        f'schema_version: 2\nname: "{a} ::error::N ##[error]N"\n'
        f'description: "{a} ::error::D"\n'
        "objectives:\n  integrating_primary_care: 4\n"
        f'risks:\n  - "{a} ::error::R ##[add-mask]R"\n'
        f'partners:\n  - name: "{a} ::error::P"\n    kind: other\n'
        f'decision:\n  option: mcp\n  agreed_by: "{a} ::warning::B"\n',
    )


@pytest.mark.parametrize("columns", [80, 2, 37])
def test_a_wrapped_cell_cannot_start_a_workflow_command(tmp_path: Path, columns: int) -> None:
    """Rich wraps a long name inside a table cell at a space (or folds it anywhere at a tiny
    COLUMNS), so ` ::error::x` inside a name could start a line of a CI log; and the runner
    obeys `##[error]` anywhere in a line. Neither is left in what ncm prints."""
    files = [_workflow_profile(tmp_path / f"w{n}.yaml", n) for n in (5, 60, 75, 90)]
    commands = [
        ["score", *files],
        ["score", files[1]],
        ["score", files[2], "--explain"],
        ["score", *files, "--format", "csv"],
        ["score", files[0], "--format", "json"],
        ["compare", files[1], files[2]],
        ["compare", files[1], files[2], "--format", "md"],
        ["compare", files[1], files[2], "--format", "json"],
        ["plan", files[2]],
        ["plan", files[2], "--format", "json"],
    ]
    for args in commands:
        result = run(*args, columns=columns)
        assert result.exit_code == 0, (args, result.stderr)
        for name, text in (("stdout", result.stdout), ("stderr", result.stderr)):
            assert not workflow_commands(text), (args, name, workflow_commands(text))


def test_json_keeps_the_text_of_a_workflow_command(tmp_path: Path) -> None:
    """JSON writes `##[` as `##\\u005b`: a parser reads the same name back."""
    f = _workflow_profile(tmp_path / "w.yaml", 1)
    result = run("score", f, "--format", "json")
    assert "##[" not in result.stdout
    assert json.loads(result.stdout)["results"][0]["name"] == "a ::error::N ##[error]N"


def test_plan_shows_controls_in_a_name_as_escapes(tmp_path: Path) -> None:
    """`ncm plan`'s terminal screen used Rich's own `escape`, which stops markup but leaves
    ESC, bidi overrides and newlines raw: a profile could colour, reorder or forge lines."""
    f = write(
        tmp_path / "p.yaml",
        'schema_version: 2\nname: "a\\e[31mRED\\u202eX\\nforged line [bold]b[/bold]"\n'
        "objectives:\n  integrating_primary_care: 4\n",
    )
    result = run("plan", f)
    assert result.exit_code == 0, result.stderr
    assert not RAW.search(result.stdout), result.stdout
    assert r"a\x1b[31mRED\u202eX\nforged line [bold]b[/bold]" in result.stdout


def _record(ncm, tmp_path: Path, name: str, profile: Path) -> Path:
    out = tmp_path / name
    r = ncm(
        "readiness", "init", str(profile), "-o", str(out), "--role", "DoF", "--organisation", "Org"
    )
    assert r.exit_code == 0, r.stderr
    return out


def test_no_command_writes_over_a_file_it_reads(ncm, tmp_path: Path) -> None:
    """`--force` replaces an output, never an input: not the `--readiness` record of `report`,
    not the profile `readiness init` reads, not the records `compare` reads, and not the
    profile a record names (`profile:`), which `readiness show` and `compare` read. Each was
    replaced by a paper or a record, exit 0."""
    profile = write(tmp_path / "north.yaml", MINIMAL)
    r1 = _record(ncm, tmp_path, "r1.yaml", profile)
    r2 = _record(ncm, tmp_path, "r2.yaml", profile)
    before = {p: p.read_bytes() for p in (profile, r1, r2)}
    for args, target in (
        (["report", profile, "--readiness", r1, "-o", r1, "--format", "md"], r1),
        (
            ["readiness", "init", profile, "-o", profile, "--role", "a", "--organisation", "b"],
            profile,
        ),
        (["readiness", "show", r1, "-o", profile, "--format", "md"], profile),
        (["compare", r1, r2, "-o", r1, "--format", "md"], r1),
        (["compare", r1, r2, "-o", profile, "--format", "json"], profile),
    ):
        result = ncm(*map(str, args), "--force")
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert f"{target.name}: is an input file" in result.stderr, result.stderr
        assert {p: p.read_bytes() for p in before} == before, args
    folder = tmp_path / "papers"
    folder.mkdir()
    record_in_folder = folder / "north.md"  # where the paper would go (renamed so, as
    _record(ncm, folder, "north.yaml", profile).rename(record_in_folder)  # init writes no .md)
    result = ncm(
        "report", str(profile), "--readiness", str(record_in_folder),
        "-o", f"{folder}/", "--format", "md", "--force",
    )  # fmt: skip
    assert result.exit_code == 2 and "is an input file" in result.stderr, result.stderr
    assert record_in_folder.read_text(encoding="utf-8").startswith("# ncm readiness record")


def test_html_on_a_terminal_runs_no_escape(ncm, tmp_path: Path) -> None:
    """HTML printed to standard output (`plan`, `compare`, `readiness show --format html`) or
    a paper `cat` in a CI log held a name's ESC, bidi override and C1 characters raw. They are
    now numeric character references: a browser shows the same text."""
    hostile = r"a\e[31mRED\u202eX\u009b2J\u200bz"
    f = write(
        tmp_path / "p.yaml",
        f'schema_version: 2\nname: "{hostile}"\nobjectives:\n  integrating_primary_care: 4\n'
        f'risks:\n  - "{hostile}"\n',
    )
    g = write(tmp_path / "q.yaml", MINIMAL)
    record = _record(ncm, tmp_path, "r.yaml", f)
    outputs = [
        run("plan", f, "--format", "html").stdout,
        run("compare", f, g, "--format", "html").stdout,
        run("readiness", "show", record, "--format", "html").stdout,
    ]
    assert run("report", f, "-o", tmp_path / "p.html").exit_code == 0
    outputs.append((tmp_path / "p.html").read_text(encoding="utf-8"))
    for page in outputs:
        assert "<html" in page
        assert not RAW.search(page.replace("\t", " ")), RAW.search(page.replace("\t", " "))
        assert "a&#x1b;[31mRED&#x202e;X" in page


@pytest.mark.parametrize(
    ("written", "code", "said"),
    [
        ('"2024-01-01"', 0, "ok: 1 file valid"),  # quoted: as_of and a record's due take it
        ("2024-01-01T10:00:00", 1, "a date without a time is expected"),
        ('"soon"', 1, "write it as YYYY-MM-DD"),
    ],
)
def test_agreed_on_is_read_as_every_other_date(ncm, tmp_path: Path, written, code, said) -> None:
    """`decision.agreed_on` refused a quoted date that `as_of` accepts, and answered a date
    with a time or a word only "Input should be a valid date"."""
    f = write(
        tmp_path / "p.yaml",
        "schema_version: 2\nname: x\nobjectives:\n  integrating_primary_care: 4\n"
        f"decision:\n  option: mcp\n  agreed_on: {written}\n",
    )
    result = ncm("validate", str(f))
    assert result.exit_code == code
    assert said in result.stdout + result.stderr
    if code:
        assert "p.yaml:7:14: decision.agreed_on:" in result.stderr


@posix_only
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_standard_output_on_a_full_disk_is_named(tmp_path: Path) -> None:
    """`ncm score p.yaml > /dev/full` said `ncm: error: ncm: cannot use it: ...`: the failed
    write has no file name, and the program's name stood in for it."""
    f = write(tmp_path / "p.yaml", MINIMAL)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "ncm_toolkit", "score", str(f)],
            stdout=full,
            stderr=subprocess.PIPE,
            env=env,
        )
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert err == "ncm: error: <stdout>: cannot use it: no space left on the device (disk full)\n"


@posix_only
def test_validate_says_why_a_path_cannot_be_read(ncm, tmp_path: Path) -> None:
    """`ncm validate` called a loop of links and a file used as a folder "no such file or
    folder" (`Path.exists()` is False for both), where `score` gives the system's reason."""
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    f = write(tmp_path / "p.yaml", MINIMAL)
    result = ncm("validate", str(tmp_path / "a.yaml"), f"{f}/x.yaml", str(tmp_path / "none.yaml"))
    assert result.exit_code == 1
    assert f"a.yaml:1:1: cannot read: {os.strerror(errno.ELOOP)}" in result.stderr
    assert "x.yaml:1:1: cannot read: a part of the path is not a folder" in result.stderr
    assert "none.yaml:1:1: no such file or folder" in result.stderr


def test_a_number_too_long_to_read_says_so_in_plain_words(ncm, tmp_path: Path) -> None:
    """A 5,000-digit importance was reported with Python's own advice to the programmer:
    "...; use sys.set_int_max_str_digits() to increase the limit"."""
    f = write(tmp_path / "p.yaml", MINIMAL.replace(": 4", ": " + "9" * 5000))
    for command in ("validate", "score"):
        result = ncm(command, str(f))
        assert result.exit_code == 1
        assert (
            "p.yaml:4:29: objectives.integrating_primary_care: cannot read this value: a number "
            "of more than 4300 digits\n"
        ) in result.stderr, result.stderr
        assert "sys." not in result.stderr


def test_migrate_keeps_an_anchor_and_never_changes_another_answer(ncm, tmp_path: Path) -> None:
    """`schema_version: &v 1` with `*v` below: migrate replaced `&v 1` by `2`, the re-read
    file had an alias with no anchor, and the LoadError was an internal error. Keeping the
    anchor would make the alias 2 as well, so that file is refused, untouched; an anchor no
    alias uses is kept."""
    aliased = write(
        tmp_path / "a.yaml",
        "name: x\nschema_version: &v 1\nobjectives: {integrating_primary_care: *v}\n",
    )
    before = aliased.read_bytes()
    result = ncm("migrate", str(aliased))
    assert result.exit_code == 1, result.stderr
    assert "internal error" not in result.stderr
    assert "a.yaml:2:17: schema_version: not migrated: setting it to 2 would change" in (
        result.stderr
    )
    assert aliased.read_bytes() == before
    unused = write(
        tmp_path / "b.yaml",
        "schema_version: !!int &v 1  # kept\nname: x\nobjectives: {integrating_primary_care: 3}\n",
    )
    assert ncm("migrate", str(unused)).exit_code == 0
    assert unused.read_text(encoding="utf-8").startswith("schema_version: !!int &v 2  # kept\n")


@posix_only
def test_migrate_refuses_a_link_and_standard_input(ncm, tmp_path: Path, monkeypatch) -> None:
    """`ncm migrate link.yaml` was an internal error (the writer's refusal to write through a
    link escaped as UsageError); `ncm migrate -` read standard input and wrote a file named
    `-` in the current folder."""
    real = write(tmp_path / "real.yaml", MINIMAL)
    (tmp_path / "link.yaml").symlink_to(real)
    other = write(tmp_path / "other.yaml", MINIMAL)
    result = ncm("migrate", str(tmp_path / "link.yaml"), str(other))
    assert result.exit_code == 1
    assert "link.yaml:1:1: is a symbolic link; refusing to write through it" in result.stderr
    assert "internal error" not in result.stderr
    assert real.read_text(encoding="utf-8") == MINIMAL and (tmp_path / "link.yaml").is_symlink()
    assert other.read_text(encoding="utf-8").startswith("schema_version: 2\n")  # the rest done
    monkeypatch.chdir(tmp_path)
    result = ncm("migrate", "-", input=MINIMAL)
    assert result.exit_code == 2, result.stderr
    assert not (tmp_path / "-").exists()


def test_a_dash_is_standard_input_or_output_never_a_file_named_dash(
    ncm, tmp_path: Path, monkeypatch
) -> None:
    """`-` means standard input or output: `report -` was an internal error (KeyError
    '<stdin>'), `readiness init -o -` wrote a file named `-`, and `readiness ask -` read the
    record from standard input, then said its answers were saved in `-`."""
    monkeypatch.chdir(tmp_path)
    result = ncm("report", "-", "-o", "paper.md", input=MINIMAL)
    assert result.exit_code == 0, result.stderr
    assert (
        (tmp_path / "paper.md")
        .read_text(encoding="utf-8")
        .startswith("# New care models assessment: Minimal partnership")
    )
    result = ncm("report", "-", "-o", "papers/", "--format", "md", input=MINIMAL)
    assert result.exit_code == 0 and (tmp_path / "papers" / "stdin.md").is_file()
    result = ncm("readiness", "init", "-o", "-", "--partnership", "P", "--role", "a",
                 "--organisation", "b")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "kind: readiness" in result.stdout
    record = result.stdout
    result = ncm("readiness", "ask", "-", input=record)
    assert result.exit_code == 2 and "give its file, not -" in result.stderr
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("name", ["", "   ", "A" * 10_001])
def test_init_refuses_a_name_its_profile_would_refuse(ncm, tmp_path: Path, name: str) -> None:
    """`ncm init --name ""` (or blank, or too long) wrote, exit 0, a starter profile that
    does not validate, although its promise is one that "validates as written"."""
    result = ncm("init", str(tmp_path / "p.yaml"), "--name", name)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith("ncm: error: --name: ")
    assert not (tmp_path / "p.yaml").exists()


@posix_only
def test_init_leaves_a_linked_schema_alone(ncm, tmp_path: Path) -> None:
    """A dangling link at profile.schema.json (`exists()` is False): init wrote the profile,
    then failed on the link with exit 2, never saying the profile had been written."""
    (tmp_path / "profile.schema.json").symlink_to(tmp_path / "elsewhere.json")
    result = ncm("init", str(tmp_path / "p.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "wrote" in result.stderr and (tmp_path / "p.yaml").is_file()
    assert (tmp_path / "profile.schema.json").is_symlink()
    assert not (tmp_path / "elsewhere.json").exists()


@posix_only
def test_a_job_summary_that_cannot_be_written(tmp_path: Path, monkeypatch) -> None:
    """GITHUB_STEP_SUMMARY on a full disk was reported as `<stdout>` (a write has no file
    name) with the written papers never listed; on a FIFO with no reader `ncm report` hung;
    naming a profile appended Markdown to it. Now: the summary's path in one error after
    the papers (exit 1), a FIFO refused at once, an input refused (exit 2)."""
    import os as _os

    f = write(tmp_path / "p.yaml", MINIMAL)
    args = ("report", f, "-o", f"{tmp_path}/out/", "--format", "md", "--github-summary")
    fifo = tmp_path / "summary.fifo"
    _os.mkfifo(fifo)
    targets = [str(fifo)] + (["/dev/full"] if _os.path.exists("/dev/full") else [])
    for target in targets:
        result = run(*args, "--force", env={"GITHUB_STEP_SUMMARY": target})
        assert result.exit_code == 1, result.stderr
        lines = result.stderr.splitlines()  # the one error, and the papers still listed
        papers = [x for x in lines if x.startswith(("wrote ", "unchanged "))]
        assert [x.split(" ", 1)[1] for x in papers] == [f"{tmp_path}/out/p.md"], lines
        errors = [x for x in lines if x not in papers]
        assert len(errors) == 1, lines
        assert errors[0].startswith(f"GITHUB_STEP_SUMMARY={target}:1:1: cannot write: ")
    before = f.read_bytes()
    result = run(*args, "--force", env={"GITHUB_STEP_SUMMARY": str(f)})
    assert result.exit_code == 2 and "is an input file" in result.stderr
    assert f.read_bytes() == before


def test_a_user_templates_own_text_reaches_no_file_raw(ncm, tmp_path: Path) -> None:
    """`--templates` are untrusted: the values they print were escaped, but their own literal
    text went into the Markdown paper raw (ESC, OSC 8 links, bidi override)."""
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "report.md.j2").write_bytes(
        b"# Paper\x1b[2J\x1b]8;;http://evil\x07click\x1b]8;;\x07 \xe2\x80\xae gnp.exe\n\ttab\n"
    )
    f = write(tmp_path / "p.yaml", MINIMAL)
    result = ncm("report", str(f), "-o", str(tmp_path / "p.md"), "--templates", str(templates))
    assert result.exit_code == 0, result.stderr
    paper = (tmp_path / "p.md").read_text(encoding="utf-8")
    assert not RAW.search(paper.replace("\t", " ")), paper
    assert paper.startswith(r"# Paper\x1b[2J\x1b]8;;http://evil\x07click\x1b]8;;\x07 \u202e gnp")
    assert paper.endswith("\n\ttab\n")


def test_a_folder_takes_yaml_files_whatever_the_case_of_their_suffix(ncm, tmp_path: Path) -> None:
    """`North.YAML` in a folder was skipped silently: a broken one among valid profiles let
    `ncm validate profiles/` pass CI as "all valid"."""
    write(tmp_path / "a.yaml", MINIMAL)
    write(tmp_path / "B.YAML", "name: [broken\n")
    write(tmp_path / "c.Yml", MINIMAL)
    result = ncm("validate", str(tmp_path))
    assert result.exit_code == 1
    assert "B.YAML:2:1:" in result.stderr and "1 error in 3 files checked" in result.stderr


def test_readiness_show_reports_a_profiles_unknown_form_as_invalid_input(
    ncm, tmp_path: Path
) -> None:
    """A record whose `profile:` names a form the pack lacks: `readiness show` said it as a
    usage error, unlocated, exit 2, where validate, plan and report say `FILE:LINE:COL`,
    exit 1."""
    write(
        tmp_path / "p.yaml",
        "schema_version: 2\nname: x\nobjectives:\n  integrating_primary_care: 4\n"
        "decision:\n  option: mcp\n  form: no_such_form\n",
    )
    record = tmp_path / "r.yaml"
    made = ncm("readiness", "init", "-o", str(record), "--partnership", "x", "--role", "a",
               "--organisation", "b")  # fmt: skip
    assert made.exit_code == 0, made.stderr
    text = record.read_text(encoding="utf-8").replace("as_of:", 'profile: "p.yaml"\nas_of:', 1)
    record.write_text(text, encoding="utf-8")
    result = ncm("readiness", "show", str(record))
    assert result.exit_code == 1, result.stderr
    assert "p.yaml:7:9: decision.form: unknown form 'no_such_form'" in result.stderr


def test_a_record_for_a_profile_and_a_profile_for_a_record_say_so(ncm, tmp_path: Path) -> None:
    """A readiness record given to `score` (or a profile to `--readiness`) got a list of
    required fields and unknown keys, none saying what the file is."""
    profile = write(tmp_path / "p.yaml", MINIMAL)
    record = _record(ncm, tmp_path, "r.yaml", profile)
    for args in (["score", record], ["plan", record], ["report", record, "-o", tmp_path / "x.md"]):
        result = ncm(*map(str, args))
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            f"{record}:7:1: a readiness record (kind: readiness), not a partnership profile; "
            "see it with `ncm readiness show FILE`"
        ]
    for args in (
        ["readiness", "show", profile],
        ["report", profile, "--readiness", profile, "-o", tmp_path / "y.md"],
    ):
        result = ncm(*map(str, args))
        assert result.exit_code == 1
        assert result.stderr.splitlines()[0].startswith(
            f"{profile}:1:1: a partnership profile, not a readiness record"
        ), result.stderr


def test_the_interview_saves_no_raw_bidi_or_zero_width_character(ncm, tmp_path: Path) -> None:
    """`ncm assess` wrote a name's U+202E and U+200B raw into the saved profile (YAML counts
    them printable), so `cat` of the saved file reordered it; readiness records escape them.
    Now escaped, and the saved file reads back as the same answers."""
    answers = write(
        tmp_path / "in.yaml",
        'schema_version: 1\nname: "E\\u202eevil\\u200b x"\n'
        "objectives:\n  integrating_primary_care: 4\n"
        'risks:\n  - "r\\u2066iso"\n  - "plain ##[x] a::b"\n',
    )
    out = tmp_path / "out.yaml"
    result = ncm("assess", "--answers", str(answers), "-o", str(out), input="")
    assert result.exit_code == 0, result.stderr
    saved = out.read_text(encoding="utf-8")
    assert not RAW.search(saved.replace("\t", " ")), saved
    for command in ("score", "validate"):
        assert ncm(command, str(out)).exit_code == 0
    mine = json.loads(ncm("score", str(out), "--format", "json").stdout)["results"][0]["name"]
    assert mine == "E\u202eevil\u200b x"


def test_migrate_keeps_a_byte_order_mark_and_crlf(ncm, tmp_path: Path) -> None:
    """`ncm migrate` promises every line kept: a Windows editor's BOM was dropped."""
    f = tmp_path / "p.yaml"
    f.write_bytes(b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode())
    assert ncm("migrate", str(f)).exit_code == 0
    assert (
        f.read_bytes()
        == b"\xef\xbb\xbf"
        + MINIMAL.replace("\n", "\r\n").replace("schema_version: 1", "schema_version: 2").encode()
    )
