"""Hostile YAML through the real CLI (issue 6, part 1).

Every case must come back as `FILE:LINE:COL: message` on stderr with exit code 1: no
traceback, no hang, in bounded time; and hostile files beside valid ones in a batch must not
stop the valid ones being scored.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ncm_toolkit import content
from ncm_toolkit.profile import Profile
from ncm_toolkit.read import loader

from .conftest import EXAMPLES, MINIMAL, posix_only, write

LOCATED = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")
SUMMARY = re.compile(r"^\d+ errors? in \d+ files? checked$")
SECONDS = 60.0
"""A hang guard, not a speed bar (speed lives in benchmarks/): every case here takes well under a
second, and an input that made ncm expand without bound would run far past this."""


@pytest.fixture(autouse=True)
def _deadline() -> Iterator[None]:
    """A hang (a FIFO opened for a blocking read, say) fails the test instead of the run."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError("ncm did not finish in time")

    if not hasattr(signal, "SIGALRM"):  # Windows: no alarm; a hang is CI's time-out there
        yield
        return
    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, 20)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


_PACK: list[Any] = []


@pytest.fixture(autouse=True)
def _pack_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """`ncm score` loads the bundled content pack on every call; load it once for this file."""
    real = content.load_pack

    def cached(root: Path | None = None) -> Any:
        if root is not None:
            return real(root)
        if not _PACK:
            _PACK.append(real())
        return _PACK[0]

    monkeypatch.setattr(content, "load_pack", cached)


def located_lines(stderr: str) -> list[re.Match[str]]:
    """Every line of stderr, each required to be a located diagnostic (or the summary)."""
    found = []
    for line in stderr.splitlines():
        if SUMMARY.match(line):
            continue
        m = LOCATED.match(line)
        assert m, f"not a located error line: {line!r}\n--- stderr ---\n{stderr}"
        found.append(m)
    return found


def timed(ncm: Any, *args: str) -> Any:
    start = time.monotonic()
    result = ncm(*args)
    elapsed = time.monotonic() - start
    assert elapsed < SECONDS, f"ncm {' '.join(args)} took {elapsed:.1f}s"
    assert "Traceback" not in result.output, result.output
    assert "internal error" not in result.stderr, result.stderr
    return result


def check_refused(
    ncm: Any, path: Path, line: int | None, col: int | None, words: tuple[str, ...]
) -> None:
    """`ncm validate FILE` and `ncm score FILE --format json` both refuse the file, located."""
    result = timed(ncm, "validate", str(path))
    assert result.exit_code == 1, result.output
    errors = located_lines(result.stderr)
    assert errors, result.stderr
    first = errors[0]
    assert first["file"] == str(path)
    if line is not None:
        assert int(first["line"]) == line, result.stderr
    if col is not None:
        assert int(first["col"]) == col, result.stderr
    for word in words:
        assert word.lower() in result.stderr.lower(), (word, result.stderr)

    scored = timed(ncm, "score", str(path), "--format", "json")
    assert scored.exit_code == 1, scored.output
    data = json.loads(scored.stdout)
    assert data["results"] == []
    assert data["errors"], data
    assert all(e["profile"] == str(path) for e in data["errors"])
    assert all(e["line"] >= 1 and e["column"] >= 1 for e in data["errors"])
    assert [m.group(0) for m in located_lines(scored.stderr)] == [m.group(0) for m in errors], (
        "validate and score disagree"
    )


# ---------------------------------------------------------------- the hostile files


def _billion_laughs() -> str:
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    return "\n".join(levels) + "\nrisks: *i\n"


def _doubling_bomb() -> str:
    """Few aliases (two per level), exponential expansion: under the alias count, over the
    expansion limit."""
    lines = ["schema_version: 1", "name: Bomb", "objectives: {integrating_primary_care: 4}"]
    lines.append("description: &l0 [lol, lol]")
    lines += [f"risks{i}: &l{i} [*l{i - 1}, *l{i - 1}]" for i in range(1, 40)]
    return "\n".join(lines) + "\n"


def _many_aliases() -> str:
    return MINIMAL + "description: &d text\nrisks: [" + ", ".join(["*d"] * 101) + "]\n"


def _flow_deep() -> str:
    return "[" * 10_000 + "]" * 10_000 + "\n"


def _block_deep_compact() -> str:
    return "- " * 10_000 + "x\n"


def _block_deep_indented() -> str:
    # Indented block nesting grows quadratically: 2,000 levels is already 2 MB.
    return "".join(" " * i + f"k{i}:\n" for i in range(2_000)) + " " * 2_000 + "end: 1\n"


