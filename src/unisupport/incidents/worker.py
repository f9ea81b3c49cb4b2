"""The worker: acts once on each milestone that has fallen due, then sends the queued e-mails.

Milestones are claimed in small batches with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL),
so several workers share the queue without taking the same row; on SQLite the IMMEDIATE
transaction serialises them. A batch's effects — the milestone marked done, the timeline
events, the breach recorded, the e-mails queued in the outbox — commit together: a worker
killed mid-batch leaves nothing half-done, and the next one redoes the batch from scratch.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from django.db import transaction
from django.db.models import F

from unisupport.domain.incidents import TimelineKind
from unisupport.incidents.models import (
    Incident,
    Milestone,
    MilestoneKind,
    MilestoneState,
    Notification,
    TimelineEvent,
)
from unisupport.incidents.notify import compose_for_milestone, send_pending

BATCH = int(os.environ.get("UNISUPPORT_WORKER_BATCH", "200"))

TIMELINE = {
    MilestoneKind.RESPONSE_WARNING: (TimelineKind.RESPONSE_WARNING, "SEV-2"),
    MilestoneKind.RESPONSE_BREACH: (TimelineKind.RESPONSE_BREACHED, "SEV-2"),
    MilestoneKind.CUSTOMER_OBLIGATION: (TimelineKind.CUSTOMER_OBLIGATION_MISSED, "SEV-9"),
    MilestoneKind.RCA_DUE: (TimelineKind.RCA_DUE, "RCA-2"),
}


def process_due(
    *, now: dt.datetime, limit: int | None = None, after_batch: Callable[[int], None] | None = None
) -> int:
    """Return how many due milestones were processed (each exactly once, in batches).

    ``after_batch`` is called with the number of batches committed so far, after each.
    """
    done = 0
    batches = 0
    while limit is None or done < limit:
        size = BATCH if limit is None else min(BATCH, limit - done)
        count = _process_batch(now=now, size=size)
        if count == 0:
            break
        done += count
        batches += 1
        if after_batch is not None:
            after_batch(batches)
    return done


@transaction.atomic
def _process_batch(*, now: dt.datetime, size: int) -> int:
    claimed = list(
        Milestone.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(state=MilestoneState.PENDING, due_at__lte=now)
        .select_related(
            "incident__organisation",
            "incident__order__agreement__csam",
            "incident__assigned_engineer",
            "incident__incident_manager",
        )
        .order_by("due_at", "pk")[:size]
    )
    if not claimed:
        return 0
    events: list[TimelineEvent] = []
    notifications: list[Notification] = []
    breached: list[Incident] = []
    for milestone in claimed:
        incident = milestone.incident
        kind, rule = TIMELINE[MilestoneKind(milestone.kind)]
        data: dict[str, object] = {"due": milestone.due_at.isoformat(), **milestone.data}
        if milestone.kind == MilestoneKind.RESPONSE_BREACH and incident.response_met is None:
            incident.response_met = False
            incident.severity_at_due = incident.severity
            breached.append(incident)
        if milestone.kind == MilestoneKind.CUSTOMER_OBLIGATION:
            data["note"] = "the customer did not respond in time: a recorded ground for a downgrade (SEV-8)"
        milestone.state = MilestoneState.DONE
        milestone.processed_at = now
        events.append(
            TimelineEvent(
                organisation_id=incident.organisation_id,
                incident=incident,
                at=milestone.due_at,
                kind=kind,
                actor_name="system",
                rule=rule,
                data=data,
            )
        )
        notifications.extend(compose_for_milestone(milestone, at=now))
    # Every claimed milestone is done at ``now``, every breached incident breached at its own
    # severity: two plain UPDATEs (bulk_update's CASE per row cost more than the rest of the batch).
    Milestone.objects.filter(pk__in=[m.pk for m in claimed]).update(
        state=MilestoneState.DONE, processed_at=now
    )
    if breached:
        Incident.objects.filter(pk__in=[i.pk for i in breached]).update(
            response_met=False, severity_at_due=F("severity")
        )
    TimelineEvent.objects.bulk_create(events)
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    return len(claimed)


def tick(
    *,
    now: dt.datetime,
    send: bool = True,
    after_batch: Callable[[int], None] | None = None,
    after_send: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Return what one pass of the worker did: milestones processed, e-mails sent.

    ``after_batch`` and ``after_send`` are called after each committed batch and each e-mail
    marked sent (the kill test stops a real worker process there).
    """
    processed = process_due(now=now, after_batch=after_batch)
    sent = send_pending(limit=10_000, after_send=after_send) if send else 0
    return {"processed": processed, "sent": sent}
