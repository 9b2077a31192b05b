"""`ncm validate`: content packs (every file, the checks that span files, the report's data
files), profiles and readiness records, each reported with located diagnostics."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from ncm_toolkit.content import ContentPack, bundled_content_dir, load_pack, pack_files
from ncm_toolkit.errors import Diagnostic, FileProblem, NcmError
from ncm_toolkit.files import nearby, walk_files
from ncm_toolkit.plan import decision_form_problem
from ncm_toolkit.profile import YAML_SUFFIXES, Profile, _suffix, load_task, profile_tasks
from ncm_toolkit.read.loader import load_model
from ncm_toolkit.read.wording import WORDS_FILE, WordsFile
from ncm_toolkit.readiness import check_record, is_record
from ncm_toolkit.report_data import REPORT_FILES, check_report_files


def validate_paths(
    paths: list[Path], content: Path | None
) -> tuple[int, list[Diagnostic], list[str]]:
    """Validate content packs and profiles; return how many files were checked, every
    diagnostic, and the content packs among them (`validate_files`, counted)."""
    files, diags, packs = validate_files(paths, content)
    return len(files), diags, packs


def validate_files(
    paths: list[Path], content: Path | None
) -> tuple[list[str], list[Diagnostic], list[str]]:
    """Validate content packs and profiles; return the files checked (as their diagnostics
    name them, in the order checked), every diagnostic, and the content packs among them.
    With no path, the active content pack is validated.

    A folder is a content pack only if it has both `pack.yaml` and `models/`; any other YAML
    file in it is reported as not checked, so that profiles put beside a copy of a pack
    cannot pass as valid. Every other folder is a folder of profiles, except the `content`
    folder validated alone, which is reported as a pack (a missing `pack.yaml` or `models/`
    is one diagnostic, not hundreds of profile errors)."""
    diags: list[Diagnostic] = []
    checked: list[str] = []
    packs: list[str] = []
    forms = _FormCheck(content)
    targets: list[Path | None] = list(paths) if paths else [content]
    for target in targets:
        if (
            target is None
            or not paths  # `--content DIR` alone is a pack, broken or not: never profiles
            or (os.path.lexists(target / "pack.yaml") and (target / "models").is_dir())
        ):
            root = target or bundled_content_dir()
            packs.append(str(target) if target is not None else "bundled")
            known = {tuple(rel.split("/")) for rel in (*pack_files(root), *REPORT_FILES)}
            known.add((WORDS_FILE,))
            diags += check_report_files(root)
            if (root / WORDS_FILE).is_file():  # the "did you mean" words: optional, checked
                diags += load_model(root / WORDS_FILE, WordsFile, str(root / WORDS_FILE))[1]
            # every file checked, valid or not (a valid pack's count left out the report
            # files and the words, so a copy of the pack changed size with one typo)
            checked += [
                str(root.joinpath(*rel)) for rel in sorted(known) if root.joinpath(*rel).is_file()
            ]
            try:
                load_pack(target)
            except NcmError as exc:
                diags += exc.diagnostics
            if target is not None:
                for parts in sorted(walk_files(str(target))):
                    if parts not in known and _suffix(parts[-1]) in YAML_SUFFIXES:
                        diags.append(
                            Diagnostic(
                                str(target.joinpath(*parts)),
                                1,
                                1,
                                "not a file of the content pack around it, so not checked",
                                hint="validate profiles in a folder of their own",
                            )
                        )
            continue
        if not target.exists() and str(target) != "-":  # `-`: standard input
            diags.append(Diagnostic(str(target), 1, 1, _missing(target), hint=nearby(target)))
            continue
        for path, shown in profile_tasks([target]):
            checked.append(shown)  # a readiness record by its `kind: readiness`, else a profile
            if path is not None and is_record(path):
                diags += check_record(path, shown, content)
            else:
                _, profile, found = load_task((path, shown))
                diags += found or forms.problems(profile, shown)
    # a profile a record names is read with the record: its errors once, though it is
    # validated by itself too (`ncm validate profiles/ ready/`)
    return checked, list(dict.fromkeys(diags)), packs


def _missing(target: Path) -> str:
    """Why a path is not there, as the system says it: `exists()` is False for a loop of
    links or a file used as a folder too, which are not "no such file"."""
    try:
        target.stat()
    except OSError as exc:
        if exc.errno != errno.ENOENT:
            return FileProblem.from_os(target, exc, "cannot read").cause
    return "no such file or folder"


class _FormCheck:
    """A profile's `decision.form` checked against the active pack, as `ncm plan` and `ncm
    report` check it: else a profile passes `ncm validate` in CI and then fails them. The
    pack is loaded only for a profile that names a form."""

    def __init__(self, content: Path | None):
        self.content = content
        self.pack: ContentPack | None = None

    def problems(self, profile: Profile | None, shown: str) -> list[Diagnostic]:
        if profile is None or profile.decision is None or profile.decision.form is None:
            return []
        if self.pack is None:
            try:
                self.pack = load_pack(self.content)
            except NcmError:  # an invalid pack is reported when it is validated itself
                return []
        bad = decision_form_problem(self.pack, shown, profile)
        return [] if bad is None else [bad]
