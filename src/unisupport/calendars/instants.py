"""Instants and durations as the CLI and the API speak them: ISO 8601 with an offset, UTC with Z."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from unisupport.domain.errors import InvalidInput

# Bounds a single request: ten business years are far beyond any response target, and an
# unbounded number would make the calendar precompute (and keep) every year up to it.
MAX_MINUTES = 10 * 366 * 24 * 60


def parse_instant(text: str, *, field: str) -> dt.datetime:
    """Return the aware datetime ``text`` names (ISO 8601 with its UTC offset or Z), or raise InvalidInput."""
    try:
        parsed = dt.datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise InvalidInput(
            field,
            f"{text!r} is not an ISO 8601 instant (e.g. 2026-12-24T16:00:00+01:00 or 2026-12-24T15:00:00Z)",
        ) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        # A wall-clock time alone is ambiguous: whose clock? Refuse rather than guess.
        raise InvalidInput(field, f"{text!r} has no UTC offset: an ISO instant must carry its offset or Z")
    return parsed


def utc_iso(instant: dt.datetime) -> str:
    """Return ``instant`` in UTC as ISO 8601 with a Z: 2026-12-28T10:30:00Z."""
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def minutes_duration(minutes: float | Decimal | str, *, field: str = "minutes") -> dt.timedelta:
    """Return ``minutes`` (fractions allowed, to the microsecond) as a timedelta, or raise InvalidInput."""
    try:
        value = Decimal(str(minutes).strip())
    except InvalidOperation:
        raise InvalidInput(field, f"{minutes!r} is not a number of minutes") from None
    if not value.is_finite() or abs(value) > MAX_MINUTES:
        raise InvalidInput(
            field, f"a finite number of minutes up to {MAX_MINUTES} is expected, got {minutes!r}"
        )
    micros = (value * 60_000_000).to_integral_value()
    return dt.timedelta(microseconds=int(micros))


def duration_minutes(duration: dt.timedelta) -> float:
    """Return ``duration`` in minutes, fractional (to the microsecond)."""
    return duration / dt.timedelta(minutes=1)
