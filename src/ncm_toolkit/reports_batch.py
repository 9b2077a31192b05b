"""Writing reports for many profiles: names, folders, overwrite rules and the CI summary."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .batch import iter_rendered
from .content import ContentPack
from .errors import Diagnostic, FileProblem, NcmError, UsageError
from .files import check_target, safe_slug, write_text
from .profile import Profile
from .report import TEMPLATES, Format, ReportInput, environment, preload, render
from .safe_text import display_name
from .scoring import Result

SUFFIX = {"md": ".md", "html": ".html"}


@dataclass
class ReportRun:
    """What `write_reports` did: reports written, reports already up to date, and every
    diagnostic of the profiles that could not be reported."""

    reports: list[tuple[Path, bool]] = field(default_factory=list)
    """Each report in the order of the profiles, and whether it was written (False: a file
    with the same bytes was already there)."""
    errors: list[Diagnostic] = field(default_factory=list)


def plan_outputs(sources: list[str], fmt: Format, output: Path, many: bool) -> list[Path]:
    """One target per source: `output` itself for one profile, else a name in the `output`
    folder that depends on the profile's own path only, never on what else is in the batch
    (so adding a profile cannot move another's report to a name that described a third).

    The name is the slug of the file name (`files.safe_slug`). Where several profiles share
    a slug, each gets `slug-HASH`, HASH from its path, except the one whose file name already
    is the slug exactly (`north.yaml` keeps `north.md` when `North.yaml` arrives); two with
    the same file name in different folders both get hashed names."""
    if not many:
        return [output]
    by_slug: dict[str, list[str]] = {}
    for src in dict.fromkeys(sources):
        by_slug.setdefault(safe_slug(Path(src).stem), []).append(src)
    names: dict[str, str] = {}
    for slug, srcs in by_slug.items():
        exact = [s for s in srcs if Path(s).stem == slug]
        for src in srcs:
            plain = len(srcs) == 1 or (len(exact) == 1 and src == exact[0])
            names[src] = slug if plain else f"{slug}-{_path_hash(src)}"
    owner: dict[str, str] = {}
    for src, name in names.items():  # only a file named like another's hashed name does this
        if owner.setdefault(name, src) != src:
            raise UsageError(
                f"{owner[name]} and {src} would both be reported as {name}{SUFFIX[fmt]}; "
                "rename one of them"
            )
    return [output / (names[src] + SUFFIX[fmt]) for src in sources]


def _path_hash(shown: str) -> str:
    """Eight hex digits from a profile's path as given (normalised), stable from run to run."""
    norm = os.path.normpath(shown).encode("utf-8", "surrogateescape")
    return hashlib.sha256(norm).hexdigest()[:8]


def unique_profiles(paths: list[Path]) -> list[Path]:
    """The profile files of `paths` (folders expanded), each once even if given twice, with
    a folder that holds none kept as it is (it is reported as empty)."""
    from .profile import expand_paths

    out: list[Path] = []
    seen: set[str] = set()
    for given in paths:
        found = False
        for path, shown in expand_paths([given]):
            found = True
            key = os.path.normpath(shown)
            if key not in seen:
                seen.add(key)
                out.append(path)
        if not found:
            out.append(given)
    return out


def write_reports(
    pack: ContentPack,
    paths: list[Path],
    fmt: str,
    output: Path,
    force: bool,
    templates: Path | None = None,
    summary: bool = False,
    jobs: int = 1,
) -> ReportRun:
    """Write one report per valid profile (a report already on disk with the same bytes is
    left alone). With `jobs` (see `batch.iter_rendered`) workers render and write them."""
    fmt_: Format = "html" if fmt == "html" else "md"
    if summary and not os.environ.get("GITHUB_STEP_SUMMARY"):
        raise UsageError("--github-summary: GITHUB_STEP_SUMMARY is not set")
    given = paths
    paths = unique_profiles(paths)
    sources = [str(p) for p in paths if not p.is_dir()]
    many = len(given) > 1 or any(p.is_dir() for p in given)
    if many:
        if output.is_symlink():
            raise UsageError(f"{output}: is a symbolic link; refusing to write through it")
        if output.exists() and not output.is_dir():
            raise UsageError(f"{output}: several reports need a folder, and this is a file")
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FileProblem.from_os(output, exc, "cannot create the folder") from None
    targets = dict(zip(sources, plan_outputs(sources, fmt_, output, many), strict=True))
    for target in targets.values():
        check_target(target, force)  # refuse before writing anything
    env = environment(templates)
    if templates is None:
        preload(env, fmt_, summary)  # user templates fail, located, where rendered
    run = ReportRun()

    def write_one(shown: str, profile: Profile, result: Result) -> tuple[Path, bool, str | None]:
        item = ReportInput(profile, result, display_name(shown))  # a report is valid UTF-8
        target = targets[shown]
        text = _render(pack, item, fmt_, env, templates)
        changed = write_text(target, text, force=True, durable=False, keep_same=True)
        return target, changed, _render(pack, item, "md", env, templates) if summary else None

    for _shown, done, found in iter_rendered(pack, paths, write_one, jobs):
        run.errors += found
        if done is not None:
            target, changed, markdown = done
            run.reports.append((target, changed))
            if markdown is not None:  # the job summary is one file: appended here, in order
                append_step_summary(markdown)
    return run


def append_step_summary(markdown: str) -> None:
    """Append to GitHub Actions' job summary file, when there is one."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        raise UsageError("--github-summary: GITHUB_STEP_SUMMARY is not set")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(markdown + "\n")


def _render(
    pack: ContentPack, item: ReportInput, fmt: Format, env: Any, templates: Path | None
) -> str:
    """Render, turning a template's failure into a located error instead of a traceback."""
    import jinja2

    try:
        return render(pack, item, fmt, env=env)
    except jinja2.TemplateSyntaxError as exc:
        raise NcmError(
            [
                Diagnostic(
                    exc.filename or str(templates), exc.lineno, 1, f"template error: {exc.message}"
                )
            ]
        ) from None
    except (jinja2.TemplateError, ValueError) as exc:
        name = str((templates or Path("templates")) / TEMPLATES[fmt])
        raise NcmError([Diagnostic(name, 1, 1, f"template error: {exc}")]) from None
