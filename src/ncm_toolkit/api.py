"""The public Python API: what every command does, reachable without the command line.

Each function is a thin, documented entry to one stage of the flow load -> validate -> score
-> plan -> render; the commands in `cli` call the same code. `ncm_toolkit` imports this module
on first use of one of its names, so importing the package stays cheap."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from ncm_toolkit import compare, content, plan, profile, readiness, scoring, validate
from ncm_toolkit.compare import Comparison
from ncm_toolkit.content import ContentPack
from ncm_toolkit.errors import Diagnostic
from ncm_toolkit.plan import Plan
from ncm_toolkit.profile import Profile
from ncm_toolkit.render.report import ReportInput, render
from ncm_toolkit.scoring import Result


def load_pack(root: Path | None = None) -> ContentPack:
    """The content pack at `root` (the bundled one if None), validated; NcmError if invalid."""
    return content.load_pack(root)


def load_profile(path: Path) -> tuple[Profile | None, list[Diagnostic]]:
    """A partnership profile, or None and located diagnostics (file, line, column, field)."""
    return profile.load_profile(path)


def score_profile(pack: ContentPack, profile: Profile) -> Result:
    """The ten options ranked for `profile`, each score with its parts and sources."""
    return scoring.score_profile(pack, profile)


def plan_profile(
    pack: ContentPack, profile: Profile, option: str | None = None, form: str | None = None
) -> Plan:
    """After the ranking: the organisational form and the workforce implications."""
    return plan.plan_profile(pack, profile, option=option, form=form)


def render_report(
    pack: ContentPack,
    profile: Profile,
    fmt: Literal["md", "html"] = "html",
    path: str = "profile.yaml",
    result: Result | None = None,
) -> str:
    """A report as text (`ncm report`), from a profile (scored here unless `result` is given);
    `path` is the file name the report names as its input."""
    scored = result if result is not None else score_profile(pack, profile)
    return render(pack, ReportInput(profile, scored, path), fmt)


def compare_profiles(pack: ContentPack, profiles: Sequence[tuple[str, Profile]]) -> Comparison:
    """Several stakeholders' profiles (label, profile) compared (`ncm compare`)."""
    return compare.compare(pack, profiles)


def assess_readiness(
    pack: ContentPack, record: Path, profile: Profile | None = None
) -> tuple[readiness.Result | None, list[Diagnostic]]:
    """A readiness record's result (`ncm readiness show`): readiness per area, and with the
    partnership's profile the questions blocking its chosen option and form; or None and
    located diagnostics (warnings with a result: answers to ids the pack does not have).
    Raises UsageError when the profile's first rank is shared."""
    found, diags = readiness.load_record(record, str(record))
    if found is None:
        return None, diags
    planned = plan.plan_profile(pack, profile) if profile is not None else None
    kinds = [str(p.kind) for p in profile.partners] if profile is not None else []
    return (
        readiness.assess(pack, found, str(record), planned, kinds),
        readiness.unknown_ids(pack, found, str(record)),
    )


def validate_paths(
    paths: Sequence[Path], content: Path | None = None
) -> tuple[int, list[Diagnostic], list[str]]:
    """`ncm validate`: files checked, every diagnostic, and the content packs among `paths`."""
    return validate.validate_paths(list(paths), content)
