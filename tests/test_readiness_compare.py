"""`ncm compare` of readiness records: disagreements between stakeholders, moves over time."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_readiness import PROFILE


def _record(tmp_path: Path, name: str, role: str, as_of: str, statuses: dict[str, str]) -> Path:
    lines = [
        "kind: readiness",
        "schema_version: 1",
        "partnership: South Borough Partnership",
        f"stakeholder: {{role: {role}, organisation: South Borough Council}}",
        f"as_of: {as_of}",
        "answers:",
    ]
    lines += [f"  {k}: {{status: {v}}}" for k, v in statuses.items()]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


def test_disagreements_and_moves(ncm, tmp_path: Path) -> None:
    (tmp_path / "prof.yaml").write_text(PROFILE)
    a1 = _record(tmp_path, "a1.yaml", "Director of Finance", "2026-01-10", {"form_03": "open"})
    a2 = _record(
        tmp_path, "a2.yaml", "Director of Finance", "2026-04-01",
        {"form_03": "settled", "reg_01": "partly"},
    )  # fmt: skip
    b = _record(tmp_path, "b.yaml", "Chief Executive", "2026-04-02", {"form_03": "settled"})
    result = ncm("compare", str(a2), str(b), str(a1), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    dis = {d["id"]: d for d in data["disagreements"]}
    assert set(dis) == {"reg_01"}  # form_03: both latest records say settled
    assert {s["status"] for s in dis["reg_01"]["statuses"]} == {"partly", "not_considered"}
    (move,) = data["over_time"]
    assert move["from"] == "2026-01-10" and move["to"] == "2026-04-01"
    moved = {m["id"]: (m["before"], m["after"]) for m in move["moved"]}
    assert moved == {"form_03": ("open", "settled"), "reg_01": ("not_considered", "partly")}
    table = ncm("compare", str(a1), str(a2), str(b))
    assert table.exit_code == 0 and "form_03: open -> settled" in table.stdout
    md = ncm("compare", str(a1), str(a2), str(b), "--format", "md")
    assert "## Where stakeholders disagree" in md.stdout


def test_records_are_recognised_by_kind_not_mixed(ncm, tmp_path: Path) -> None:
    prof = tmp_path / "prof.yaml"
    prof.write_text(PROFILE)
    a = _record(tmp_path, "a.yaml", "Director of Finance", "2026-01-10", {})
    mixed = ncm("compare", str(a), str(prof))
    assert mixed.exit_code == 2 and "readiness records only" in mixed.stderr
    other = tmp_path / "other.yaml"
    other.write_text(a.read_text().replace("South Borough Partnership", "North Borough"))
    diff = ncm("compare", str(a), str(other))
    assert diff.exit_code == 2 and "different partnerships" in diff.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(a.read_text().replace("schema_version: 1", "schema_version: 7"))
    invalid = ncm("compare", str(a), str(bad))
    assert invalid.exit_code == 1 and "bad.yaml:2:" in invalid.stderr
