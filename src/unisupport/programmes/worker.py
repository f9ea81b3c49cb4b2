"""The worker's programme pass: each milestone that turned late is reminded exactly once.

A late milestone is a pending one whose ``late_from`` (the start of the day after its due date at
the order's host site) has passed; ``remind_at`` holds that instant until it is reminded, done or
waived, and is indexed, so the scan reads only what is due. Batches are claimed with ``SELECT … FOR
UPDATE SKIP LOCKED`` (PostgreSQL) so that two workers never take the same row; the e-mails and
``reminded_at`` commit together, so a worker killed mid-batch leaves nothing half-done.
"""

from __future__ import annotations

import datetime as dt
import os

from django.db import transaction

from unisupport.accounts.selectors import administrators
from unisupport.incidents.notify import enqueue
from unisupport.programmes import notify
from unisupport.programmes.models import Milestone

BATCH = int(os.environ.get("UNISUPPORT_WORKER_BATCH", "200"))


def remind_late(*, now: dt.datetime) -> int:
    """Return how many late milestones this pass reminded (each once, whatever the number of passes)."""
    done = 0
    while count := _remind_batch(now=now):
        done += count
    return done


@transaction.atomic
def _remind_batch(*, now: dt.datetime) -> int:
    claimed = list(
        Milestone.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(remind_at__lte=now)
        .select_related("order__agreement__csam")
        .order_by("remind_at", "pk")[:BATCH]
    )
    if not claimed:
        return 0
    admins = administrators({m.organisation_id for m in claimed})
    enqueue(
        [
            mail
            for milestone in claimed
            for mail in notify.milestone_late(
                milestone, admins=admins.get(milestone.organisation_id, []), at=now
            )
        ]
    )
    Milestone.objects.filter(pk__in=[m.pk for m in claimed]).update(reminded_at=now, remind_at=None)
    return len(claimed)
