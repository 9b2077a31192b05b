"""Hostile round 15: what a fresh corpus of hostile or unlucky files most likely holds that the
fourteen earlier rounds did not try: profiles written by JSON tools, keys YAML reads as numbers,
dates or nothing in the mappings of fixed keys, and names that reach a document's metadata.
Each test runs the real CLI on real files and failed before its fix."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.conftest import EXAMPLES


def test_a_profile_written_by_a_json_tool_keeps_a_character_above_u_ffff(
    ncm, tmp_path: Path
) -> None:
    """YAML 1.2 is a superset of JSON, and `json.dumps` (like most JSON tools) writes a
    character above U+FFFF as a UTF-16 pair of escapes: `"\\ud83d\\ude00"`. The parsers built
    the two halves, which no text holds, so the profile was refused (exit 1) with the hint
    "write ... both halves of its pair", which it had done. The pair is now the character; a
    half alone is still refused, located."""
    profile = tmp_path / "north.json.yaml"
    name = "Caf\u00e9 \U0001f600 partnership"
    profile.write_text(
        json.dumps(
            {
                "schema_version": 2,
                "name": name,
                "respondent": {"role": "Lead \U0001d4d0", "organisation": "North"},
                "risks": ["\U0001f4a5 deficit"],
                "objectives": {"integrating_primary_care": 5},
            }
        ),
        encoding="ascii",
    )
    assert "\\ud83d\\ude00" in profile.read_text(encoding="ascii")
    checked = ncm("validate", str(profile))
    assert checked.exit_code == 0, checked.stderr
    scored = ncm("score", str(profile), "--format", "json")
    assert scored.exit_code == 0, scored.stderr
    assert json.loads(scored.stdout)["results"][0]["name"] == name

    half = tmp_path / "half.yaml"
    half.write_text(
        '{"name": "a \\ud83d b", "objectives": {"integrating_primary_care": 5}}', encoding="ascii"
    )
    refused = ncm("validate", str(half))
    assert refused.exit_code == 1
    assert f"{half}:1:10: name: must be text, got an escape that is half" in refused.stderr


def test_a_key_that_is_not_text_is_said_so_where_it_is(ncm, tmp_path: Path) -> None:
    """`objectives:` takes only the objective ids, so a key YAML reads as a number, a date or
    nothing (`1:`, `2020-01-01:`, `~:`) was "unknown key" under a field shown as an index
    (`objectives[1]`) or as Python's own text (`objectives.datetime.date(2020, 1, 1)`,
    `objectives.None`), and a date key was placed at the top of its mapping, not on its line
    (a partner's too). Now as for any other mapping: "a key must be text", on the key's line."""
    profile = tmp_path / "keys.yaml"
    profile.write_text(
        "schema_version: 1\n"
        "name: North\n"
        "objectives:\n"
        "  integrating_primary_care: 5\n"
        "  leveraging_technology: 2\n"
        "  1: 5\n"
        "  2020-01-01: 4\n"
        "  ~: 3\n"
        "partners:\n"
        "  - name: A\n"
        "    kind: acute_trust\n"
        "    2021-02-03: x\n",
        encoding="utf-8",
    )
    for command in ("validate", "score"):
        result = ncm(command, str(profile))
        assert result.exit_code == 1
        lines = [line for line in result.stderr.splitlines() if line.startswith(str(profile))]
        assert lines == [
            f"{profile}:6:3: objectives: a key must be text, got the number 1",
            f"{profile}:7:3: objectives: a key must be text, got a date",
            f"{profile}:8:3: objectives: a key must be text, got nothing (an empty value)",
            f"{profile}:12:5: partners[0]: a key must be text, got a date",
        ], result.stderr
        assert "datetime" not in result.stderr and "None" not in result.stderr


def test_a_word_papers_title_is_one_line_with_nothing_hidden(ncm, tmp_path: Path) -> None:
    """The paper's text comes escaped from the Markdown paper, but the document's title (its
    metadata: Word's title bar, a file list's Title column, a search result) took the
    profile's name with only what XML cannot hold escaped: a line break, a bidi override
    (U+202E) that reorders the title, a zero-width space and a workflow command stayed raw.
    The title is now shown as the terminal shows the name."""
    text = (EXAMPLES / "north_practices.yaml").read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith("name:"))
    profile = tmp_path / "north.yaml"
    name = "North\\n::error::x \\u202eevil\\u200b ##[warning]y\\r"
    profile.write_text(text.replace(first, f'name: "{name}"', 1), encoding="utf-8")
    out = tmp_path / "north.docx"
    result = ncm("report", str(profile), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
    title = core.split("<dc:title>", 1)[1].split("</dc:title>", 1)[0]
    assert title == (
        "New care models assessment: North\\n\\x3a:error\\x3a:x \\u202eevil\\u200b"
        " ##\\x5bwarning]y\\r"
    )


def test_click_usage_errors_start_no_workflow_command(ncm, tmp_path: Path) -> None:
    """A value a workflow passes on (`ncm score "$F" --format "${{ inputs.format }}"`, a
    mistyped command) is quoted in click's own usage errors with `repr`, which escapes
    controls but left `##[error]` (obeyed anywhere in a line of a GitHub Actions log) and `::`
    as typed. They are now shown through `term`, as `ncm`'s own usage errors are."""
    profile = str(EXAMPLES / "north_practices.yaml")
    for args, said in [
        (("score", profile, "--format", "##[error]x"), "'##\\x5berror]x' is not one of"),
        (("##[error]cmd",), "No such command '##\\x5berror]cmd'."),
        (("score", profile, "--##[error]"), "No such option: --##\\x5berror]"),
        (("readiness", "::warning::z"), "No such command '\\x3a:warning\\x3a:z'."),
        (("readiness", "show", "--::error::x"), "No such option: --\\x3a:error\\x3a:x"),
    ]:
        result = ncm(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert said in result.stderr, (args, result.stderr)
        assert "##[" not in result.stderr and "::" not in result.stderr, result.stderr


def test_a_directive_after_the_document_is_said_without_python_text(ncm, tmp_path: Path) -> None:
    """A `%YAML 1.2` directive after the document's end (`...`), with no `---` after it, was
    "expected '<document start>', but found ('<stream end>',)": a Python tuple in the one
    line a user reads."""
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "name: X\nobjectives: {integrating_primary_care: 5}\n...\n%YAML 1.2\n", encoding="utf-8"
    )
    result = ncm("validate", str(profile))
    assert result.exit_code == 1
    assert f"{profile}:5:1: expected '<document start>', but found '<stream end>'" in (
        result.stderr
    ), result.stderr


def test_an_empty_key_is_named_as_one(ncm, tmp_path: Path) -> None:
    """`"": 3` at the top and inside `objectives`: the error said `unknown key` with no field
    at all, and `objectives.: unknown key`; the empty key is now shown as `''`."""
    top = tmp_path / "top.yaml"
    top.write_text('schema_version: 1\nname: X\n"": 3\nobjectives: {integrating_back_office: 3}\n')
    inner = tmp_path / "inner.yaml"
    inner.write_text(
        'schema_version: 1\nname: X\nobjectives: {integrating_back_office: 3, "": 2}\n'
    )
    result = ncm("validate", str(top), str(inner))
    assert result.exit_code == 1
    assert f"{top}:3:1: '': unknown key" in result.stderr
    assert f"{inner}:3:42: objectives.'': unknown key" in result.stderr
