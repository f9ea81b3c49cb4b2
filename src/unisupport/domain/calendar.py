"""Business calendars of support locations, and the 24x7 clock (RULES.md SEV-7, Annexe A note 5).

A ``BusinessCalendar`` knows when a support location is open: 09:00–17:30 local time (by
default; a weekday may have hours of its own, e.g. Friday 09:00–16:00), Monday to Friday, minus
the public holidays of its country (``holidays`` package, optionally for a subdivision) and the
custom closures a back-office admin adds (whole days, or hours of a day: 24 December 09:00–12:00),
plus extra working days. It answers two questions exactly, to the microsecond:

- ``add_business_time(start, d)``: the EARLIEST instant at which ``d`` of business time has
  elapsed since ``start``. A target reached exactly at closing time is due at closing time, not
  at the next opening; a start outside business hours starts the clock at the next opening.
- ``business_time_between(a, b)``: the business time in ``[a, b]``; negative when ``b < a``.

It also says when the location is open next, and until when (``open_period``, ``next_opening``).

Both take aware datetimes (naive ones are refused) and return UTC; compare results as instants
or convert them with ``.astimezone(calendar.zone)``. Neither reads the clock nor does I/O on
the query path: the business intervals of a window of years are precomputed (see
``_calendar_tables``) and each query is one or two bisections. The window starts around the
first query and grows lazily, in both directions, as queries need, within local years
1970–2199 (instants or due times outside them are refused with InvalidInput).

Edge cases, chosen so that ``business_time_between(a, add_business_time(a, d)) == d``:
``d == 0`` returns ``start`` itself (even outside business hours); ``d < 0`` walks backwards and
returns the LATEST instant with ``d`` of business time before ``start`` (an opening time rather
than the previous closing time when the walk ends exactly on a day boundary).
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

import holidays as holidays_lib
import numpy as np

from unisupport.domain import _calendar_inputs as _in
from unisupport.domain import _calendar_tables as _tables
from unisupport.domain._calendar_inputs import Closure, check_hours
from unisupport.domain.countries import check_country, check_timezone, default_timezone
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop

__all__ = [
    "TWENTY_FOUR_SEVEN",
    "BusinessCalendar",
    "Clock",
    "Closure",
    "TwentyFourSeven",
    "calendar_for",
    "check_hours",
]

DEFAULT_OPENING = time(9, 0)
DEFAULT_CLOSING = time(17, 30)
DEFAULT_WEEKDAYS = frozenset({0, 1, 2, 3, 4})  # Monday..Friday

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EPOCH = _tables.EPOCH
_EMPTY = _tables.Table(0, -1, 0, 0, [], [])
_US = timedelta(microseconds=1)  # _EPOCH + _US * n: exact, and the fastest way back


@runtime_checkable
class Clock(Protocol):
    """A clock a response target runs on (SEV-7): continuous, or a location's business hours."""

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """Return the earliest instant at which ``duration`` has elapsed on this clock."""
        ...

    def business_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Return the time elapsed on this clock from ``a`` to ``b`` (negative if b < a)."""
        ...


class TwentyFourSeven:
    """The continuous clock of 24x7 targets (SEV-7): every instant counts."""

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """Return ``start + duration`` as an instant, in UTC."""
        # Convert first: aware arithmetic within one ZoneInfo is wall-clock arithmetic, which
        # would be off by an hour across a DST change.
        try:
            return _in.aware(start, "start").astimezone(UTC) + duration
        except OverflowError:  # past datetime's year 9999: refuse as the business clock does
            raise _out_of_range() from None

    def business_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Return the elapsed time from ``a`` to ``b``."""
        # Same trap: a difference of two datetimes sharing a tzinfo ignores DST changes.
        try:
            return _in.aware(b, "b").astimezone(UTC) - _in.aware(a, "a").astimezone(UTC)
        except OverflowError:  # an instant whose UTC falls past datetime's year 9999
            raise _out_of_range() from None

    def __repr__(self) -> str:
        return "TwentyFourSeven()"


TWENTY_FOUR_SEVEN = TwentyFourSeven()