TEXT_CASES: dict[str, tuple[str, int | None, int | None, tuple[str, ...]]] = {
    # name: (file text, line, column, words the message must contain)
    "billion_laughs": (_billion_laughs(), 5, 8, ("alias bomb",)),
    "doubling_alias_bomb": (_doubling_bomb(), None, None, ("alias bomb",)),
    "too_many_aliases": (_many_aliases(), 6, 409, ("aliases", "100")),
    "cyclic_alias": (MINIMAL + "partners: &p\n  - *p\n", 6, 5, ("*p", "contains it")),
    "cyclic_alias_mapping": (MINIMAL + "governance: &g\n  formality: *g\n", 6, 14, ("*g",)),
    "reused_anchor": (
        "schema_version: 1\nname: &n A\ndescription: &n B\n"
        "objectives:\n  integrating_primary_care: 4\n",
        3,
        14,
        ("anchor &n", "line 2"),
    ),
    "undefined_alias": (MINIMAL + "description: *nowhere\n", 5, 14, ("*nowhere",)),
    "nesting_flow_10000": (_flow_deep(), 1, 101, ("nesting", "100")),
    "nesting_block_compact_10000": (_block_deep_compact(), 1, 201, ("nesting", "100")),
    "nesting_block_indented_2000": (_block_deep_indented(), 101, 101, ("nesting",)),
    "duplicate_key": (
        "schema_version: 1\nname: A\nname: B\nobjectives:\n  integrating_primary_care: 4\n",
        3,
        1,
        ("duplicate key 'name'", "line 2", "line 3"),
    ),
    "duplicate_nested_key": (
        MINIMAL + "governance:\n  formality: informal\n  formality: merger\n",
        7,
        3,
        ("duplicate key 'formality'", "line 6", "line 7"),
    ),
    "yaml_1_1_directive": (
        "%YAML 1.1\n---\n" + MINIMAL + "sustainability:\n  can_do_alone: yes\n",
        1,
        1,
        ("%YAML 1.1", "yes/no"),
    ),
    "yaml_1_1_after_comment": (
        "# made by a YAML 1.1 tool\n%YAML 1.1\n---\n" + MINIMAL + "risks: [no]\n",
        2,
        1,
        ("%YAML 1.1",),
    ),
    "two_documents": (MINIMAL + "---\n" + MINIMAL, 5, 1, ("second YAML document",)),
    "tab_indentation": (
        "schema_version: 1\nname: A\nobjectives:\n\tintegrating_primary_care: 4\n",
        4,
        1,
        ("tab",),
    ),
    "control_character": (MINIMAL.replace("Minimal", "Mini\x07mal"), 2, 11, ("U+0007",)),
    "nul_character": (MINIMAL + "description: a\x00b\n", 5, 15, ("U+0000",)),
    "escape_character": (MINIMAL + "description: \x1b[31mred\n", 5, 14, ("U+001B",)),
    "empty_file": ("", 1, 1, ("empty",)),
    "only_a_comment": ("# nothing here\n\n", 1, 1, ("empty",)),
    "only_null": ("~\n", 1, 1, ("empty",)),
    "a_list_not_a_mapping": ("- a\n- b\n", 1, 1, ()),
    "a_scalar": ("just some text\n", 1, 1, ()),
    "python_tag": (
        MINIMAL + "description: !!python/object/apply:os.system [echo hi]\n",
        5,
        14,
        ("python/object",),
    ),
    "integer_too_long": (MINIMAL.replace(": 4", ": 4" + "0" * 5_000), 4, 29, ("digits",)),
    "impossible_date": (MINIMAL + "description: 2020-13-45\n", 5, 14, ("month",)),
    "unhashable_key": (MINIMAL + "? {a: 1}\n: x\n", None, None, ("unhashable",)),
    "unclosed_quote": (MINIMAL + 'description: "never closed\n', None, None, ()),
    "too_many_nodes": (
        MINIMAL + "risks: [" + ",".join(["r"] * 30_000) + "]\n",
        5,
        None,
        ("nodes",),
    ),
    "huge_values_in_messages": (
        MINIMAL.replace("schema_version: 1", "schema_version: &big [" + "x, " * 5_000 + "x]")
        + "governance: {formality: *big}\n",
        None,
        None,
        (),
    ),
}


