"""The content pack: where it lives, how its files are loaded and cached. The checks that span
its files are `pack_checks`'."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import secrets
import stat
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
import pydantic
from pydantic import BaseModel

from ncm_toolkit import __version__

# re-exported: the API and its callers find the bundled folders here, as before
from ncm_toolkit.bundled import PACKAGE
from ncm_toolkit.bundled import bundled_content_dir as bundled_content_dir
from ncm_toolkit.bundled import bundled_examples_dir as bundled_examples_dir
from ncm_toolkit.bundled import bundled_templates_dir as bundled_templates_dir
from ncm_toolkit.errors import Diagnostic, NcmError, per_file_limit
from ncm_toolkit.pack_checks import PackFiles, check_pack
from ncm_toolkit.plan_schemas import Forms, Workforce
from ncm_toolkit.read.loader import at, load_model
from ncm_toolkit.read.yamlfile import MAX_DIAGNOSTICS, MAX_FILE_BYTES
from ncm_toolkit.readiness_schemas import Blocking
from ncm_toolkit.schemas import (
    Background,
    CaseStudy,
    Considerations,
    Currency,
    LegalModels,
    Manifest,
    OptionModel,
    QuickGuide,
    ScoringRules,
    SourceSections,
)

# Single files of a pack: relative path -> schema.
SINGLE_FILES: dict[str, type[BaseModel]] = {
    "pack.yaml": Manifest,
    "legal/legal_models.yaml": LegalModels,
    "questions/considerations.yaml": Considerations,
    "questions/background.yaml": Background,
    "questions/quick_guide.yaml": QuickGuide,
    "scoring.yaml": ScoringRules,
    "plan/forms.yaml": Forms,
    "plan/workforce.yaml": Workforce,
    "currency.yaml": Currency,
    "sources/sections.yaml": SourceSections,
    "readiness/blocking.yaml": Blocking,
}


@dataclass
class ContentPack:
    root: Path
    manifest: Manifest
    options: dict[str, OptionModel]
    cases: dict[str, CaseStudy]
    legal: LegalModels
    considerations: Considerations
    background: Background
    quick_guide: QuickGuide
    scoring: ScoringRules
    currency: Currency
    digest: str
    files: dict[str, Path] = field(default_factory=dict)
    derived: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)
    """What is worked out from the pack once (the scoring plan, its arrays, the barriers'
    subjects, the report's fragments): it lives and dies with the pack, so two packs in one
    process never share it, and a copy (`dataclasses.replace`) starts with none of it. Not
    pickled (`__getstate__`): it is worked out again."""
    forms: Forms | None = None
    workforce: Workforce | None = None
    blocking: Blocking | None = None

    def __getstate__(self) -> dict[str, Any]:
        """A pickled pack (the cache, a spawned child) leaves its derived data behind: some
        of it (the report's fragment function) is not picklable, and all of it is remade."""
        return {**self.__dict__, "derived": {}}

    @property
    def version(self) -> str:
        return self.manifest.version

    def cases_for(self, option_id: str) -> list[CaseStudy]:
        return [c for c in self.cases.values() if c.option == option_id]

    def objective_title(self, objective_id: str) -> str:
        for o in self.manifest.objectives:
            if o.id == objective_id:
                return o.title
        return objective_id


def is_pack_dir(path: Path) -> bool:
    return (path / "models").is_dir()


def pack_files(root: Path) -> dict[str, Path]:
    """Every file of a pack, by its path relative to the pack folder."""
    files = {rel: root / rel for rel in SINGLE_FILES}
    for sub in ("models", "case_studies"):
        files.update({f"{sub}/{p.name}": p for p in sorted((root / sub).glob("*.y*ml"))})
    return files


def cache_dir() -> Path | None:
    """Where validated packs are cached: $NCM_CACHE_DIR (`off` disables it), else the user's
    cache folder of the platform (`platformdirs`: ~/.cache/ncm or $XDG_CACHE_HOME/ncm on
    Linux). Validating a pack takes far longer than reading a cached copy, and every command
    needs the pack."""
    configured = os.environ.get("NCM_CACHE_DIR")
    if configured is not None:
        return None if configured in ("", "off") else Path(configured)
    # A container's user with HOME unset and no passwd entry has no home folder: platformdirs
    # raises (4.x) or answers `~/.cache/ncm` (3.x), which would be made in the work folder; a
    # relative HOME likewise. Such a run goes uncached rather than fail or litter.
    try:
        found = Path(platformdirs.user_cache_dir("ncm", appauthor=False))
    except (RuntimeError, KeyError, OSError):
        return None
    return found if found.is_absolute() else None


CACHE_KEEP = 8
"""Cached packs kept: the newest few (one per pack and ncm version in use); older are pruned."""
CACHE_MAX_AGE = 30 * 24 * 3600
"""Cached packs not written for this many seconds are pruned."""
_CACHE_MAX_BYTES = 64 << 20
_CACHE_KEY = "hmac.key"


def load_pack(root: Path | None = None) -> ContentPack:
    """Load and cross-check a whole content pack; raise NcmError with every problem found.

    A pack that validated before is read from the cache, keyed by the hash of every file's
    bytes, the pack's folder, and the versions of ncm, Python and Pydantic. The cache is a
    pickle, which runs code when loaded, so an entry is loaded only from a private folder and
    only when its HMAC, made with a random key kept in that folder, proves that this user wrote
    it; any other entry is ignored and the pack is read from its files."""
    root = root or bundled_content_dir()
    folder = cache_dir()
    files = pack_files(root) if is_pack_dir(root) else {}
    # Sizes first: the cache key reads every file, and an oversized or odd one (FIFO, device)
    # must be refused by the loader, with its location, before anything reads it.
    if folder is None or not files or not all(_small_regular(p) for p in files.values()):
        return _load_pack(root)
    name = f"pack-{_cache_key(root, files)}.pickle"
    payload = read_cached(name)
    if payload is not None:
        try:
            pack = pickle.loads(payload)
        except Exception:
            pack = None
        if isinstance(pack, ContentPack):
            return pack
    pack = _load_pack(root)
    if write_cached(name, pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL)):
        _prune(folder, keep=name)
    return pack


def read_cached(name: str) -> bytes | None:
    """What this user cached as NAME (`write_cached`): the payload only if the private cache
    folder is trusted and the entry's HMAC, made with the folder's key, proves this user wrote
    it; else None (no cache, no entry, or an entry planted or changed by anyone else)."""
    folder = cache_dir()
    secret = None if folder is None else _cache_secret(folder)
    if folder is None or secret is None:
        return None
    blob = _read_private(folder / name, _CACHE_MAX_BYTES, 0o022)
    if blob is None or len(blob) <= 32:
        return None
    payload, tag = blob[:-32], blob[-32:]
    return payload if hmac.compare_digest(tag, _mac(secret, name, payload)) else None


def write_cached(name: str, payload: bytes) -> bool:
    """Cache PAYLOAD as NAME in the private cache folder, with its HMAC; False if not written."""
    folder = cache_dir()
    secret = None if folder is None else _cache_secret(folder)
    if folder is None or secret is None:
        return False
    return _write_private(folder, name, payload + _mac(secret, name, payload))


def _cache_key(root: Path, files: dict[str, Path]) -> str:
    return hashlib.sha256(
        "\0".join(
            (
                _digest(files),
                str(root.resolve()),
                __version__,
                sys.version,
                pydantic.VERSION,
                *(str(p.stat().st_mtime_ns) for p in PACKAGE.glob("*.py")),
            )
        ).encode()
    ).hexdigest()[:24]


def _mac(secret: bytes, name: str, payload: bytes) -> bytes:
    return hmac.new(secret, name.encode() + b"\0" + payload, hashlib.sha256).digest()


def _small_regular(path: Path) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size <= MAX_FILE_BYTES


def _mine(st: os.stat_result, forbidden: int = 0) -> bool:
    """Owned by this user, with none of the `forbidden` permission bits. Windows has neither
    Unix owners nor modes (every file reads as 0o666): there the folder's ACLs and the HMAC
    protect the cache."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or (st.st_uid == getuid() and not st.st_mode & forbidden)


def _private_folder(folder: Path) -> bool:
    """Create the cache folder (0700) if missing. Trust it only if it is a real folder (not a
    link), owned by this user, that no group or other user can write to."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and _mine(st, 0o022)


def _read_private(path: Path, limit: int, forbidden: int) -> bytes | None:
    """The bytes of `path` if it is a regular file (not a link, FIFO or device) owned by this
    user, with none of the `forbidden` permission bits, and at most `limit` bytes; else None.
    O_NONBLOCK: opening a FIFO must not wait for a writer."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _mine(st, forbidden):
            return None
        if st.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _write_private(folder: Path, name: str, data: bytes) -> bool:
    """Write `folder/name` (0600) through a temporary file and a rename; False if it fails."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, folder / name)
        return True
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False


def _cache_secret(folder: Path) -> bytes | None:
    """This user's random key for the cache's HMACs (32 bytes, 0600, in the private cache
    folder), created on first use; None when the folder or key cannot be trusted."""
    if not _private_folder(folder):
        return None
    path = folder / _CACHE_KEY
    key = _read_private(path, 32, 0o077)
    if key is not None:
        return key if len(key) == 32 else None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0), 0o600)
    except OSError:
        return None  # another process made it just now, or it cannot be made: no cache today
    try:
        written = os.write(fd, key)
    except OSError:
        written = 0
    finally:
        os.close(fd)
    if written != len(key):  # disk full: an empty key left there turned the cache off for good
        with contextlib.suppress(OSError):
            os.unlink(path)
        return None
    return key


