"""Writes for business calendars: the back office adds and removes closures and extra working days.

Each write applies at once in this process (saving or deleting a row clears the calendars it
cached, apps.py) and within five seconds in the others (``selectors._CACHE_SECONDS``).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from unisupport.calendars.models import CalendarClosure, ExtraWorkingDay
from unisupport.domain.errors import InvalidInput


def add_closure(
    *,
    country: str,
    start: dt.date,
    end: dt.date | None = None,
    reason: str,
    subdivision: str = "",
    timezone: str = "",
    actor: User | None = None,
) -> CalendarClosure:
    """Return a new closure of the support locations of ``country`` from ``start`` to ``end`` (inclusive)."""
    row = CalendarClosure(
        country=country,
        subdivision=subdivision or "",
        timezone=timezone or "",
        start=start,
        end=None if end == start else end,
        reason=reason,
        created_by=actor,
    )
    row.normalise()
    row.save()
    return row


def remove_closure(*, closure_id: int) -> CalendarClosure:
    """Return the closure ``closure_id`` after deleting it (InvalidInput if there is none)."""
    row = CalendarClosure.objects.filter(pk=closure_id).first()
    if row is None:
        raise InvalidInput("closure", f"no closure #{closure_id}")
    row.delete()
    return row


def add_extra_working_day(
    *,
    country: str,
    day: dt.date,
    reason: str = "",
    subdivision: str = "",
    timezone: str = "",
    actor: User | None = None,
) -> ExtraWorkingDay:
    """Return a new extra working day of the support locations of ``country``."""
    row = ExtraWorkingDay(
        country=country,
        subdivision=subdivision or "",
        timezone=timezone or "",
        day=day,
        reason=reason,
        created_by=actor,
    )
    row.normalise()
    row.save()
    return row


def remove_extra_working_day(*, day_id: int) -> ExtraWorkingDay:
    """Return the extra working day ``day_id`` after deleting it (InvalidInput if there is none)."""
    row = ExtraWorkingDay.objects.filter(pk=day_id).first()
    if row is None:
        raise InvalidInput("working_day", f"no extra working day #{day_id}")
    row.delete()
    return row
