"""Reads for business calendars: a support location's calendar as the back office keeps it now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Q, QuerySet

from unisupport.calendars.models import CalendarClosure, CountryCalendar, ExtraWorkingDay, WeekdayHours
from unisupport.domain.calendar import BusinessCalendar, calendar_for
from unisupport.domain.countries import check_country
from unisupport.process_cache import ProcessCache

# Every incident opened needs its site's calendar, and the back office's rows behind it (hours,
# weekday hours, closures, extra working days: four queries) change a few times a year. So each process keeps
# the calendars it built, per location, for _CACHE_SECONDS (unisupport.process_cache: a save or
# delete of those rows clears this process's calendars at once, through the signals in apps.py,
# which also cover the admin and the `calendar` commands; another process's edit shows here
# within _CACHE_SECONDS).
_CACHE_SECONDS = 5.0
_calendars: ProcessCache[tuple[str, str | None, str | None], BusinessCalendar] = ProcessCache(
    seconds=_CACHE_SECONDS, size=256
)
forget_calendars = _calendars.forget


def calendar_for_site(
    *, country: str, timezone: str | None = None, subdivision: str | None = None
) -> BusinessCalendar:
    """Return the business calendar of a support location, with the closures and extra working days in force now.

    ``timezone`` defaults to the country's zone; ``subdivision`` to the country's setting (pass ""
    for none). An edit of the back office's rows applies at once in this process and within
    five seconds in the others (see _CACHE_SECONDS).
    """
    code = check_country(country)
    return _calendars.get(
        (code, timezone or None, subdivision),
        lambda: _load_calendar(code, timezone=timezone, subdivision=subdivision),
    )


def _load_calendar(code: str, *, timezone: str | None, subdivision: str | None) -> BusinessCalendar:
    # The domain keeps one calendar per distinct set of settings, so an unchanged calendar read
    # again is the same object, with its tables already built.
    hours = CountryCalendar.objects.filter(country=code).first() or CountryCalendar(country=code)
    own_hours = {row.weekday: (row.opening, row.closing) for row in WeekdayHours.objects.filter(country=code)}
    if subdivision is None:
        subdivision = hours.subdivision
    base = calendar_for(  # validates and normalises the zone and the subdivision
        code,
        timezone=timezone or None,
        subdivision=subdivision or None,
        opening=hours.opening,
        closing=hours.closing,
        weekdays=hours.weekdays,
        weekday_hours=own_hours,
    )
    closed = [closure for row in _in_force(CalendarClosure.objects.all(), base) for closure in row.closures()]
    extra = [row.day for row in _in_force(ExtraWorkingDay.objects.all(), base)]
    if not closed and not extra:
        return base
    return calendar_for(
        code,
        timezone=base.timezone,
        subdivision=base.subdivision,
        opening=base.opening,
        closing=base.closing,
        weekdays=base.weekdays,
        weekday_hours=base.weekday_hours,
        closures=closed,
        extra_working_days=extra,
    )


Row = TypeVar("Row", CalendarClosure, ExtraWorkingDay)


def _in_force(rows: QuerySet[Row], calendar: BusinessCalendar) -> QuerySet[Row]:
    # A row applies to the country's sites unless it names another subdivision or time zone.
    return rows.filter(
        Q(subdivision="") | Q(subdivision=calendar.subdivision or ""),
        Q(timezone="") | Q(timezone=calendar.timezone),
        country=calendar.country,
    )


def closures(*, country: str | None = None) -> QuerySet[CalendarClosure]:
    """Return the custom closures, of one country or of all, by country and date."""
    rows = CalendarClosure.objects.all()
    return rows.filter(country=check_country(country)) if country else rows


def extra_working_days(*, country: str | None = None) -> QuerySet[ExtraWorkingDay]:
    """Return the extra working days, of one country or of all, by country and date."""
    rows = ExtraWorkingDay.objects.all()
    return rows.filter(country=check_country(country)) if country else rows


@dataclass(frozen=True, slots=True)
class DayOff:
    """A day (or part of one) a calendar is closed besides its weekly days off."""

    day: dt.date
    name: str
    kind: str  # "holiday" (the country's public holidays) or "closure" (the back office's)

    def as_dict(self) -> dict[str, str]:
        """Return the day as the CLI and the API print it."""
        return {"date": self.day.isoformat(), "name": self.name, "kind": self.kind}


def days_off(*, calendar: BusinessCalendar, year: int, language: str = "en") -> list[DayOff]:
    """Return the public holidays and closures in force in ``year`` of ``calendar``, by date (the
    holidays named in ``language`` where the holidays package has it)."""
    custom = {(c.day, c.label()) for c in calendar.closures}
    return [
        DayOff(day, name, "closure" if (day, name) in custom else "holiday")
        for day, name in calendar.holidays_in(year, language=language)
    ]


def calendar_json(*, calendar: BusinessCalendar, year: int) -> dict[str, object]:
    """Return a calendar's settings, and its days off and extra working days in ``year``."""
    return {
        "country": calendar.country,
        "subdivision": calendar.subdivision,
        "timezone": calendar.timezone,
        "opening": calendar.opening.strftime("%H:%M"),
        "closing": calendar.closing.strftime("%H:%M"),
        "weekdays": sorted(calendar.weekdays),
        "hours": [
            {"weekday": day, "opening": f"{opening:%H:%M}", "closing": f"{closing:%H:%M}"}
            for day in sorted(calendar.weekdays)
            for opening, closing in [calendar.hours_on(day)]
        ],
        "year": year,
        "days_off": [d.as_dict() for d in days_off(calendar=calendar, year=year)],
        "extra_working_days": [d.isoformat() for d in calendar.extra_working_days if d.year == year],
    }


@dataclass(frozen=True, slots=True)
class NextOpening:
    """When a support location is next open from an instant, and until when (SEV-7's business hours)."""

    calendar: BusinessCalendar
    at: dt.datetime
    opens: dt.datetime
    closes: dt.datetime

    def as_dict(self) -> dict[str, object]:
        """Return the answer as `calendar next-opening --json` and the API print it."""
        from unisupport.calendars.instants import utc_iso

        return {
            "country": self.calendar.country,
            "subdivision": self.calendar.subdivision,
            "timezone": self.calendar.timezone,
            "at": utc_iso(self.at),
            "open_now": self.opens == self.at,
            "next_opening": utc_iso(self.opens),
            "closes": utc_iso(self.closes),
        }


def next_opening(*, calendar: BusinessCalendar, at: dt.datetime) -> NextOpening:
    """Return when ``calendar``'s location is open at ``at`` or next, and until when."""
    opens, closes = calendar.open_period(at)
    return NextOpening(calendar, at.astimezone(dt.UTC), opens, closes)
