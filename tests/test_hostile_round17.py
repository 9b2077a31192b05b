"""Hostile round 17: YAML's typed values said in the user's words, outputs named as another
format where a command writes YAML, and the option values a careless user passes. Each test
runs the real CLI on real files and failed before its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, MINIMAL, write

NORTH = EXAMPLES / "north_practices.yaml"


@pytest.mark.parametrize(
    "old, new, said",
    [
        (
            "name: Minimal partnership",
            "name: !!binary TWluaW1hbA==",
            "got binary data (a `!!binary`",
        ),
        (
            "name: Minimal partnership",
            "name: N\nrisks: !!set {a, b}",
            "got a set (a `!!set` value)",
        ),
        (
            "name: Minimal partnership",
            "name: N\ngovernance:\n  formality: !!binary Y29ycG9yYXRl",
            "must be one of: informal, contractual, corporate, merger, got binary data",
        ),
        ("integrating_primary_care: 4", "integrating_primary_care: 1e400", "got an infinite"),
        ("integrating_primary_care: 4", "integrating_primary_care: .nan", "got not-a-number"),
    ],
)
def test_a_typed_yaml_value_is_said_for_what_it_is(
    ncm, tmp_path: Path, old: str, new: str, said: str
) -> None:
    """A `!!binary` or `!!set` value was "got something else"; in a field of fixed values
    Python's own text (`unknown value 'b'corporate''`); `1e400` (read as infinity) was "got
    the number inf", a number the file never held."""
    path = write(tmp_path / "p.yaml", MINIMAL.replace(old, new))
    result = ncm("validate", str(path))
    assert result.exit_code == 1, result.output
    assert said in result.stderr, result.stderr
    assert "something else" not in result.stderr and "b'" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("assess", "--answers", str(NORTH), "-o", "{d}/north.html"),
        ("assess", "--answers", str(NORTH), "-o", "{d}/north.DOCX"),
        ("init", "{d}/north.md"),
        ("readiness", "init", str(NORTH), "--role", "Chair", "--organisation", "North",
         "-o", "{d}/ready.json"),
    ],
)  # fmt: skip
def test_yaml_is_never_written_into_a_file_named_as_another_format(
    ncm, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """`ncm assess --answers a.yaml -o north.html` (a user after the board paper), `ncm init
    north.md` and `ncm readiness init ... -o ready.json` wrote YAML into those files, exit 0:
    files their programs cannot open, that no folder of profiles (`*.yaml`) takes either. The
    commands that write a format refuse the others' suffixes (round 5); these now do too."""
    filled = [a.format(d=tmp_path) for a in args]
    result = ncm(*filled, input="")
    assert result.exit_code == 2, result.output
    assert "is written as YAML, never as a ." in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []
    ok = ncm(*filled[:-1], str(tmp_path / "saved.txt"), input="")  # a suffix naming no format
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "saved.txt").read_text(encoding="utf-8").lstrip().startswith(("#", "s", "k"))


def test_an_impossible_as_of_date_is_called_no_such_date(ncm, tmp_path: Path) -> None:
    """`ncm readiness init --as-of 2026-02-30` said "not a date (YYYY-MM-DD)" of a date in that
    very form; a record's file (and `readiness ask`) say "no such date"."""
    out = tmp_path / "r.yaml"
    args = ("readiness", "init", str(NORTH), "--role", "Chair", "--organisation", "North")
    result = ncm(*args, "--as-of", "2026-02-30", "-o", str(out))
    assert result.exit_code == 2
    assert "--as-of 2026-02-30: no such date" in result.stderr, result.stderr
    result = ncm(*args, "--as-of", "30/02/2026", "-o", str(out))
    assert result.exit_code == 2
    assert "write it as YYYY-MM-DD" in result.stderr, result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "directive, line",
    [("%YAML 1.3", 1), ("%YAML 2.0", 1), ("%YAML 1.2\n---\nname: N\n...\n%YAML 1.3", 5)],
)
def test_a_yaml_version_the_parsers_refuse_is_said_as_yaml_1_1_is(
    ncm, tmp_path: Path, directive: str, line: int
) -> None:
    """`%YAML 1.3` was "cannot read the file: version minor part can only be 2 or 1, got
    (1, 3)" (Python's tuple) at 1:1, whatever line it was on; `%YAML 2.0`, "found incompatible
    YAML document". `%YAML 1.1` was already "directive not supported; YAML 1.2 is used"."""
    path = write(tmp_path / "p.yaml", f"{directive}\n---\n{MINIMAL}")
    result = ncm("validate", str(path))
    assert result.exit_code == 1, result.output
    version = directive.rsplit(" ", 1)[1]
    said = f"{path}:{line}:1: %YAML {version} directive not supported; YAML 1.2 is used"
    assert said in result.stderr, result.stderr
    assert "(1, 3)" not in result.stderr


