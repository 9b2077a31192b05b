"""The content pack: where it lives, how it is loaded, and the checks that span its files."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .errors import Diagnostic, NcmError
from .plan_schemas import Forms, Workforce
from .schemas import (
    Background,
    CaseStudy,
    Considerations,
    Currency,
    LegalModels,
    Manifest,
    OptionModel,
    QuickGuide,
    ScoringRules,
)
from .vocabulary import OBJECTIVE_IDS, OPTION_IDS

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """`data/` or `templates/`: inside the installed wheel, else in the source checkout."""
    installed = _PACKAGE / "_bundled" / name
    return installed if installed.is_dir() else _PACKAGE.parents[1] / name


def bundled_content_dir() -> Path:
    return _bundled("data")


def bundled_templates_dir() -> Path:
    return _bundled("templates")


def bundled_examples_dir() -> Path:
    """The example profiles (`examples/profiles` in a checkout), shipped in the wheel too."""
    installed = _PACKAGE / "_bundled" / "examples"
    return installed if installed.is_dir() else _PACKAGE.parents[1] / "examples" / "profiles"


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
    forms: Forms | None = None
    workforce: Workforce | None = None

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
    cache folder. Validating a pack takes far longer than reading a cached copy, and every
    command needs the pack."""
    configured = os.environ.get("NCM_CACHE_DIR")
    if configured is not None:
        return None if configured in ("", "off") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ncm"


