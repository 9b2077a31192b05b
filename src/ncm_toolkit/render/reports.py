"""Writing reports for many profiles: names, folders, overwrite rules and the CI summary."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ncm_toolkit.batch import iter_rendered
from ncm_toolkit.board import NONE_OPEN, certainty_thresholds
from ncm_toolkit.clock import source_date
from ncm_toolkit.compare import name_key
from ncm_toolkit.content import ContentPack
from ncm_toolkit.errors import Diagnostic, FileProblem, NcmError, UsageError
from ncm_toolkit.files import (
    Inputs,
    _holds,
    check_target,
    safe_slug,
    write_output_bytes,
    write_text,
)
from ncm_toolkit.profile import Profile, expand_paths
from ncm_toolkit.read.loader import locate, node_tree, read_text
from ncm_toolkit.readiness import load_record, unknown_ids
from ncm_toolkit.render.docx import markdown_to_docx
from ncm_toolkit.render.report import (
    TEMPLATES,
    Format,
    Part,
    ReportInput,
    environment,
    md_code,
    md_escape,
    preload,
    render,
    render_bytes,
)
from ncm_toolkit.render.sandbox import TemplateFailed
from ncm_toolkit.safe_text import display_name
from ncm_toolkit.scoring import Result

SUFFIX = {"md": ".md", "html": ".html", "docx": ".docx"}


@dataclass
class ReportRun:
    """What `write_reports` did: reports written, reports already up to date, and every
    diagnostic of the profiles that could not be reported."""

    reports: list[tuple[Path, bool]] = field(default_factory=list)
    """Each report in the order of the profiles, and whether it was written (False: a file
    with the same bytes was already there)."""
    errors: list[Diagnostic] = field(default_factory=list)
    summary_cut: bool = False
    """The job summary was cut to stay under GitHub's limit."""
    warnings: list[Diagnostic] = field(default_factory=list)
    """Things to tell the user that do not stop a report (a readiness record's unknown ids, or
    a record of another partnership's name)."""
    halted: bool = False
    """A user template that cannot be compiled stopped the batch at the first paper that
    needed it (its error is in `errors`); `reports` lists the papers written before it."""
    stopped: FileProblem | None = None
    """A paper the system would not write (disk full, folder made read-only or removed): the
    batch stopped there, and `reports` lists the papers written before it."""


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
    appendix: str = "inline",
    folder: bool = False,
    readiness: Path | None = None,
) -> ReportRun:
    """Write one report per valid profile (a report already on disk with the same bytes is
    left alone). With `jobs` (see `batch.iter_rendered`) workers render and write them.
    `readiness`: a readiness record whose summary each paper shows; an invalid one raises
    NcmError before anything is written."""
    fmt_: Format = "html" if fmt == "html" else "md"
    source_date()  # a malformed SOURCE_DATE_EPOCH is a usage error before any work, not a
    # template error per paper
    if summary and not os.environ.get("GITHUB_STEP_SUMMARY"):
        raise UsageError("--github-summary: GITHUB_STEP_SUMMARY is not set")
    given = paths
    # the --readiness record is an input too: `-o r.yaml --force` replaced it
    reads = Inputs([*given, *([readiness] if readiness is not None else [])])
    reads.refuse(output)
    if summary:  # a summary appended to a profile would make it invalid
        reads.refuse(Path(os.environ["GITHUB_STEP_SUMMARY"]))
    paths = unique_profiles(paths)
    # each paper is keyed by the name the batch shows its profile by: `-` is `<stdin>`
    sources = ["<stdin>" if str(p) == "-" else str(p) for p in paths if not p.is_dir()]
    many = folder or len(given) > 1 or any(p.is_dir() for p in given)
    if many:
        if output.is_symlink():
            raise UsageError(f"{output}: is a symbolic link; refusing to write through it")
        if output.exists() and not output.is_dir():
            raise UsageError(f"{output}: several reports need a folder, and this is a file")
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FileProblem.from_os(output, exc, "cannot create the folder") from None
    docx = fmt == "docx"  # the Markdown paper, laid out as a Word document
    planned = plan_outputs(sources, fmt_, output, many)
    if docx:
        planned = [p if not many else p.with_suffix(".docx") for p in planned]
    targets = dict(zip(sources, planned, strict=True))
    if appendix not in ("inline", "separate", "none"):
        raise UsageError(f"--appendix {appendix}: choose inline, separate or none")
    part: Part = "all" if appendix == "inline" else "paper"
    if appendix == "separate":
        _refuse_an_appendix_over_a_paper(targets)
    if summary:  # the summary, appended after the papers, went onto the end of one of them
        step = os.path.realpath(os.environ["GITHUB_STEP_SUMMARY"])
        for target in targets.values():
            for paper in (target, appendix_path(target)):
                if os.path.realpath(paper) == step:
                    raise UsageError(
                        f"GITHUB_STEP_SUMMARY is {paper}, a file this command writes; the "
                        "summary would be appended to it"
                    )
    for target in targets.values():
        reads.refuse(target)
        check_target(target, force)  # refuse before writing anything
        if appendix == "separate":  # an input there was replaced by appendices, --force or not
            reads.refuse(appendix_path(target))
            check_target(appendix_path(target), force)
    run = ReportRun()
    record, record_shown = None, ""
    if readiness is not None:
        record, record_shown, name_at, run.warnings = _load_record(pack, readiness)
    env = environment(templates)
    if templates is None:
        preload(env, fmt_)  # user templates fail, located, where rendered

    def write_one(
        shown: str, profile: Profile, result: Result
    ) -> tuple[
        Path, list[bool], str | None, Diagnostic | None, FileProblem | TemplateFailed | None
    ]:
        # a decision naming a form the pack lacks never gets here (`batch.load_for`)
        target = targets[shown]
        item = ReportInput(profile, result, display_name(shown), record, record_shown)
        try:  # both rendered before either is written: never a paper without its appendices
            text = _render(pack, item, fmt_, env, templates, part, encoded=not docx)
            more = None
            if appendix == "separate":
                more = _render(pack, item, fmt_, env, templates, "appendix", encoded=not docx)
        except TemplateFailed as exc:  # returned, as below: this profile's error, not the batch's
            return target, [], None, None, exc
        changed: list[bool] = []
        try:  # returned, not raised: a worker's raise would hide the papers of its chunk
            changed.append(_write(target, text, item, docx, part))
            if more is not None:
                changed.append(_write(appendix_path(target), more, item, docx, "appendix"))
        except FileProblem as exc:
            return target, changed, None, None, exc
        other = None
        if record is not None and name_key(record.partnership) != name_key(profile.name):
            other = Diagnostic(
                record_shown,
                *name_at,
                f"the record is of '{record.partnership}' but the profile {item.path} is of "
                f"'{profile.name}'; its readiness is reported all the same",
                "partnership",
                "check that --readiness names this partnership's record",
            )
        return target, changed, summary_row(item, target) if summary else None, other, None

    rows: list[str] = []
    failed: list[str] = []  # the files that got no paper, for the job summary
    try:
        for _shown, done, found in iter_rendered(pack, paths, write_one, jobs):
            failed += [d.file for d in found]
            run.errors += found
            if done is not None:
                target, changed, row, other, bad = done
                if isinstance(bad, TemplateFailed):  # no paper for this profile; none half
                    run.errors += bad.diagnostics  # written, and the papers before it listed
                    failed.append(display_name(_shown))
                    if bad.fatal:  # a template that cannot be read renders no paper at all
                        run.halted = True
                        return run
                    continue
                if bad is not None:  # disk full, folder read-only or removed
                    run.reports += list(zip((target, appendix_path(target)), changed, strict=False))
                    run.stopped = bad
                    return run
                if other is not None:
                    run.warnings.append(other)
                run.reports.append((target, changed[0]))
                if len(changed) > 1:  # a `wrote` line for the appendices too
                    run.reports.append((appendix_path(target), changed[1]))
                if row is not None:
                    rows.append(row)
    except FileProblem as exc:  # the papers written so far are listed, not lost from view
        run.stopped = exc
        return run
    if summary:  # the papers are written: a summary that cannot be is one more error
        try:
            once = list(dict.fromkeys(failed))  # a file once, in order
            run.summary_cut = append_step_summary(step_summary(rows, once))
        except FileProblem as exc:
            run.errors.append(Diagnostic(exc.path, 1, 1, exc.cause))
    return run


