"""The planner: proposals that spend what an order would otherwise forfeit: credits and hours at its
term's end (ORD-5), the allocation assigned to a service at its contract year's end (FLX-2).

Pure: given what is left on each account, what each service costs at each site, the engineers (their
skills and the days they are already taken) and the site's business days, it proposes deliveries —
a service, a quantity, a day, an engineer, a cost — earliest expiry first, the largest service
that still fits first (fewest deliveries), each on the earliest day an engineer who delivers it is
free. It proposes; a person requests (DEL-1: a request after its deadline is best effort).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from unisupport.domain.money import plain, round_half_up

# An hour block is proposed in days of delivery of at most this many hours.
HOURS_A_DAY = Decimal(8)


@dataclass(frozen=True, slots=True)
class Leftover:
    """What an account still holds on its last day of use: credits of a site, hours of a service, or
    the allocation assigned to a service (money of the order's currency)."""

    site: str
    unit: str  # "credits", "hours", or the allocation's currency (ISO 4217)
    amount: Decimal
    expires_on: date
    service: str | None = None  # the hour block's or the allocation's service
    unit_price: Decimal | None = None  # the allocation's: the order's price of one unit of its service


@dataclass(frozen=True, slots=True)
class Price:
    """What one unit of a service costs at a site, in credits (the rate card in force, CRD-1)."""

    site: str
    service: str
    credits: Decimal


@dataclass(slots=True)
class Engineer:
    """A delivery engineer: the services they deliver, their site, and the days already taken."""

    name: str
    site: str
    skills: frozenset[str]
    taken: set[date] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Proposal:
    """A delivery the planner proposes."""

    site: str
    service: str
    quantity: Decimal
    cost: Decimal
    unit: str
    on: date
    engineer: str
    best_effort: bool

    def as_dict(self) -> dict[str, object]:
        """Return the proposal as the CLI and the API print it."""
        return {
            "site": self.site,
            "service": self.service,
            "quantity": str(plain(self.quantity)),
            "cost": str(plain(self.cost)),
            "unit": self.unit,
            "on": self.on.isoformat(),
            "engineer": self.engineer,
            "best_effort": self.best_effort,
        }


def plan(
    *,
    leftovers: Iterable[Leftover],
    prices: Iterable[Price],
    engineers: Sequence[Engineer],
    today: date,
    deadline: date,
    is_business_day: Callable[[str, date], bool],
) -> tuple[list[Proposal], list[Leftover]]:
    """Return the proposed deliveries and what would still expire after them.

    ``deadline`` is DEL-1's (a proposal made after it is best effort); ``is_business_day(site, day)``
    answers from the site's calendar. Days run from the day after ``today`` to each leftover's
    last day.
    """
    by_site: dict[str, list[Price]] = {}
    for price in prices:
        if price.credits > 0:
            by_site.setdefault(price.site, []).append(price)
    for offers in by_site.values():
        offers.sort(key=lambda p: (-p.credits, p.service))
    best_effort = today > deadline
    proposals: list[Proposal] = []
    left: list[Leftover] = []
    for lot in sorted(leftovers, key=lambda lot: (lot.expires_on, lot.site, lot.unit, lot.service or "")):
        remaining = lot.amount
        days = _days(today, lot.expires_on, lot.site, is_business_day)
        if lot.unit not in ("credits", "hours"):
            remaining = _spend_allocation(lot, engineers, days, best_effort, proposals)
        elif lot.unit == "hours" and lot.service:
            while remaining > 0:
                slot = _slot(engineers, lot.site, lot.service, days)
                if slot is None:
                    break
                chunk = min(remaining, HOURS_A_DAY)
                proposals.append(
                    Proposal(lot.site, lot.service, chunk, chunk, "hours", slot[0], slot[1], best_effort)
                )
                remaining -= chunk
        else:
            for price in by_site.get(lot.site, []):
                cost = round_half_up(price.credits)
                while cost <= remaining:
                    slot = _slot(engineers, lot.site, price.service, days)
                    if slot is None:
                        break
                    proposals.append(
                        Proposal(
                            lot.site,
                            price.service,
                            Decimal(1),
                            cost,
                            "credits",
                            slot[0],
                            slot[1],
                            best_effort,
                        )
                    )
                    remaining -= cost
        if remaining > 0:
            left.append(Leftover(lot.site, lot.unit, remaining, lot.expires_on, lot.service, lot.unit_price))
    proposals.sort(key=lambda p: (p.on, p.site, p.service, p.engineer))
    return proposals, left


def _spend_allocation(
    lot: Leftover, engineers: Sequence[Engineer], days: list[date], best_effort: bool, into: list[Proposal]
) -> Decimal:
    """Return what is left of an allocation lot once deliveries of its service, one unit at the order's
    price each, are proposed into ``into``; nothing is proposed without a service or a price."""
    remaining = lot.amount
    if not lot.service or not lot.unit_price or lot.unit_price <= 0:
        return remaining
    cost = round_half_up(lot.unit_price, Decimal("0.01"))
    while cost <= remaining:
        slot = _slot(engineers, lot.site, lot.service, days)
        if slot is None:
            break
        into.append(
            Proposal(lot.site, lot.service, Decimal(1), cost, lot.unit, slot[0], slot[1], best_effort)
        )
        remaining -= cost
    return remaining


def _days(today: date, last: date, site: str, is_business_day: Callable[[str, date], bool]) -> list[date]:
    count = (last - today).days
    return [d for d in (today + timedelta(days=n) for n in range(1, count + 1)) if is_business_day(site, d)]


def _slot(
    engineers: Sequence[Engineer], site: str, service: str, days: list[date]
) -> tuple[date, str] | None:
    """Return the earliest (day, engineer) free for ``service`` at ``site``, booking it; None if none is."""
    able = [e for e in engineers if service in e.skills and e.site == site]
    for day in days:
        for engineer in able:
            if day not in engineer.taken:
                engineer.taken.add(day)
                return day, engineer.name
    return None