def _prune(folder: Path, keep: str) -> None:
    """Delete cached packs older than CACHE_MAX_AGE, then all but the newest CACHE_KEEP, and
    temporary files left by an interrupted write; only this user's regular files."""
    now = time.time()
    entries: list[tuple[float, str]] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if not name.startswith(("pack-", ".pack-")):
            continue
        try:
            st = os.lstat(folder / name)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or not _mine(st):
            continue
        temporary = name.startswith(".")
        if now - st.st_mtime > (3600 if temporary else CACHE_MAX_AGE):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
        elif not temporary:
            entries.append((st.st_mtime, name))
    entries.sort(reverse=True)
    for _, name in entries[CACHE_KEEP:]:
        if name != keep:
            with contextlib.suppress(OSError):
                os.unlink(folder / name)


def _load_pack(root: Path) -> ContentPack:
    """Load every file (each checked on its own), then the checks that span files
    (`pack_checks`); any
    problem anywhere raises NcmError with all of them, located."""
    if not is_pack_dir(root):
        raise NcmError(
            [Diagnostic(str(root), 1, 1, "not a content pack: it has no models/ folder")]
        )
    f = load_files(root)
    diags = f.diags + check_pack(f)
    if diags:
        ordered = sorted(set(diags), key=Diagnostic.sort_key)
        raise NcmError(per_file_limit(ordered, MAX_DIAGNOSTICS))  # as any one file's
    s = f.singles
    return ContentPack(
        root=root,
        manifest=s["pack.yaml"],
        options={k: v[0] for k, v in sorted(f.options.items(), key=lambda kv: kv[1][0].number)},
        cases={k: v[0] for k, v in f.cases.items()},
        legal=s["legal/legal_models.yaml"],
        considerations=s["questions/considerations.yaml"],
        background=s["questions/background.yaml"],
        quick_guide=s["questions/quick_guide.yaml"],
        scoring=s["scoring.yaml"],
        currency=s["currency.yaml"],
        digest=_digest(f.files),
        files=f.files,
        forms=s["plan/forms.yaml"],
        workforce=s["plan/workforce.yaml"],
        blocking=s["readiness/blocking.yaml"],
    )


