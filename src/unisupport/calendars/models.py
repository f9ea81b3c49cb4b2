"""The back office's adjustments to the business calendars of support locations (SEV-7).

Public holidays come from the ``holidays`` package (the domain's calendar); these rows add what
it cannot know: custom closures (whole days, or hours of days), extra working days, and a
country's own opening hours, for every weekday or for one (they "may vary slightly by country",
Annexe A note 5). A row scoped to a country applies to every
support location there; a subdivision or a time zone narrows it to the locations that have it.
Edits apply at once: ``selectors.calendar_for_site`` builds the calendar from the current rows
(each process caches it for a few seconds, and forgets it as soon as it saves or deletes a row).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from unisupport.domain.calendar import (
    DEFAULT_CLOSING,
    DEFAULT_OPENING,
    DEFAULT_WEEKDAYS,
    BusinessCalendar,
    Closure,
    check_hours,
)
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]

MAX_CLOSURE_DAYS = 366  # a longer "closure" is a mistake, and each day is a key of the calendar


def default_weekdays() -> list[int]:
    """Return the default working weekdays, Monday (0) to Friday (4)."""
    return sorted(DEFAULT_WEEKDAYS)


def normalised_location(*, country: str, subdivision: str = "", timezone: str = "") -> tuple[str, str, str]:
    """Return (country, subdivision, time zone) as the calendar spells them ("" for none), or raise InvalidInput."""
    # Building a calendar validates all three (its tables are built lazily, so this is cheap).
    calendar = BusinessCalendar(country, timezone=timezone or None, subdivision=subdivision or None)
    return calendar.country, calendar.subdivision or "", calendar.timezone if timezone else ""


def _as_validation_error(row: models.Model, exc: InvalidInput, renamed: dict[str, str]) -> ValidationError:
    # The admin shows the message beside the field the domain named (or above the form).
    name = renamed.get(exc.field or "", exc.field or "")
    known = {f.name for f in row._meta.get_fields()}
    return ValidationError({name if name in known else "__all__": exc.message})


class LocationScoped(models.Model):
    """Where a row applies: a country, optionally narrowed to a subdivision or a site time zone."""

    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2, e.g. FR"))
    subdivision = models.CharField(
        _("subdivision"),
        max_length=40,
        blank=True,
        help_text=_("Optional: only the sites in this subdivision (e.g. a German Land: BY)"),
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Optional: only the sites in this IANA time zone (e.g. America/Chicago)"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True

    def check_location(self) -> None:
        """Normalise the location fields, or raise InvalidInput naming the field at fault."""
        self.country, self.subdivision, self.timezone = normalised_location(
            country=self.country, subdivision=self.subdivision, timezone=self.timezone
        )

    def where(self) -> str:
        """Return the location as text: FR, DE-BY, US (America/Chicago)."""
        text = f"{self.country}-{self.subdivision}" if self.subdivision else self.country
        return f"{text} ({self.timezone})" if self.timezone else text


class CalendarClosure(LocationScoped):
    """A custom closure: one day, or a range of days, on which the support locations are closed (or some hours of each)."""

    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True, help_text=_("Optional: the last day of a range"))
    closed_from = models.TimeField(
        _("closed from"),
        null=True,
        blank=True,
        help_text=_(
            "Optional: closed only from this local time of each day (blank: from the start of the day)"
        ),
    )
    closed_until = models.TimeField(
        _("closed until"),
        null=True,
        blank=True,
        help_text=_("Optional: closed only until this local time of each day (blank: to the end of the day)"),
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["country", "start", "pk"]
        indexes = [models.Index(fields=["country"], name="calendar_closure_country")]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self) -> str:
        days = f"{self.start}–{self.end}" if self.end and self.end != self.start else f"{self.start}"
        hours = f" {self.hours()}" if self.hours() else ""
        return f"{self.where()} {days}{hours}: {self.reason}"

    @property
    def whole_day(self) -> bool:
        """Return True when the closure closes whole days (no hours given)."""
        return self.closed_from is None and self.closed_until is None

    def hours(self) -> str | None:
        """Return the hours closed each day as HH:MM-HH:MM, or None for whole days."""
        if self.whole_day:
            return None
        start = self.closed_from.strftime("%H:%M") if self.closed_from else "00:00"
        end = self.closed_until.strftime("%H:%M") if self.closed_until else "24:00"
        return f"{start}-{end}"

    def closures(self) -> list[Closure]:
        """Return the domain's closures of every day covered, named by the reason."""
        return [Closure(day, self.closed_from, self.closed_until, self.reason) for day in self.days()]

    @property
    def last_day(self) -> dt.date:
        """Return the last day closed (the start for a single day)."""
        return self.end or self.start

    def days(self) -> list[dt.date]:
        """Return every day the closure covers."""
        count = (self.last_day - self.start).days + 1
        return [self.start + dt.timedelta(days=n) for n in range(count)]

    def normalise(self) -> None:
        """Normalise and check the row, or raise InvalidInput naming the field at fault."""
        self.check_location()
        if not self.reason or not self.reason.strip():
            raise InvalidInput("reason", "a closure needs a reason")
        if self.end is not None and self.end < self.start:
            raise InvalidInput(
                "to",
                Message(
                    gettext_noop("the range ends ({end}) before it starts ({start})"),
                    end=self.end,
                    start=self.start,
                ),
            )
        if (self.last_day - self.start).days + 1 > MAX_CLOSURE_DAYS:
            raise InvalidInput(
                "to", Message(gettext_noop("a closure covers at most {days} days"), days=MAX_CLOSURE_DAYS)
            )
        if self.closed_from == dt.time() and self.closed_until is None:
            self.closed_from = None  # 00:00 to the end of the day is the whole day
        if not self.whole_day:
            start, end = self.closed_from or dt.time(), self.closed_until
            if end is not None and not start < end:
                raise InvalidInput(
                    "hours",
                    Message(
                        gettext_noop("the closure's hours end ({end}) before they start ({start})"),
                        start=start.strftime("%H:%M"),
                        end=end.strftime("%H:%M"),
                    ),
                )
        self.reason = self.reason.strip()

    def clean(self) -> None:
        try:
            self.normalise()
        except InvalidInput as exc:
            raise _as_validation_error(
                self, exc, {"to": "end", "from": "start", "hours": "closed_until"}
            ) from None


