"""The bundled templates, compiled, kept between runs in the private cache folder: compiling
them takes as long as rendering dozens of reports (0.14 s), reading them back under 1 ms.
Compiled code runs when loaded, so an entry is trusted as the content pack cache is
(`content.read_cached`): only from the private folder, only when its HMAC proves this user
wrote it. User templates never use it."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from ncm_toolkit import __version__
from ncm_toolkit.content import read_cached, write_cached

_CONFIGURED = Path(__file__).with_name("report.py")
"""Where the environment's options are set: a change there (in a checkout) compiles anew."""


class PrivateBytecodeCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache on `content.read_cached` and `write_cached`. An entry's name
    depends on the template and on the environment's `finalize` (the Markdown overlay compiles
    differently); its payload starts with the versions of ncm, Jinja and Python and the
    environment's code, so an entry made by another version is compiled again and replaced
    (one entry per template: nothing to prune). Jinja itself recompiles a changed template
    (the payload holds a checksum of the source)."""

    def load_bytecode(self, bucket: Bucket) -> None:
        payload = read_cached(_name(bucket))
        stamp = _stamp()
        if payload is not None and payload.startswith(stamp):
            bucket.bytecode_from_string(payload[len(stamp) :])

    def dump_bytecode(self, bucket: Bucket) -> None:
        write_cached(_name(bucket), _stamp() + bucket.bytecode_to_string())


def _name(bucket: Bucket) -> str:
    finalize = getattr(bucket.environment.finalize, "__qualname__", "")
    key = hashlib.sha256(f"{bucket.key}\0{finalize}".encode()).hexdigest()[:24]
    return f"template-{key}.jinja"


def _stamp() -> bytes:
    try:
        configured = _CONFIGURED.stat().st_mtime_ns
    except OSError:
        configured = 0
    made_by = f"ncm {__version__}\0jinja2 {jinja2.__version__}\0{sys.version}\0{configured}\n"
    return made_by.encode()
