"""Reads for agreements and orders, always through the caller's scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from unisupport.accounts.models import Organisation
from unisupport.accounts.scope import Scope, scoped
from unisupport.domain.contacts import ContactRole
from unisupport.domain.countries import default_timezone
from unisupport.domain.fees import request_deadline
from unisupport.domain.findings import Verdict
from unisupport.domain.lines import SERVING_STATUSES, ended_by_termination, in_force
from unisupport.domain.order_file import OrderDocument, read_order_file
from unisupport.domain.service_codes import FOUNDATIONAL
from unisupport.domain.sla import response_matrix
from unisupport.orders.models import (
    Agreement,
    AzureSubscription,
    EnrolledSubscription,
    EventCoverage,
    Order,
    OrderContact,
    OrderLine,
    OrderVersion,
    Site,
    SiteRole,
)
from unisupport.orders.policy import current_policy
from unisupport.plainsql import fetch, loaded


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


def term_of(version: OrderVersion, *, at: dt.datetime, timezone: str | None = None) -> Term:
    """Return the term of ``version`` as seen at ``at``, on the date of its host site (ORD-1) or of ``timezone``."""
    zone = ZoneInfo(timezone or default_timezone(version.host_country))
    return Term(version.start, version.end, at.astimezone(zone).date())


# ORD-8 (domain.lines.SERVING_STATUSES): a pending or refused line serves nothing.
LIVE_LINE_STATUSES = tuple(s.value for s in SERVING_STATUSES)


@dataclass(frozen=True, slots=True)
class Offerings:
    """What serves an incident at a site of an order at an instant."""

    codes: frozenset[str]
    site: Site
    event_window_open: bool


def offerings_at(*, order: Order, site_country: str, at: dt.datetime) -> Offerings:
    """Return the offerings active for ``order``'s site ``site_country`` at ``at`` (Site.DoesNotExist if none).

    ``site`` is loaded with its country and time zone only (the rest is deferred).
    """
    rows = fetch(_offerings_sql("id"), [*_offerings_params(site_country, at), order.pk], read=True)
    return _offerings(order, rows, site_country.upper(), at)


def order_and_offerings_for(
    scope: Scope, *, number: str, site_country: str, at: dt.datetime
) -> tuple[Order, Offerings]:
    """Return order ``number`` if ``scope`` sees it, and the offerings active at its site ``site_country`` at ``at``.

    Order.DoesNotExist (the order is not there, or not the caller's), then Site.DoesNotExist. One
    statement for opening an incident: the order comes with its agreement (code, termination) and
    organisation (name) only, their other columns deferred; ``site`` as in ``offerings_at``.
    """
    rows = fetch(_offerings_sql("number"), [*_offerings_params(site_country, at), number], read=True)
    if not rows:
        raise Order.DoesNotExist(f"no order {number!r}")
    first = rows[0]
    order = loaded(Order, ORDER_COLUMNS, first[:5])
    if not scope.sees(order.organisation_id):  # the scope's rule, as accounts.scope.scoped applies it
        raise Order.DoesNotExist(f"no order {number!r}")
    order.agreement = loaded(Agreement, ("id", "code", "terminated_on"), (order.agreement_id, *first[5:7]))
    order.organisation = loaded(Organisation, ("id", "name"), (order.organisation_id, first[7]))
    return order, _offerings(order, rows, site_country.upper(), at)


ORDER_COLUMNS = ("id", "organisation_id", "agreement_id", "number", "current_version")


def _offerings(order: Order, rows: list[tuple[Any, ...]], country: str, at: dt.datetime) -> Offerings:
    lines = [row[8:] for row in rows]
    site = next(
        (
            loaded(Site, ("id", "country", "timezone"), (site_id, site_code, timezone))
            for site_id, site_code, timezone, order_id, *_ in lines
            if order_id == order.pk and site_code == country
        ),
        None,
    )
    if site is None:
        raise Site.DoesNotExist(f"order {order.number} has no site in {country}")
    day = local_date(site, at)  # ORD-1: terms are judged on the site's own date
    codes: set[str] = set()
    matrix = response_matrix()
    agreement_wide = matrix.agreement_wide  # the response-target table's rows serve every site
    for _, site_code, _, order_id, service, start, end, status in lines:
        if service is None or not in_force(start=_date(start), end=_date(end), status=status, day=day):
            continue
        if (
            service == FOUNDATIONAL
            or service in agreement_wide
            or (order_id == order.pk and site_code == country)
        ):
            codes.add(service)
    if FOUNDATIONAL not in codes or ended_by_termination(
        terminated_on=order.agreement.terminated_on, day=day
    ):
        codes = set()  # ORD-2: add-ons end with the foundational services
    events = codes & matrix.event_offerings
    window = bool(events) and event_at(order=order, at=at) is not None
    return Offerings(frozenset(codes), site, window)


def local_date(site: Site, at: dt.datetime) -> dt.date:
    """Return the date at ``site`` at instant ``at`` (its own time zone, its country's by default)."""
    return at.astimezone(ZoneInfo(site.timezone or default_timezone(site.country))).date()


def _date(value: object) -> dt.date:
    # SQLite answers a date column of a raw statement as text.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _offerings_params(site_country: str, at: dt.datetime) -> list[object]:
    # The statement keeps the lines in force within a day of the UTC date (every site's own date
    # is within it); the site's date decides in Python (_offerings), once the site is known.
    utc = at.astimezone(dt.UTC).date()
    first, last = (connection.ops.adapt_datefield_value(utc + dt.timedelta(days=d)) for d in (-1, 1))
    return [site_country.upper(), last, first, *LIVE_LINE_STATUSES]


@cache
def _offerings_sql(key: str) -> str:
    # Every incident opened and every `sla due --order` asks this, so it is one plain statement
    # (plainsql; the ORM spent over a millisecond of Python building the three queries it
    # replaces): the order (by ``key``: id or number) with its agreement and organisation, its
    # site (whatever its dates: a site outside its term gets no offering, ORD-1) with its lines, and
    # the lines of the current version of every order of the agreement near that day (within a day
    # of it, active or accepted), each with its version's term and its status: whether it serves
    # is decided on the site's own date by domain.lines.in_force. A row of NULLs after the order's
    # columns when there is neither.
    q = connection.ops.quote_name
    site, version, order, line = (m._meta.db_table for m in (Site, OrderVersion, Order, OrderLine))
    agreement, organisation = Agreement._meta.db_table, Organisation._meta.db_table
    near = f"v.{q('start')} <= %s AND v.{q('end')} >= %s AND l.status IN (%s, %s)"
    return (
        f"SELECT {', '.join(f'o.{c}' for c in ORDER_COLUMNS)}, a.code, a.terminated_on, g.name, "
        f"s.id, s.country, s.timezone, v.order_id, l.service_id, v.{q('start')}, v.{q('end')}, l.status "
        f"FROM {order} o JOIN {agreement} a ON a.id = o.agreement_id "
        f"JOIN {organisation} g ON g.id = o.organisation_id "
        f"LEFT JOIN ({site} s JOIN {version} v ON v.id = s.order_version_id "
        f"JOIN {order} c ON c.id = v.order_id AND c.current_version = v.version "
        f"LEFT JOIN {line} l ON l.site_id = s.id) "
        f"ON c.agreement_id = o.agreement_id AND ((v.order_id = o.id AND s.country = %s) OR ({near})) "
        f"WHERE o.{q(key)} = %s"
    )


def event_at(*, order: Order, at: dt.datetime) -> EventCoverage | None:
    """Return the event of ``order``'s agreement whose coverage includes ``at`` (its local calendar day), if any."""
    # A cancelled booking covers nothing; one awaiting the vendor's approval (EVT-4) not yet either.
    booked = EventCoverage.objects.filter(
        order__agreement_id=order.agreement_id, cancelled_at__isnull=True, needs_vendor_approval=False
    )
    for event in booked:
        if at.astimezone(ZoneInfo(event.timezone)).date().isoformat() in event.days:
            return event
    return None


def has_active_subscription(organisation_id: int, *, on: dt.date) -> bool:
    """Return whether the organisation has an Azure subscription recorded as active on ``on`` (DEL-6)."""
    return (
        AzureSubscription.objects.filter(organisation_id=organisation_id, active_from__lte=on)
        .filter(Q(active_until__isnull=True) | Q(active_until__gte=on))
        .exists()
    )


def priced_lines(
    version: OrderVersion, *, site: str | None = None, service: str | None = None
) -> dict[tuple[str, str], list[tuple[Decimal, Decimal | None]]]:
    """Return the (quantity, price) of ``version``'s priced lines per (site country, service): what the
    order agreed a service costs (domain.delivery_prices.agreed_unit_price reads them)."""
    rows = OrderLine.objects.filter(site__order_version=version, price__isnull=False)
    if site is not None:
        rows = rows.filter(site__country=site)
    if service is not None:
        rows = rows.filter(service_id=service)
    found: dict[tuple[str, str], list[tuple[Decimal, Decimal | None]]] = {}
    for country, code, quantity, price in rows.values_list(
        "site__country", "service_id", "quantity", "price"
    ):
        found.setdefault((country, code), []).append((quantity, price))
    return found


def events_for(scope: Scope, *, order: str | None = None) -> QuerySet[EventCoverage]:
    """Return the event bookings ``scope`` sees, newest first, optionally of one order."""
    rows = scoped(EventCoverage.objects.select_related("order"), scope).order_by("-pk")
    return rows.filter(order__number=order) if order else rows


def enrolled_subscriptions(order: Order) -> frozenset[str]:
    """Return the subscription IDs enrolled on ``order`` (MCS-6), lower-cased; empty when none is recorded."""
    return frozenset(
        EnrolledSubscription.objects.filter(order=order).values_list("subscription_id", flat=True)
    )


def contacts_of(order: Order, *, active_only: bool = False) -> list[OrderContact]:
    """Return the contacts named on ``order`` (the active ones only if asked), by role and name."""
    rows = OrderContact.objects.filter(order=order)
    if active_only:
        rows = rows.filter(active=True)
    return list(rows.order_by("role", "name", "pk"))


def missing_administrator(order: Order) -> bool:
    """Return True when ``order`` names no active support services administrator (RSP-1)."""
    return not OrderContact.objects.filter(order=order, role=ContactRole.ADMIN, active=True).exists()


def host_zone(version: OrderVersion) -> str:
    """Return the time zone of ``version``'s host site (the agreement's host country's, without one)."""
    host = (
        Site.objects.filter(order_version=version, role=SiteRole.HOST)
        .values_list("timezone", flat=True)
        .first()
    )
    return host or default_timezone(version.host_country)
