"""Validating and scoring many files: streamed, so memory stays flat however many there are."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Diagnostic, NcmError
from .profile import Profile, expand_paths, load_profile

if TYPE_CHECKING:  # validating profiles needs neither the content schemas nor scoring
    from .content import ContentPack
    from .scoring import Result


@dataclass
class Scored:
    path: str
    profile: Profile | None
    result: Result | None
    errors: list[Diagnostic]


def iter_profiles(paths: Iterable[Path]) -> Iterator[tuple[str, Profile | None, list[Diagnostic]]]:
    """Each profile file (folders expanded in sorted order), loaded or with its diagnostics."""
    for given in paths:
        found = False
        for path, shown in expand_paths([given]):
            found = True
            profile, diags = load_profile(path, shown)
            yield shown, profile, diags
        if not found:  # an empty or mistyped folder must not pass CI as "all valid"
            yield (
                str(given),
                None,
                [Diagnostic(str(given), 1, 1, "no profiles (*.yaml, *.yml) in this folder")],
            )


def iter_scores(pack: ContentPack, paths: Iterable[Path]) -> Iterator[Scored]:
    from .scoring import score_profile

    for shown, profile, diags in iter_profiles(paths):
        result = score_profile(pack, profile) if profile else None
        yield Scored(shown, profile, result, diags)


def validate_paths(paths: list[Path], content: Path | None) -> tuple[int, list[Diagnostic]]:
    """Validate content packs and profiles; return how many files were checked and every
    diagnostic. With no path, the active content pack is validated."""
    diags: list[Diagnostic] = []
    checked = 0
    targets: list[Path | None] = list(paths) if paths else [content]
    for target in targets:
        if target is None or (target / "models").is_dir():  # a content pack
            from .content import bundled_content_dir, load_pack

            try:
                pack = load_pack(target)
                checked += len(pack.files)
            except NcmError as exc:
                checked += sum(1 for _ in (target or bundled_content_dir()).rglob("*.y*ml"))
                diags += exc.diagnostics
            continue
        if not target.exists():
            diags.append(Diagnostic(str(target), 1, 1, "no such file or folder"))
            continue
        for _shown, _profile, found in iter_profiles([target]):
            checked += 1
            diags += found
    return checked, diags
