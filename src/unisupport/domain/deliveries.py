"""Proactive deliveries: their states, how they are paid, and the rules a request and a date must keep.

A delivery request is paid from the entitlements when it is made (a reservation: the debit that
pays for it is posted at once, so two requests never spend the same credits); cancelling it
refunds what DEL-2/DEL-3/DEL-4 leave (domain/fees.py decides the fee). What follows is pure: the
states and their transitions, the DEL-1 flag, the day a delivery may be scheduled on, and DEL-8's
languages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from unisupport.domain.calendar import BusinessCalendar
from unisupport.domain.delivery_prices import parse_price
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.incident_commands import parse_choice
from unisupport.domain.ledger_commands import Redemption
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.term import Term


class DeliveryState(StrEnum):
    """Where a delivery request stands."""

    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUSED = "refused"  # by the vendor, citing the rule; everything paid is returned


class Payment(StrEnum):
    """What pays for a delivery (DEL-2 Product rule: a fee goes back to the same account)."""

    CREDITS = "credits"  # the site's proactive credits at the rate card in force (CRD-1)
    HOURS = "hours"  # a block of hours of that service (HRS-1)
    ALLOCATION = "allocation"  # the flexible allocation assigned to that service at the site (FLX-2, FLX-5)
    MONEY = "money"  # billed at the service's price on the order: a purchasable service (CAT-1)


class CancelledBy(StrEnum):
    """Who cancels: the customer pays DEL-2's fee; the vendor returns everything (DEL-4)."""

    CUSTOMER = "customer"
    VENDOR = "vendor"


# Which state may follow which. A scheduled delivery is moved by a reschedule (it stays scheduled).
TRANSITIONS: dict[DeliveryState, frozenset[DeliveryState]] = {
    DeliveryState.REQUESTED: frozenset(
        {DeliveryState.SCHEDULED, DeliveryState.CANCELLED, DeliveryState.REFUSED}
    ),
    DeliveryState.SCHEDULED: frozenset(
        {DeliveryState.SCHEDULED, DeliveryState.DELIVERED, DeliveryState.CANCELLED}
    ),
    DeliveryState.DELIVERED: frozenset(),
    DeliveryState.CANCELLED: frozenset(),
    DeliveryState.REFUSED: frozenset(),
}


def check_transition(current: DeliveryState, target: DeliveryState) -> None:
    """Return None if a delivery ``current`` may become ``target``, else raise InvalidInput naming ``state``."""
    if target not in TRANSITIONS[current]:
        raise InvalidInput(
            "state",
            Message(
                gettext_noop("a {current} delivery cannot become {target}"),
                current=current.value,
                target=target.value,
            ),
        )


def check_delivery_day(day: date, *, term: Term, calendar: BusinessCalendar) -> date:
    """Return ``day`` if a delivery may take place then: within the order's term (ORD-1) and on a
    business day of the delivering site (its calendar: weekends, public holidays, closures).
    """
    if not term.start <= day <= term.end:
        raise RuleViolation(
            "ORD-1",
            Message(
                gettext_noop("{day} is outside the order's term ({start} to {end})"),
                day=day,
                start=term.start,
                end=term.end,
            ),
            field="on",
        )
    if not is_business_day(day, calendar):
        raise RuleViolation(
            "SEV-7",
            Message(
                gettext_noop("{day} is not a business day at the delivering site ({country})"),
                day=day,
                country=calendar.country,
            ),
            field="on",
        )
    return day


def is_business_day(day: date, calendar: BusinessCalendar) -> bool:
    """Return whether the site is open at some time on its local date ``day``."""
    start = datetime.combine(day, time(0), tzinfo=calendar.zone)
    return calendar.business_time_between(start, start + timedelta(days=1)) > timedelta(0)


def check_language(language: str, *, site_languages: Iterable[str], agreed: Iterable[str] = ()) -> str:
    """Return ``language`` if the delivering site may deliver in it: its own languages or English,
    unless the order agreed another in writing (DEL-8); else raise RuleViolation DEL-8."""
    code = str(language or "").strip().lower()
    allowed = {"en", *(lang.lower() for lang in site_languages), *(lang.lower() for lang in agreed)}
    if code not in allowed:
        raise RuleViolation(
            "DEL-8",
            Message(
                gettext_noop(
                    "services are delivered in the delivering site's language or in English ({languages}), "
                    "not in {language}, unless agreed otherwise in writing"
                ),
                languages=", ".join(sorted(allowed)),
                language=code,
            ),
            field="language",
        )
    return code