class ExtraWorkingDay(LocationScoped):
    """A day the support locations work although the calendar would close (a weekend or a holiday)."""

    day = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["country", "day", "pk"]
        indexes = [models.Index(fields=["country"], name="calendar_workday_country")]
        verbose_name = _("extra working day")
        verbose_name_plural = _("extra working days")

    def __str__(self) -> str:
        return f"{self.where()} {self.day}" + (f": {self.reason}" if self.reason else "")

    def normalise(self) -> None:
        """Normalise and check the row, or raise InvalidInput naming the field at fault."""
        self.check_location()
        self.reason = (self.reason or "").strip()

    def clean(self) -> None:
        try:
            self.normalise()
        except InvalidInput as exc:
            raise _as_validation_error(self, exc, {}) from None


class CountryCalendar(models.Model):
    """A country's business hours when they differ from 09:00–17:30 Monday–Friday (Annexe A note 5)."""

    country = models.CharField(_("country"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2"))
    subdivision = models.CharField(
        _("subdivision"),
        max_length=40,
        blank=True,
        help_text=_("Optional: whose public holidays apply when a site names none (e.g. a US state: NY)"),
    )
    opening = models.TimeField(_("opening time"), default=DEFAULT_OPENING)
    closing = models.TimeField(_("closing time"), default=DEFAULT_CLOSING)
    weekdays = models.JSONField(
        _("working weekdays"),
        default=default_weekdays,
        help_text=_("0 = Monday … 6 = Sunday, e.g. [0, 1, 2, 3, 4]"),
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["country"]
        verbose_name = _("country business hours")
        verbose_name_plural = _("country business hours")

    def __str__(self) -> str:
        return f"{self.country} {self.opening:%H:%M}–{self.closing:%H:%M}"

    def normalise(self) -> None:
        """Normalise and check the row, or raise InvalidInput naming the field at fault."""
        self.country, self.subdivision, _zone = normalised_location(
            country=self.country, subdivision=self.subdivision
        )
        if not isinstance(self.weekdays, list) or not all(isinstance(d, int) for d in self.weekdays):
            raise InvalidInput("weekdays", "a list of weekday numbers is expected, 0 (Monday) to 6 (Sunday)")
        calendar = BusinessCalendar(
            self.country, opening=self.opening, closing=self.closing, weekdays=self.weekdays
        )
        self.weekdays = sorted(calendar.weekdays)

    def clean(self) -> None:
        try:
            self.normalise()
        except InvalidInput as exc:
            raise _as_validation_error(self, exc, {"opening_hours": "closing"}) from None


class WeekdayHours(models.Model):
    """A weekday's own business hours in a country, e.g. Friday 09:00–16:00 (Annexe A note 5).

    Whether the weekday is worked at all is the country's working weekdays (its business hours
    row); these hours also apply to an extra working day that falls on it.
    """

    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAY_CHOICES)
    opening = models.TimeField(_("opening time"))
    closing = models.TimeField(_("closing time"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["country", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["country", "weekday"], name="calendar_weekday_hours_once")
        ]
        verbose_name = _("weekday's business hours")
        verbose_name_plural = _("weekdays' business hours")

    def __str__(self) -> str:
        return f"{self.country} {self.get_weekday_display()} {self.opening:%H:%M}–{self.closing:%H:%M}"

    def normalise(self) -> None:
        """Normalise and check the row, or raise InvalidInput naming the field at fault."""
        self.country, _sub, _zone = normalised_location(country=self.country)
        check_hours(self.opening, self.closing)

    def clean(self) -> None:
        try:
            self.normalise()
        except InvalidInput as exc:
            raise _as_validation_error(self, exc, {"opening_hours": "closing"}) from None
