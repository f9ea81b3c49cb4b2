"""The configurable policy: the numbers and lists the rules read (MC-5, ORD-4, FLX-1, DEL-1)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

import yaml


@dataclass(frozen=True, slots=True)
class Policy:
    """Values the rules read, kept out of the code because the source says they may change."""

    mc5_dedicated_order_countries: frozenset[str]
    plus_tier_min_assessed_spend_usd: Decimal
    custom_proactive_share: Decimal
    custom_proactive_floor_usd: Decimal
    request_lead_days: int
    order_file_max_bytes: int = 5_000_000  # product rule: larger order files are refused unread
    order_file_max_orders: int = 2_000
    # Product rules: the source dates no REDE initial meeting (REDE-1) and gives UER's included
    # success-management hours as "a fixed number" (UER-2) without the number.
    rede_priorities_meeting_days: int = 30
    uer_success_management_hours: Decimal = Decimal(40)
    incident_attachment_max_bytes: int = (
        25 * 1024 * 1024
    )  # product rule: a log or trace, not an archive of them all


def parse_policy(text: str) -> Policy:
    """Return the policy described by a YAML text."""
    raw = yaml.safe_load(text)
    return Policy(
        mc5_dedicated_order_countries=frozenset(c.upper() for c in raw["mc5_dedicated_order_countries"]),
        plus_tier_min_assessed_spend_usd=Decimal(str(raw["plus_tier_min_assessed_spend_usd"])),
        custom_proactive_share=Decimal(str(raw["custom_proactive_share"])),
        custom_proactive_floor_usd=Decimal(str(raw["custom_proactive_floor_usd"])),
        request_lead_days=int(raw["request_lead_days"]),
        order_file_max_bytes=int(raw.get("order_file_max_bytes", 5_000_000)),
        order_file_max_orders=int(raw.get("order_file_max_orders", 2_000)),
        rede_priorities_meeting_days=int(raw.get("rede_priorities_meeting_days", 30)),
        uer_success_management_hours=Decimal(str(raw.get("uer_success_management_hours", 40))),
        incident_attachment_max_bytes=int(raw.get("incident_attachment_max_bytes", 25 * 1024 * 1024)),
    )


def default_policy_text() -> str:
    """Return the policy shipped with the package, as YAML."""
    return resources.files("unisupport.domain").joinpath("data", "policy.yaml").read_text(encoding="utf-8")