def _load_record(
    pack: ContentPack, path: Path
) -> tuple[Any, str, tuple[int, int], list[Diagnostic]]:
    """The readiness record for `--readiness`, its shown name, where its `partnership:` is,
    and its warnings (ids this pack does not know); NcmError with its located errors when it
    is invalid or not a record."""
    shown = display_name(str(path))
    record, diags = load_record(path, shown)
    if record is None:
        raise NcmError(diags)
    name_at = locate(node_tree(read_text(path)), ("partnership",))
    return record, shown, name_at, unknown_ids(pack, record, str(path))


def _write(target: Path, text: str | bytes, item: ReportInput, docx: bool, part: str) -> bool:
    """Write a paper (as Word when `docx`, from its Markdown text; else TEXT is the file's
    bytes); False when the file already held these bytes."""
    if not docx:
        return write_text(target, text, force=True, durable=False, keep_same=True)
    assert isinstance(text, str)
    result = item.result if part != "appendix" else None
    data = markdown_to_docx(text, result, f"New care models assessment: {item.profile.name}")
    if _holds(target, data):
        return False
    # as the text papers are written: the umask's mode (the cache's writer made it 0600)
    write_output_bytes(target, data, force=True, durable=False)
    return True


def _refuse_an_appendix_over_a_paper(targets: dict[str, Path]) -> None:
    """`north.yaml` and `north.appendix.yaml` in one batch with `--appendix separate`: the
    appendices of the first were written over the paper of the second (exit 0, that
    partnership's paper lost). A usage error naming both, before anything is written."""
    papers = {os.path.normcase(str(t)): src for src, t in targets.items()}
    for src, target in targets.items():
        other = papers.get(os.path.normcase(str(appendix_path(target))))
        if other is not None:
            raise UsageError(
                f"{src}'s appendices and {other}'s paper would both be written as "
                f"{appendix_path(target)}; rename one of them, or use --appendix inline"
            )


