"""Internals of ``calendar``: validation and conversion of what callers pass in.

Every error names the field at fault (InvalidInput), so that the CLI and the API can point at it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import holidays as holidays_lib
import numpy as np

from unisupport.domain import _calendar_tables as _tables
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop


@dataclass(frozen=True, slots=True)
class Closure:
    """A custom closure of a support location: a whole local day, or part of it."""

    day: date
    start: time | None = None  # None: from the start of the day
    end: time | None = None  # None: to the end of the day
    name: str = "Closure"

    @property
    def whole_day(self) -> bool:
        """Return True when the closure covers the whole day."""
        return self.start is None and self.end is None

    def label(self) -> str:
        """Return the name, with its hours for a partial closure."""
        if self.whole_day:
            return self.name
        start = (self.start or time()).strftime("%H:%M")
        end = self.end.strftime("%H:%M") if self.end else "24:00"
        return f"{self.name} ({start}–{end})"


def instants_us(values: np.ndarray | Sequence[datetime], field: str) -> np.ndarray:
    """Return instants (datetime64 read as UTC, or aware datetimes) as int64 epoch microseconds."""
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        if np.isnat(values).any():
            raise InvalidInput(field, Message(gettext_noop("contains NaT")))
        return values.astype("datetime64[us]").view(np.int64)
    return np.fromiter((_tables.to_us(aware(v, field)) for v in values), dtype=np.int64)


def durations_us(values: np.ndarray | Sequence[timedelta] | timedelta, field: str) -> np.ndarray:
    """Return durations (timedelta64, timedeltas or one timedelta) as int64 microseconds."""
    if isinstance(values, timedelta):
        return np.asarray(values // timedelta(microseconds=1), dtype=np.int64)
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.timedelta64):
        if np.isnat(values).any():
            raise InvalidInput(field, Message(gettext_noop("contains NaT")))
        return values.astype("timedelta64[us]").view(np.int64)
    return np.fromiter((v // timedelta(microseconds=1) for v in values), dtype=np.int64)


def aware(dt: datetime, field: str) -> datetime:
    """Return ``dt`` if it is an aware datetime, or raise InvalidInput naming ``field``."""
    if not isinstance(dt, datetime) or dt.tzinfo is None or dt.utcoffset() is None:
        raise naive(field)
    return dt


def naive(field: str) -> InvalidInput:
    """Return the error for a missing or naive datetime in ``field``."""
    return InvalidInput(
        field, Message(gettext_noop("an aware datetime (with a time zone or UTC offset) is required"))
    )


def check_subdivision(country: str, subdivision: str | None) -> str | None:
    """Return the ``holidays`` package's spelling of ``subdivision``, or raise InvalidInput."""
    if subdivision is None or subdivision == "":
        return None
    known = holidays_lib.list_supported_countries().get(country, [])
    for name in known:
        if name.casefold() == subdivision.strip().casefold():
            return name
    if not known:
        raise InvalidInput(
            "subdivision",
            Message(
                gettext_noop("unknown subdivision {subdivision!r} of {country} (known: none)"),
                subdivision=subdivision,
                country=country,
            ),
        )
    raise InvalidInput(
        "subdivision",
        Message(
            gettext_noop("unknown subdivision {subdivision!r} of {country} (known: {known})"),
            subdivision=subdivision,
            country=country,
            known=", ".join(known[:20]) + ("…" if len(known) > 20 else ""),
        ),
    )


def check_hours(opening: time, closing: time) -> tuple[time, time]:
    """Return the opening hours if they are naive local times within one day."""
    if not (isinstance(opening, time) and isinstance(closing, time)) or opening.tzinfo or closing.tzinfo:
        raise InvalidInput(
            "opening_hours", Message(gettext_noop("opening and closing must be naive local times"))
        )
    if not opening < closing:
        raise InvalidInput(
            "opening_hours",
            Message(
                gettext_noop("opening {opening} must be before closing {closing} (same day)"),
                opening=opening,
                closing=closing,
            ),
        )
    return opening, closing


def check_weekday_hours(
    hours: Mapping[int, tuple[time, time]] | None, default: tuple[time, time]
) -> dict[int, tuple[time, time]]:
    """Return the hours of the weekdays (0 = Monday) that differ from ``default``, checked."""
    checked: dict[int, tuple[time, time]] = {}
    for weekday, pair in (hours or {}).items():
        if isinstance(weekday, bool) or weekday not in range(7):
            raise InvalidInput(
                "weekday_hours",
                Message(
                    gettext_noop("expected weekdays 0 (Monday) .. 6 (Sunday), got {weekday!r}"),
                    weekday=weekday,
                ),
            )
        try:
            opening, closing = pair
        except (TypeError, ValueError):
            raise InvalidInput(
                "weekday_hours", Message(gettext_noop("expected (opening, closing) for each weekday"))
            ) from None
        opening, closing = check_hours(opening, closing)
        if (opening, closing) != default:  # equal settings make equal cache keys
            checked[weekday] = (opening, closing)
    return dict(sorted(checked.items()))


def check_weekdays(weekdays: Iterable[int]) -> frozenset[int]:
    """Return the working weekdays (0 = Monday) as a non-empty frozenset."""
    days = frozenset(weekdays)
    if not days or not days <= set(range(7)):
        raise InvalidInput(
            "weekdays",
            Message(
                gettext_noop("expected a non-empty set of 0 (Monday) .. 6 (Sunday), got {days}"),
                days=str(sorted(days, key=repr)),
            ),
        )
    return days


def check_day(value: object, field: str) -> date:
    """Return ``value`` if it is a date (not a datetime), or raise InvalidInput."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInput(field, Message(gettext_noop("a date is expected, got {value!r}"), value=value))
    return value


def check_closure(value: Closure | date) -> Closure:
    """Return ``value`` as a valid Closure (a bare date closes the whole day)."""
    if not isinstance(value, Closure):
        return Closure(check_day(value, "closures"))
    check_day(value.day, "closures")
    start, end = value.start or time(), value.end
    if end is not None and not start < end:
        raise InvalidInput(
            "closures",
            Message(
                gettext_noop("closure on {day}: start {start} must be before end {end}"),
                day=value.day,
                start=start,
                end=end,
            ),
        )
    return value


def closure_order(c: Closure) -> tuple[object, ...]:
    """Return the sort key of a closure: by day, then hours, then name."""
    return (c.day, c.start or time(), c.end or time.max, c.name)
