"""Hostile and careless content packs (issue 12): packs that validate but broke scoring
(item 12), pack files above the size limit (item 13), the pack cache (item 2), and files that
libyaml refuses (item 11). Through the real CLI where the behaviour is visible there."""

from __future__ import annotations

import builtins
import dataclasses
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ncm_toolkit.content import _CACHE_KEY, CACHE_KEEP, _mac, bundled_content_dir, load_pack
from ncm_toolkit.profile import Profile
from ncm_toolkit.schemas import ScoringRules
from ncm_toolkit.scoring import score_profile
from ncm_toolkit.vocabulary import FORMALITIES, OBJECTIVE_IDS, OPTION_IDS, PARTNER_KINDS

from .conftest import EXAMPLES, MINIMAL, PROPERTY_EXAMPLES, posix_only, write

PROFILE = str(EXAMPLES / "north_practices.yaml")


def edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# --- item 12: every number the scorer uses is range-checked -------------------------------


@pytest.mark.parametrize("value", ["0", "1", "2", "11", "100000000"])
def test_max_strength_out_of_range_is_a_located_error(ncm, pack_copy: Path, value: str) -> None:
    edit(pack_copy / "scoring.yaml", "\nmax_strength: 3\n", f"\nmax_strength: {value}\n")
    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1
    text = (pack_copy / "scoring.yaml").read_text(encoding="utf-8")
    line = text[: text.index("\nmax_strength:")].count("\n") + 2
    assert f"scoring.yaml:{line}:" in result.stderr and "max_strength" in result.stderr
    result = ncm("score", PROFILE, "--content", str(pack_copy))
    assert result.exit_code == 1 and "internal error" not in result.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  penalty_per_step: 8\n", "  penalty_per_step: .nan\n"),
        ("  penalty_per_step: 8\n", "  penalty_per_step: -1\n"),
        ("      gp_federation: 10\n", "      gp_federation: .inf\n"),
        ("      gp_federation: 10\n", "      gp_federation: 51\n"),
    ],
)
def test_other_scoring_numbers_are_range_checked(ncm, pack_copy: Path, old: str, new: str) -> None:
    edit(pack_copy / "scoring.yaml", old, new)
    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1
    assert "scoring.yaml:" in result.stderr


