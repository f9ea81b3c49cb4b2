"""The events the endpoints receive, read from the rows the other apps already write — an incident's
timeline, the ledger's entries, a delivery's timeline, a programme milestone reminded late, a
contact's change — from where each source's cursor stopped; each event becomes one message per
endpoint that wants it, with a ``webhook-id`` fixed by the event (so a second pass adds nothing).

Reading the rows rather than being called by the services keeps the apps below unaware of
webhooks, and an event is owed exactly when its row committed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction

from unisupport.deliveries.models import DeliveryEvent
from unisupport.deliveries.presenters import delivery_json
from unisupport.domain.incidents import TimelineKind
from unisupport.domain.webhooks import EventType
from unisupport.incidents.models import TimelineEvent
from unisupport.incidents.presenters import incident_json
from unisupport.ledger.models import LedgerEntry
from unisupport.ledger.selectors import entry_json
from unisupport.orders.models import ContactChange
from unisupport.programmes.models import Milestone
from unisupport.programmes.presenters import milestone_json
from unisupport.success.presenters import contact_change_json
from unisupport.webhooks.models import Endpoint, FeedCursor, WebhookMessage

BATCH = 2000

INCIDENT_TYPES = {
    TimelineKind.OPENED.value: EventType.INCIDENT_OPENED,
    TimelineKind.SEVERITY_CHANGED.value: EventType.INCIDENT_SEVERITY_CHANGED,
    TimelineKind.RESPONSE_WARNING.value: EventType.INCIDENT_RESPONSE_DUE_SOON,
    TimelineKind.RESPONSE_BREACHED.value: EventType.INCIDENT_BREACHED,
    TimelineKind.STATE_CLOSED.value: EventType.INCIDENT_CLOSED,
}
DELIVERY_TYPES = {"scheduled": EventType.DELIVERY_SCHEDULED, "cancelled": EventType.DELIVERY_CANCELLED}


@dataclass(frozen=True, slots=True)
class Event:
    """One thing an endpoint may be told: its key (the ``webhook-id``), type, organisation and data."""

    key: str
    type: EventType
    organisation_id: int
    at: dt.datetime
    data: dict[str, object]


def _incidents(after: int, now: dt.datetime) -> tuple[list[Event], int]:
    rows = list(
        TimelineEvent.objects.filter(pk__gt=after)
        .order_by("pk")
        .select_related("incident__organisation", "incident__order")[:BATCH]
    )
    events = [
        Event(
            f"incident-{r.pk}",
            INCIDENT_TYPES[r.kind],
            r.incident.organisation_id,
            r.at,
            incident_json(r.incident, now=now, timeline=False),
        )
        for r in rows
        if r.kind in INCIDENT_TYPES
    ]
    return events, rows[-1].pk if rows else after


def _ledger(after: int, now: dt.datetime) -> tuple[list[Event], int]:
    rows = list(
        LedgerEntry.objects.filter(serial__gt=after)
        .select_related("order", "account")
        .order_by("serial")[:BATCH]
    )
    events = [
        Event(
            f"ledger-{r.serial}",
            EventType.LEDGER_ENTRY_POSTED,
            r.organisation_id,
            r.posted_at,
            entry_json(r, order=r.order.number),
        )
        for r in rows
    ]
    return events, rows[-1].serial if rows else after


def _deliveries(after: int, now: dt.datetime) -> tuple[list[Event], int]:
    rows = list(
        DeliveryEvent.objects.filter(pk__gt=after).select_related("delivery__order").order_by("pk")[:BATCH]
    )
    events = [
        Event(
            f"delivery-{r.pk}",
            DELIVERY_TYPES[r.kind],
            r.delivery.organisation_id,
            r.at,
            delivery_json(r.delivery),
        )
        for r in rows
        if r.kind in DELIVERY_TYPES
    ]
    return events, rows[-1].pk if rows else after


def _contacts(after: int, now: dt.datetime) -> tuple[list[Event], int]:
    rows = list(ContactChange.objects.filter(pk__gt=after).order_by("pk")[:BATCH])
    events = [
        Event(
            f"contact-{r.pk}",
            EventType.CONTACT_CHANGED,
            r.organisation_id,
            r.reported_at,
            contact_change_json(r),
        )
        for r in rows
    ]
    return events, rows[-1].pk if rows else after


Source = Callable[[int, dt.datetime], tuple[list[Event], int]]
SOURCES: dict[str, Source] = {
    "incidents": _incidents,
    "ledger": _ledger,
    "deliveries": _deliveries,
    "contacts": _contacts,
}
LATEST: dict[str, Callable[[], int]] = {
    "incidents": lambda: TimelineEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
    "ledger": lambda: LedgerEntry.objects.order_by("-serial").values_list("serial", flat=True).first() or 0,
    "deliveries": lambda: DeliveryEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
    "contacts": lambda: ContactChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
}


def _late_milestones(since: dt.datetime, now: dt.datetime) -> Iterator[Event]:
    rows = Milestone.objects.filter(reminded_at__gt=since, reminded_at__lte=now).select_related("order")
    for m in rows.order_by("reminded_at", "pk")[:BATCH]:
        assert m.reminded_at is not None
        yield Event(
            f"milestone-{m.pk}-late",
            EventType.MILESTONE_LATE,
            m.organisation_id,
            m.reminded_at,
            milestone_json(m, now=now),
        )


def _body(event: Event) -> str:
    document = {"type": event.type.value, "timestamp": event.at.isoformat(), "data": event.data}
    return json.dumps(document, separators=(",", ":"), default=str)


def _fan_out(events: Iterable[Event], endpoints: list[Endpoint], now: dt.datetime) -> int:
    rows = [
        WebhookMessage(
            endpoint=endpoint,
            msg_id=f"msg_{event.key}",
            type=event.type.value,
            body=_body(event),
            created_at=now,
            next_attempt_at=now,
        )
        for event in events
        for endpoint in endpoints
        if (endpoint.organisation_id is None or endpoint.organisation_id == event.organisation_id)
        and (not endpoint.events or event.type.value in endpoint.events)
    ]
    WebhookMessage.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def collect(*, now: dt.datetime) -> int:
    """Return how many messages this pass owed to the active endpoints (from where each source stopped).

    A source read for the first time starts from its newest row: registering an endpoint does not
    replay history.
    """
    endpoints = list(Endpoint.objects.filter(active=True))
    owed = 0
    for name, source in SOURCES.items():
        cursor, created = FeedCursor.objects.select_for_update().get_or_create(
            source=name, defaults={"last_id": LATEST[name]()}
        )
        if created:
            continue
        while True:
            events, last = source(cursor.last_id, now)
            if last == cursor.last_id:
                break
            owed += _fan_out(events, endpoints, now) if endpoints else 0
            cursor.last_id = last
        cursor.save(update_fields=["last_id"])
    cursor, created = FeedCursor.objects.select_for_update().get_or_create(
        source="milestones", defaults={"last_at": now}
    )
    if not created:
        events = list(_late_milestones(cursor.last_at or now, now))
        owed += _fan_out(events, endpoints, now) if endpoints else 0
        cursor.last_at = events[-1].at if len(events) == BATCH else now
        cursor.save(update_fields=["last_at"])
    return owed
