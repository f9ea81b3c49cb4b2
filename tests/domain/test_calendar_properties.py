"""Properties of business calendars (SEV-7), checked with hypothesis on random inputs.

The bisection engine is compared with a slow reference walk that anyone can check by reading
it: day by day in the location's zone, 09:00–17:30 (or the weekday's own hours, Annexe A note 5)
on working weekdays that are not holidays of the ``holidays`` package nor closed, minus the hours
of partial closures, converted to UTC before any arithmetic. Instants are drawn uniformly over
2025–2028, around each DST change of the zone, and at opening and closing times exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unisupport.domain.calendar import BusinessCalendar, Closure, calendar_for

US_ = timedelta(microseconds=1)
OPEN, CLOSE = time(9), time(17, 30)
FIRST, LAST = datetime(2025, 1, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REFERENCE = settings(SETTINGS, max_examples=300)


@dataclass(frozen=True)
class Site:
    country: str
    zone: str
    subdivision: str | None = None
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    hours: tuple[tuple[int, time, time], ...] = ()  # (weekday, opening, closing) of its own
    closures: tuple[Closure, ...] = ()  # whole days and hours of days
    extra_days: tuple[date, ...] = ()

    @property
    def calendar(self) -> BusinessCalendar:
        return calendar_for(
            self.country,
            timezone=self.zone,
            subdivision=self.subdivision,
            weekdays=self.weekdays,
            weekday_hours={weekday: (opening, closing) for weekday, opening, closing in self.hours},
            closures=self.closures,
            extra_working_days=self.extra_days,
        )

    def hours_on(self, weekday: int) -> tuple[time, time]:
        return next(((o, c) for d, o, c in self.hours if d == weekday), (OPEN, CLOSE))

    @property
    def edges(self) -> list[time]:
        """Return the wall-clock times at which this site opens, closes or starts/ends a closure."""
        times = {t for _, o, c in self.hours for t in (o, c)}
        times |= {t for c in self.closures for t in (c.start, c.end) if t is not None}
        return sorted(times)


def _christmas_eves(start: time, end: time | None) -> tuple[Closure, ...]:
    return tuple(Closure(date(y, 12, 24), start, end, "Christmas Eve") for y in range(2025, 2029))


SITES = [
    Site("FR", "Europe/Paris"),
    Site("US", "America/New_York"),
    Site("JP", "Asia/Tokyo"),
    Site("IN", "Asia/Kolkata"),
    Site("DE", "Europe/Berlin", "BY"),
    Site("US", "America/Los_Angeles", "CA"),
    # Annexe A note 5: hours that vary by weekday, partial closures (Christmas Eve mornings, an
    # afternoon, an evening to the end of the day), a whole-day closure and an extra Saturday
    # worked on Saturday's own hours.
    Site(
        "FR",
        "Europe/Paris",
        hours=((4, time(9), time(16)), (5, time(10), time(13))),
        closures=(
            *_christmas_eves(time(9), time(12)),
            Closure(date(2026, 3, 30), time(14), time(15, 30), "Drill"),
            Closure(date(2027, 12, 30), time(16), None, "Party"),
            Closure(date(2026, 6, 15), name="Move"),
            Closure(date(2026, 6, 16), time(0), time(10), "Move, morning"),
        ),
        extra_days=(date(2026, 3, 28), date(2027, 10, 30)),
    ),
    Site(
        "US",
        "America/New_York",
        "NY",
        hours=((0, time(8), time(17)), (2, time(10), time(18, 30)), (4, time(9), time(12, 15))),
        closures=(*_christmas_eves(time(12), None), Closure(date(2027, 11, 24), time(13), time(17), "Eve")),
    ),
    # Every day worked, Sunday from 02:30 to 05:00: a wall time that the spring-forward gap
    # skips, and a fall-back night whose hour repeats.
    Site(
        "DE",
        "Europe/Berlin",
        weekdays=(0, 1, 2, 3, 4, 6),
        hours=((6, time(2, 30), time(5)), (1, time(7, 45), time(19, 59, 59, 999_999))),
        closures=(Closure(date(2027, 3, 28), time(2, 15), time(3, 15), "DST"),),
    ),
]


# -- the reference walk ----------------------------------------------------------------------


@cache
def _holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


def _utc(site: Site, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(site.zone)).astimezone(UTC)


def _open_hours(site: Site, day: date) -> list[tuple[datetime, datetime]]:
    if any(c.day == day and c.start is None and c.end is None for c in site.closures):
        return []
    if day not in site.extra_days and (
        day.weekday() not in site.weekdays or day in _holidays(site.country, site.subdivision, day.year)
    ):
        return []
    opening, closing = site.hours_on(day.weekday())
    pieces = [(_utc(site, day, opening), _utc(site, day, closing))]
    for c in site.closures:
        if c.day == day:
            shut_from = _utc(site, day, c.start or time())
            shut_to = _utc(site, day, c.end) if c.end else _utc(site, day + timedelta(days=1), time())
            pieces = [
                piece
                for s, e in pieces
                for piece in ((s, min(e, shut_from)), (max(s, shut_to), e))
                if piece[1] > piece[0]
            ]
    return pieces


def reference_between(site: Site, a: datetime, b: datetime) -> timedelta:
    # In UTC first: two datetimes sharing a zone compare by their wall clocks.
    a, b = a.astimezone(UTC), b.astimezone(UTC)
    if b < a:
        return -reference_between(site, b, a)
    zone = ZoneInfo(site.zone)
    day, last = a.astimezone(zone).date() - timedelta(days=1), b.astimezone(zone).date() + timedelta(days=1)
    total = timedelta(0)
    while day <= last:
        for opening, closing in _open_hours(site, day):
            start, end = max(opening, a), min(closing, b)
            if end > start:
                total += end - start
        day += timedelta(days=1)
    return total


def reference_add(site: Site, start: datetime, duration: timedelta) -> datetime:
    if duration == timedelta(0):
        return start
    start = start.astimezone(UTC)
    zone = ZoneInfo(site.zone)
    day, remaining = start.astimezone(zone).date() - timedelta(days=1), duration
    while True:
        for opening, end in _open_hours(site, day):
            begin = max(opening, start)
            if end > begin:
                if end - begin >= remaining:
                    return begin + remaining  # the earliest instant: closing time included
                remaining -= end - begin
        day += timedelta(days=1)


# -- strategies ------------------------------------------------------------------------------


@cache
def _dst_changes(zone_name: str) -> tuple[datetime, ...]:
    zone, changes, t = ZoneInfo(zone_name), [], FIRST
    while t < LAST:
        nxt = t + timedelta(hours=1)
        if t.astimezone(zone).utcoffset() != nxt.astimezone(zone).utcoffset():
            changes.append(nxt)
        t = nxt
    return tuple(changes) or (FIRST + timedelta(days=100),)


def instants(site: Site) -> st.SearchStrategy[datetime]:
    zone = ZoneInfo(site.zone)
    span = int((LAST - FIRST) / US_)
    uniform = st.integers(0, span).map(lambda us: FIRST + us * US_)
    near_dst = st.tuples(st.sampled_from(_dst_changes(site.zone)), st.integers(-4 * 86_400, 4 * 86_400)).map(
        lambda p: p[0] + timedelta(seconds=p[1])
    )
    at_edges = st.tuples(
        st.dates(min_value=date(2025, 1, 2), max_value=date(2028, 12, 30)),
        st.sampled_from([OPEN, CLOSE, time(0), time(17, 29, 59, 999_999), time(12), *site.edges]),
    ).map(lambda p: datetime.combine(p[0], p[1], tzinfo=zone))
    return st.one_of(uniform, near_dst, at_edges)


durations = st.one_of(
    st.sampled_from([15, 30, 60, 120, 240, 510, 1020, 5 * 510]).map(lambda m: timedelta(minutes=m)),
    st.integers(1, 30 * 510 * 60 * 1_000_000).map(lambda us: us * US_),
)


@st.composite
def site_and_instant(draw: st.DrawFn) -> tuple[Site, datetime]:
    site = draw(st.sampled_from(SITES))
    return site, draw(instants(site))


@st.composite
def site_and_two_instants(draw: st.DrawFn) -> tuple[Site, datetime, datetime]:
    site, a = draw(site_and_instant())
    b = a + draw(st.integers(-60 * 86_400 * 1_000_000, 60 * 86_400 * 1_000_000)) * US_
    return site, a, b


# -- agreement with the reference walk -------------------------------------------------------


@REFERENCE
@given(site_and_instant(), durations)
def test_sev7_add_business_time_agrees_with_the_reference_walk(case, duration):
    site, start = case
    assert site.calendar.add_business_time(start, duration) == reference_add(site, start, duration)


@REFERENCE
@given(site_and_two_instants())
def test_sev7_business_time_between_agrees_with_the_reference_walk(case):
    site, a, b = case
    assert site.calendar.business_time_between(a, b) == reference_between(site, a, b)


VARYING = [site for site in SITES if site.hours or site.closures]


@st.composite
def near_a_closure_or_extra_day(draw: st.DrawFn) -> tuple[Site, datetime]:
    site = draw(st.sampled_from(VARYING))
    day = draw(st.sampled_from([c.day for c in site.closures] + list(site.extra_days)))
    moment = draw(st.integers(-3 * 86_400 * 1_000_000, 3 * 86_400 * 1_000_000)) * US_
    edge = datetime.combine(day, draw(st.sampled_from([time(0), *site.edges])), tzinfo=ZoneInfo(site.zone))
    return site, draw(st.sampled_from([edge, edge + moment]))


@REFERENCE
@given(near_a_closure_or_extra_day(), durations, st.integers(-5 * 86_400, 5 * 86_400))
def test_annexe_a_note_5_weekday_hours_and_partial_closures_agree_with_the_reference_walk(
    case, duration, seconds
):
    """SEV-7 on hours that vary by weekday and closures of part of a day, near those days."""
    site, start = case
    assert site.calendar.add_business_time(start, duration) == reference_add(site, start, duration)
    end = start.astimezone(UTC) + timedelta(seconds=seconds)
    assert site.calendar.business_time_between(start, end) == reference_between(site, start, end)


@SETTINGS
@given(site_and_instant())
def test_sev7_the_next_opening_is_the_first_business_instant_from_then_on(case):
    site, at = case
    cal = site.calendar
    opens, closes = cal.open_period(at)
    assert opens >= at
    assert cal.is_business_time(opens)
    assert closes > opens
    assert cal.business_time_between(at, opens) == timedelta(0)
    assert cal.business_time_between(opens, closes) == closes - opens
    assert not cal.is_business_time(closes)
    assert (opens == at) == cal.is_business_time(at)


# -- algebraic properties --------------------------------------------------------------------


@SETTINGS
@given(site_and_instant(), durations, st.booleans())
def test_sev7_between_of_add_gives_back_the_duration(case, duration, backwards):
    site, a = case
    d = -duration if backwards else duration
    assert site.calendar.business_time_between(a, site.calendar.add_business_time(a, d)) == d


@SETTINGS
@given(site_and_instant(), durations, durations)
def test_sev7_add_is_monotonic_in_the_duration(case, d1, d2):
    site, a = case
    d1, d2 = sorted((d1, d2))
    assert site.calendar.add_business_time(a, d1) <= site.calendar.add_business_time(a, d2)


@SETTINGS
@given(site_and_two_instants(), durations)
def test_sev7_add_is_monotonic_in_the_start(case, duration):
    site, a, b = case
    a, b = sorted((a, b))
    assert site.calendar.add_business_time(a, duration) <= site.calendar.add_business_time(b, duration)


@SETTINGS
@given(site_and_instant(), durations)
def test_sev7_the_due_time_is_the_earliest_instant_reaching_the_target(case, duration):
    site, a = case
    cal = site.calendar
    due = cal.add_business_time(a, duration)
    assert due > a
    assert cal.business_time_between(a, due - US_) < duration
    # Reached inside business hours or exactly at a closing time, never at a later opening.
    assert cal.is_business_time(due - US_)


@SETTINGS
@given(site_and_two_instants(), st.integers(-60 * 86_400, 60 * 86_400))
def test_sev7_between_is_additive_and_antisymmetric(case, seconds):
    site, a, b = case
    c = b + timedelta(seconds=seconds)
    cal = site.calendar
    assert cal.business_time_between(a, b) + cal.business_time_between(b, c) == cal.business_time_between(
        a, c
    )
    assert cal.business_time_between(a, b) == -cal.business_time_between(b, a)
    assert cal.business_time_between(a, b) <= abs(b - a)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SITES), st.data())
def test_sev7_batch_forms_agree_with_single_queries(site, data):
    cal = site.calendar
    starts = data.draw(st.lists(instants(site), min_size=1, max_size=40))
    durs = data.draw(st.lists(durations, min_size=len(starts), max_size=len(starts)))
    durs = [d if i % 3 else -d for i, d in enumerate(durs)]  # a third walk backwards
    got = cal.add_business_time_many(starts, np.array(durs, dtype="timedelta64[us]"))
    want = [
        cal.add_business_time(s, d).astimezone(UTC).replace(tzinfo=None)
        for s, d in zip(starts, durs, strict=True)
    ]
    assert got.tolist() == want
    ends = [s + d for s, d in zip(starts, durs, strict=True)]
    between = cal.business_time_between_many(starts, ends)
    assert between.tolist() == [cal.business_time_between(s, e) for s, e in zip(starts, ends, strict=True)]