def test_penalties_below_minus_one_for_every_option_still_score(
    ncm, pack_copy: Path, tmp_path: Path
) -> None:
    """The winner search started from -1.0: with every total below it and a near tie (so the
    robustness check asks for the exact winner), `KeyError: ''`. Rules that take each option's
    base score and 60 points leave all ten level at -60, for the profile and for any change of
    its one importance."""
    profile = str(write(tmp_path / "one.yaml", MINIMAL))
    # the base scores of the bundled pack, which pack_copy is a copy of (the session's loaded
    # pack: the copy itself is read once, edited, below)
    result = ncm("score", profile, "--format", "json")
    base = {r["option"]: r["base"] for r in json.loads(result.stdout)["results"][0]["ranking"]}
    sink = "\n".join(f"      {o}: {-(b / 4) - 15:.4f}" for o, b in base.items())
    rules = "".join(
        f"  - id: sink_{i}\n    title: Everything loses\n    when: {{}}\n    effects:\n{sink}\n"
        "    reason: A test.\n"
        "    source: {document: module1, slide: 9,\n"
        "             section: 'Option 1: Multi-Site Trust – Overview'}\n"
        for i in range(4)
    )
    edit(pack_copy / "scoring.yaml", "\nrules:\n", "\nrules:\n" + rules)
    assert ncm("validate", str(pack_copy)).exit_code == 0
    for fmt in ("table", "json"):
        result = ncm("score", profile, "--content", str(pack_copy), "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "internal error" not in result.stderr


_PACK = None


def _pack():
    global _PACK
    if _PACK is None:
        _PACK = load_pack()
    return _PACK


def declared(model: Any, name: str) -> tuple[int, int]:
    """The range the model declares for a number (an open end capped at 1,000 here)."""
    lo, hi = 0, 1000
    for m in model.model_fields[name].metadata:
        lo = getattr(m, "ge", lo)
        hi = getattr(m, "le", hi)
    return lo, hi


kinds = st.lists(st.sampled_from(PARTNER_KINDS), max_size=4, unique=True)
flag = st.none() | st.booleans()
effects = st.dictionaries(
    st.sampled_from(OPTION_IDS),
    st.floats(min_value=-50, max_value=50, allow_nan=False),
    min_size=1,
)
when = st.fixed_dictionaries(
    {},
    optional={
        "partners": st.fixed_dictionaries(
            {}, optional={"only": kinds, "any": kinds, "none": kinds}
        ),
        "configuration_must_change": st.booleans(),
        "can_do_alone": st.booleans(),
        "functions_remain": st.booleans(),
    },
)
rule = st.builds(
    lambda i, w, e: {
        "id": f"r{i}",
        "title": "T",
        "when": w,
        "effects": e,
        "reason": "R",
        "source": {"document": "module1", "section": "S"},
    },
    st.integers(0, 10**6),
    when,
    effects,
)
scoring = st.builds(
    lambda top, rules, penalty, not_providers: {
        "max_strength": top,
        "not_providers": not_providers,
        "rules": rules,
        "formality_fit": {
            "penalty_per_step": penalty,
            "reason": "R",
            "source": {"document": "module1", "section": "S"},
        },
        "collaborative_note": {"text": "N", "source": {"document": "module1", "section": "S"}},
    },
    st.integers(*declared(ScoringRules, "max_strength")),
    st.lists(rule, max_size=30),
    st.floats(min_value=0, max_value=50, allow_nan=False),
    kinds,
)
profile = st.builds(
    lambda imp, partners, a, b, c, form: {
        "name": "P",
        "objectives": imp,
        "partners": [{"name": f"p{i}", "kind": k} for i, k in enumerate(partners)],
        "sustainability": {"configuration_must_change": a, "can_do_alone": b},
        "commissioning": {"functions_remain": c},
        "governance": {"formality": form},
    },
    st.dictionaries(st.sampled_from(OBJECTIVE_IDS), st.integers(0, 5), min_size=1).filter(
        lambda d: any(d.values())
    ),
    kinds,
    flag,
    flag,
    flag,
    st.none() | st.sampled_from(FORMALITIES),
)


@settings(
    max_examples=PROPERTY_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(scoring, profile)
def test_no_valid_scoring_rules_crash_scoring(rules: dict, answers: dict) -> None:
    """Any scoring.yaml the model accepts scores any valid profile: ten options, ranked."""
    pack = dataclasses.replace(_pack(), scoring=ScoringRules.model_validate(rules))
    result = score_profile(pack, Profile.model_validate(answers))
    assert sorted(r.option for r in result.ranking) == sorted(OPTION_IDS)
    assert all(0 <= r.score <= 100 for r in result.ranking)
    assert result.robustness.winner == result.ranking[0].option


# --- item 13: a pack file's size is checked before anything reads it -----------------------


class ReadSpy:
    """Records every file opened for reading its content, by real path."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: set[str] = set()
        real_open, real_fdopen = io.open, os.fdopen

        def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, str | bytes | os.PathLike):
                self.paths.add(os.fsdecode(os.path.realpath(file)))
            return real_open(file, *args, **kwargs)

        def spy_fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
            self.paths.add(os.path.realpath(f"/proc/self/fd/{fd}"))
            return real_fdopen(fd, *args, **kwargs)

        monkeypatch.setattr(io, "open", spy_open)
        monkeypatch.setattr(builtins, "open", spy_open)
        monkeypatch.setattr(os, "fdopen", spy_fdopen)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name open files")
def test_oversized_pack_file_is_refused_unread(
    ncm, pack_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NCM_CACHE_DIR", str(tmp_path / "cache"))
    big = pack_copy / "models" / "mcp.yaml"
    os.truncate(big, 6 << 20)  # sparse: 6 MiB that cost nothing to make
    spy = ReadSpy(monkeypatch)
    for args in (["validate", str(pack_copy)], ["models", "--content", str(pack_copy)]):
        result = ncm(*args)
        assert result.exit_code == 1
        assert f"{big}:1:1: file is {6 << 20} bytes; the limit is" in result.stderr
    assert str(big.resolve()) not in spy.paths
    assert str((pack_copy / "models" / "pacs.yaml").resolve()) in spy.paths  # the spy works


# --- item 2: the pack cache never runs what this user did not write ------------------------


class Planted:
    """A pickle that, when loaded, creates a folder: proof that planted code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(self.marker),))


