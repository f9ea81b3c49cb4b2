"""What a posting knows of its order: the current version, term, sites and the agreement's
termination (ORD-2), cached per process.

A posting reads them once, outside its transaction; an amendment or a termination made meanwhile by
another process is caught under the account's lock (:func:`unisupport.ledger.locks.locked_account`
raises :class:`StaleOrder`) and :func:`retry_if_stale` starts the posting again with fresh facts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from django.db.models import F

from unisupport.domain import entries as dom
from unisupport.domain.errors import InvalidInput
from unisupport.domain.ledger import check_not_terminated
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.term import Term
from unisupport.orders.models import Order, OrderVersion, Site

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What a posting needs to know about an order: its current version, term, sites and the day its
    agreement's foundational package was terminated, if it was (ORD-2)."""

    order: Order
    version: OrderVersion
    term: Term
    sites: dict[str, Site]
    terminated_on: date | None = None

    @property
    def number(self) -> str:
        """Return the order number."""
        return self.order.number

    @property
    def host(self) -> str:
        """Return the country of the agreement's host site (MC-1)."""
        return self.version.host_country

    def site(self, country: object, *, field: str = "site") -> str:
        """Return ``country`` if the order has a site there, else raise InvalidInput naming ``field``."""
        code = str(country or "").strip().upper()
        if code not in self.sites:
            raise InvalidInput(
                field,
                Message(
                    gettext_noop("{order} has no site in {country!r} (sites: {sites})"),
                    order=self.number,
                    country=country,
                    sites=", ".join(self.sites),
                ),
            )
        return code

    def local_date(self, country: str, at: datetime) -> date:
        """Return the date at the site at instant ``at`` (its own time zone: a Tokyo morning is not yesterday)."""
        return dom.require_aware(at, field="at").astimezone(ZoneInfo(self.sites[country].timezone)).date()

    def within(self, day: date, *, field: str = "on") -> date:
        """Return ``day`` if it is in the order's term and a posting may be dated then (ORD-2), else raise
        InvalidInput (out of the term) or RuleViolation ORD-2, naming ``field``."""
        return self.open_on(self.term.require_within(day, field=field), field=field)

    def open_on(self, day: date, *, field: str = "on") -> date:
        """Return ``day`` unless the agreement was terminated before it: then raise RuleViolation ORD-2
        (every posting's date goes through here)."""
        return check_not_terminated(day, terminated_on=self.terminated_on, field=field)


def order_facts(*, number: object, field: str = "order", cached: bool = False) -> OrderFacts:
    """Return the facts of order ``number`` (InvalidInput naming ``field`` if there is none).

    ``cached``: from this process's cache when it has them. Only for a caller that then takes its
    account lock with :func:`locked_account`, which checks under the lock that the order's current
    version is still the cached one (an amendment makes a new version, ORD-9; versions and their
    sites are never edited) and raises :class:`StaleOrder` otherwise.
    """
    text = str(number or "").strip()
    if cached and (found := _facts.get(text)) is not None:
        return found
    # One query: the current version's sites, each with its version and order (every version has one).
    sites = list(
        Site.objects.select_related("order_version__order__agreement").filter(
            order_version__order__number=text,
            order_version__version=F("order_version__order__current_version"),
        )
    )
    if not sites:
        raise InvalidInput(field, Message(gettext_noop("no order {order!r}"), order=text))
    version = sites[0].order_version
    facts = OrderFacts(
        version.order,
        version,
        Term(version.start, version.end),
        {s.country: s for s in sites},
        version.order.agreement.terminated_on,
    )
    if len(_facts) >= _FACTS_KEPT:
        _facts.clear()  # a crude bound; refilling costs one query an order
    _facts[text] = facts
    return facts


# Facts of the orders this process posted to lately. Cleared by this process's own saves of an order,
# version, site or agreement (signals in apps.py); another process's amendment or termination is
# caught under the lock.
_facts: dict[str, OrderFacts] = {}
_FACTS_KEPT = 10_000


def forget_orders(**_: object) -> None:
    """Drop this process's cached order facts (called when an order, version, site or agreement is saved)."""
    _facts.clear()


class StaleOrder(Exception):
    """The order was amended, or its agreement terminated, since its facts were cached: start the posting again."""


def retry_if_stale(post: Callable[P, R]) -> Callable[P, R]:
    """Return ``post`` run again once, with fresh facts, if it met an amended order (StaleOrder)."""

    @functools.wraps(post)
    def posting(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return post(*args, **kwargs)
        except StaleOrder:  # the transaction has rolled back; nothing was written
            forget_orders()
            return post(*args, **kwargs)

    return posting