class BusinessCalendar:
    """The business hours of one support location, answering queries by bisection."""

    def __init__(
        self,
        country: str,
        *,
        timezone: str | None = None,
        subdivision: str | None = None,
        opening: time = DEFAULT_OPENING,
        closing: time = DEFAULT_CLOSING,
        weekdays: Iterable[int] = DEFAULT_WEEKDAYS,
        weekday_hours: Mapping[int, tuple[time, time]] | None = None,
        closures: Iterable[Closure | date] = (),
        extra_working_days: Iterable[date] = (),
    ) -> None:
        self.country = check_country(country)
        self.timezone = check_timezone(timezone) if timezone is not None else default_timezone(self.country)
        self.zone = ZoneInfo(self.timezone)
        self.subdivision = _in.check_subdivision(self.country, subdivision)
        self.opening, self.closing = _in.check_hours(opening, closing)
        self.weekdays = _in.check_weekdays(weekdays)
        # Only the weekdays whose hours differ from opening–closing are kept (Annexe A note 5:
        # hours "may vary slightly by country"); an extra working day keeps its weekday's hours.
        self.weekday_hours = _in.check_weekday_hours(weekday_hours, (self.opening, self.closing))
        self.closures = tuple(sorted({_in.check_closure(c) for c in closures}, key=_in.closure_order))
        self.extra_working_days = tuple(
            sorted({_in.check_day(d, "extra_working_days") for d in extra_working_days})
        )
        partial: dict[date, tuple[tuple[time, time | None], ...]] = {}
        for c in self.closures:
            if not c.whole_day:
                partial[c.day] = (*partial.get(c.day, ()), (c.start or time(), c.end))
        self._rules = _tables.DayRules(
            country=self.country,
            subdivision=self.subdivision,
            zone=self.zone,
            hours=tuple(self.hours_on(weekday) for weekday in range(7)),
            weekdays=self.weekdays,
            closed_days=frozenset(c.day for c in self.closures if c.whole_day),
            partial_closures=partial,
            extra_days=frozenset(self.extra_working_days),
        )
        self._lock = threading.Lock()
        # An empty window (lo == hi) so that the first query builds the real one. Tables are
        # never mutated (a grown window is a new table), so the empty one can be shared.
        self._t = _EMPTY

    @property
    def key(self) -> tuple[object, ...]:
        """Return the hashable description ``calendar_for`` caches this calendar under."""
        return (
            self.country,
            self.timezone,
            self.subdivision,
            self.opening,
            self.closing,
            tuple(sorted(self.weekdays)),
            tuple(self.weekday_hours.items()),
            self.closures,
            self.extra_working_days,
        )

    def __repr__(self) -> str:
        sub = f"-{self.subdivision}" if self.subdivision else ""
        hours = f"{self.opening:%H:%M}-{self.closing:%H:%M}"
        for weekday, (opening, closing) in self.weekday_hours.items():
            hours += f", {_DAY_NAMES[weekday]} {opening:%H:%M}-{closing:%H:%M}"
        return f"BusinessCalendar({self.country}{sub}, {self.timezone}, {hours})"

    def hours_on(self, weekday: int) -> tuple[time, time]:
        """Return the local (opening, closing) of ``weekday`` (0 = Monday) when it is worked."""
        return self.weekday_hours.get(weekday, (self.opening, self.closing))

    # -- single queries -------------------------------------------------------------------

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """Return the earliest instant at which ``duration`` of business time has elapsed."""
        if start.tzinfo is None:
            raise _in.naive("start")
        td = start - _EPOCH
        s = (td.days * 86_400 + td.seconds) * 1_000_000 + td.microseconds
        d = (duration.days * 86_400 + duration.seconds) * 1_000_000 + duration.microseconds
        if d <= 0:
            return start if d == 0 else _tables.from_us(self._subtract_us(s, d))
        t = self._t
        if not t.lo <= s < t.hi:
            t = self._cover(s)
        starts, ends = t.starts, t.ends
        i = bisect_right(starts, s) - 1
        # Fast paths, no cumulative column needed: the target falls in the interval that holds
        # ``s``, or in the next one when ``s`` is outside business hours (most SLA targets).
        if i >= 0 and s < ends[i]:
            if s + d <= ends[i]:
                return _EPOCH + _US * (s + d)
            j, target = i, t.cum[i] + s - starts[i] + d
        else:
            j = i + 1
            if j < t.n and starts[j] + d <= ends[j]:
                return _EPOCH + _US * (starts[j] + d)
            target = (t.cumend[i] if i >= 0 else 0) + d
        # Otherwise bisect the cumulative column for the first interval that reaches the target.
        if target > t.total:
            self._extend_forward(t, target)
            return self.add_business_time(start, duration)  # the origin may have moved
        j = bisect_left(t.cumend, target, j)
        return _EPOCH + _US * (starts[j] + target - t.cum[j])

    def business_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Return the business time from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
        if a.tzinfo is None:
            raise _in.naive("a")
        if b.tzinfo is None:
            raise _in.naive("b")
        ua, ub = _tables.to_us(a), _tables.to_us(b)
        t = self._t
        if not (t.lo <= ua < t.hi and t.lo <= ub < t.hi):
            # Windows only ever grow, so covering ``b`` after ``a`` leaves both covered.
            self._cover(ua)
            t = self._cover(ub)
        return _US * (_b(t, ub) - _b(t, ua))

    def is_business_time(self, instant: datetime) -> bool:
        """Return True if ``instant`` lies within business hours (opening included, closing not)."""
        if instant.tzinfo is None:
            raise _in.naive("instant")
        s = _tables.to_us(instant)
        t = self._t if self._t.lo <= s < self._t.hi else self._cover(s)
        i = bisect_right(t.starts, s) - 1
        return i >= 0 and s < t.ends[i]

    def open_period(self, instant: datetime) -> tuple[datetime, datetime]:
        """Return (from, until) of business hours at ``instant`` or next: from is ``instant`` when open."""
        if instant.tzinfo is None:
            raise _in.naive("instant")
        s = _tables.to_us(instant)
        while True:
            t = self._t if self._t.lo <= s < self._t.hi else self._cover(s)
            i = bisect_right(t.starts, s) - 1
            if i >= 0 and s < t.ends[i]:
                return instant.astimezone(UTC), _tables.from_us(t.ends[i])
            if i + 1 < t.n:
                return _tables.from_us(t.starts[i + 1]), _tables.from_us(t.ends[i + 1])
            # Closed to the end of the window (closures can span a year): look further ahead.
            self._extend_forward(t, t.total + 1)

    def next_opening(self, instant: datetime) -> datetime:
        """Return the earliest instant from ``instant`` on that is business time (itself when open)."""
        return self.open_period(instant)[0]

    def _subtract_us(self, s: int, d: int) -> int:
        # Mirror of the forward walk: the latest instant whose business time is B(s) + d.
        while True:
            t = self._t if self._t.lo <= s < self._t.hi else self._cover(s)
            target = _b(t, s) + d
            if target >= 0:
                j = bisect_right(t.cum, target) - 1
                return t.starts[j] + target - t.cum[j]
            self._extend_backward(t, -target)

    # -- batch queries (numpy) ------------------------------------------------------------

    def add_business_time_many(
        self, starts: np.ndarray | Sequence[datetime], durations: np.ndarray | Sequence[timedelta] | timedelta
    ) -> np.ndarray:
        """Return ``add_business_time`` for each pair, as a ``datetime64[us]`` array in UTC.

        ``starts`` is a ``datetime64`` array (read as UTC) or a sequence of aware datetimes;
        ``durations`` a ``timedelta64`` array, a sequence of timedeltas or one timedelta.
        """
        s = _in.instants_us(starts, "starts")
        d = np.broadcast_to(_in.durations_us(durations, "durations"), s.shape)
        if s.size == 0:
            return s.astype("datetime64[us]")
        self._cover(int(s.min()))
        self._cover(int(s.max()))
        while True:
            t = self._t
            target = _b_many(t, s) + d
            if int(target.max()) > t.total:
                self._extend_forward(t, int(target.max()))
            elif int(target.min()) < 0:
                self._extend_backward(t, -int(target.min()))
            else:
                break
        j = np.searchsorted(t.np_cumend, target, "left")
        out = t.np_starts[j] + target - t.np_cum[j]
        if (d < 0).any():
            k = np.searchsorted(t.np_cum, target, "right") - 1
            out = np.where(d < 0, t.np_starts[k] + target - t.np_cum[k], out)
        out = np.where(d == 0, s, out)
        return out.view("datetime64[us]")

    def business_time_between_many(
        self, a: np.ndarray | Sequence[datetime], b: np.ndarray | Sequence[datetime]
    ) -> np.ndarray:
        """Return ``business_time_between`` for each pair, as a ``timedelta64[us]`` array."""
        ua, ub = _in.instants_us(a, "a"), _in.instants_us(b, "b")
        if ua.size == 0:
            return ua.astype("timedelta64[us]")
        for v in (ua.min(), ua.max(), ub.min(), ub.max()):
            t = self._cover(int(v))  # windows only grow: the last table covers all four
        between: np.ndarray = (_b_many(t, ub) - _b_many(t, ua)).view("timedelta64[us]")
        return between

    # -- the window ------------------------------------------------------------------------

    def prepare(self, first_year: int, last_year: int) -> None:
        """Precompute the business intervals of local years ``first_year..last_year``."""
        with self._lock:
            t = self._t
            first, last = _tables.merge_years(t if t.first <= t.last else None, (first_year, last_year))
            self._set(first, last)

    def table_nbytes(self) -> int:
        """Return the memory held by the precomputed tables, in bytes."""
        return self._t.nbytes()

    @property
    def window(self) -> tuple[int, int] | None:
        """Return the local years currently precomputed, or None before the first query."""
        t = self._t
        return (t.first, t.last) if t.first <= t.last else None

    def _set(self, first: int, last: int) -> _tables.Table:
        if not (first >= _tables.MIN_YEAR and last <= _tables.MAX_YEAR):
            raise _out_of_range()
        old = self._t if self._t.first <= self._t.last else None
        self._t = _tables.build(self._rules, first, last, old)
        return self._t

    def _cover(self, us: int) -> _tables.Table:
        with self._lock:
            t = self._t
            if t.lo <= us < t.hi:
                return t
            try:
                around = _tables.years_around(us, self.zone)
            except OverflowError:  # an instant past datetime's year 9999: far outside the years
                raise _out_of_range() from None
            first, last = _tables.merge_years(t if t.first <= t.last else None, around)
            t = self._set(max(first, _tables.MIN_YEAR), min(last, _tables.MAX_YEAR))
            if not t.lo <= us < t.hi:
                raise _out_of_range()
            return t

    def _extend_forward(self, seen: _tables.Table, target: int) -> None:
        with self._lock:
            t = self._t
            if t is seen:  # otherwise another thread already grew it: just retry
                per_year = max(t.total // (t.last - t.first + 1), 1)
                more = -(-(target - t.total) // per_year) + 1
                self._set(t.first, min(t.last + more, _tables.MAX_YEAR + 1))

    def _extend_backward(self, seen: _tables.Table, missing: int) -> None:
        with self._lock:
            t = self._t
            if t is seen:
                per_year = max(t.total // (t.last - t.first + 1), 1)
                more = -(-missing // per_year) + 1
                self._set(max(t.first - more, _tables.MIN_YEAR - 1), t.last)

    # -- listing ---------------------------------------------------------------------------

    def holidays_in(self, year: int, *, language: str = "en") -> list[tuple[date, str]]:
        """Return the public holidays and custom closures in force in local ``year``, by date, the
        holidays named in ``language`` where the holidays package has it (else in English)."""
        found = holidays_lib.country_holidays(
            self.country,
            subdiv=self.subdivision,
            years=year,
            language=_display_language(self.country, language),
        )
        extra = set(self.extra_working_days)  # an extra working day cancels the holiday
        entries = [(day, str(name)) for day, name in found.items() if day.year == year and day not in extra]
        entries += [(c.day, c.label()) for c in self.closures if c.day.year == year]
        return sorted(entries)


def _out_of_range() -> InvalidInput:
    return InvalidInput(
        "instant",
        Message(
            gettext_noop("the instant or the due time falls outside the years {first}–{last}"),
            first=_tables.MIN_YEAR,
            last=_tables.MAX_YEAR,
        ),
    )


def _b(t: _tables.Table, s: int) -> int:
    # Business microseconds from the window's origin to ``s`` (which the window covers).
    i = bisect_right(t.starts, s) - 1
    if i < 0:
        return 0
    e = t.ends[i]
    return t.cum[i] + (s if s < e else e) - t.starts[i]


def _b_many(t: _tables.Table, s: np.ndarray) -> np.ndarray:
    i = np.searchsorted(t.np_starts, s, "right") - 1
    k = np.maximum(i, 0)
    if t.n == 0:
        return np.zeros_like(s)
    return np.where(i >= 0, t.np_cum[k] + np.minimum(s, t.np_ends[k]) - t.np_starts[k], 0)


def holiday_names_language(country: str, language: str) -> str:
    """Return the language (ISO 639-1) the public holidays of ``country`` are named in for a reader of
    ``language``: theirs where the holidays package has it, else English."""
    return (_display_language(country.upper(), language) or "en")[:2]


@lru_cache(maxsize=256)
def _display_language(country: str, language: str = "en") -> str | None:
    localized = holidays_lib.list_localized_countries().get(country, [])
    wanted = next((lang for lang in localized if lang == language or lang.startswith(f"{language}_")), None)
    if language != "en" and wanted:
        return wanted
    if "en_US" in localized:
        return "en_US"
    return next((lang for lang in localized if lang.startswith("en")), None)


def calendar_for(
    country: str,
    *,
    timezone: str | None = None,
    subdivision: str | None = None,
    opening: time = DEFAULT_OPENING,
    closing: time = DEFAULT_CLOSING,
    weekdays: Iterable[int] = DEFAULT_WEEKDAYS,
    weekday_hours: Mapping[int, tuple[time, time]] | None = None,
    closures: Iterable[Closure | date] = (),
    extra_working_days: Iterable[date] = (),
) -> BusinessCalendar:
    """Return the (cached) calendar with these settings; equal settings share one instance."""
    # The settings as given, made hashable (each iterable read once): asked again with the same
    # arguments, the calendar is a dictionary look-up away, not a validation (issue 16 §3).
    days, hours = tuple(weekdays), tuple(sorted(weekday_hours.items())) if weekday_hours else None
    shut, extra = tuple(closures), tuple(extra_working_days)
    asked: tuple[object, ...] = (country, timezone, subdivision, opening, closing, days, hours, shut, extra)
    given: tuple[object, ...] | None = asked
    try:
        found = _given.get(asked)
    except TypeError:  # an unhashable setting: the normalised key below still finds the calendar
        given, found = None, None
    if found is not None:
        return found
    # Building validates and normalises the settings (cheap: tables are built lazily); caching by
    # the normalised key makes "fr" and "FR", or closures in another order, share one table.
    key_calendar = BusinessCalendar(
        country,
        timezone=timezone,
        subdivision=subdivision,
        opening=opening,
        closing=closing,
        weekdays=days,
        weekday_hours=dict(hours) if hours else None,
        closures=shut,
        extra_working_days=extra,
    )
    found = _cached(key_calendar.key, key_calendar)
    if given is not None:
        with _cache_lock:
            if len(_given) >= _CACHE_SIZE:
                _given.clear()
            _given[given] = found
    return found


# The calendars by the arguments they were asked with (what callers repeat), and by their
# normalised settings (what makes two spellings one calendar). Both bounded; a calendar's settings
# are part of its key, so nothing is ever stale: an edited closure is another calendar.
_given: dict[tuple[object, ...], BusinessCalendar] = {}
_cache: dict[tuple[object, ...], BusinessCalendar] = {}
_cache_lock = threading.Lock()
_CACHE_SIZE = 512


def _cached(key: tuple[object, ...], candidate: BusinessCalendar) -> BusinessCalendar:
    with _cache_lock:
        found = _cache.get(key)
        if found is None:
            if len(_cache) >= _CACHE_SIZE:
                _cache.pop(next(iter(_cache)))  # oldest first: closures edited long ago
            _cache[key] = found = candidate
        return found
