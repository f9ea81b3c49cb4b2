"""Internals of ``calendar``: the precomputed table of business intervals of one calendar.

A table covers whole local years ``first..last``. It holds, sorted, the business intervals as
UTC epoch microseconds (``starts``/``ends``), the business time elapsed before each interval
(``cum``) and at its end (``cumend``), all relative to the table's own origin: the local
midnight that opens ``first``. Business time up to an instant ``t`` of the window is then
``B(t) = cum[i] + min(t, ends[i]) - starts[i]`` with ``i`` found by bisection, and every query
is a difference or an inverse of ``B``.

Building walks the calendar day by day, but only when a table is built or extended (once per
year of the window), never on the query path.
"""

from __future__ import annotations

import sys
import warnings
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

import holidays as holidays_lib
import numpy as np

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_DAY = timedelta(days=1)
ONE_US = timedelta(microseconds=1)

# The window never leaves these years. Windows are contiguous, so one query in a far year would
# otherwise make a calendar build (and keep) every year in between: a request from the API must
# not be able to cost megabytes per site. Deadlines of support incidents live well inside.
MIN_YEAR = 1970
MAX_YEAR = 2199


def to_us(dt: datetime) -> int:
    """Return the aware ``dt`` as integer UTC epoch microseconds (exact)."""
    # ``dt - EPOCH`` is an absolute difference because the tzinfos differ (or are both UTC);
    # integer parts avoid the float rounding of ``timestamp()``.
    td = dt - EPOCH
    return (td.days * 86_400 + td.seconds) * 1_000_000 + td.microseconds


def from_us(us: int) -> datetime:
    """Return UTC epoch microseconds as an aware UTC datetime."""
    return EPOCH + ONE_US * us  # exact: integer multiplication of a timedelta


@dataclass(frozen=True, slots=True)
class DayRules:
    """What decides, for one calendar, which local days are open and when."""

    country: str
    subdivision: str | None
    zone: ZoneInfo
    hours: tuple[tuple[time, time], ...]  # (opening, closing) of each weekday, Monday first
    weekdays: frozenset[int]
    # Whole-day closures, and partial ones as (local start, local end) wall-clock intervals.
    closed_days: frozenset[date]
    partial_closures: Mapping[date, tuple[tuple[time, time | None], ...]]
    extra_days: frozenset[date]

    def holiday_dates(self, first: int, last: int) -> frozenset[date]:
        """Return the public holidays of years ``first..last`` from the ``holidays`` package."""
        with warnings.catch_warnings():
            # Lunar-calendar countries (IN, CN, …) only know a range of years; outside it the
            # package warns and returns none, which is the best answer we have.
            warnings.simplefilter("ignore")
            found = holidays_lib.country_holidays(
                self.country, subdiv=self.subdivision, years=range(first, last + 1)
            )
        return frozenset(found.keys())

    def local_us(self, day: date, at: time) -> int:
        """Return the UTC epoch microseconds of wall-clock ``at`` on local ``day``."""
        # A wall time inside a spring-forward gap gets the offset from before the change
        # (fold=0), i.e. it lands just after the gap; in a fall-back repeat it is the first one.
        return to_us(datetime.combine(day, at, tzinfo=self.zone))

    def intervals(self, first: int, last: int) -> tuple[list[int], list[int]]:
        """Return the (starts, ends) of business intervals in local years ``first..last``."""
        holidays = self.holiday_dates(first, last)
        starts: list[int] = []
        ends: list[int] = []
        day, stop = date(first, 1, 1), date(last + 1, 1, 1)
        while day < stop:
            if self._open(day, holidays):
                opening, closing = self.hours[day.weekday()]
                s, e = self.local_us(day, opening), self.local_us(day, closing)
                pieces = [(s, e)] if e > s else []
                for c_start, c_end in self.partial_closures.get(day, ()):
                    cs = self.local_us(day, c_start)
                    ce = (
                        self.local_us(day, c_end)
                        if c_end is not None
                        else self.local_us(day + ONE_DAY, time())
                    )
                    pieces = _subtract(pieces, cs, ce)
                for s, e in pieces:
                    starts.append(s)
                    ends.append(e)
            day += ONE_DAY
        return starts, ends

    def _open(self, day: date, holidays: frozenset[date]) -> bool:
        # Closures win over extra working days, which win over weekends and holidays.
        if day in self.closed_days:
            return False
        if day in self.extra_days:
            return True
        return day.weekday() in self.weekdays and day not in holidays