@pytest.mark.parametrize("case", sorted(TEXT_CASES))
def test_hostile_text_refused(ncm: Any, tmp_path: Path, case: str) -> None:
    text, line, col, words = TEXT_CASES[case]
    path = tmp_path / f"{case}.yaml"
    path.write_bytes(text.encode("utf-8"))
    check_refused(ncm, path, line, col, words)


def test_huge_values_are_shortened_in_messages(ncm: Any, tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.yaml",
        MINIMAL.replace("Minimal partnership", "x" * 20_000)
        + "governance: {formality: "
        + "y" * 20_000
        + "}\n",
    )
    result = timed(ncm, "validate", str(path))
    assert result.exit_code == 1
    assert all(len(m.group(0)) < 1_000 for m in located_lines(result.stderr)), result.stderr


BYTE_CASES: dict[str, tuple[bytes, int | None, int | None, tuple[str, ...]]] = {
    "invalid_utf8": (
        b"schema_version: 1\nname: caf\xe9 \xff\nobjectives:\n  integrating_primary_care: 4\n",
        2,
        10,
        ("UTF-8",),
    ),
    "utf16_with_bom": (MINIMAL.encode("utf-16"), 1, 1, ("UTF-16",)),
    "utf16_without_bom": (MINIMAL.encode("utf-16-le"), 1, 1, ("UTF-8",)),
    "utf32": (MINIMAL.encode("utf-32"), 1, 1, ("UTF-32",)),
    "binary_garbage": (random.Random(6).randbytes(4096), 1, 1, ()),
    "binary_garbage_after_yaml": (
        MINIMAL.encode() + b"description: " + random.Random(7).randbytes(512),
        5,
        None,
        (),
    ),
    "elf_header": (b"\x7fELF\x02\x01\x01" + bytes(200), 1, 1, ()),
}


@pytest.mark.parametrize("case", sorted(BYTE_CASES))
def test_hostile_bytes_refused(ncm: Any, tmp_path: Path, case: str) -> None:
    raw, line, col, words = BYTE_CASES[case]
    path = tmp_path / f"{case}.yaml"
    path.write_bytes(raw)
    check_refused(ncm, path, line, col, words)


def test_utf8_bom_is_accepted(ncm: Any, tmp_path: Path) -> None:
    """Decision: a UTF-8 BOM is dropped silently, as most editors and YAML tools do."""
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    result = timed(ncm, "validate", str(path))
    assert result.exit_code == 0, result.output
    scored = timed(ncm, "score", str(path), "--format", "json")
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["results"][0]["name"] == "Minimal partnership"


def test_yaml_1_2_directive_is_accepted(ncm: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "v12.yaml", "%YAML 1.2\n---\n" + MINIMAL)
    assert timed(ncm, "validate", str(path)).exit_code == 0


def test_aliases_within_limits_are_fine(ncm: Any, tmp_path: Path) -> None:
    """Aliases are legal: a profile that shares a partner 100 times is valid and quick."""
    text = (
        MINIMAL
        + "partners:\n  - &p {name: Shared, kind: gp_practice}\n"
        + "".join("  - *p\n" for _ in range(99))
    )
    path = write(tmp_path / "aliased.yaml", text)
    result = timed(ncm, "score", str(path), "--format", "json")
    assert result.exit_code == 0, result.output


def test_alias_heavy_invalid_profile_is_quick(ncm: Any, tmp_path: Path) -> None:
    """A small file whose aliases all point at a large invalid node: one error per use, each
    short, and no blow-up in validation."""
    text = (
        MINIMAL
        + "description: &big ["
        + ", ".join(f"item{i}" for i in range(900))
        + "]\n"
        + "risks: ["
        + ", ".join(["*big"] * 10)
        + "]\n"
    )
    path = write(tmp_path / "heavy.yaml", text)
    result = timed(ncm, "validate", str(path))
    assert result.exit_code == 1
    lines = located_lines(result.stderr)
    assert 1 <= len(lines) <= loader.MAX_DIAGNOSTICS + 1
    assert all(len(m.group(0)) < 500 for m in lines)


def test_nesting_at_the_limit_is_parsed(ncm: Any, tmp_path: Path) -> None:
    """Just under the depth limit nothing recurses too deeply: a located schema error."""
    depth = loader.MAX_DEPTH - 2
    flow = write(tmp_path / "flow.yaml", MINIMAL + "risks: " + "[" * depth + "]" * depth + "\n")
    block = write(
        tmp_path / "block.yaml",
        MINIMAL
        + "description:\n"
        + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(depth))
        + " " * (depth + 1)
        + "x: 1\n",
    )
    for path, line in ((flow, 5), (block, 6)):
        result = timed(ncm, "validate", str(path))
        assert result.exit_code == 1, result.output
        assert [int(m["line"]) for m in located_lines(result.stderr)] == [line], result.stderr


