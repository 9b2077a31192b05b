"""Partner-mix rules that tell options of one family apart (issue 14): each fires for the mix
its source describes and not for a neighbouring one, run through the real `ncm score`."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import write

PRIMARY_AND_COMMUNITY = """\
schema_version: 1
name: Primary and community partnership
partners:
  - {name: Practices, kind: gp_federation}
  - {name: Community trust, kind: community_trust}
  - {name: CCG, kind: commissioner}
objectives:
  integrating_health_and_social_care: 5
  strengthening_out_of_hospital_care: 4
"""


def _rules(ncm, path: Path, option: str) -> set[str]:
    result = ncm("score", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    (res,) = json.loads(result.stdout)["results"]
    entry = next(e for e in res["ranking"] if e["option"] == option)
    return {a["rule"] for a in entry["adjustments"]}


def test_community_services_without_a_hospital_count_for_mcp(ncm, tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", PRIMARY_AND_COMMUNITY)
    assert "community_services_without_hospital" in _rules(ncm, path, "mcp")
    assert "community_services_without_hospital" not in _rules(ncm, path, "aco_ico")


def test_a_hospital_partner_turns_it_off(ncm, tmp_path: Path) -> None:
    text = PRIMARY_AND_COMMUNITY.replace(
        "  - {name: CCG, kind: commissioner}\n",
        "  - {name: CCG, kind: commissioner}\n  - {name: Hospital, kind: acute_trust}\n",
    )
    path = write(tmp_path / "p.yaml", text)
    assert "community_services_without_hospital" not in _rules(ncm, path, "mcp")


def test_no_community_partner_no_points(ncm, tmp_path: Path) -> None:
    text = PRIMARY_AND_COMMUNITY.replace("kind: community_trust", "kind: voluntary_sector")
    path = write(tmp_path / "p.yaml", text)
    assert "community_services_without_hospital" not in _rules(ncm, path, "mcp")
