"""`ncm validate`: content packs (every file, the checks that span files, the report's data
files), profiles and readiness records, each reported with located diagnostics."""

from __future__ import annotations

import os
from pathlib import Path

from ncm_toolkit.content import bundled_content_dir, load_pack, pack_files
from ncm_toolkit.errors import Diagnostic, NcmError
from ncm_toolkit.files import walk_files
from ncm_toolkit.profile import YAML_SUFFIXES, _suffix, load_task, profile_tasks
from ncm_toolkit.readiness import check_record, is_record
from ncm_toolkit.report_data import REPORT_FILES, check_report_files


def validate_paths(
    paths: list[Path], content: Path | None
) -> tuple[int, list[Diagnostic], list[str]]:
    """Validate content packs and profiles; return how many files were checked, every
    diagnostic, and the content packs among them. With no path, the active content pack is
    validated.

    A folder is a content pack only if it has both `pack.yaml` and `models/`; any other YAML
    file in it is reported as not checked, so that profiles put beside a copy of a pack
    cannot pass as valid. Every other folder is a folder of profiles."""
    diags: list[Diagnostic] = []
    checked = 0
    packs: list[str] = []
    targets: list[Path | None] = list(paths) if paths else [content]
    for target in targets:
        if target is None or (
            os.path.lexists(target / "pack.yaml") and (target / "models").is_dir()
        ):
            root = target or bundled_content_dir()
            packs.append(str(target) if target is not None else "bundled")
            known = {tuple(rel.split("/")) for rel in (*pack_files(root), *REPORT_FILES)}
            diags += check_report_files(root)
            try:
                pack = load_pack(target)
                checked += len(pack.files)
            except NcmError as exc:
                checked += sum(1 for rel in known if root.joinpath(*rel).is_file())
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
            diags.append(Diagnostic(str(target), 1, 1, "no such file or folder"))
            continue
        for path, shown in profile_tasks([target]):
            checked += 1  # a readiness record by its `kind: readiness`, else a profile
            if path is not None and is_record(path):
                diags += check_record(path, shown, content)
            else:
                diags += load_task((path, shown))[2]
    return checked, diags, packs