@dataclass(frozen=True, slots=True)
class DeliveryRequest:
    """A request for a proactive service on an order's site, in typed values (DEL-1, DEL-5, DEL-8)."""

    order: str
    site: str
    service: str
    quantity: Decimal
    pay: Payment
    on_site: bool = False
    language: str | None = None  # None: the delivering site's language (DEL-8)
    # A unit price in the order's currency, quoted by the vendor, for a service paid with the
    # allocation or money that the order does not price (a custom proactive engagement).
    price: Decimal | None = None

    @classmethod
    def parse(
        cls,
        *,
        order: object,
        site: object,
        service: object,
        quantity: object = 1,
        pay: object = Payment.CREDITS.value,
        on_site: bool = False,
        language: object = None,
        price: object = None,
    ) -> DeliveryRequest:
        """Return the request the caller's input describes, or raise InvalidInput naming the field."""
        redemption = Redemption.parse(order=order, site=site, service=service, quantity=quantity)
        return cls(
            order=redemption.order,
            site=redemption.site,
            service=redemption.service,
            quantity=redemption.quantity,
            pay=parse_choice(Payment, pay, "pay"),
            on_site=bool(on_site),
            language=str(language).strip().lower() if language else None,
            price=parse_price(price),
        )


@dataclass(frozen=True, slots=True)
class Booking:
    """When an engineer is taken: an instant range, or a whole local day when no start time was set."""

    day: date
    start: datetime | None = None  # aware
    end: datetime | None = None

    def overlaps(self, other: Booking) -> bool:
        """Return whether the two bookings share a moment (a whole-day booking takes its whole day)."""
        if self.start is None or other.start is None or self.end is None or other.end is None:
            return self.day == other.day
        return self.start < other.end and other.start < self.end


def booking(day: date, *, start: time | None, hours: Decimal | None, zone: str) -> Booking:
    """Return the booking of a delivery on the site's ``day`` from ``start`` (local) for ``hours``."""
    if start is None:
        return Booking(day)
    begins = datetime.combine(day, start, tzinfo=ZoneInfo(zone))
    return Booking(day, begins, begins + timedelta(hours=float(hours or 1)))


def check_engineer(
    *,
    name: str,
    skills: Iterable[str],
    languages: Iterable[str],
    service: str,
    language: str,
    wanted: Booking,
    booked: Iterable[Booking],
) -> None:
    """Return None if the engineer ``name`` can deliver ``service`` in ``language`` then, else refuse:
    without the service in their skills or with another booking at that time (DEL-4: scheduling
    depends on resource availability), or without the delivery's language (DEL-8)."""
    if service not in set(skills):
        raise RuleViolation(
            "DEL-4",
            Message(gettext_noop("{engineer} does not deliver {service}"), engineer=name, service=service),
            field="engineer",
        )
    if language not in {lang.lower() for lang in languages}:
        raise RuleViolation(
            "DEL-8",
            Message(
                gettext_noop("{engineer} does not deliver in {language}"), engineer=name, language=language
            ),
            field="engineer",
        )
    if any(wanted.overlaps(other) for other in booked):
        raise RuleViolation(
            "DEL-4",
            Message(gettext_noop("{engineer} is already booked on {day}"), engineer=name, day=wanted.day),
            field="engineer",
        )


def bills_travel(*, on_site: bool, prepaid_on_site: bool) -> bool:
    """Return whether a delivery bills travel and living expenses on top (DEL-5): delivered on site
    without being sold (or prepaid) as on-site. Remote is the default and bills nothing."""
    return on_site and not prepaid_on_site


def check_registration(
    *,
    unit: str,
    paid_participants: int,
    registered: int,
    consents_recording: bool,
    consents_name_visible: bool,
) -> None:
    """Return None if a participant may register for a workshop, else refuse (DEL-7).

    Only a workshop bought per participant takes registrations, up to the participants paid for;
    a participant who joins consents to being recorded and to their name being seen by the others.
    """
    if unit != "participant":
        raise InvalidInput(
            "delivery", Message(gettext_noop("only a workshop bought per participant takes registrations"))
        )
    if not (consents_recording and consents_name_visible):
        raise RuleViolation(
            "DEL-7",
            Message(
                gettext_noop(
                    "a participant consents to the recording and to their name being seen by the other participants"
                )
            ),
            field="consent",
        )
    if registered >= paid_participants:
        raise RuleViolation(
            "DEL-7",
            Message(
                gettext_noop("the workshop is full: {paid} participants were paid for"),
                paid=paid_participants,
            ),
            field="delivery",
        )
