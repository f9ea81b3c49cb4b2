"""Hours and weekdays as the CLI and the API speak them: 09:00-16:00, fri (Annexe A note 5)."""

from __future__ import annotations

import datetime as dt

from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
END_OF_DAY = "24:00"


def parse_weekday(text: str, *, field: str = "weekday") -> int:
    """Return the weekday ``text`` names (mon … sun, monday … sunday, or 0 = Monday … 6), or raise InvalidInput."""
    value = str(text).strip().casefold()
    if value.isdigit() and int(value) < 7:
        return int(value)
    for number, names in enumerate(zip(WEEKDAY_NAMES, _FULL, strict=True)):
        if value in names:
            return number
    raise InvalidInput(
        field,
        Message(gettext_noop("{value!r} is not a weekday (mon, tue, wed, thu, fri, sat, sun)"), value=text),
    )


def parse_hours(text: str, *, field: str = "hours") -> tuple[dt.time, dt.time | None]:
    """Return (start, end) from ``HH:MM-HH:MM`` (end ``24:00``: None, the end of the day), or raise InvalidInput."""
    start_text, sep, end_text = str(text).strip().partition("-")
    try:
        if not sep:
            raise ValueError(text)
        start = _clock_time(start_text)
        end = None if end_text.strip() == END_OF_DAY else _clock_time(end_text)
    except ValueError:
        raise InvalidInput(
            field,
            Message(gettext_noop("{value!r} is not hours as HH:MM-HH:MM (e.g. 09:00-16:00)"), value=text),
        ) from None
    if end is not None and not start < end:
        raise InvalidInput(
            field,
            Message(
                gettext_noop("the hours end ({end}) before they start ({start})"),
                start=start_text,
                end=end_text,
            ),
        )
    return start, end


def format_hours(start: dt.time | None, end: dt.time | None) -> str:
    """Return hours as HH:MM-HH:MM (a missing start is 00:00, a missing end 24:00)."""
    return f"{(start or dt.time()):%H:%M}-" + (f"{end:%H:%M}" if end else END_OF_DAY)


def _clock_time(text: str) -> dt.time:
    hours, sep, minutes = text.strip().partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) <= 2):
        raise ValueError(text)
    return dt.time(int(hours), int(minutes))
