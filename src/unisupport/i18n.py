"""The domain's English texts in the portal reader's language.

The domain writes English (the CLI's and the API's contract); where a text is a
:class:`~unisupport.domain.messages.Message`, its template is a msgid of the French catalogues, and
its values — credits, hours, money, numbers, dates — are written the way the reader expects them.
Anything else (user-typed words, texts not yet translatable) is shown as it is.
"""

from __future__ import annotations

import string
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from babel.numbers import format_currency
from django.utils import formats
from django.utils.translation import get_language, gettext, ngettext

from unisupport.domain.catalog import default_catalog
from unisupport.domain.errors import DomainError
from unisupport.domain.messages import Message
from unisupport.domain.money import Credits, Hours, Money, minor_units


def localized(text: str | DomainError) -> str:
    """Return ``text`` (or what went wrong in a domain error) in the active language."""
    if isinstance(text, DomainError):
        text = text.text
    if not isinstance(text, Message):
        return str(text)
    try:
        return _FORMATTER.format(gettext(text.template), **text.params)
    except (KeyError, IndexError, ValueError):
        # A translation whose fields do not match its template: the English, rather than nothing.
        return str(text)


def cited(error: DomainError) -> str:
    """Return what went wrong in the active language, led by the rule that decided it (``EVT-1: …``)."""
    rule = getattr(error, "rule", None)
    return f"{rule}: {localized(error)}" if rule else localized(error)


def translated(stored: str) -> str:
    """Return a stored English text that is a constant template of the domain (an RCA note, an
    exclusion's reason) in the active language; any other text unchanged."""
    return gettext(stored) if stored else stored


def written(value: object) -> str:
    """Return a quantity, a date or a number as the reader expects it (money "38 000,00 $US" in French)."""
    return _value(value)


def _value(value: object) -> str:
    """Return one parameter of a message as the reader expects it."""
    if isinstance(value, Message):
        return localized(value)
    if isinstance(value, Credits):
        count = int(value.amount) if value.amount == value.amount.to_integral_value() else 2
        return ngettext("{amount} credit", "{amount} credits", abs(count)).format(
            amount=_number(value.amount)
        )
    if isinstance(value, Hours):
        return f"{_number(value.amount)} h"
    if isinstance(value, Money):
        if (get_language() or "en").startswith("fr"):
            # French writes the currency's French sign after the amount: "50 000,00 $US", "45 000,00 €"
            # (CLDR, through Babel). English keeps the ISO code, as order files and invoices spell it.
            return format_currency(value.amount, value.currency, locale="fr_FR")
        amount = formats.number_format(
            value.amount, decimal_pos=minor_units(value.currency), force_grouping=True
        )
        return f"{amount} {value.currency}"
    if isinstance(value, datetime):
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, time):
        return formats.time_format(value, "TIME_FORMAT")
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool | Enum):
        return _number(value)
    return str(value)


def _number(value: Decimal | float | int) -> str:
    return formats.number_format(value)


class _Formatter(string.Formatter):
    """``str.format`` that writes each value for the reader; a field with a conversion (``!r``)
    keeps the domain's spelling, a format spec (``:g``) its digits with the reader's separator."""

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        value, used = super().get_field(field_name, args, kwargs)
        # A service named in a sentence reads as its name, not its code ("proactive-credits").
        if field_name == "service" and isinstance(value, str):
            value = service_name(value)
        return value, used

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        return value if conversion is None else _Verbatim(super().convert_field(value, conversion))

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, _Verbatim):
            return format(str(value), format_spec)
        if format_spec:
            text = format(value, format_spec)
            if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
                text = text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
            return text
        return _value(value)


def service_name(code: str) -> str:
    """Return the catalogue's name of service ``code`` in the active language (the code if unknown)."""
    service = default_catalog().services.get(code)
    if service is None:
        return code
    return service.name("fr" if (get_language() or "en").startswith("fr") else "en")


class _Verbatim(str):
    """A value already spelled by a conversion (``!r``): written as it is."""


_FORMATTER = _Formatter()
