"""Workshops below their minimum and on-demand assessments' limits (DEL-4, DEL-6).

DEL-4: a workshop can be cancelled by the vendor when the minimum number of registrations is not
reached; the product reads "by the registration deadline the vendor set" (*Reading*). DEL-6: the
vendor assists an on-demand assessment's initial setup for up to 2 hours; an extra analysis
resource (on site up to 2 days, remote up to 1 day) is a separate paid line, never used during
those setup hours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.messages import Message, gettext_noop

SETUP_HOURS = Decimal(2)  # DEL-6
RESOURCE_DAYS = {True: Decimal(2), False: Decimal(1)}  # DEL-6: on site, remote
ON_DEMAND_ASSESSMENT = "on-demand-assessment"


def check_terms(
    *, minimum: int | None, capacity: int | None, deadline: date | None, delivery_on: date | None
) -> None:
    """Return None if a workshop's minimum, capacity and registration deadline make sense, else raise."""
    if minimum is not None and minimum < 1:
        raise InvalidInput("minimum", Message(gettext_noop("must be 1 or more, got {value}"), value=minimum))
    if capacity is not None and capacity < 1:
        raise InvalidInput(
            "capacity", Message(gettext_noop("must be 1 or more, got {value}"), value=capacity)
        )
    if minimum is not None and capacity is not None and minimum > capacity:
        raise InvalidInput(
            "minimum",
            Message(
                gettext_noop("the minimum ({minimum}) exceeds the capacity ({capacity})"),
                minimum=minimum,
                capacity=capacity,
            ),
        )
    if (minimum is None) != (deadline is None):
        raise InvalidInput(
            "deadline", Message(gettext_noop("a minimum of registrations goes with its deadline, and back"))
        )
    if deadline is not None and delivery_on is not None and deadline > delivery_on:
        raise InvalidInput(
            "deadline",
            Message(
                gettext_noop("the deadline ({deadline}) is after the delivery ({on})"),
                deadline=deadline,
                on=delivery_on,
            ),
        )


def check_below_minimum(*, minimum: int | None, deadline: date | None, registered: int, today: date) -> None:
    """Return None if the vendor may cancel a workshop for too few registrations (DEL-4), else refuse:
    no minimum was set, its deadline has not passed, or the minimum was reached."""
    if minimum is None or deadline is None:
        raise RuleViolation(
            "DEL-4",
            Message(gettext_noop("no minimum of registrations was set for this workshop")),
            field="delivery",
        )
    if today <= deadline:
        raise RuleViolation(
            "DEL-4",
            Message(
                gettext_noop("registrations are open until {deadline}: {registered} of {minimum} so far"),
                deadline=deadline,
                registered=registered,
                minimum=minimum,
            ),
            field="delivery",
        )
    if registered >= minimum:
        raise RuleViolation(
            "DEL-4",
            Message(
                gettext_noop("the minimum was reached: {registered} registered, {minimum} needed"),
                registered=registered,
                minimum=minimum,
            ),
            field="delivery",
        )


@dataclass(frozen=True, slots=True)
class Window:
    """A stretch of time (aware instants, end excluded)."""

    start: datetime
    end: datetime

    def overlaps(self, other: Window) -> bool:
        """Return whether the two windows share a moment."""
        return self.start < other.end and other.start < self.end


def check_setup(*, hours: Decimal, used: Decimal) -> None:
    """Return None if ``hours`` more of setup assistance stay within DEL-6's 2 hours, else refuse."""
    if hours <= 0:
        raise InvalidInput("hours", Message(gettext_noop("must be positive, got {amount}"), amount=hours))
    if used + hours > SETUP_HOURS:
        raise RuleViolation(
            "DEL-6",
            Message(
                gettext_noop(
                    "the initial setup assistance is at most {limit} hours: {used} used, {hours} more asked"
                ),
                limit=SETUP_HOURS,
                used=used,
                hours=hours,
            ),
            field="hours",
        )


def resource_window(*, start: datetime, days: Decimal, on_site: bool) -> Window:
    """Return the window of an extra analysis resource, refused beyond DEL-6's days (2 on site, 1 remote)."""
    limit = RESOURCE_DAYS[on_site]
    if days <= 0:
        raise InvalidInput("days", Message(gettext_noop("must be positive, got {amount}"), amount=days))
    if days > limit:
        raise RuleViolation(
            "DEL-6",
            Message(
                gettext_noop("an {where} analysis resource is at most {limit} day(s), {days} asked"),
                where="on-site" if on_site else "remote",
                limit=limit,
                days=days,
            ),
            field="days",
        )
    return Window(start, start + timedelta(days=float(days)))


def check_apart_from_setup(resource: Window, setups: Iterable[Window]) -> None:
    """Return None if the resource is not used during the setup hours (DEL-6), else refuse."""
    for setup in setups:
        if resource.overlaps(setup):
            raise RuleViolation(
                "DEL-6",
                Message(
                    gettext_noop(
                        "the analysis resource cannot be used during the initial setup hours ({start} to {end})"
                    ),
                    start=setup.start.isoformat(timespec="minutes"),
                    end=setup.end.isoformat(timespec="minutes"),
                ),
                field="start",
            )


def check_subscription(*, active: Callable[[], bool], service: str) -> None:
    """Return None unless ``service`` is an on-demand assessment and no Azure subscription is
    ``active()`` (DEL-6; asked only for that service)."""
    if service == ON_DEMAND_ASSESSMENT and not active():
        raise RuleViolation(
            "DEL-6",
            Message(
                gettext_noop(
                    "an on-demand assessment needs an active Azure subscription recorded for the customer"
                )
            ),
            field="service",
        )
