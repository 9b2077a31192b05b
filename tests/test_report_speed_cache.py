"""The compiled bundled templates kept in the private cache folder (`render.template_cache`):
an entry is used only when its HMAC proves this user wrote it and it was made by this version
from this source; anything else is compiled again, and a report is the same either way."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest

from ncm_toolkit.content import _CACHE_KEY, _mac
from ncm_toolkit.render import report
from ncm_toolkit.render.template_cache import PrivateBytecodeCache

from .conftest import EXAMPLES, write

PROFILE = EXAMPLES / "south_borough_integration.yaml"


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("template-*.jinja"))


def signed(cache: Path, name: str, payload: bytes) -> bytes:
    """An entry authenticated with the folder's own key: what only its owner can write."""
    return payload + _mac((cache / _CACHE_KEY).read_bytes(), name, payload)


def env_over(folder: Path) -> jinja2.Environment:
    """A fresh environment over FOLDER with the cache, as the bundled one is made."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=PrivateBytecodeCache()
    )


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NCM_CACHE_DIR", str(folder))
    return folder


def planted_code(entry: Path) -> bytes:
    """An entry's payload with other code: a template printing "Planted", under the stamp and
    source checksum of `a.j2` as the tests write it (what someone could compute and plant)."""
    other = jinja2.Environment()
    checksum = PrivateBytecodeCache().get_source_checksum(SOURCE)
    bucket = jinja2.bccache.Bucket(other, "", checksum)
    bucket.code = other.compile("Planted {{ who }}\n", "a.j2")
    stamp = entry.read_bytes()[:-32].split(b"\n", 1)[0] + b"\n"
    return stamp + bucket.bytecode_to_string()


SOURCE = "Hello {{ who }}\n"


def test_a_compiled_template_is_kept_and_used(cache: Path, tmp_path: Path) -> None:
    write(tmp_path / "t" / "a.j2", SOURCE)
    assert env_over(tmp_path / "t").get_template("a.j2").render(who="A") == "Hello A"
    (entry,) = entries(cache)
    assert os.name != "posix" or entry.stat().st_mode & 0o077 == 0  # private, as the pack's
    # the entry is what the next environment runs: code signed with the folder's key is used
    entry.write_bytes(signed(cache, entry.name, planted_code(entry)))
    assert env_over(tmp_path / "t").get_template("a.j2").render(who="A") == "Planted A"


def test_an_entry_not_signed_with_the_folders_key_is_ignored(cache: Path, tmp_path: Path) -> None:
    write(tmp_path / "t" / "a.j2", SOURCE)
    env_over(tmp_path / "t").get_template("a.j2")
    (entry,) = entries(cache)
    good = entry.read_bytes()
    entry.write_bytes(planted_code(entry) + good[-32:])  # the HMAC of other bytes
    assert env_over(tmp_path / "t").get_template("a.j2").render(who="A") == "Hello A"
    assert entry.read_bytes() == good  # compiled again and put back


def test_a_changed_template_is_compiled_again(cache: Path, tmp_path: Path) -> None:
    tpl = write(tmp_path / "t" / "a.j2", SOURCE)
    env_over(tmp_path / "t").get_template("a.j2")
    tpl.write_text("Goodbye {{ who }}\n")
    assert env_over(tmp_path / "t").get_template("a.j2").render(who="A") == "Goodbye A"
    assert len(entries(cache)) == 1  # replaced, not added


def test_an_entry_made_by_another_version_is_compiled_again(cache: Path, tmp_path: Path) -> None:
    write(tmp_path / "t" / "a.j2", SOURCE)
    env_over(tmp_path / "t").get_template("a.j2")
    (entry,) = entries(cache)
    payload = entry.read_bytes()[:-32]
    stamp, code = payload.split(b"\n", 1)
    old = stamp.replace(b"ncm ", b"ncm 0.0.0-old ") + b"\n" + code
    entry.write_bytes(signed(cache, entry.name, old))
    assert env_over(tmp_path / "t").get_template("a.j2").render(who="A") == "Hello A"
    assert entry.read_bytes()[:-32] == payload


def test_user_templates_do_not_use_it(cache: Path, tmp_path: Path) -> None:
    write(tmp_path / "tpl" / "report.md.j2", "# {{ profile.name }}\n")
    env = report.environment(tmp_path / "tpl")
    assert env.bytecode_cache is None
    assert report._make_environment(None).bytecode_cache is not None


@pytest.fixture
def fresh_environment() -> Iterator[None]:
    """The bundled environment is made once per process (`report._bundled_environment`); each
    run below makes it afresh, as a new `ncm` process does, and none is left for later tests."""
    report._bundled_environment.cache_clear()
    yield
    report._bundled_environment.cache_clear()


def ncm_run(ncm: Any, monkeypatch: pytest.MonkeyPatch, out: Path, cache: str) -> str:
    """`ncm report` with the cache folder CACHE and the bundled environment made afresh: what a
    new process starts from (in-process, to save a Python start-up and imports per run)."""
    monkeypatch.setenv("NCM_CACHE_DIR", cache)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    report._bundled_environment.cache_clear()
    result = ncm("report", str(PROFILE), "-o", str(out), "--force")
    assert result.exit_code == 0, result.stderr
    return out.read_text()


def test_reports_are_the_same_from_the_cache_or_without(
    ncm: Any, monkeypatch: pytest.MonkeyPatch, cache: Path, tmp_path: Path, fresh_environment: None
) -> None:
    out = tmp_path / "r.html"
    without = ncm_run(ncm, monkeypatch, out, "off")
    assert ncm_run(ncm, monkeypatch, out, str(cache)) == without  # compiled and kept
    assert entries(cache)
    assert ncm_run(ncm, monkeypatch, out, str(cache)) == without  # read back
    for entry in entries(cache):  # tampered: one byte of the code changed
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 1
        entry.write_bytes(bytes(data))
    assert ncm_run(ncm, monkeypatch, out, str(cache)) == without
