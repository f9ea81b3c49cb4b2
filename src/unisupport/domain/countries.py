"""Countries (ISO 3166-1 alpha-2) and their default time zones, for support-location calendars.

The data is ``domain/data/countries.yaml``: every code of the tz database's ``iso3166.tab`` with
its English name and a default IANA zone (the capital's zone where a country has several).
A site may override the zone; ``check_timezone`` validates such an override.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import yaml

from unisupport.domain.errors import InvalidInput, UnknownCountry
from unisupport.domain.messages import Message, gettext_noop

__all__ = [
    "Country",
    "all_countries",
    "check_country",
    "check_timezone",
    "country",
    "default_timezone",
    "is_country",
]


@dataclass(frozen=True, slots=True)
class Country:
    """One ISO 3166-1 country: its code, English name and default IANA zone."""

    code: str
    name: str
    timezone: str
    note: str = ""  # why this zone, for countries with several


@cache
def _countries() -> dict[str, Country]:
    # Read once per process: the query path never touches the file.
    text = resources.files("unisupport.domain").joinpath("data", "countries.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)["countries"]
    return {
        code: Country(code=code, name=row["name"], timezone=row["timezone"], note=row.get("note", ""))
        for code, row in raw.items()
    }


def all_countries() -> list[Country]:
    """Return every known country, sorted by code."""
    return sorted(_countries().values(), key=lambda c: c.code)


def is_country(code: object) -> bool:
    """Return True if ``code`` is a known ISO 3166-1 alpha-2 code (any case)."""
    return isinstance(code, str) and code.strip().upper() in _countries()


def check_country(code: object, *, field: str = "country") -> str:
    """Return the upper-cased code, or raise UnknownCountry naming ``field``."""
    if not isinstance(code, str) or code.strip().upper() not in _countries():
        raise UnknownCountry(str(code), field)
    return code.strip().upper()


def country(code: str, *, field: str = "country") -> Country:
    """Return the Country for ``code`` (any case), or raise UnknownCountry."""
    return _countries()[check_country(code, field=field)]


def default_timezone(code: str) -> str:
    """Return the default IANA zone of country ``code``, or raise UnknownCountry."""
    return country(code).timezone


@cache
def _zone_names() -> frozenset[str]:
    # Includes links such as "Europe/Kiev" and "US/Eastern"; tzdata ships them, zoneinfo reads them.
    return frozenset(available_timezones())


def check_timezone(name: object, *, field: str = "timezone") -> str:
    """Return ``name`` if it is an IANA zone this machine can load, or raise InvalidInput."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(field, _unknown_zone(name))
    name = name.strip()
    if name not in _zone_names():
        raise InvalidInput(field, _unknown_zone(name))
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:  # pragma: no cover - listed but unreadable
        raise InvalidInput(
            field,
            Message(gettext_noop("time zone {name!r} cannot be loaded: {error}"), name=name, error=str(exc)),
        ) from None
    return name


def _unknown_zone(name: object) -> Message:
    return Message(
        gettext_noop("unknown time zone {name!r} (an IANA name such as 'Europe/Paris' expected)"), name=name
    )
