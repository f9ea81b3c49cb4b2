"""What a delivery paid with the allocation or with money costs: the order's own price for it.

Product reading (issue 12 §1): a service paid with the flexible allocation (FLX-2) or billed in
money (CAT-1's purchasable "+") costs the unit price its order states for it at the delivering
site — a priced line's price over its quantity, in the order's currency — times the quantity
asked, to the cent, halves up. A service the order does not price (a custom proactive
engagement) costs the unit price the vendor quotes; without one it is not requested that way.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from unisupport.domain.catalog import Service
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Credits, Hours, Money, plain, to_decimal


def parse_price(value: object, *, field: str = "price") -> Decimal | None:
    """Return a quoted unit price as a positive Decimal (None when not given), else raise InvalidInput."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        price = to_decimal(value, field=field)
    except ValueError:
        raise InvalidInput(
            field, Message(gettext_noop("expected a number, got {value!r}"), value=value)
        ) from None
    if price <= 0:
        raise InvalidInput(field, Message(gettext_noop("must be positive, got {amount}"), amount=price))
    return price


def agreed_unit_price(lines: Iterable[tuple[Decimal, Decimal | None]], *, currency: str) -> Money | None:
    """Return the price of one unit the order agreed, from its priced lines' (quantity, price), or None."""
    quantity = price = Decimal(0)
    for line_quantity, line_price in lines:
        if line_price is not None and line_quantity > 0:
            quantity += line_quantity
            price += line_price
    return Money(price / quantity, currency) if quantity else None


def money_cost(
    *,
    service: str,
    site: str,
    quantity: Decimal,
    agreed: Money | None,
    quoted: Decimal | None,
    currency: str,
) -> Money:
    """Return what ``quantity`` of ``service`` costs in money: the quoted unit price if the vendor gave
    one, else the order's, to the cent; refused naming ``price`` when there is neither."""
    if quoted is not None:
        unit = Money(quoted, currency)
    elif agreed is not None:
        unit = agreed
    else:
        raise InvalidInput(
            "price",
            Message(
                gettext_noop(
                    "the order states no price for {service} at {site}: pay with credits or hours, "
                    "or ask the vendor to quote a unit price"
                ),
                service=service,
                site=site,
            ),
        )
    return unit.times(quantity).rounded()


def check_billable(service: Service) -> None:
    """Return None if ``service`` may be billed in money: a purchasable one (+ or +¹), else raise CAT-1."""
    if not service.is_addon:
        raise RuleViolation(
            "CAT-1",
            Message(
                gettext_noop("{service} is not sold on its own ({inclusion}): it is not billed in money"),
                service=service.code,
                inclusion=service.inclusion.value,
            ),
            field="pay",
        )


def paid(pay: str, amount: Decimal, unit: str) -> Credits | Hours | Money:
    """Return what a delivery's payment holds, typed: credits, hours, or money of ``unit``'s currency."""
    if pay == "credits":
        return Credits(plain(amount))  # as the account writes it: 25, not 25.00 read back from a column
    if pay == "hours":
        return Hours(plain(amount))
    return Money(amount, unit)