def test_a_batch_of_papers_is_never_put_in_a_folder_named_as_a_file(ncm, tmp_path: Path) -> None:
    """`ncm report profiles/ -o board.md` (one paper for the board was meant) made a folder
    named `board.md` holding a paper per profile, exit 0. A new folder named as a file's
    format is now a usage error naming the folder to give; `-o board.md/` is still a folder."""
    folder = tmp_path / "profiles"
    write(folder / "a.yaml", MINIMAL)
    write(folder / "b.yaml", MINIMAL.replace("4", "2"))
    result = ncm("report", str(folder), "-o", str(tmp_path / "board.md"))
    assert result.exit_code == 2, result.output
    assert "several reports need a folder, and this names a .md file" in result.stderr
    assert f"-o {tmp_path / 'board'}/ --format md" in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profiles"]
    ok = ncm("report", str(folder), "-o", f"{tmp_path / 'board.md'}/")
    assert ok.exit_code == 0, ok.output
    assert sorted(p.name for p in (tmp_path / "board.md").iterdir()) == ["a.html", "b.html"]


def test_readiness_init_refuses_a_blank_partnership_as_it_refuses_a_blank_role(
    ncm, tmp_path: Path
) -> None:
    """`--partnership "$P"` with P a space wrote, exit 0, a record of the partnership " "
    (shown as nothing in every paper and comparison), while a blank `--role` or
    `--organisation` was already a usage error."""
    out = tmp_path / "r.yaml"
    result = ncm("readiness", "init", "-o", str(out), "--partnership", " \t",
                 "--role", "Chair", "--organisation", "North")  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "--partnership: only white space" in result.stderr, result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "args, option",
    [
        (("init", "{d}/p.yaml", "--name", "N\udcf6rth"), "--name"),
        (("init", "{d}/p.yaml", "--example", "north_practices", "--name", "N\udcf6rth"), "--name"),
        (("readiness", "init", str(NORTH), "-o", "{d}/r.yaml", "--role", "Ch\udce4ir",
          "--organisation", "North"), "--role"),
    ],
)  # fmt: skip
def test_a_name_typed_in_another_encoding_is_refused_not_mangled(
    ncm, tmp_path: Path, args: tuple[str, ...], option: str
) -> None:
    """`ncm init --name Nörth` from a Latin-1 terminal (the byte 0xF6, which Python hands on as
    a lone surrogate) saved the name as "N\\ufffdrth", exit 0: the name lost without a word.
    `readiness init --role` said Pydantic's "unable to parse raw data as a unicode string"."""
    result = ncm(*(a.format(d=tmp_path) for a in args))
    assert result.exit_code == 2, result.output
    assert f"{option}: not UTF-8 text" in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ("init", "{d}/north.yaml/x.yaml"),
        ("readiness", "init", "{d}/north.yaml", "-o", "{d}/north.yaml/r.yaml", "--role", "Chair",
         "--organisation", "North"),
    ],
)  # fmt: skip
def test_a_file_where_a_new_folder_must_go_is_named(
    ncm, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """`ncm init north.yaml/x.yaml` (and `readiness init -o north.yaml/r.yaml`), where
    north.yaml is a file: "ncm: error: north.yaml: cannot use it: File exists", Python's words
    for the folder these commands make. Every other output says what is wrong there."""
    profile = write(tmp_path / "north.yaml", NORTH.read_text(encoding="utf-8"))
    before = profile.read_bytes()
    result = ncm(*(a.format(d=tmp_path) for a in args))
    assert result.exit_code == 1, result.output
    assert (
        result.stderr == f"ncm: error: {profile}: cannot create the folder: a file is in the way\n"
    )
    assert profile.read_bytes() == before


def test_a_key_that_only_looks_right_says_what_is_in_it(ncm, tmp_path: Path) -> None:
    """A key pasted from a document with a Cyrillic `а` (`nаme`), a no-break space, or a
    quoted id with a space after it was "unknown key (hint: did you mean 'name'?)": the
    suggestion shows exactly as what was written, and the user is left to guess."""
    path = write(
        tmp_path / "p.yaml",
        "schema_version: 1\nn\u0430me: N\nobjectives:\n  integrating_primary_care\u00a0: 5\n"
        'partners:\n  - name: P\n    kind: "gp_practice "\n',
    )
    result = ncm("validate", str(path))
    assert result.exit_code == 1, result.output
    err = result.stderr
    assert (
        "did you mean 'name'? it holds U+0430 CYRILLIC SMALL LETTER A, where ids are plain ASCII"
        in err
    ), err
    assert "did you mean 'integrating_primary_care'? it holds U+00A0 NO-BREAK SPACE" in err, err
    assert "did you mean 'gp_practice'? it has a space at its start or end" in err, err
