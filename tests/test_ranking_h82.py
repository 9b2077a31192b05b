"""The rule added for issue 14 (helper h82), read from the source: `merger_accepted`, partners
who accept a merger or acquisition (`governance.formality: merger`) give a multi-site trust and
a super-practice 10 points, Hempsons' examples of that legal model being GP super-practices and
trust mergers (a hospital chain's members stay independent).

Each test runs the real CLI on a written profile and fails on the pack before this rule (the
rule, and the `formality` condition it uses, did not exist).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ncm_toolkit.content import load_pack


def _score(ncm: Any, tmp_path: Path, profile: dict[str, Any]) -> list[dict[str, Any]]:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"schema_version": 1, "name": "t", **profile}), encoding="utf-8")
    result = ncm("score", str(path), "--format", "json", "--no-acceptability")
    assert result.exit_code == 0, result.stderr
    return list(json.loads(result.stdout)["results"][0]["ranking"])


def _fired(ranking: list[dict[str, Any]], rule: str) -> set[str]:
    """The options the named rule gave points to."""
    return {e["option"] for e in ranking for a in e.get("adjustments", []) if a["rule"] == rule}


GP = {"name": "P", "kind": "gp_practice"}
ACUTE = {"name": "A", "kind": "acute_trust"}


def test_the_rules_are_in_the_pack_with_their_sources() -> None:
    rules = {r.id: r for r in load_pack().scoring.rules}
    merger = rules["merger_accepted"]
    assert merger.when.formality == ["merger"]
    assert merger.effects == {"multi_site_trust": 10, "super_practice": 10}
    assert merger.source.document == "hempsons"


def test_merger_accepted_fires_only_for_a_merger(ncm: Any, tmp_path: Path) -> None:
    objectives = {"integrating_primary_care": 5, "integrating_back_office": 4}
    base = {"partners": [GP], "objectives": objectives}
    merger = _score(ncm, tmp_path, {**base, "governance": {"formality": "merger"}})
    assert _fired(merger, "merger_accepted") == {"multi_site_trust", "super_practice"}
    for formality in ("informal", "contractual", "corporate"):
        other = _score(ncm, tmp_path, {**base, "governance": {"formality": formality}})
        assert _fired(other, "merger_accepted") == set(), formality
    assert _fired(_score(ncm, tmp_path, base), "merger_accepted") == set()


def test_practices_accepting_a_merger_rank_the_super_practice_first(
    ncm: Any, tmp_path: Path
) -> None:
    """GP practices only, primary care and back office: a federation without the answer (its
    back-office alignment is the stronger), a super-practice when the practices accept a merger."""
    base = {
        "partners": [GP],
        "objectives": {
            "integrating_primary_care": 5,
            "integrating_back_office": 4,
            "strengthening_out_of_hospital_care": 3,
        },
    }
    assert _score(ncm, tmp_path, base)[0]["option"] == "gp_federation"
    merger = _score(ncm, tmp_path, {**base, "governance": {"formality": "merger"}})
    assert merger[0]["option"] == "super_practice"
    assert merger[0]["rank"] == 1 and not merger[0].get("tied_with")


def test_trusts_accepting_a_merger_rank_the_multi_site_trust_above_the_chain(
    ncm: Any, tmp_path: Path
) -> None:
    """Two acute trusts whose configuration must change, sites and back office: the chain
    (the stronger back-office alignment) first until the trusts accept a merger, which counts
    for the multi-site trust only: a chain's members stay independent (Hempsons)."""
    base = {
        "partners": [ACUTE, {"name": "B", "kind": "acute_trust"}],
        "objectives": {"expanding_services_across_sites": 5, "integrating_back_office": 3},
        "sustainability": {"configuration_must_change": True},
    }
    assert _score(ncm, tmp_path, base)[0]["option"] == "hospital_chain"
    merger = _score(ncm, tmp_path, {**base, "governance": {"formality": "merger"}})
    assert merger[0]["option"] == "multi_site_trust"
