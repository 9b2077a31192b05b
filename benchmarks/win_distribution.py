#!/usr/bin/env python3
"""Who wins random profiles: the breadth-bias and tie benchmark of the scoring method (issue 14).

    python benchmarks/win_distribution.py [--n 2000] [--seed 14] [--markdown]

Scores random profiles with the real scorer (`scoring.score_profile`, the bundled pack) and
reports, for each set, the share of profiles each option wins (a first rank shared by k options
gives each 1/k) and the share with a shared first rank:

* dense: every one of the nine objectives rated 1-5 (a respondent who finds everything
  important), no other answers;
* sparse: one to three objectives rated 1-5, no other answers;
* with answers: one to four objectives, one to four random partners, random yes/no answers,
  formality and (version 2) structure answers;
* one objective at a time, at importance 5: the winner of each, and whether the source's group
  for that objective contains it.

Targets (issue 14): no option wins more than 40% of dense profiles; each objective alone is won
by an option the source names for it, or by an honestly reported tie. Exit status 1 if a target
is missed. Seeded, so every run gives the same figures.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ncm_toolkit.content import load_pack  # noqa: E402
from ncm_toolkit.profile import Profile  # noqa: E402
from ncm_toolkit.scoring import score_profile  # noqa: E402
from ncm_toolkit.vocabulary import FORMALITIES, OBJECTIVE_IDS, PARTNER_KINDS  # noqa: E402

DENSE_LIMIT = 0.40

NAMED_FOR: dict[str, set[str]] = {
    # the options the source names for each objective: Module 1's Contents groups the options
    # under Acute Care Collaboration (1-3), Integrated Health and Social Care (5-8) and
    # Integrated Primary Healthcare (9-10); option 4 is urgent and emergency care
    "integrating_primary_care": {"gp_federation", "super_practice"},
    "integrating_primary_and_secondary_care": {"pacs", "aco_ico"},
    "integrating_health_and_social_care": {
        "aco_ico",
        "mcp",
        "pacs",
        "enhanced_health_in_care_homes",
    },
    "redesigning_urgent_and_emergency_care": {"urgent_emergency_care_network"},
    "expanding_services_across_sites": {
        "multi_site_trust",
        "hospital_chain",
        "specialty_franchise",
    },
    "integrating_back_office": {"hospital_chain", "multi_site_trust", "gp_federation"},
    "leveraging_technology": {
        "specialty_franchise",
        "enhanced_health_in_care_homes",
        "aco_ico",
        "super_practice",
    },
    "strengthening_out_of_hospital_care": {
        "mcp",
        "enhanced_health_in_care_homes",
        "aco_ico",
        "pacs",
        "super_practice",
    },
    "strategic_estates_and_primary_care": {"multi_site_trust", "super_practice"},
}
"""Where Module 1 names an option for the objective (its overview, key features or benefits);
an option is counted as "named" only if listed here. Kept beside the benchmark, not used in
scoring."""

STRUCTURE: dict[str, list[object]] = {
    "integration_form": ["takeover", "group", "host_sites", "network", "none"],
    "scope": ["whole_organisations", "one_specialty"],
    "lead": ["general_practice", "acute_trust", "community_services", "joint_board", "other"],
    "population": ["registered_list", "place", "care_home_residents", "complex_needs"],
    "acute_inside": [True, False],
    "capitated_budget": [True, False],
    "practices": ["keep_contracts", "merge", "not_applicable"],
}


def firsts(pack: object, data: dict) -> list[str]:
    result = score_profile(pack, Profile.model_validate(data))  # type: ignore[arg-type]
    return [r.option for r in result.ranking if r.rank == 1]


def tally(pack: Any, profiles: list[dict]) -> tuple[dict[str, float], float]:
    wins: dict[str, float] = dict.fromkeys(pack.options, 0.0)
    ties = 0
    for data in profiles:
        top = firsts(pack, data)
        ties += len(top) > 1
        for o in top:
            wins[o] += 1 / len(top)
    n = len(profiles)
    return {o: wins[o] / n for o in pack.options}, ties / n


def dense(rng: random.Random, n: int) -> list[dict]:
    return [
        {"name": "d", "objectives": {o: rng.randint(1, 5) for o in OBJECTIVE_IDS}} for _ in range(n)
    ]


def sparse(rng: random.Random, n: int) -> list[dict]:
    out = []
    for _ in range(n):
        objs = rng.sample(OBJECTIVE_IDS, rng.randint(1, 3))
        out.append({"name": "s", "objectives": {o: rng.randint(1, 5) for o in objs}})
    return out


def answered(rng: random.Random, n: int) -> list[dict]:
    out = []
    for _ in range(n):
        objs = rng.sample(OBJECTIVE_IDS, rng.randint(1, 4))
        data: dict = {
            "schema_version": 2,
            "name": "a",
            "objectives": {o: rng.randint(1, 5) for o in objs},
            "partners": [
                {"name": f"p{i}", "kind": rng.choice(PARTNER_KINDS)}
                for i in range(rng.randint(1, 4))
            ],
            "sustainability": {
                "configuration_must_change": rng.choice([True, False]),
                "can_do_alone": rng.choice([True, False]),
            },
            "commissioning": {"functions_remain": rng.choice([True, False])},
            "governance": {"formality": rng.choice(FORMALITIES)},
        }
        structure: dict[str, object] = {
            k: rng.choice(v) for k, v in STRUCTURE.items() if rng.random() < 0.5
        }
        if structure:
            data["structure"] = structure
        out.append(data)
    return out


def table(title: str, shares: dict[str, float], ties: float) -> list[str]:
    lines = [f"### {title}", "", "| option | wins |", "|---|---:|"]
    lines += [f"| {o} | {s:.1%} |" for o, s in sorted(shares.items(), key=lambda x: -x[1])]
    lines += ["", f"Shared first rank: {ties:.1%} of profiles.", ""]
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="profiles per random set")
    ap.add_argument("--seed", type=int, default=14)
    args = ap.parse_args()
    pack = load_pack()
    rng = random.Random(args.seed)
    ok = True
    lines = [f"## Win distribution ({args.n} random profiles a set, seed {args.seed})", ""]
    d_shares, d_ties = tally(pack, dense(rng, args.n))
    lines += table("Dense: all nine objectives rated 1-5", d_shares, d_ties)
    worst = max(d_shares.values())
    if worst > DENSE_LIMIT:
        ok = False
        lines.append(f"**Target missed:** an option wins {worst:.1%} of dense profiles.\n")
    s_shares, s_ties = tally(pack, sparse(rng, args.n))
    lines += table("Sparse: one to three objectives, no other answers", s_shares, s_ties)
    a_shares, a_ties = tally(pack, answered(rng, args.n))
    lines += table("With partners, answers and structure", a_shares, a_ties)
    lines += ["### One objective at a time (importance 5)", "", "| objective | first | named |"]
    lines += ["|---|---|---|"]
    for obj in OBJECTIVE_IDS:
        top = firsts(pack, {"name": "o", "objectives": {obj: 5}})
        named = all(o in NAMED_FOR[obj] for o in top)
        tie = " (tie)" if len(top) > 1 else ""
        lines.append(f"| {obj} | {', '.join(top)}{tie} | {'yes' if named else 'NO'} |")
        ok = ok and named
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
