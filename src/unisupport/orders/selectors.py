"""Reads for agreements and orders, always through the caller's scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from unisupport.accounts.scope import Scope, scoped
from unisupport.domain.findings import Verdict
from unisupport.domain.order_file import OrderDocument, read_order_file
from unisupport.orders.models import Agreement, Order, OrderLine, OrderVersion, Site

REQUEST_LEAD_DAYS = 60  # DEL-1; the policy file holds the same number for the domain


def stored_documents(*, agreements: Iterable[str]) -> list[OrderDocument]:
    """Return the current version of every stored order of ``agreements``, as order documents."""
    versions = OrderVersion.objects.filter(order__agreement__code__in=list(agreements)).select_related(
        "order"
    )
    documents: list[OrderDocument] = []
    for version in versions:
        if version.version != version.order.current_version:
            continue
        documents.extend(read_order_file(version.source_yaml, Verdict()))
    return documents


def agreements_for(scope: Scope) -> QuerySet[Agreement]:
    """Return the agreements ``scope`` may see."""
    return scoped(Agreement.objects.select_related("organisation"), scope)


def orders_for(scope: Scope) -> QuerySet[Order]:
    """Return the orders ``scope`` may see, with their agreement."""
    return scoped(Order.objects.select_related("agreement", "organisation"), scope)


def order_for(scope: Scope, *, number: str) -> Order:
    """Return the order ``number`` if ``scope`` sees it (Order.DoesNotExist otherwise: a 404)."""
    return orders_for(scope).get(number=number)


def version_of(order: Order, version: int | None = None) -> OrderVersion:
    """Return a version of ``order`` (the current one by default) with sites, lines and allocation."""
    lines = OrderLine.objects.select_related("service")
    sites = Site.objects.prefetch_related(Prefetch("lines", queryset=lines))
    return (
        OrderVersion.objects.select_related("order", "order__agreement")
        .prefetch_related(
            Prefetch("sites", queryset=sites),
            "allocation__assignments__service",
            "allocation__assignments__site",
        )
        .get(order=order, version=version or order.current_version)
    )


@dataclass(frozen=True, slots=True)
class Term:
    """Where an order stands in its term on a given day."""

    start: dt.date
    end: dt.date
    today: dt.date

    @property
    def days_remaining(self) -> int:
        """Return the days left until the end of the term (0 once it has ended)."""
        return max(0, (self.end - self.today).days)

    @property
    def request_deadline(self) -> dt.date:
        """Return the DEL-1 deadline: proactive requests are due 60 days before expiry."""
        return self.end - dt.timedelta(days=REQUEST_LEAD_DAYS)

    @property
    def past_request_deadline(self) -> bool:
        """Return True once requests are best effort only (DEL-1)."""
        return self.today > self.request_deadline

    @property
    def active(self) -> bool:
        """Return True while the order's term runs."""
        return self.start <= self.today <= self.end

    @property
    def elapsed_fraction(self) -> float:
        """Return how much of the term has elapsed, from 0 to 1."""
        total = (self.end - self.start).days or 1
        return min(1.0, max(0.0, (self.today - self.start).days / total))


def term_of(version: OrderVersion, *, today: dt.date) -> Term:
    """Return the term of ``version`` as seen on ``today``."""
    return Term(version.start, version.end, today)
