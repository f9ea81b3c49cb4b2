"""An order's term and its contract years (ORD-5, FLX-2), as plain dates.

Dates here are *inclusive*: ``Term(start=2026-01-01, end=2026-12-31)`` is one year, and a
contract year's ``end`` is its last usable day. Something that "expires at the end of" a period
is forfeited from the day after that ``end``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop


def require_date(value: object, *, field: str) -> date:
    """Return ``value`` if it is a calendar date (not a datetime), else raise InvalidInput."""
    # datetime is a subclass of date: refuse it explicitly, a calendar rule must not guess a zone.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInput(
            field, Message(gettext_noop("expected a calendar date (YYYY-MM-DD), got {value!r}"), value=value)
        )
    return value


def anniversary(start: date, years: int) -> date:
    """Return ``start`` moved ``years`` years on; 29 February becomes 28 February in other years."""
    year = start.year + years
    # A 29 February start has no anniversary in a common year: the contract year then ends a day
    # early rather than spilling into March (the same convention as dateutil's relativedelta).
    day = min(start.day, calendar.monthrange(year, start.month)[1])
    return date(year, start.month, day)


@dataclass(frozen=True, slots=True)
class ContractYear:
    """The ``index``-th (1-based) contract year of a term, ``start`` to ``end`` inclusive."""

    index: int
    start: date
    end: date

    def contains(self, day: date) -> bool:
        """Return True when ``day`` falls in this contract year."""
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Term:
    """An order's term: ``start`` to ``end`` inclusive (``end`` is the expiry date)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        require_date(self.start, field="term.start")
        require_date(self.end, field="term.end")
        if self.end < self.start:
            raise InvalidInput(
                "term.end",
                Message(
                    gettext_noop("the term ends ({end}) before it starts ({start})"),
                    end=self.end,
                    start=self.start,
                ),
            )

    def contains(self, day: date) -> bool:
        """Return True when ``day`` is within the term."""
        return self.start <= day <= self.end

    def require_within(self, day: object, *, field: str = "on") -> date:
        """Return ``day`` if it is a date within the term, else raise InvalidInput naming ``field``."""
        checked = require_date(day, field=field)
        if not self.contains(checked):
            raise InvalidInput(
                field,
                Message(
                    gettext_noop("{day} is outside the order's term {start} – {end}"),
                    day=checked,
                    start=self.start,
                    end=self.end,
                ),
            )
        return checked

    def days_left(self, on: date) -> int:
        """Return the calendar days from ``on`` to the expiry date (0 on the last day)."""
        return (self.end - on).days

    def contract_years(self) -> list[ContractYear]:
        """Return the contract years (FLX-2): anniversaries of ``start``, the last one cut at ``end``."""
        years: list[ContractYear] = []
        index = 0
        while True:
            # Each boundary is computed from the original start, so a 29 February start does
            # not drift to the 28th for good after its first common year.
            begin = anniversary(self.start, index)
            if begin > self.end:
                return years
            next_begin = anniversary(self.start, index + 1)
            years.append(ContractYear(index + 1, begin, min(next_begin - timedelta(days=1), self.end)))
            index += 1

    def contract_year(self, on: date) -> ContractYear:
        """Return the contract year containing ``on`` (InvalidInput when outside the term)."""
        self.require_within(on)
        return next(year for year in self.contract_years() if year.contains(on))
