"""Reads for agreements and orders, always through the caller's scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import F, Prefetch, QuerySet

from unisupport.accounts.scope import Scope, scoped
from unisupport.domain.fees import request_deadline
from unisupport.domain.findings import Verdict
from unisupport.domain.order_file import OrderDocument, read_order_file
from unisupport.orders.models import Agreement, EventCoverage, Order, OrderLine, OrderVersion, Site
from unisupport.orders.policy import current_policy


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
        """Return the DEL-1 deadline: proactive requests are due the policy's lead time (60 days) before expiry."""
        return request_deadline(self.end, lead_days=current_policy().request_lead_days)

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


# Offerings with a row in the response-target table (RULES.md §8): they serve incidents from
# every site of the agreement (UER is delivered remotely to host and downstream sites, MC-10;
# the MCS offerings cover enrolled subscriptions and tenants, not a site), so they count
# wherever on the agreement they were bought. Other services count only at their own site.
AGREEMENT_WIDE = frozenset(
    {
        "unified-enhanced-response",
        "mcs-azure-platform",
        "mcs-azure-platform-plus",
        "mcs-azure-events",
        "mcs-azure-events-plus",
        "mcs-security-cloud",
        "azure-rapid-response",
    }
)
LIVE_LINE_STATUSES = ("active", "accepted")  # ORD-8: a pending or refused line serves nothing


@dataclass(frozen=True, slots=True)
class Offerings:
    """What serves an incident at a site of an order at an instant."""

    codes: frozenset[str]
    site: Site
    event_window_open: bool


def offerings_at(*, order: Order, site_country: str, at: dt.datetime) -> Offerings:
    """Return the offerings active for ``order``'s site ``site_country`` at ``at`` (Site.DoesNotExist if none)."""
    site = Site.objects.get(
        order_version__order=order, order_version__version=order.current_version, country=site_country.upper()
    )
    day = at.astimezone(dt.UTC).date()
    # One query: the live lines of the current version of every order of the agreement in force that day.
    lines = OrderLine.objects.filter(
        site__order_version__order__agreement_id=order.agreement_id,
        site__order_version__version=F("site__order_version__order__current_version"),
        site__order_version__start__lte=day,
        site__order_version__end__gte=day,
        status__in=LIVE_LINE_STATUSES,
    ).values_list("service_id", "site__country", "site__order_version__order_id")
    codes: set[str] = set()
    for service, country, order_id in lines:
        agreement_wide = service == "foundational" or service in AGREEMENT_WIDE
        if agreement_wide or (order_id == order.pk and country == site.country):
            codes.add(service)
    terminated = order.agreement.terminated_on
    if "foundational" not in codes or (terminated is not None and day > terminated):
        codes = set()  # ORD-2: add-ons end with the foundational services
    events = codes & {"mcs-azure-events", "mcs-azure-events-plus"}
    window = bool(events) and event_at(order=order, at=at) is not None
    return Offerings(frozenset(codes), site, window)


def event_at(*, order: Order, at: dt.datetime) -> EventCoverage | None:
    """Return the event of ``order``'s agreement whose coverage includes ``at`` (its local calendar day), if any."""
    for event in EventCoverage.objects.filter(order__agreement_id=order.agreement_id):
        if at.astimezone(ZoneInfo(event.timezone)).date().isoformat() in event.days:
            return event
    return None