def test_fifty_megabytes_refused_by_size(ncm: Any, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: instant to make, never read
    check_refused(ncm, path, 1, 1, ("52428800 bytes", "limit"))  # the size, from stat: not read


def test_just_over_the_limit_refused(ncm: Any, tmp_path: Path) -> None:
    path = tmp_path / "over.yaml"
    path.write_bytes(MINIMAL.encode() + b"#" * loader.MAX_FILE_BYTES)
    check_refused(ncm, path, 1, 1, ("limit",))


def test_directory_where_a_file_is_expected(ncm: Any, pack_copy: Path) -> None:
    """A content pack whose pack.yaml is a folder: located, exit 1, nothing else breaks."""
    (pack_copy / "pack.yaml").unlink()
    (pack_copy / "pack.yaml").mkdir()
    result = timed(ncm, "validate", str(pack_copy))
    assert result.exit_code == 1, result.output
    files = {(m["file"], m["message"]) for m in located_lines(result.stderr)}
    assert (str(pack_copy / "pack.yaml"), "is a directory, expected a YAML file") in files


def test_directory_named_like_a_model(ncm: Any, pack_copy: Path) -> None:
    (pack_copy / "models" / "zzz.yaml").mkdir()
    result = timed(ncm, "validate", str(pack_copy))
    assert result.exit_code == 1, result.output
    messages = {m["message"] for m in located_lines(result.stderr)}
    assert "is a directory, expected a YAML file" in messages


def test_loader_refuses_a_directory(tmp_path: Path) -> None:
    model, diags = loader.load_model(tmp_path, Profile)
    assert model is None
    assert [(d.line, d.column, d.message) for d in diags] == [
        (1, 1, "is a directory, expected a YAML file")
    ]


@posix_only
def test_fifo_does_not_hang(ncm: Any, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    check_refused(ncm, fifo, 1, 1, ("not a regular file",))


@posix_only
@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: root can read a chmod 000 file, so there is nothing to refuse",
)
def test_unreadable_file(ncm: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "secret.yaml", MINIMAL)
    path.chmod(0)
    try:
        check_refused(ncm, path, 1, 1, ("cannot read", "permission"))
    finally:
        path.chmod(0o644)


def test_dangling_symlink(ncm: Any, tmp_path: Path) -> None:
    link = tmp_path / "gone.yaml"
    link.symlink_to(tmp_path / "nowhere.yaml")
    result = timed(ncm, "validate", str(link))
    assert result.exit_code == 1
    assert located_lines(result.stderr)


# ---------------------------------------------------------------- hostile beside valid


@dataclass
class Hostile:
    name: str
    make: Callable[[Path], object]


def _contents(raw: bytes) -> Callable[[Path], object]:
    return lambda path: path.write_bytes(raw)


def _sparse(path: Path) -> None:
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)


HOSTILE_IN_BATCH = [
    *(Hostile(f"t_{n}.yaml", _contents(t.encode())) for n, (t, *_) in TEXT_CASES.items()),
    *(Hostile(f"b_{n}.yaml", _contents(raw)) for n, (raw, *_) in BYTE_CASES.items()),
    Hostile("fifo.yaml", os.mkfifo),
    Hostile("huge.yaml", _sparse),
    Hostile("dangling.yaml", lambda p: p.symlink_to(p.parent / "nowhere")),
]


def test_batch_scores_valid_profiles_beside_hostile_ones(ncm: Any, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    valid = sorted(EXAMPLES.glob("*.yaml"))
    for p in valid:
        shutil.copy(p, batch / p.name)
    bom = batch / "with_bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    for h in HOSTILE_IN_BATCH:
        h.make(batch / h.name)
    (batch / "a_folder.yaml").mkdir()  # folders are walked, not read as files

    result = timed(ncm, "score", str(batch), "--format", "json")
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    scored = sorted(Path(r["profile"]).name for r in data["results"])
    assert scored == sorted([p.name for p in valid] + [bom.name])
    failed = {Path(e["profile"]).name for e in data["errors"]}
    assert failed == {h.name for h in HOSTILE_IN_BATCH}
    assert all(e["line"] >= 1 and e["column"] >= 1 for e in data["errors"])
    located_lines(result.stderr)

    checked = timed(ncm, "validate", str(batch))
    assert checked.exit_code == 1
    assert {Path(m["file"]).name for m in located_lines(checked.stderr)} == failed
