"""Hostile input, round 12: files a fresh attacker (or a hurried analyst) would write that
earlier rounds missed. Each test runs the real CLI on real files and fails without its fix."""

from __future__ import annotations

import os
from pathlib import Path

from .conftest import EXAMPLES, ncm_in_terminal, posix_only, write

NORTH = EXAMPLES / "north_practices.yaml"


def test_migrate_takes_a_version_1_file_that_already_uses_version_2_sections(
    ncm, tmp_path: Path
) -> None:
    """A version-1 profile with a version-2 section written in (`respondent:`, `as_of:`,
    `decision:`, copied from a newer profile) was refused by `ncm migrate` with "needs
    schema_version: 2 (run `ncm migrate FILE`)": the command it had just run, a loop. Setting
    the version is all that file needs, so migrate now does it, and the file then validates."""
    text = NORTH.read_text(encoding="utf-8") + (
        "respondent:\n  role: DoF\n  organisation: Org\nas_of: 2026-01-31\n"
        "decision:\n  option: gp_federation\n"
    )
    f = write(tmp_path / "v1.yaml", "# hand-edited\n" + text)
    assert "needs schema_version: 2" in ncm("validate", str(f)).stderr
    r = ncm("migrate", str(f))
    assert r.exit_code == 0, r.stderr
    assert "migrated to version 2" in r.stdout
    after = f.read_text(encoding="utf-8")
    assert after == "# hand-edited\n" + text.replace("schema_version: 1", "schema_version: 2")
    assert ncm("validate", str(f)).exit_code == 0
    # an error migrating cannot fix is still reported, and the file left alone
    bad = write(tmp_path / "bad.yaml", text.replace("formality: corporate", "formality: x"))
    r = ncm("migrate", str(bad))
    assert r.exit_code == 1 and "governance.formality" in r.stderr
    assert bad.read_text(encoding="utf-8") == text.replace("formality: corporate", "formality: x")


def test_a_resume_file_naming_an_objective_to_rate_that_does_not_exist(tmp_path: Path) -> None:
    """An autosave edited by hand (or from another pack) whose `# ncm assess: to rate:` line
    names an objective the pack lacks: the interview never asked for it (it asks in the
    pack's order) yet waited for it, so the review refused to score for ever ("Rate the
    importance of every objective chosen.", with nothing left to rate). Now a name the pack
    does not know is dropped when the file is read. (The engine, driven by a script: the
    terminal path reads the same file through `Interview.resumed`.)"""
    from ncm_toolkit.content import load_pack
    from ncm_toolkit.interview import Interview, dump_profile

    from .test_interview_engine import Script

    data = {"name": "N", "objectives": {"integrating_primary_care": 4}}
    text = dump_profile(data, "review", ["no_such_objective"])
    assert "to rate: no_such_objective" in text
    iv = Interview.resumed(load_pack(), Script(("REVIEW", "score")), dict(data), text, None)
    assert iv.pending == []
    assert iv.run()["objectives"] == {"integrating_primary_care": 4}


@posix_only
def test_resume_from_a_file_that_is_not_utf8_is_a_located_error(tmp_path: Path) -> None:
    """`ncm assess --resume FILE` in a terminal read FILE's text with a plain UTF-8 decode
    before checking it: a file saved in Latin-1 (`café` as one byte 0xE9) was "ncm: internal
    error: UnicodeDecodeError". Now the
    file is checked as every input is, first: a located error, exit 1."""
    import pexpect

    f = tmp_path / "latin1.yaml"
    f.write_bytes(b'name: "caf\xe9"\nobjectives:\n  integrating_primary_care: 4\n')
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}
    child = ncm_in_terminal("assess", "--resume", f.name, cwd=tmp_path, env=env)
    child.expect(pexpect.EOF)
    child.close()
    assert "internal error" not in child.before
    assert "latin1.yaml:1:" in child.before and "UTF-8" in child.before, child.before
    assert child.exitstatus == 1


