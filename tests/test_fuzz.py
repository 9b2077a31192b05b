"""Property-based tests (issue 6, part 5): valid profiles, generated from the schema, then
mutated (keys dropped, renamed, retyped, duplicated; bytes corrupted), run through the real
CLI. Whatever the input: no traceback, exit code 0 or 1, every error located at a real
line and column, and the valid files in a batch still scored.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from ncm_toolkit.cli.main import app
from ncm_toolkit.read import loader, yamlfile
from ncm_toolkit.vocabulary import FORMALITIES, OBJECTIVE_IDS, PARTNER_KINDS

LOCATED = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")
SUMMARY = re.compile(r"^\d+ errors? in \d+ files? checked$")

# NCM_FUZZ_EXAMPLES=2000 for a longer hunt; the default keeps the file under half a minute.
EXAMPLES = int(os.environ.get("NCM_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    deadline=None,
    max_examples=EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


RUNNER = CliRunner()


def run(*args: str) -> Any:
    result = RUNNER.invoke(app, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output, result.output
    assert "internal error" not in result.stderr, result.stderr
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    return result


def located(stderr: str, texts: dict[str, bytes]) -> list[re.Match[str]]:
    """Every stderr line is `FILE:LINE:COL: message` (or the summary), at a place that exists."""
    found = []
    for line in stderr.splitlines():
        if SUMMARY.match(line):
            continue
        m = LOCATED.match(line)
        assert m, f"unlocated error line: {line!r}"
        assert m["file"] in texts, line
        assert 1 <= int(m["line"]) <= texts[m["file"]].count(b"\n") + 2, line
        assert int(m["col"]) >= 1, line
        found.append(m)
    return found


# ---------------------------------------------------------------- generating valid profiles

TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn", "Co")), min_size=1, max_size=30)
OPTIONAL_TEXT = st.none() | TEXT


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(OBJECTIVE_IDS), min_size=1, unique=True))
    objectives = {oid: draw(st.integers(0, 5)) for oid in chosen}
    objectives[draw(st.sampled_from(chosen))] = draw(st.integers(1, 5))
    profile: dict[str, Any] = {"schema_version": 1, "name": draw(TEXT)}
    optional: dict[str, st.SearchStrategy[Any]] = {
        "description": OPTIONAL_TEXT,
        "partners": st.lists(
            st.fixed_dictionaries({"name": TEXT, "kind": st.sampled_from(PARTNER_KINDS)}),
            max_size=4,
        ),
        "sustainability": st.none()
        | st.fixed_dictionaries(
            {},
            optional={
                "configuration_must_change": st.none() | st.booleans(),
                "can_do_alone": st.none() | st.booleans(),
            },
        ),
        "risks": st.lists(TEXT, max_size=3),
        "commissioning": st.none()
        | st.fixed_dictionaries({}, optional={"functions_remain": st.none() | st.booleans()}),
        "governance": st.none()
        | st.fixed_dictionaries(
            {},
            optional={
                "formality": st.none() | st.sampled_from(FORMALITIES),
                "accountability": OPTIONAL_TEXT,
            },
        ),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            profile[key] = draw(strategy)
    profile["objectives"] = objectives
    return profile


def dump(data: Any, flow: bool) -> bytes:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = flow
    yaml.allow_unicode = True
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue().encode("utf-8")


def dump_valid(data: Any, flow: bool) -> bytes:
    """`dump`, where ruamel reads its own output back. Its emitter writes a few plain scalars
    in flow style that no parser of ours accepts (`{name: ?0}`); those are not our bug."""
    raw = dump(data, flow)
    try:
        assume(YAML(typ="safe", pure=True).load(raw.decode()) == data)
    except Exception:
        assume(False)
    return raw


# ---------------------------------------------------------------- mutations


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield (*prefix, i)
            yield from _paths(v, (*prefix, i))


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for p in path[:-1]:
        data = data[p]
    return data


def _retyped(value: Any) -> list[Any]:
    if isinstance(value, bool):
        return ["no", "yes", 1, None]
    if isinstance(value, int):
        return [str(value), float(value), True, -value - 1, 10**30]
    if isinstance(value, str):
        return [42, True, None, [value], {value: value}, value * 400]
    if isinstance(value, list):
        return [value[0] if value else "scalar", "scalar", {"k": value}]
    if isinstance(value, dict):
        return [list(value.values()), "text", 3]
    return [{}, [], "text", 0]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid profile, mutated so that it is probably (not certainly) invalid."""
    data = draw(profiles())
    kind = draw(st.sampled_from(["drop", "rename", "retype", "duplicate", "corrupt", "truncate"]))
    if kind in ("drop", "rename", "retype"):
        paths = [p for p in _paths(data) if kind == "retype" or isinstance(p[-1], str)]
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        if kind == "drop":
            del parent[path[-1]]
        elif kind == "rename":
            key = path[-1]
            new = draw(st.sampled_from([key + "s", key.upper(), key[:-1], "colour", "x"]) | TEXT)
            parent[new] = parent.pop(key)
        else:
            parent[path[-1]] = draw(st.sampled_from(_retyped(parent[path[-1]])))
    raw = dump(data, kind != "duplicate" and draw(st.booleans()))
    if kind == "duplicate":
        lines = raw.decode().splitlines(keepends=True)
        keyed = [i for i, ln in enumerate(lines) if re.match(r"^\s*(- )?[a-z_]+:", ln)]
        i = draw(st.sampled_from(keyed))
        copy = re.sub(r"^(\s*)- ", r"\1  ", lines[i])
        raw = "".join([*lines[: i + 1], copy, *lines[i + 1 :]]).encode()
    elif kind == "corrupt":
        buf = bytearray(raw)
        for _ in range(draw(st.integers(1, 8))):
            pos = draw(st.integers(0, len(buf) - 1))
            new = draw(st.binary(min_size=0, max_size=4))
            buf[pos : pos + draw(st.integers(0, 2))] = new
        raw = bytes(buf)
    elif kind == "truncate":
        raw = raw[: draw(st.integers(0, len(raw) - 1))]
    return raw