def appendix_path(target: Path) -> Path:
    """`NAME.appendix.EXT` beside the paper `NAME.EXT`."""
    return target.with_name(f"{target.stem}.appendix{target.suffix}")


def summary_row(item: ReportInput, target: Path) -> str:
    """One line of the job summary: partnership, recommendation, how sure, the report's file."""
    result = item.result
    first = [r for r in result.ranking if r.rank == 1] or result.ranking[:1]
    rec = " and ".join(r.title for r in first)
    if len(first) > 1:
        rec = f"tie: {rec}"
    sure = (
        "tied"
        if len(first) > 1
        else NONE_OPEN
        if first[0].gates  # every option closed: no first choice to be sure of
        else _certainty_label(first[0].first_rank_acceptability, result.robustness.one_step)
    )
    cells = [md_escape(_clip(item.profile.name)), md_escape(rec), md_escape(sure)]
    cells.append(md_code(_clip(target.name)))
    return "| " + " | ".join(cells) + " |"


def _certainty_label(a: float | None, one_step: bool) -> str:
    robust_at, fragile_below = certainty_thresholds()
    pct = "" if a is None else f" ({round(a * 100)}% first)"
    if (a is not None and a < fragile_below) or one_step:
        return "fragile" + pct
    if a is None or a >= robust_at:
        return "robust" + pct
    return "moderately sure" + pct