def _subtract(pieces: list[tuple[int, int]], cs: int, ce: int) -> list[tuple[int, int]]:
    out = []
    for s, e in pieces:
        if ce <= s or cs >= e:
            out.append((s, e))
            continue
        if s < cs:
            out.append((s, cs))
        if ce < e:
            out.append((ce, e))
    return out


class Table:
    """The business intervals of local years ``first..last`` with their cumulative durations."""

    __slots__ = (
        "cum",
        "cumend",
        "ends",
        "first",
        "hi",
        "last",
        "lo",
        "n",
        "np_cum",
        "np_cumend",
        "np_ends",
        "np_starts",
        "starts",
    )

    def __init__(self, first: int, last: int, lo: int, hi: int, starts: list[int], ends: list[int]) -> None:
        self.first, self.last = first, last
        self.lo, self.hi = lo, hi  # [lo, hi): the instants whose B(t) this table knows
        self.n = len(starts)
        # ``starts`` stays a list: bisect on a list is about twice as fast as on an array.
        # The other columns are compact int64 arrays, shared with numpy without a copy.
        self.starts = starts
        self.ends = array("q", ends)
        lengths = [e - s for s, e in zip(starts, ends, strict=True)]
        self.cumend = array("q", accumulate(lengths))
        self.cum = array("q", [0]) + self.cumend[:-1] if self.n else array("q")
        self.np_starts = np.array(starts, dtype=np.int64)
        self.np_ends = np.frombuffer(self.ends, dtype=np.int64)
        self.np_cum = np.frombuffer(self.cum, dtype=np.int64)
        self.np_cumend = np.frombuffer(self.cumend, dtype=np.int64)

    @property
    def total(self) -> int:
        """Return the business microseconds of the whole window."""
        return self.cumend[-1] if self.n else 0

    def nbytes(self) -> int:
        """Return the bytes held by the table's columns, the Python list and its ints included."""
        list_bytes = sys.getsizeof(self.starts) + sum(map(sys.getsizeof, self.starts))
        arrays = (self.ends, self.cum, self.cumend)
        return list_bytes + self.np_starts.nbytes + sum(sys.getsizeof(a) for a in arrays)


def build(rules: DayRules, first: int, last: int, previous: Table | None = None) -> Table:
    """Return the table of years ``first..last``, reusing ``previous`` for the years it covers."""
    if previous is None:
        starts, ends = rules.intervals(first, last)
    else:
        # Only the new years are computed; the cumulative columns are rebuilt since the origin
        # moves when the window grows backwards.
        before_s, before_e = (
            rules.intervals(first, previous.first - 1) if first < previous.first else ([], [])
        )
        after_s, after_e = rules.intervals(previous.last + 1, last) if last > previous.last else ([], [])
        starts = before_s + previous.starts + after_s
        ends = before_e + list(previous.ends) + after_e
    lo = rules.local_us(date(first, 1, 1), time())
    hi = rules.local_us(date(last + 1, 1, 1), time())
    return Table(first, last, lo, hi, starts, ends)


def years_around(us: int, zone: ZoneInfo) -> tuple[int, int]:
    """Return the local year containing ``us`` minus one and plus one."""
    # Not clamped to MIN_YEAR..MAX_YEAR: building such a window refuses the query instead of
    # silently building one that does not cover it.
    year = from_us(us).astimezone(zone).year
    return year - 1, year + 1


def merge_years(table: Table | None, years: Iterable[int]) -> tuple[int, int]:
    """Return the smallest year range covering ``table`` and ``years``."""
    ys = list(years)
    if table is not None:
        ys += [table.first, table.last]
    return min(ys), max(ys)
