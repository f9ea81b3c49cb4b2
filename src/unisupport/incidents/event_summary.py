"""An event's summary (EVT-7): every incident opened during its coverage, its severity, whether the
response target was met and whether it was mitigated; an event with an unmitigated incident is flagged."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from unisupport.accounts.scope import Scope
from unisupport.domain.errors import NotFound
from unisupport.domain.messages import Message, gettext_noop
from unisupport.incidents.models import Incident
from unisupport.orders.models import EventCoverage


def event_summary(scope: Scope, *, event_id: int, at: dt.datetime) -> dict[str, object]:
    """Return the summary of event ``event_id`` as of ``at`` (final once its last covered day is past)."""
    event = EventCoverage.objects.select_related("order").filter(pk=event_id).first()
    if event is None or not scope.sees(event.organisation_id):
        raise NotFound(Message(gettext_noop("no event E-{id}"), id=event_id), field="event")
    incidents = list(
        Incident.objects.filter(event=event)
        .order_by("opened_at", "pk")
        .values("pk", "severity", "title", "opened_at", "response_met", "mitigated_at", "state")
    )
    rows = [
        {
            "incident": i["pk"],
            "severity": i["severity"],
            "title": i["title"],
            "opened_at": i["opened_at"].astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "response_met": i["response_met"],
            "mitigated": i["mitigated_at"] is not None or i["state"] == "closed",
        }
        for i in incidents
    ]
    last = dt.date.fromisoformat(event.days[-1]) if event.days else None
    today = at.astimezone(ZoneInfo(event.timezone)).date()
    return {
        "event": event.pk,
        "order": event.order.number,
        "name": event.name,
        "first_day": event.days[0] if event.days else None,
        "last_day": event.days[-1] if event.days else None,
        "final": last is not None and today > last,
        "incidents": rows,
        "unmitigated": [r["incident"] for r in rows if not r["mitigated"]],
        "flagged": any(not r["mitigated"] for r in rows),
        "rules": ["EVT-7"],
    }