def _clip(text: str, limit: int = 120) -> str:
    one = " ".join(str(text).split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


SUMMARY_LIMIT = 1_000_000
"""Bytes the job summary may take: under GitHub's 1 MiB limit per step, with room to spare."""


SUMMARY_FAILED_NAMED = 20
"""Files the summary names among those that could not be reported; the log has them all."""


def step_summary(rows: list[str], failed: list[str]) -> str:
    """One compact Markdown summary for the whole batch, cut (with a warning) to stay under
    `SUMMARY_LIMIT` bytes whatever the batch's size. FAILED: the files that could not be
    reported, each once (a file with three errors is one file)."""
    # counts read as English, as `ncm validate`'s do ("1 report", "2 files")
    could_not = (
        f"{len(failed)} file{'' if len(failed) == 1 else 's'} could not be reported"
        if failed
        else ""
    )
    if rows:
        counts = f"{len(rows)} report{'' if len(rows) == 1 else 's'} written" + (
            f"; {could_not}" if could_not else ""
        )
        counts += ". The full papers are files to upload as artifacts."
    else:  # no paper: no artifact to point at, and no table with a header and no rows
        counts = "No report was written" + (f": {could_not}." if could_not else ".")
    head = ["# New care models assessment: board papers", "", counts, ""]
    if failed:
        named = ", ".join(md_code(_clip(name)) for name in failed[:SUMMARY_FAILED_NAMED])
        more = len(failed) - SUMMARY_FAILED_NAMED
        named += f" and {more} more" if more > 0 else ""
        head += [f"Not reported (the log says why): {named}.", ""]
    if not rows:
        return "\n".join(head)
    head += [
        "| Partnership | Recommendation | How sure | Report |",
        "|---|---|---|---|",
    ]
    out = "\n".join(head) + "\n"
    size = len(out.encode("utf-8"))
    for n, row in enumerate(rows):
        line = row + "\n"
        if size + len(line.encode("utf-8")) > SUMMARY_LIMIT - 400:
            out += (
                f"\n> **Warning:** the summary was cut after {n} of {len(rows)} reports to stay "
                "under GitHub's 1 MiB job-summary limit; every report was still written.\n"
            )
            return out
        out += line
        size += len(line.encode("utf-8"))
    return out


def append_step_summary(markdown: str) -> bool:
    """Append to GitHub Actions' job summary file; True when the summary had to be cut."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        raise UsageError("--github-summary: GITHUB_STEP_SUMMARY is not set")
    nonblock = getattr(os, "O_NONBLOCK", 0)  # a FIFO with no reader: refused (ENXIO), not awaited
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | nonblock, 0o666)
        with open(fd, "a", encoding="utf-8") as fh:
            if nonblock:
                os.set_blocking(fd, True)
            fh.write(markdown + "\n")
    except OSError as exc:  # a write has no file name: name the summary, not standard output
        raise FileProblem.from_os(f"GITHUB_STEP_SUMMARY={path}", exc) from None
    return "**Warning:** the summary was cut" in markdown


def _render(
    pack: ContentPack,
    item: ReportInput,
    fmt: Format,
    env: Any,
    templates: Path | None,
    part: Part = "all",
    encoded: bool = False,
) -> str | bytes:
    """Render (`encoded`: as the file's UTF-8 bytes), turning a template's failure into a
    located error instead of a traceback, naming the profile whose paper it was (a template may
    fail on one partnership's data only)."""
    import jinja2

    paper = f" (the paper of {item.path})"
    try:
        if encoded:
            return render_bytes(pack, item, fmt, env, part)
        return render(pack, item, fmt, env=env, part=part)
    except TemplateFailed as exc:  # a user template, rendered in its bounded child
        named = [replace(d, message=d.message + paper) for d in exc.diagnostics]
        raise TemplateFailed(named, exc.fatal) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateFailed(
            [
                Diagnostic(
                    exc.filename or str(templates),
                    exc.lineno,
                    1,
                    f"template error: {exc.message}{paper}",
                )
            ],
            fatal=True,
        ) from None
    except (jinja2.TemplateError, ValueError) as exc:
        name = str((templates or Path("templates")) / TEMPLATES[fmt])
        raise TemplateFailed([Diagnostic(name, 1, 1, f"template error: {exc}{paper}")]) from None
