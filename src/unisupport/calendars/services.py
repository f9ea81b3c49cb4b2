"""Writes for business calendars: the back office adds and removes closures and extra working days,
and sets a country's hours (Annexe A note 5).

Each write applies at once in this process (saving or deleting a row clears the calendars it
cached, apps.py) and within five seconds in the others (``selectors._CACHE_SECONDS``). Each change
is one function and one transaction; what must follow a calendar change — the due times of the
incidents whose clocks run through it (SEV-7) — listens to the rows' saves in that transaction
(incidents/apps.py), so that an admin edit moves them too.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction

from unisupport.accounts.permissions import can_manage_calendars, require
from unisupport.accounts.scope import Scope
from unisupport.calendars.models import CalendarClosure, CountryCalendar, ExtraWorkingDay, WeekdayHours
from unisupport.domain.calendar import BusinessCalendar
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop

CALENDAR_REFUSAL = Message(gettext_noop("only the vendor's CSAMs and back office change the calendars"))


def add_closure(
    *,
    scope: Scope,
    country: str,
    start: dt.date,
    end: dt.date | None = None,
    reason: str,
    closed_from: dt.time | None = None,
    closed_until: dt.time | None = None,
    subdivision: str = "",
    timezone: str = "",
    actor: User | None = None,
) -> CalendarClosure:
    """Return a new closure of the support locations of ``country`` from ``start`` to ``end`` (inclusive).

    With ``closed_from`` and/or ``closed_until`` (local times), only those hours of each day are
    closed: from the start of the day, or to its end, when one is None.
    """
    require(scope, can_manage_calendars, CALENDAR_REFUSAL, field=None)
    row = CalendarClosure(
        country=country,
        subdivision=subdivision or "",
        timezone=timezone or "",
        start=start,
        end=None if end == start else end,
        closed_from=closed_from,
        closed_until=closed_until,
        reason=reason,
        created_by=actor,
    )
    row.normalise()
    with transaction.atomic():
        row.save()
    return row


def remove_closure(*, scope: Scope, closure_id: int) -> CalendarClosure:
    """Return the closure ``closure_id`` after deleting it (InvalidInput if there is none)."""
    require(scope, can_manage_calendars, CALENDAR_REFUSAL, field=None)
    with transaction.atomic():
        row = CalendarClosure.objects.select_for_update().filter(pk=closure_id).first()
        if row is None:
            raise InvalidInput("closure", Message(gettext_noop("no closure #{id}"), id=closure_id))
        row.delete()
    return row


def add_extra_working_day(
    *,
    scope: Scope,
    country: str,
    day: dt.date,
    reason: str = "",
    subdivision: str = "",
    timezone: str = "",
    actor: User | None = None,
) -> ExtraWorkingDay:
    """Return a new extra working day of the support locations of ``country``."""
    require(scope, can_manage_calendars, CALENDAR_REFUSAL, field=None)
    row = ExtraWorkingDay(
        country=country,
        subdivision=subdivision or "",
        timezone=timezone or "",
        day=day,
        reason=reason,
        created_by=actor,
    )
    row.normalise()
    with transaction.atomic():
        row.save()
    return row


def remove_extra_working_day(*, scope: Scope, day_id: int) -> ExtraWorkingDay:
    """Return the extra working day ``day_id`` after deleting it (InvalidInput if there is none)."""
    require(scope, can_manage_calendars, CALENDAR_REFUSAL, field=None)
    with transaction.atomic():
        row = ExtraWorkingDay.objects.select_for_update().filter(pk=day_id).first()
        if row is None:
            raise InvalidInput("working_day", Message(gettext_noop("no extra working day #{id}"), id=day_id))
        row.delete()
    return row


def set_hours(
    *,
    scope: Scope,
    country: str,
    weekday: int | None = None,
    hours: tuple[dt.time, dt.time] | None,
) -> CountryCalendar:
    """Return the country's hours after setting them, for every weekday or for ``weekday`` (0 = Monday).

    Without ``weekday``: the opening and closing of every weekday without hours of its own. With
    it: that weekday's hours, and the weekday becomes a working day; ``hours=None`` makes it a
    day off (its own hours are dropped).
    """
    require(scope, can_manage_calendars, CALENDAR_REFUSAL, field=None)
    code = BusinessCalendar(country).country  # validates the country (UnknownCountry names it)
    if weekday is not None and weekday not in range(7):
        raise InvalidInput(
            "weekday",
            Message(gettext_noop("expected 0 (Monday) .. 6 (Sunday), got {weekday!r}"), weekday=weekday),
        )
    with transaction.atomic():
        row = CountryCalendar.objects.select_for_update().filter(country=code).first()
        if row is None:
            row = CountryCalendar(country=code)
        if weekday is None:
            if hours is None:
                raise InvalidInput("hours", Message(gettext_noop("name the weekday that is a day off")))
            row.opening, row.closing = hours
        elif hours is None:
            row.weekdays = [d for d in row.weekdays if d != weekday]
        else:
            row.weekdays = sorted({*row.weekdays, weekday})
        row.normalise()  # the hours, and at least one working weekday left (InvalidInput)
        if weekday is not None and hours is not None:
            BusinessCalendar(code, weekday_hours={weekday: hours})  # checks them (opening before closing)
        row.save()
        if weekday is not None:
            if hours is None:
                WeekdayHours.objects.filter(country=code, weekday=weekday).delete()
            else:
                WeekdayHours.objects.update_or_create(
                    country=code, weekday=weekday, defaults={"opening": hours[0], "closing": hours[1]}
                )
    return row