@pytest.fixture(scope="module")
def cached_pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the bundled pack (the tests below only read it) and a cache folder that one
    real run of `ncm models --content` filled for it, built once for the module."""
    from typer.testing import CliRunner

    from ncm_toolkit.cli.main import app

    root = tmp_path_factory.mktemp("cached")
    pack, cache = root / "pack", root / "cache"
    shutil.copytree(bundled_content_dir(), pack)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NCM_CACHE_DIR", str(cache))
        result = CliRunner().invoke(app, ["models", "--content", str(pack)])
    assert result.exit_code == 0, result.stderr
    assert len(list(cache.glob("pack-*.pickle"))) == 1
    return pack, cache


def filled_cache(
    cached_pack: tuple[Path, Path], cache: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """This test's own copy of the filled cache folder (modes and key kept), in use; return its
    entry."""
    shutil.copytree(cached_pack[1], cache)
    monkeypatch.setenv("NCM_CACHE_DIR", str(cache))
    (entry,) = cache.glob("pack-*.pickle")
    return entry


def signed(cache: Path, name: str, payload: bytes) -> bytes:
    """An entry authenticated with the folder's own key: what only the owner can write."""
    return payload + _mac((cache / _CACHE_KEY).read_bytes(), name, payload)


def test_planted_pickle_does_not_run(
    ncm, cached_pack: tuple[Path, Path], tmp_path: Path, monkeypatch
) -> None:
    entry = filled_cache(cached_pack, tmp_path / "cache", monkeypatch)
    marker = tmp_path / "pwned"
    entry.write_bytes(pickle.dumps(Planted(marker)))  # what an attacker can compute and plant
    result = ncm("models", "--content", str(cached_pack[0]))
    assert result.exit_code == 0, result.stderr
    assert not marker.exists()
    assert ncm("validate", str(cached_pack[0])).exit_code == 0
    assert not marker.exists()


@posix_only
def test_world_writable_cache_folder_is_not_trusted(
    ncm, cached_pack: tuple[Path, Path], tmp_path: Path, monkeypatch
) -> None:
    """In a folder anyone can write to, even a correctly signed entry may not be ours."""
    cache = tmp_path / "cache"
    entry = filled_cache(cached_pack, cache, monkeypatch)
    marker = tmp_path / "pwned"
    entry.write_bytes(signed(cache, entry.name, pickle.dumps(Planted(marker))))
    cache.chmod(0o777)
    assert ncm("models", "--content", str(cached_pack[0])).exit_code == 0
    assert not marker.exists()


def test_linked_cache_entry_is_not_followed(
    ncm, cached_pack: tuple[Path, Path], tmp_path: Path, monkeypatch
) -> None:
    cache = tmp_path / "cache"
    entry = filled_cache(cached_pack, cache, monkeypatch)
    marker = tmp_path / "pwned"
    elsewhere = tmp_path / "elsewhere.pickle"
    elsewhere.write_bytes(signed(cache, entry.name, pickle.dumps(Planted(marker))))
    entry.unlink()
    entry.symlink_to(elsewhere)
    assert ncm("models", "--content", str(cached_pack[0])).exit_code == 0
    assert not marker.exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_cache_entry_owned_by_another_user_is_not_trusted(
    ncm, cached_pack: tuple[Path, Path], tmp_path: Path, monkeypatch
) -> None:
    cache = tmp_path / "cache"
    entry = filled_cache(cached_pack, cache, monkeypatch)
    marker = tmp_path / "pwned"
    entry.write_bytes(signed(cache, entry.name, pickle.dumps(Planted(marker))))
    os.chown(entry, 65534, 65534)
    assert ncm("models", "--content", str(cached_pack[0])).exit_code == 0
    assert not marker.exists()


