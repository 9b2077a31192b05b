"""`ncm compare` reads two profiles over time only for one respondent on two dates, or when
asked (`--over-time`), never because two partnership names match (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import write


def v2(
    path: Path,
    name: str,
    importance: int,
    role: str | None = None,
    organisation: str | None = None,
    as_of: str | None = None,
    extra: str = "",
) -> Path:
    lines = ["schema_version: 2", f"name: {json.dumps(name)}", "objectives:"]
    lines += [f"  integrating_primary_care: {importance}", "  leveraging_technology: 2"]
    if role is not None or organisation is not None:
        lines += ["respondent:"]
        lines += [f"  role: {json.dumps(role)}"] if role is not None else []
        lines += [f"  organisation: {json.dumps(organisation)}"] if organisation else []
    lines += [f"as_of: {as_of}"] if as_of else []
    return write(path, "\n".join(lines) + "\n" + extra)


def run(ncm, *args: str) -> dict:
    result = ncm("compare", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_same_respondent_two_dates_is_over_time_earlier_first(ncm, tmp_path: Path) -> None:
    # given later first: the earlier as_of becomes the first snapshot
    late = v2(
        tmp_path / "late.yaml",
        "North",
        5,
        "Director of Strategy",
        "North PCN",
        "2025-03-01",
        "structure:\n  lead: general_practice\n",
    )
    early = v2(
        tmp_path / "early.yaml", "North", 2, " director of  strategy", "NORTH PCN", "2024-05-01"
    )
    ot = run(ncm, str(late), str(early))["over_time"]
    assert ot is not None
    assert (ot["before"], ot["after"]) == ("early", "late")
    assert (ot["before_as_of"], ot["after_as_of"]) == ("2024-05-01", "2025-03-01")
    assert ot["basis"] == "same_respondent"
    changes = {(c["kind"], c["key"]): (c["before"], c["after"]) for c in ot["changes"]}
    assert changes[("objective", "integrating_primary_care")] == (2, 5)
    assert changes[("structure", "lead")] == (None, "general_practice")
    table = ncm("compare", str(late), str(early))
    assert table.exit_code == 0, table.stderr
    assert "Over time: early → late" in table.stdout
    flat = " ".join(table.stdout.split())  # the console wraps long lines
    assert "the same respondent on two dates (2024-05-01 → 2025-03-01)" in flat
    assert "Lead: not answered → general_practice" in table.stdout


def test_same_names_alone_are_stakeholders_not_snapshots(ncm, tmp_path: Path) -> None:
    a = v2(tmp_path / "a.yaml", "South Borough", 5)
    b = v2(tmp_path / "b.yaml", "South Borough", 1)
    assert run(ncm, str(a), str(b))["over_time"] is None


def test_not_over_time_without_both_dates_or_the_same_respondent(ncm, tmp_path: Path) -> None:
    role, org = "Director of Strategy", "North PCN"
    cases = {
        "same date": (("x", role, org, "2024-05-01"), ("y", role, org, "2024-05-01")),
        "one undated": (("x", role, org, "2024-05-01"), ("y", role, org, None)),
        "other role": (
            ("x", role, org, "2024-05-01"),
            ("y", "Finance Director", org, "2025-01-01"),
        ),
        "other org": (("x", role, org, "2024-05-01"), ("y", role, "South PCN", "2025-01-01")),
        "role only": (("x", role, None, "2024-05-01"), ("y", role, None, "2025-01-01")),
    }
    for why, (first, second) in cases.items():
        folder = tmp_path / why.replace(" ", "_")
        folder.mkdir()
        a = v2(folder / f"{first[0]}.yaml", "North", 4, *first[1:])
        b = v2(folder / f"{second[0]}.yaml", "North", 3, *second[1:])
        assert run(ncm, str(a), str(b))["over_time"] is None, why


def test_over_time_when_asked_even_with_different_names(ncm, tmp_path: Path) -> None:
    a = v2(tmp_path / "first.yaml", "Old name", 1)
    b = v2(tmp_path / "second.yaml", "New name", 4)
    ot = run(ncm, str(a), str(b), "--over-time")["over_time"]
    assert ot["basis"] == "asked" and (ot["before"], ot["after"]) == ("first", "second")
    assert ot["before_as_of"] is None and ot["after_as_of"] is None


def test_over_time_needs_exactly_two_profiles(ncm, tmp_path: Path) -> None:
    paths = [str(v2(tmp_path / f"{n}.yaml", "P", 3)) for n in "abc"]
    result = ncm("compare", *paths, "--over-time")
    assert result.exit_code == 2
    assert "--over-time compares two snapshots; got 3 profiles" in result.stderr
    assert "Traceback" not in result.stderr
    assert run(ncm, *paths)["over_time"] is None  # three profiles: stakeholders


def test_three_or_more_say_which_profiles_are_one_respondent_on_several_dates(
    ncm, tmp_path: Path
) -> None:
    """Among three or more profiles, one respondent's answers on different dates were counted
    as separate stakeholders with no word said: now a note names them, in every format."""
    a = v2(tmp_path / "dof-may.yaml", "P", 3, "Director of Finance", "North Trust", "2024-05-01")
    b = v2(tmp_path / "dof-june.yaml", "P", 4, "director of finance", "North  Trust", "2024-06-01")
    c = v2(tmp_path / "dos.yaml", "P", 5, "Director of Strategy", "North Trust", "2024-06-01")
    data = run(ncm, str(a), str(b), str(c))
    assert data["over_time"] is None
    said = [n for n in data["notes"] if "one respondent" in n]
    assert len(said) == 1 and said[0].startswith("dof-may and dof-june are one respondent's")
    assert "dos" not in said[0]
    table = ncm("compare", str(a), str(b), str(c))
    assert "dof-may and dof-june are one respondent's" in " ".join(table.stdout.split())
    md = ncm("compare", str(a), str(b), str(c), "--format", "md")
    assert "one respondent's answers on different dates" in md.stdout
    # the same respondent on one date, or without a date, is not read as several dates (one
    # date is said as such: test_hostile_round10); without a date, nothing is said
    same_day = v2(tmp_path / "dof-again.yaml", "P", 2, "Director of Finance", "North Trust",
                  "2024-05-01")  # fmt: skip
    undated = v2(tmp_path / "dof-undated.yaml", "P", 2, "Director of Finance", "North Trust")
    notes = run(ncm, str(a), str(same_day), str(undated), str(c))["notes"]
    assert not [n for n in notes if "different dates" in n]
    said = [n for n in notes if "one respondent" in n]
    assert len(said) == 1 and said[0].startswith("dof-may and dof-again are one respondent's")
    assert "of the same date" in said[0] and "undated" not in said[0]