def load_pack(root: Path | None = None) -> ContentPack:
    """Load and cross-check a whole content pack; raise NcmError with every problem found.

    A pack that validated before is read from the cache, keyed by the hash of every file's
    bytes, the pack's folder, and the versions of ncm, Python and Pydantic."""
    import pickle
    import sys

    import pydantic

    from . import __version__

    root = root or bundled_content_dir()
    folder = cache_dir()
    files = pack_files(root) if is_pack_dir(root) else {}
    if folder is None or not files or not all(p.is_file() for p in files.values()):
        return _load_pack(root)
    key = hashlib.sha256(
        "\0".join(
            (
                _digest(files),
                str(root.resolve()),
                __version__,
                sys.version,
                pydantic.VERSION,
                *(str(p.stat().st_mtime_ns) for p in _PACKAGE.glob("*.py")),
            )
        ).encode()
    ).hexdigest()[:24]
    cached = folder / f"pack-{key}.pickle"
    try:
        with open(cached, "rb") as fh:
            pack = pickle.load(fh)
        if isinstance(pack, ContentPack):
            return pack
    except Exception:
        pass
    pack = _load_pack(root)
    try:
        from .files import write_bytes

        folder.mkdir(parents=True, exist_ok=True)
        write_bytes(cached, pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass
    return pack


def _load_pack(root: Path) -> ContentPack:
    from .loader import load_model, locate, read_text

    diags: list[Diagnostic] = []
    if not is_pack_dir(root):
        raise NcmError(
            [Diagnostic(str(root), 1, 1, "not a content pack: it has no models/ folder")]
        )
    singles: dict[str, Any] = {}
    files: dict[str, Path] = {}
    for rel, schema in SINGLE_FILES.items():
        path = root / rel
        files[rel] = path
        if not path.exists():
            diags.append(Diagnostic(str(path), 1, 1, "required content file is missing"))
            continue
        obj, found = load_model(path, schema, str(path))
        diags += found
        singles[rel] = obj

    def load_dir(sub: str, schema: type[OptionModel | CaseStudy]) -> dict[str, tuple[Any, Path]]:
        out: dict[str, tuple[Any, Path]] = {}
        for path in sorted((root / sub).glob("*.y*ml")):
            files[f"{sub}/{path.name}"] = path
            obj, found = load_model(path, schema, str(path))
            diags.extend(found)
            if obj is None:
                continue
            if obj.id in out:
                line, col = locate(_rt(path), ("id",))
                first = str(out[obj.id][1])
                diags.append(
                    Diagnostic(
                        str(path),
                        line,
                        col,
                        f"duplicate id '{obj.id}'",
                        "id",
                        f"also used in {first}",
                    )
                )
                continue
            out[obj.id] = (obj, path)
        return out

    def _rt(path: Path) -> Any:
        from .loader import node_tree

        return node_tree(read_text(path))

    options = load_dir("models", OptionModel)
    cases = load_dir("case_studies", CaseStudy)

    manifest: Manifest | None = singles.get("pack.yaml")
    from .schemas import TOOLKIT_DOCUMENT

    doc_ids = {d.id for d in manifest.documents} | {TOOLKIT_DOCUMENT} if manifest else set()

    # Cross-file checks, each located in the file that refers.
    for oid in OPTION_IDS:
        if oid not in options and manifest is not None:
            diags.append(
                Diagnostic(
                    str(root / "models"),
                    1,
                    1,
                    f"option '{oid}' has no file models/{oid}.yaml",
                )
            )
    for oid, (opt, path) in options.items():
        if path.stem != oid:
            line, col = locate(_rt(path), ("id",))
            diags.append(
                Diagnostic(str(path), line, col, f"id '{oid}' does not match the file name", "id")
            )
        for obj_id in OBJECTIVE_IDS:
            if obj_id not in opt.alignments:
                line, col = locate(_rt(path), ("alignments",))
                diags.append(
                    Diagnostic(
                        str(path),
                        line,
                        col,
                        f"no alignment for objective '{obj_id}'",
                        "alignments",
                        "every option needs all nine alignments",
                    )
                )
        for obj_id, al in opt.alignments.items():
            if al.strength > 0 and not al.evidence:
                line, col = locate(_rt(path), ("alignments", obj_id, "strength"))
                diags.append(
                    Diagnostic(
                        str(path),
                        line,
                        col,
                        "a non-zero strength needs evidence",
                        f"alignments.{obj_id}",
                    )
                )
        for i, ex in enumerate(opt.examples):
            if ex.case_study and ex.case_study not in cases:
                line, col = locate(_rt(path), ("examples", i, "case_study"))
                diags.append(
                    Diagnostic(
                        str(path),
                        line,
                        col,
                        f"unknown case study '{ex.case_study}'",
                        f"examples[{i}].case_study",
                        _close(ex.case_study, cases),
                    )
                )
    for _cid, (case, path) in cases.items():
        if case.option not in options and options:
            line, col = locate(_rt(path), ("option",))
            diags.append(
                Diagnostic(str(path), line, col, f"unknown option '{case.option}'", "option")
            )
    if manifest is not None:
        objects: dict[Path, BaseModel] = {files[rel]: obj for rel, obj in singles.items() if obj}
        objects.update({p: o for o, p in options.values()})
        objects.update({p: c for c, p in cases.values()})
        diags += _check_sources(root, objects, doc_ids)
    if singles.get("plan/forms.yaml") and singles.get("plan/workforce.yaml"):
        from .plan import check_references

        diags += check_references(root, singles)
    if singles.get("currency.yaml") is not None:
        from .currency import check

        diags += check(
            singles["currency.yaml"],
            files["currency.yaml"],
            files,
            set(options),
            set(cases),
            {a.id for a in getattr(singles.get("questions/considerations.yaml"), "areas", [])},
        )
    if diags:
        raise NcmError(sorted(set(diags), key=Diagnostic.sort_key))
    assert manifest is not None
    return ContentPack(
        root=root,
        manifest=manifest,
        options={k: v[0] for k, v in sorted(options.items(), key=lambda kv: kv[1][0].number)},
        cases={k: v[0] for k, v in cases.items()},
        legal=singles["legal/legal_models.yaml"],
        considerations=singles["questions/considerations.yaml"],
        background=singles["questions/background.yaml"],
        quick_guide=singles["questions/quick_guide.yaml"],
        scoring=singles["scoring.yaml"],
        currency=singles["currency.yaml"],
        digest=_digest(files),
        files=files,
        forms=singles["plan/forms.yaml"],
        workforce=singles["plan/workforce.yaml"],
    )


def _close(word: str, choices: Any) -> str | None:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean '{close[0]}'?" if close else None


def _check_sources(
    root: Path, objects: dict[Path, BaseModel], doc_ids: set[str]
) -> list[Diagnostic]:
    """Every `document:` must name a document of the manifest. Valid packs never pay for the
    second parse that locates a bad reference."""
    from .loader import read_text
    from .yamlfile import compose_nodes

    out: list[Diagnostic] = []
    for path, obj in objects.items():
        if all(doc in doc_ids for doc in _referenced_documents(obj)):
            continue
        for (line, col), doc in _documents(compose_nodes(read_text(path))[1]):
            if doc not in doc_ids:
                out.append(
                    Diagnostic(
                        str(path),
                        line,
                        col,
                        f"unknown source document '{doc}'",
                        "document",
                        _close(doc, doc_ids),
                    )
                )
    return out


def _referenced_documents(obj: Any) -> list[str]:
    from .schemas import Evidence, Source

    found: list[str] = []
    stack = [obj]
    while stack:
        n = stack.pop()
        if isinstance(n, Source | Evidence):
            found.append(n.document)
        elif isinstance(n, BaseModel):
            stack.extend(getattr(n, name) for name in type(n).model_fields)
        elif isinstance(n, list | tuple):
            stack.extend(n)
        elif isinstance(n, dict):
            stack.extend(n.values())
    return found


def _documents(root: Any) -> list[tuple[tuple[int, int], str]]:
    """Each `document: X` value in a composed node tree, with its 1-based line and column."""
    from .yamlfile import walk_nodes

    found: list[tuple[tuple[int, int], str]] = []
    for node in walk_nodes(root):
        if node.id == "mapping":
            for k, v in node.value:
                if k.id == v.id == "scalar" and k.value == "document":
                    found.append(((v.start_mark.line + 1, v.start_mark.column + 1), v.value))
    return found


def _digest(files: dict[str, Path]) -> str:
    h = hashlib.sha256()
    for rel in sorted(files):
        h.update(rel.encode() + b"\0" + files[rel].read_bytes() + b"\0")
    return h.hexdigest()[:16]
