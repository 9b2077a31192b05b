"""The identifiers fixed by the public contract (shared/design/contract.md).

They are Literal types, not Enums, so that strict validation accepts the plain strings YAML
gives us and the JSON Schema lists the allowed values.
"""

from __future__ import annotations

from typing import Literal, get_args

OptionId = Literal[
    "multi_site_trust",
    "hospital_chain",
    "specialty_franchise",
    "urgent_emergency_care_network",
    "aco_ico",
    "mcp",
    "pacs",
    "enhanced_health_in_care_homes",
    "gp_federation",
    "super_practice",
]

ObjectiveId = Literal[
    "integrating_primary_care",
    "integrating_primary_and_secondary_care",
    "integrating_health_and_social_care",
    "redesigning_urgent_and_emergency_care",
    "expanding_services_across_sites",
    "integrating_back_office",
    "leveraging_technology",
    "strengthening_out_of_hospital_care",
    "strategic_estates_and_primary_care",
]

PartnerKind = Literal[
    "acute_trust",
    "community_trust",
    "mental_health_trust",
    "ambulance_trust",
    "specialist_trust",
    "gp_practice",
    "gp_federation",
    "commissioner",
    "local_authority",
    "care_home",
    "voluntary_sector",
    "independent_sector",
    "other",
]

Formality = Literal["informal", "contractual", "corporate", "merger"]

OPTION_IDS: tuple[str, ...] = get_args(OptionId)
OBJECTIVE_IDS: tuple[str, ...] = get_args(ObjectiveId)
PARTNER_KINDS: tuple[str, ...] = get_args(PartnerKind)
FORMALITIES: tuple[str, ...] = get_args(Formality)