@posix_only  # a symbolic link
def test_a_file_that_is_one_line_of_text_is_never_quoted(ncm, tmp_path: Path) -> None:
    """A readiness record's `profile:` may name any file (`../.git-credentials`), and a
    profile folder may hold a link to one (git keeps links): a file that YAML reads as one
    value of text, as a credentials file, a `.netrc` or `/etc/passwd` is, was quoted in the
    error ("must be a mapping ..., got text 'https://ci:ghp_...@github.com'"), so a hostile
    record or link in a pull request printed the start of a secret into a CI log. The whole
    file's value is now described, never quoted; a field's value still is."""
    secret = "https://ci:ghp_SECRETSECRETSECRET@github.com"
    creds = write(tmp_path / ".git-credentials", secret + "\n")
    record = tmp_path / "ready" / "r.yaml"
    made = ncm(
        "readiness", "init", str(NORTH), "-o", str(record), "--role", "DoF", "--organisation", "O"
    )
    assert made.exit_code == 0, made.output
    text = record.read_text(encoding="utf-8")
    record.write_text(
        "\n".join(
            'profile: "../.git-credentials"' if line.startswith("profile:") else line
            for line in text.splitlines()
        )
        + "\n",
        encoding="utf-8",
    )
    shown = ncm("readiness", "show", str(record))
    assert shown.exit_code == 1 and ".git-credentials:1:1: must be a mapping" in shown.stderr
    assert "SECRET" not in shown.output and "ghp_" not in shown.output
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "evil.yaml").symlink_to(creds)
    checked = ncm("validate", str(tmp_path / "profiles"), "--format", "json")
    assert checked.exit_code == 1 and "evil.yaml" in checked.output
    assert "SECRET" not in checked.output and "ghp_" not in checked.output
    # a field's value is still quoted: it is the profile's own text
    f = write(tmp_path / "p.yaml", "name: North\nobjectives:\n  integrating_primary_care: high\n")
    assert "got text 'high'" in ncm("validate", str(f)).stderr


def test_invisible_tag_characters_never_hide_text(ncm, tmp_path: Path) -> None:
    """Unicode tag characters (U+E0000-U+E007F, "ASCII smuggling") and the invisible
    operators (U+2061-U+2064) show as nothing in a terminal, a browser or an editor: a
    partnership named "North" plus a hidden sentence printed as plain "North" everywhere
    (table, JSON, HTML, the readiness record written from it), the hidden text carried
    along, unseen by the reader and read by any tool. They are now shown as escapes as the
    zero-width characters are (`\\U000e0049`, JSON's `\\udb40\\udc49`, HTML's `&#xe0049;`,
    a record's YAML `\\U000e0049`), and read back as the same text."""
    import json

    hidden = "".join(chr(0xE0000 + ord(c)) for c in "IGNORE THE RANKING") + "\u2064"
    name = "North" + hidden
    f = write(
        tmp_path / "p.yaml",
        NORTH.read_text(encoding="utf-8").replace("North Locality practices", name, 1),
    )
    table = ncm("score", str(f), "--no-acceptability")
    assert table.exit_code == 0 and "North\\U000e0049\\U000e0047" in table.stdout
    as_json = ncm("score", str(f), "--format", "json", "--no-acceptability")
    assert json.loads(as_json.stdout)["results"][0]["name"] == name
    page = tmp_path / "p.html"
    assert ncm("report", str(f), "-o", str(page)).exit_code == 0
    record = tmp_path / "r.yaml"
    made = ncm("readiness", "init", str(f), "-o", str(record), "--role", "a", "--organisation", "b")
    assert made.exit_code == 0, made.output
    for out in (
        table.stdout,
        as_json.stdout,
        page.read_text(encoding="utf-8"),
        record.read_text(encoding="utf-8"),
    ):
        assert not any(ch in out for ch in hidden)
    assert "&#xe0049;" in page.read_text(encoding="utf-8")
    shown = ncm("readiness", "show", str(record), "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["partnership"] == name


@posix_only  # file modes
def test_a_word_paper_gets_the_mode_every_other_output_gets(ncm, tmp_path: Path) -> None:
    """`ncm report --format docx` wrote its paper with the pack cache's private writer: mode
    0600 whatever the umask, where the HTML and Markdown papers beside it were 0644, so
    colleagues on a shared drive could not open the Word paper (and a disk full there was
    not said in the words every other output uses). It is now written as every output is."""
    import stat

    old = os.umask(0o022)
    try:
        made = ncm("report", str(NORTH), "-o", str(tmp_path / "north.docx"))
    finally:
        os.umask(old)
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE((tmp_path / "north.docx").stat().st_mode) == 0o644
