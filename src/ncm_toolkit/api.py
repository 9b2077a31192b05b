"""The public Python API: what every command does, reachable without the command line.

Each function is a thin, documented entry to one stage of the flow load -> validate -> score
-> plan -> render; the commands in `cli` call the same code."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ncm_toolkit.compare import Comparison
    from ncm_toolkit.content import ContentPack
    from ncm_toolkit.errors import Diagnostic
    from ncm_toolkit.plan import Plan
    from ncm_toolkit.profile import Profile
    from ncm_toolkit.scoring import Result


def load_pack(root: Path | None = None) -> ContentPack:
    """The content pack at `root` (the bundled one if None), validated; NcmError if invalid."""
    from ncm_toolkit.content import load_pack as load

    return load(root)


def load_profile(path: Path) -> tuple[Profile | None, list[Diagnostic]]:
    """A partnership profile, or None and located diagnostics (file, line, column, field)."""
    from ncm_toolkit.profile import load_profile as load

    return load(path)


def score_profile(pack: ContentPack, profile: Profile) -> Result:
    """The ten options ranked for `profile`, each score with its parts and sources."""
    from ncm_toolkit.scoring import score_profile as score

    return score(pack, profile)


def plan_profile(
    pack: ContentPack, profile: Profile, option: str | None = None, form: str | None = None
) -> Plan:
    """After the ranking: the organisational form and the workforce implications."""
    from ncm_toolkit.plan import plan_profile as plan

    return plan(pack, profile, option=option, form=form)


def render_report(
    pack: ContentPack,
    profile: Profile,
    fmt: Literal["md", "html"] = "html",
    path: str = "profile.yaml",
    result: Result | None = None,
) -> str:
    """A report as text (`ncm report`), from a profile (scored here unless `result` is given);
    `path` is the file name the report names as its input."""
    from ncm_toolkit.render.report import ReportInput, render

    scored = result if result is not None else score_profile(pack, profile)
    return render(pack, ReportInput(profile, scored, path), fmt)


def compare_profiles(pack: ContentPack, profiles: Sequence[tuple[str, Profile]]) -> Comparison:
    """Several stakeholders' profiles (label, profile) compared (`ncm compare`)."""
    from ncm_toolkit.compare import compare

    return compare(pack, profiles)


def validate_paths(
    paths: Sequence[Path], content: Path | None = None
) -> tuple[int, list[Diagnostic], list[str]]:
    """`ncm validate`: files checked, every diagnostic, and the content packs among `paths`."""
    from ncm_toolkit.batch import validate_paths as validate

    return validate(list(paths), content)
