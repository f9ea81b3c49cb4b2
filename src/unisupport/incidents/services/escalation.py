"""The escalation a new incident's severity starts by itself (INC-2..INC-5, INC-9): rosters and timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import Case, QuerySet, Value, When

from unisupport.domain.incidents import TimelineKind
from unisupport.incidents.models import Incident, RosterEntry, RosterRole, TimelineEvent
from unisupport.incidents.services.common import timeline_event


def _for_offerings(role: RosterRole, offerings: Iterable[str]) -> QuerySet[RosterEntry]:
    """Return the active entries of ``role`` for ``offerings`` or for every offering, the offerings' own first."""
    return (
        RosterEntry.objects.filter(role=role, active=True, offering__in=[*offerings, ""])
        .select_related("user")
        .order_by(Case(When(offering="", then=Value(1)), default=Value(0)), "priority", "pk")
    )


def _on_roster(role: RosterRole, offerings: Iterable[str]) -> RosterEntry | None:
    return _for_offerings(role, offerings).first()


# (flag, roster, the incident's field, timeline kind, rule)
ROSTER_ROLES = (
    ("senior_incident_manager", RosterRole.SENIOR_INCIDENT_MANAGER, "incident_manager", TimelineKind.INCIDENT_MANAGER_ASSIGNED, "INC-4"),
    ("critical_situation_resource", RosterRole.CRITICAL_SITUATION, "critical_situation_resource", TimelineKind.CRITICAL_SITUATION_RESOURCE, "INC-2"),
)  # fmt: skip


def assign_from_rosters(incident: Incident) -> list[tuple[TimelineKind, str, User | None]]:
    """Return (timeline kind, rule, person or None) for each role the escalation fills, set on ``incident``."""
    flags = incident.escalation
    if not flags.get("rules"):
        return []
    assigned: list[tuple[TimelineKind, str, User | None]] = []
    for flag, role, field, kind, rule in ROSTER_ROLES:
        if not flags.get(flag):
            continue
        entry = _on_roster(role, incident.served_by)
        if entry is not None:
            setattr(incident, field, entry.user)
        assigned.append((kind, rule, entry.user if entry else None))
    return assigned


def senior_management(offerings: Iterable[str] = ()) -> list[str]:
    """Return the e-mail addresses on the senior management notification list (INC-2) for an incident
    served by ``offerings``: their own list and the one for every offering, each address once."""
    entries = _for_offerings(RosterRole.SENIOR_MANAGEMENT, offerings)
    return list(dict.fromkeys(e.user.email for e in entries if e.user.email))


def escalation_events(
    incident: Incident,
    *,
    at: dt.datetime,
    assigned: list[tuple[TimelineKind, str, User | None]],
    notified: list[str] | None,
) -> list[TimelineEvent]:
    """Return the timeline of the escalation the severity starts by itself (INC-2..INC-5, INC-9)."""
    flags = incident.escalation
    if not flags.get("rules"):
        return []
    events = [
        timeline_event(
            incident, kind=TimelineKind.ESCALATION, at=at, actor=None, rule=flags["rules"][0], **flags
        )
    ]
    events += [
        timeline_event(
            incident, kind=kind, at=at, actor=None, rule=rule, user=user.get_username() if user else None
        )
        for kind, rule, user in assigned
    ]
    if notified is not None:
        events.append(
            timeline_event(
                incident,
                kind=TimelineKind.SENIOR_MANAGEMENT_NOTIFIED,
                at=at,
                actor=None,
                rule="INC-2",
                recipients=notified,
            )
        )
    return events
