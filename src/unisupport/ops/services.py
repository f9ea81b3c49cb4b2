"""Writes of operations: the worker's heartbeat."""

from __future__ import annotations

import datetime as dt

from django.db.models import F

from unisupport.ops.models import Heartbeat


def record_beat(*, name: str, at: dt.datetime) -> None:
    """Return nothing; ``name`` finished a pass at ``at`` (one statement; the first pass makes the row)."""
    if not Heartbeat.objects.filter(name=name).update(beat_at=at, passes=F("passes") + 1):
        Heartbeat.objects.get_or_create(name=name, defaults={"beat_at": at, "passes": 1})
