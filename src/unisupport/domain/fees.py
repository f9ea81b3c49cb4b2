"""Cancellation, rescheduling and request-deadline policy (DEL-1..DEL-4), on calendar dates.

Notice is counted in calendar days of the delivery site's *local* date: callers holding an
instant convert it with :func:`local_date` first. Nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import (
    CENT,
    Credits,
    Events,
    Hours,
    Money,
    Quantity,
    minor_units,
    plain,
    round_half_up,
)
from unisupport.domain.term import require_date

Cost: TypeAlias = Quantity  # whatever paid for the service

REQUEST_LEAD_DAYS = 60  # DEL-1 (the default of Policy.request_lead_days)
FULL_REFUND_DAYS = 14  # DEL-2: ≥ 14 calendar days before → no fee
HALF_FEE_DAYS = 6  # DEL-2: 6 to 13 → 50 %; ≤ 5 → 100 %
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class CancellationFee:
    """The fee kept and the refund returned for a cancelled or moved delivery; fee + refund == cost."""

    days_before: int | None  # None: not a customer's notice (DEL-4)
    fee_percent: int | None  # None: an amount the vendor set (DEL-3)
    fee: Cost
    refund: Cost
    rule: str = "DEL-2"
    reason: str = ""  # why, in English (a Message: the portal translates it)

    def as_dict(self) -> dict[str, object]:
        """Return the decision as the JSON object the CLI and API print."""
        return {
            "days_before": self.days_before,
            "fee_percent": self.fee_percent,
            "fee": cost_text(self.fee),
            "refund": cost_text(self.refund),
            "rule": self.rule,
        }


def cost_text(value: Cost) -> str:
    """Return ``value`` as the CLI and API write it: money to its minor unit, credits and hours plainly."""
    if isinstance(value, Money):
        return f"{value.amount:.{minor_units(value.currency)}f}"
    # Credits and hours as their account writes them: 25, 7.5 (not 25.00 read back from a column).
    return str(plain(value.amount))


def _unit(cost: Cost) -> Decimal:
    # Money to the cent, credits to whole credits (CRD-1), hours to the hundredth.
    return Decimal(1) if isinstance(cost, Credits | Events) else CENT


def _check_cost(cost: object) -> Cost:
    if not isinstance(cost, Money | Credits | Hours | Events):
        raise InvalidInput(
            "cost",
            Message(gettext_noop("expected Money, Credits or Hours, got {type}"), type=type(cost).__name__),
        )
    if cost.amount < 0:
        raise InvalidInput(
            "cost", Message(gettext_noop("must be zero or more, got {amount}"), amount=cost.amount)
        )
    if round_half_up(cost.amount, _unit(cost)) != cost.amount:
        raise InvalidInput(
            "cost",
            Message(gettext_noop("{cost} is finer than its unit ({unit})"), cost=cost, unit=_unit(cost)),
        )
    return cost


def _same_unit(a: Cost, b: object) -> bool:
    if isinstance(a, Money):
        return isinstance(b, Money) and a.currency == b.currency
    return type(a) is type(b)


def _minus(cost: Cost, part: Cost) -> Cost:
    # Spelled out per type so that a checker sees credits never meet money.
    if isinstance(cost, Money) and isinstance(part, Money):
        return cost - part
    if isinstance(cost, Credits) and isinstance(part, Credits):
        return cost - part
    if isinstance(cost, Hours) and isinstance(part, Hours):
        return cost - part
    raise TypeError(f"cannot subtract {type(part).__name__} from {type(cost).__name__}")


def _zero(cost: Cost) -> Cost:
    return Money.zero(cost.currency) if isinstance(cost, Money) else type(cost).zero()


def _part(cost: Cost, percent: int) -> Cost:
    amount = round_half_up(cost.amount * percent / _HUNDRED, _unit(cost))
    return Money(amount, cost.currency) if isinstance(cost, Money) else type(cost)(amount)


def local_date(instant: datetime, zone: str) -> date:
    """Return the calendar date of an aware ``instant`` in the IANA time zone ``zone``."""
    if not isinstance(instant, datetime) or instant.utcoffset() is None:
        raise InvalidInput(
            "at",
            Message(gettext_noop("expected a timezone-aware date and time, got {value!r}"), value=instant),
        )
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InvalidInput(
            "zone", Message(gettext_noop("unknown IANA time zone {zone!r}"), zone=zone)
        ) from None
    return instant.astimezone(tz).date()


def fee_percent(days_before: int) -> int:
    """Return the DEL-2 fee for ``days_before`` calendar days of notice: 0, 50 or 100 %."""
    if days_before >= FULL_REFUND_DAYS:
        return 0
    if days_before >= HALF_FEE_DAYS:
        return 50
    return 100  # 5 days or fewer, the delivery day itself and after it


def cancellation_fee(cost: Cost, *, delivery: date, on: date) -> CancellationFee:
    """Return the DEL-2 fee and refund for cancelling or changing on ``on`` a delivery due ``delivery``."""
    cost = _check_cost(cost)
    delivery = require_date(delivery, field="delivery")
    on = require_date(on, field="on")
    days = (delivery - on).days
    percent = fee_percent(days)
    fee = _part(cost, percent)
    return CancellationFee(
        days,
        percent,
        fee,
        _minus(cost, fee),
        "DEL-2",
        Message(
            gettext_noop("{days} calendar days before delivery: {percent} % fee"), days=days, percent=percent
        ),
    )


def reschedule_fee(
    cost: Cost, *, delivery: date, on: date, previous_reschedules: int, vendor_fee: Cost | None = None
) -> CancellationFee:
    """Return the fee for moving a delivery: the first move is free (DEL-3), later ones follow DEL-2.

    DEL-3 Reading: the first reschedule of a delivery is free whatever the notice; a later one
    costs ``vendor_fee`` when the vendor set one (rule DEL-3), else the DEL-2 fee (rule DEL-2).
    """
    cost = _check_cost(cost)
    delivery = require_date(delivery, field="delivery")
    on = require_date(on, field="on")
    if (
        isinstance(previous_reschedules, bool)
        or not isinstance(previous_reschedules, int)
        or previous_reschedules < 0
    ):
        raise InvalidInput(
            "previous_reschedules",
            Message(gettext_noop("expected a count ≥ 0, got {count!r}"), count=previous_reschedules),
        )
    days = (delivery - on).days
    if previous_reschedules == 0:
        return CancellationFee(
            days,
            0,
            _zero(cost),
            cost,
            "DEL-3",
            Message(gettext_noop("the first reschedule of a delivery is free")),
        )
    if vendor_fee is not None:
        if not _same_unit(cost, vendor_fee):
            raise InvalidInput(
                "vendor_fee",
                Message(
                    gettext_noop("expected the unit of the cost ({cost}), got {fee}"),
                    cost=cost,
                    fee=vendor_fee,
                ),
            )
        _check_cost(vendor_fee)
        if vendor_fee.amount > cost.amount:
            raise InvalidInput(
                "vendor_fee",
                Message(
                    gettext_noop("{fee} is more than the service's cost {cost}"), fee=vendor_fee, cost=cost
                ),
            )
        why = Message(
            gettext_noop("reschedule {count}: fee set by the vendor"), count=previous_reschedules + 1
        )
        return CancellationFee(days, None, vendor_fee, _minus(cost, vendor_fee), "DEL-3", why)
    decision = cancellation_fee(cost, delivery=delivery, on=on)
    why = Message(
        gettext_noop("reschedule {count} follows DEL-2 (DEL-3): {why}"),
        count=previous_reschedules + 1,
        why=decision.reason,
    )
    return CancellationFee(
        decision.days_before, decision.fee_percent, decision.fee, decision.refund, "DEL-2", why
    )


def vendor_cancellation(cost: Cost) -> CancellationFee:
    """Return the refund of everything when the vendor cancels, e.g. too few registrations (DEL-4)."""
    cost = _check_cost(cost)
    return CancellationFee(
        None,
        0,
        _zero(cost),
        cost,
        "DEL-4",
        Message(gettext_noop("cancelled by the vendor: everything is returned")),
    )


def request_deadline(order_end: date, *, lead_days: int = REQUEST_LEAD_DAYS) -> date:
    """Return the last day a proactive request is accepted in full: 60 days before expiry (DEL-1)."""
    # lead_days comes from Policy.request_lead_days where the caller has it (configuration).
    return require_date(order_end, field="order_end") - timedelta(days=lead_days)


def is_best_effort(submitted_on: date, *, order_end: date, lead_days: int = REQUEST_LEAD_DAYS) -> bool:
    """Return True when a request submitted on ``submitted_on`` is only best effort (DEL-1)."""
    deadline = request_deadline(order_end, lead_days=lead_days)
    return require_date(submitted_on, field="submitted_on") > deadline


def unscheduled_cancellation(cost: Cost) -> CancellationFee:
    """Return the refund of everything for a request cancelled before it was scheduled (DEL-2: no
    delivery date, so no notice to count; nothing is kept)."""
    cost = _check_cost(cost)
    return CancellationFee(
        None,
        0,
        _zero(cost),
        cost,
        "DEL-2",
        Message(gettext_noop("not scheduled yet: nothing is kept")),
    )


def customer_cancellation(cost: Cost, *, delivery: date | None, on: date) -> CancellationFee:
    """Return what the customer's cancellation on ``on`` keeps: DEL-2 by notice once the delivery is
    due on ``delivery``; nothing while it is not scheduled yet (None)."""
    if delivery is None:
        return unscheduled_cancellation(cost)
    return cancellation_fee(cost, delivery=delivery, on=on)


def free_until(delivery: date) -> date:
    """Return the last day a delivery due ``delivery`` can be cancelled or changed without fee (DEL-2)."""
    return require_date(delivery, field="delivery") - timedelta(days=FULL_REFUND_DAYS)
