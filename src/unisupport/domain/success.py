"""Success management: the domains and activities of Annexe B (SM-2) and what a success plan holds
(SM-3, a Product rule: objectives, planned activities per domain, outcomes, the services used).

Pure: the caller gives the plan's states; :func:`compare` says what changed between two of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop

# SM-2: the domains and their activities, in the source's order.
DOMAINS: dict[str, tuple[str, ...]] = {
    "solution-integrity": (
        "customer-health-program",
        "problem-management",
        "proactive-resilience",
        "proactive-security",
        "emergency-preparedness",
    ),
    "adoption-and-planning": (
        "success-program-management",
        "technology-optimization",
        "technology-and-security-updates",
        "lifecycle-management",
    ),
    "executive-partnership": ("customer-relationship-management",),
}

# What the portal shows (gettext_noop: the French is the contract's own words, portal catalogue).
NAMES = {
    "solution-integrity": gettext_noop("Solution integrity"),
    "adoption-and-planning": gettext_noop("Adoption and planning"),
    "executive-partnership": gettext_noop("Executive partnership"),
    "customer-health-program": gettext_noop("Customer Health Program"),
    "problem-management": gettext_noop("Problem Management"),
    "proactive-resilience": gettext_noop("Proactive Resilience"),
    "proactive-security": gettext_noop("Proactive Security"),
    "emergency-preparedness": gettext_noop("Emergency (crisis) preparedness"),
    "success-program-management": gettext_noop("Success Program Management"),
    "technology-optimization": gettext_noop("Technology Optimization"),
    "technology-and-security-updates": gettext_noop("Technology and Security Updates"),
    "lifecycle-management": gettext_noop("Lifecycle Management"),
    "customer-relationship-management": gettext_noop("Customer Relationship Management"),
}


class ObjectiveState(StrEnum):
    """Where an objective stands; an achieved one records its outcome (value validation)."""

    OPEN = "open"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


def check_activity(domain: str, activity: str) -> tuple[str, str]:
    """Return ``(domain, activity)`` if the activity belongs to the domain (SM-2), else raise InvalidInput."""
    d, a = str(domain or "").strip().lower(), str(activity or "").strip().lower()
    if d not in DOMAINS:
        raise InvalidInput(
            "domain",
            Message(
                gettext_noop("SM-2: expected one of {domains}, got {value!r}"),
                domains=", ".join(DOMAINS),
                value=domain,
            ),
        )
    if a not in DOMAINS[d]:
        raise InvalidInput(
            "activity",
            Message(
                gettext_noop("SM-2: {domain} covers {activities}, not {value!r}"),
                domain=d,
                activities=", ".join(DOMAINS[d]),
                value=activity,
            ),
        )
    return d, a


def check_target(target: date | None, *, today: date) -> date | None:
    """Return an objective's target date, refused when already past on the day it is set."""
    if target is not None and target < today:
        raise InvalidInput("target", Message(gettext_noop("the target date {day} has passed"), day=target))
    return target


Snapshot = Mapping[str, Mapping[str, Mapping[str, object]]]  # section -> item key -> fields


def compare(before: Snapshot, after: Snapshot) -> dict[str, dict[str, list[object]]]:
    """Return, per section (objectives, activities), the items added, removed and changed (with
    each changed field's old and new value) from ``before`` to ``after``."""
    result: dict[str, dict[str, list[object]]] = {}
    for section in sorted(set(before) | set(after)):
        old, new = before.get(section, {}), after.get(section, {})
        changed: list[object] = []
        for key in sorted(set(old) & set(new)):
            fields = {
                f: {"from": old[key].get(f), "to": new[key].get(f)}
                for f in sorted(set(old[key]) | set(new[key]))
                if old[key].get(f) != new[key].get(f)
            }
            if fields:
                changed.append({"key": key, "fields": fields})
        result[section] = {
            "added": [dict(new[k], key=k) for k in sorted(set(new) - set(old))],
            "removed": [dict(old[k], key=k) for k in sorted(set(old) - set(new))],
            "changed": changed,
        }
    return result
