"""A closure added by the back office, with the open incidents it moves (SEV-7), or only their preview.

Adding a closure moves the running business-hours clocks of its country's open incidents in its
own transaction (incidents/apps.py connects the recompute to the row's save); this reads the
moves that transaction recorded (the SEV-7 timeline events) and, for a preview, rolls it back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from unisupport.accounts.scope import Scope
from unisupport.calendars.models import CalendarClosure
from unisupport.calendars.selectors import forget_calendars
from unisupport.calendars.services import add_closure
from unisupport.domain.incidents import TimelineKind
from unisupport.incidents.models import TimelineEvent


@dataclass(frozen=True, slots=True)
class MovedIncident:
    """An open incident whose first-response due time a closure moved (SEV-7)."""

    incident_id: int
    title: str
    customer: str
    site_timezone: str
    previous: dt.datetime | None
    due: dt.datetime | None


def _instant(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None


def add_closure_with_moves(
    *, scope: Scope, preview: bool, actor: User | None = None, **closure: Any
) -> tuple[CalendarClosure, list[MovedIncident]]:
    """Return the closure (``calendars.services.add_closure``'s arguments) and the incidents it moves (SEV-7).

    With ``preview``, nothing is kept: the closure and the moves are rolled back.
    """
    with transaction.atomic():
        last = TimelineEvent.objects.aggregate(m=Max("pk"))["m"] or 0
        row = add_closure(scope=scope, actor=actor, **closure)
        events = (
            TimelineEvent.objects.filter(
                pk__gt=last, kind=TimelineKind.DUE_RECOMPUTED, incident__site_country=row.country
            )
            .select_related("incident__organisation")
            .order_by("incident_id", "pk")
        )
        moved = [
            MovedIncident(
                incident_id=e.incident_id,
                title=e.incident.title,
                customer=e.incident.organisation.name,
                site_timezone=e.incident.site_timezone,
                previous=_instant(e.data.get("previous")),
                due=_instant(e.data.get("due")),
            )
            for e in events
        ]
        if preview:
            transaction.set_rollback(True)
    if preview:
        # The recompute built (and cached in this process) the calendar with the rolled-back closure.
        forget_calendars()
    return row, moved