@posix_only
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_at_the_cache_entry_does_not_hang(
    cached_pack: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A FIFO where the cache entry belongs: `ncm` must neither wait on it nor fail."""
    entry = filled_cache(cached_pack, tmp_path / "cache", monkeypatch)
    env = {**os.environ, "NCM_CACHE_DIR": str(tmp_path / "cache")}
    cmd = [sys.executable, "-m", "ncm_toolkit", "models", "--content", str(cached_pack[0])]
    entry.unlink()
    os.mkfifo(entry)
    try:  # a child process: a hang ends at the timeout instead of hanging the suite
        done = subprocess.run(cmd, env=env, capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("ncm hung on a FIFO in the pack cache")
    assert done.returncode == 0, done.stderr


def test_old_entries_are_pruned(ncm, pack_copy: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    month = 31 * 24 * 3600
    for i in range(20):
        old = cache / f"pack-{i:024x}.pickle"
        old.write_bytes(b"x" * 100)
        age = month if i < 5 else 60 * i  # five older than 30 days, fifteen recent
        os.utime(old, (time.time() - age, time.time() - age))
    (cache / "other-tool.dat").write_bytes(b"not ours to delete")
    monkeypatch.setenv("NCM_CACHE_DIR", str(cache))
    assert ncm("models", "--content", str(pack_copy)).exit_code == 0
    left = sorted(p.name for p in cache.glob("pack-*.pickle"))
    assert len(left) == CACHE_KEEP
    assert all(time.time() - p.stat().st_mtime < month for p in cache.glob("pack-*.pickle"))
    assert (cache / "other-tool.dat").exists()
    # the entry just written is kept and used: a second run reads it
    assert ncm("models", "--content", str(pack_copy)).exit_code == 0


# --- item 11: a file that libyaml refuses is parsed once --------------------------------------


@pytest.fixture
def pure_passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts passes of ruamel's pure-Python parser (each starts with a stream-start event)."""
    from ruamel.yaml.parser import Parser

    count = [0]
    real = Parser.parse_stream_start

    def counted(self: Any) -> Any:
        count[0] += 1
        return real(self)

    monkeypatch.setattr(Parser, "parse_stream_start", counted)
    return count


# `[:x]` is YAML 1.2 that libyaml (a YAML 1.1 parser) refuses; the long description makes the
# file large enough for the structural scan, which used to parse it in pure Python too.
REFUSED = MINIMAL + "description: " + "words " * 1600 + "\nrisks: [:x, b]\n"


@pytest.mark.parametrize(
    ("extra", "code", "needle"),
    [
        ("", 0, ""),
        ("colour: blue\n", 1, ":7:1: colour: unknown key"),
        ("name: again\n", 1, ":7:1: duplicate key 'name': defined at line 2"),
        ("risks: [\n", 1, ":8:1:"),
    ],
)
def test_a_file_libyaml_refuses_is_parsed_once(
    ncm, tmp_path: Path, pure_passes: list[int], extra: str, code: int, needle: str
) -> None:
    path = write(tmp_path / "p.yaml", REFUSED + extra)
    result = ncm("validate", str(path))
    assert result.exit_code == code, result.stderr
    assert needle in result.stderr
    assert pure_passes[0] == 1


def test_large_file_libyaml_refuses_gets_its_error_without_pure_parse(
    ncm, tmp_path: Path, pure_passes: list[int]
) -> None:
    """Above MAX_PURE_CHARS the pure-Python parser (over a second per MiB) is not tried."""
    from ncm_toolkit.read.yamlfile import MAX_PURE_CHARS

    path = write(
        tmp_path / "p.yaml", MINIMAL + "risks: [:x]\ndescription: " + "w " * MAX_PURE_CHARS
    )
    result = ncm("validate", str(path))
    assert result.exit_code == 1
    assert f"{path}:5:9:" in result.stderr
    assert pure_passes[0] == 0


def test_duplicate_key_in_a_large_file_costs_no_pure_parse(
    ncm, tmp_path: Path, pure_passes: list[int]
) -> None:
    text = MINIMAL + "risks:\n" + "".join(f"  - {'w ' * 2000}\n" for _ in range(200))
    path = write(tmp_path / "p.yaml", text + "name: again\n")
    result = ncm("validate", str(path))
    assert result.exit_code == 1
    assert "duplicate key 'name': defined at line 2" in result.stderr
    assert pure_passes[0] == 0