# ---------------------------------------------------------------- the properties


def _write(folder: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    shown = {}
    for name, raw in files.items():
        path = folder / name
        path.write_bytes(raw)
        shown[str(path)] = raw
    return shown


@FUZZ
@given(profile=profiles(), flow=st.booleans())
def test_valid_profiles_validate_and_score(
    tmp_path_factory: pytest.TempPathFactory, profile: dict[str, Any], flow: bool
) -> None:
    folder = tmp_path_factory.mktemp("valid")
    (path,) = _write(folder, {"p.yaml": dump_valid(profile, flow)})
    checked = run("validate", path)
    assert checked.exit_code == 0, checked.output
    scored = run("score", path, "--format", "json")
    assert scored.exit_code == 0, scored.output
    data = json.loads(scored.stdout)
    assert [r["profile"] for r in data["results"]] == [path]
    assert data["errors"] == []


@FUZZ
@given(
    valid=st.lists(profiles(), min_size=1, max_size=3),
    broken=st.lists(mutated(), min_size=1, max_size=4),
    flow=st.booleans(),
)
def test_mutated_profiles_never_crash_and_never_stop_a_batch(
    tmp_path_factory: pytest.TempPathFactory,
    valid: list[dict[str, Any]],
    broken: list[bytes],
    flow: bool,
) -> None:
    folder = tmp_path_factory.mktemp("batch")
    good = _write(folder, {f"good{i}.yaml": dump_valid(p, flow) for i, p in enumerate(valid)})
    bad = _write(folder, {f"mutant{i}.yaml": raw for i, raw in enumerate(broken)})
    texts = {**good, **bad}

    checked = run("validate", str(folder))
    flagged = {m["file"] for m in located(checked.stderr, texts)}
    assert flagged <= set(bad), "a valid profile was reported invalid"
    assert checked.exit_code == (1 if flagged else 0)

    scored = run("score", str(folder), "--format", "json")
    data = json.loads(scored.stdout)
    results = {r["profile"] for r in data["results"]}
    errors = {e["profile"] for e in data["errors"]}
    assert set(good) <= results, "a valid profile was not scored"
    assert len(data["results"]) == len(results) == len(texts) - len(errors)
    assert errors == flagged and not (errors & results)
    assert scored.exit_code == (1 if errors else 0)
    assert {m["file"] for m in located(scored.stderr, texts)} == errors
    for e in data["errors"]:
        assert e["line"] >= 1 and e["column"] >= 1 and e["message"]

    for path in bad:  # and each file alone: exit 1 exactly when it has errors
        alone = run("validate", path)
        assert alone.exit_code == (1 if path in errors else 0), alone.output


@FUZZ
@given(raw=mutated())
def test_loader_never_raises(raw: bytes) -> None:
    """The Python API under the CLI: any bytes give a model or located diagnostics."""
    from ncm_toolkit.profile import Profile

    try:
        text = loader.decode(raw)
        data = loader.parse(text)
    except loader.LoadError as exc:
        assert exc.line >= 1 and exc.column >= 1 and exc.message
        return
    model, diags = loader.validate_data(data, Profile, "f.yaml", text)
    assert (model is None) == bool(diags)
    assert all(d.line >= 1 and d.column >= 1 for d in diags)


def _nested(depth: int, mapping: bool) -> Any:
    node: Any = "x"
    for level in range(depth):
        node = {f"k{level}": node} if mapping else [node]
    return node


@settings(deadline=None, max_examples=80)
@given(
    depth=st.integers(1, 130),
    mapping=st.booleans(),
    flow=st.none() | st.booleans(),
    wide=st.integers(0, 3),
)
def test_the_structure_scan_refuses_deep_nesting_in_any_style(
    depth: int, mapping: bool, flow: bool | None, wide: int
) -> None:
    """Every file is scanned: nesting beyond MAX_DEPTH is refused in block and flow style,
    and anything within it loads."""
    data = {"a": _nested(depth, mapping), "b": [[["y"] * wide]] * wide}
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = flow
    out = io.StringIO()
    yaml.dump(data, out)
    text = out.getvalue()
    if depth + 1 > loader.MAX_DEPTH:
        with pytest.raises(loader.LoadError, match="nesting"):
            loader.parse(text)
    else:
        assert loader.parse(text) == data


# ---------------------------------------------------------------- the fast YAML path


def _typed(value: Any) -> Any:
    """The value with every scalar's type beside it: True == 1 and 1 == 1.0 in Python, not here."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, value)


def _slow(text: str) -> Any:
    """What ruamel's own safe constructor builds (the slow path), or the exception it raises."""
    try:
        docs = yamlfile._load_docs(yamlfile._safe, text)
    except Exception as exc:
        return exc
    return docs[0] if len(docs) == 1 else ValueError("not one document")


TRICKY = st.sampled_from(
    [
        "0",
        "007",
        "-0",
        "+5",
        "0x1F",
        "0o17",
        "0b101",
        "1_000",
        "12:30",
        "١٢",
        "1.5",
        "1e3",
        ".inf",
        "-.Inf",
        ".NaN",
        "True",
        "TRUE",
        "true",
        "yes",
        "on",
        "off",
        "y",
        "Null",
        "~",
        "",
        "null",
        "2016-09-01",
        "2016-09-01 12:00:00",
        "<<",
        "!!str 5",
        "!!int '7'",
        "'5'",
        '"true"',
        "&a x",
        "*a",
        "!custom x",
        "[1, 2]",
        "{a: 1}",
        "? [a]",
        "- x",
        "a: b",
    ]
) | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@FUZZ
@given(scalar=TRICKY, other=TRICKY)
def test_fast_path_builds_what_ruamel_builds_or_steps_aside(scalar: str, other: str) -> None:
    """`fastyaml.load` is an optimisation only: for any text it returns exactly (types too) what
    ruamel's safe constructor builds, or None; never a value where ruamel refuses the file."""
    from ncm_toolkit.read import fastyaml

    for text in (
        f"key: {scalar}\nlist: [{other}, {scalar}]\nmap:\n  {scalar}: {other}\n",
        f"- {scalar}\n- {other}\n",
        f"{scalar}: 1\n{other}: 2\n",
    ):
        fast, slow = fastyaml.load(text), _slow(text)
        if isinstance(slow, Exception):
            assert fast is None, (text, fast, slow)
        elif fast is not None:
            assert _typed(fast) == _typed(slow), text


@FUZZ
@given(raw=mutated())
def test_fast_path_agrees_on_mutated_profiles(raw: bytes) -> None:
    from ncm_toolkit.read import fastyaml

    try:
        text = loader.decode(raw)
    except loader.LoadError:
        return
    fast, slow = fastyaml.load(text), _slow(text)
    if isinstance(slow, Exception):
        assert fast is None
    elif fast is not None:
        assert _typed(fast) == _typed(slow)


def test_fast_path_takes_ordinary_profiles() -> None:
    """The benchmark's point: ordinary files must not fall back to the slow path."""
    from ncm_toolkit.read import fastyaml

    for path in sorted(Path("examples/profiles").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert fastyaml.load(text) == _slow(text) != None, path  # noqa: E711


def test_fast_path_memo_stays_small():
    """The resolver memo keeps only short scalars, so long text in a batch cannot pile up."""
    from ncm_toolkit.read import fastyaml

    fastyaml._tags.clear()
    for i in range(50):
        assert fastyaml.load(f"name: {'long text ' * 50}{i}\nn: {i}\n") is not None
    assert fastyaml._tags and max(len(k) for k in fastyaml._tags) <= fastyaml._MEMO_TEXT
