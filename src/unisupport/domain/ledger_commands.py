"""Commands for the ledger: a caller's raw input read once into typed values, or refused naming the field.

The API, the CLI and the services that pay for a delivery each spell their input their own way;
they all build the same command with ``parse``, and the posting service receives typed values.
Whether the values are allowed (a positive quantity, whole units, a day in the term, a balance
that covers it) is the rules' to say, in the domain functions the service calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import to_decimal


def _text(value: object, field: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise InvalidInput(field, Message(gettext_noop("{field} is required"), field=field))
    return text


def number(value: object, *, field: str) -> Decimal:
    """Return ``value`` as a Decimal, else raise InvalidInput naming ``field``."""
    try:
        return to_decimal(value, field=field)
    except ValueError:
        raise InvalidInput(
            field, Message(gettext_noop("expected a number, got {value!r}"), value=value)
        ) from None


def _day(value: object, field: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(
            field, Message(gettext_noop("expected a date (YYYY-MM-DD), got {value!r}"), value=value)
        ) from None


@dataclass(frozen=True, slots=True)
class Redemption:
    """Proactive credits redeemed at a site for units of a service (CRD-1, CRD-2), in typed values."""

    order: str
    site: str
    service: str
    quantity: Decimal
    on: date | None = None  # the day of the redemption; the site's today when None
    delivery_on: date | None = None  # when the service is delivered (a CRD-3 approval must precede it)
    reason: str = ""

    @classmethod
    def parse(
        cls,
        *,
        order: object,
        site: object,
        service: object,
        quantity: object = 1,
        on: object = None,
        delivery_on: object = None,
        reason: object = "",
    ) -> Redemption:
        """Return the redemption ``order``/``site``/``service`` × ``quantity`` asks for, or raise InvalidInput."""
        return cls(
            order=_text(order, "order"),
            site=_text(site, "site").upper(),
            service=_text(service, "service"),
            quantity=number(quantity, field="quantity"),
            on=_day(on, "on"),
            delivery_on=_day(delivery_on, "delivery_on"),
            reason=str(reason or "").strip(),
        )


@dataclass(frozen=True, slots=True)
class Consumption:
    """Hours consumed from a site's block of a service (HRS-1, HRS-2), in typed values."""

    order: str
    site: str
    service: str
    hours: Decimal
    on: date | None = None  # the day of the work; the site's today when None
    reason: str = ""

    @classmethod
    def parse(
        cls,
        *,
        order: object,
        site: object,
        service: object,
        hours: object,
        on: object = None,
        reason: object = "",
    ) -> Consumption:
        """Return the consumption of ``hours`` the caller asks for, or raise InvalidInput naming the field."""
        return cls(
            order=_text(order, "order"),
            site=_text(site, "site").upper(),
            service=_text(service, "service"),
            hours=number(hours, field="hours"),
            on=_day(on, "on"),
            reason=str(reason or "").strip(),
        )