def load_files(root: Path) -> PackFiles:
    """Every single file and every option and case-study file, validated on its own."""
    f = PackFiles(root)
    for rel, schema in SINGLE_FILES.items():
        path = root / rel
        f.files[rel] = path
        if not path.exists():
            f.diags.append(Diagnostic(str(path), 1, 1, "required content file is missing"))
            continue
        obj, found = load_model(path, schema, str(path))
        f.diags += found
        f.singles[rel] = obj
    f.options = _load_dir(f, "models", OptionModel)
    f.cases = _load_dir(f, "case_studies", CaseStudy)
    return f


def _load_dir(f: PackFiles, sub: str, schema: type[Any]) -> dict[str, tuple[Any, Path]]:
    """One folder of files with an `id` each; a repeated id is reported where it repeats."""
    out: dict[str, tuple[Any, Path]] = {}
    for path in sorted((f.root / sub).glob("*.y*ml")):
        f.files[f"{sub}/{path.name}"] = path
        obj, found = load_model(path, schema, str(path))
        f.diags.extend(found)
        if obj is None:
            continue
        if obj.id in out:
            first = str(out[obj.id][1])
            f.diags.append(
                at(path, ("id",), f"duplicate id '{obj.id}'", "id", f"also used in {first}")
            )
            continue
        out[obj.id] = (obj, path)
    return out


def _digest(files: dict[str, Path]) -> str:
    h = hashlib.sha256()
    for rel in sorted(files):
        h.update(rel.encode() + b"\0" + files[rel].read_bytes() + b"\0")
    return h.hexdigest()[:16]
