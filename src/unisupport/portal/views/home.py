"""A customer's home: open incidents with their time left, what is left across all sites, what
expires when, upcoming deliveries and recent activity — on one page, whatever the number of
agreements, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from unisupport import clock
from unisupport.accounts.scope import Scope, scoped
from unisupport.deliveries.models import STATES, DeliveryState
from unisupport.deliveries.selectors import deliveries_for
from unisupport.domain.money import Money
from unisupport.incidents.models import TimelineEvent
from unisupport.incidents.selectors import incidents_for
from unisupport.ledger.models import AccountKind, LedgerEntry
from unisupport.ledger.presenters import reason_text, typed
from unisupport.ledger.selectors import Left, entitlements_left
from unisupport.orders.models import OrderVersion
from unisupport.orders.selectors import agreements_for, term_of
from unisupport.portal.incident_labels import EVENT_LABELS, SEVERITY_LABELS, STATE_LABELS
from unisupport.portal.views.incidents import response_clock

LIST_SIZE = 10  # open incidents, deliveries and activity shown; each list links to the whole of it
DELIVERY_STATES = dict(STATES)


def _usd(amount: Decimal, version: OrderVersion | None) -> Money | None:
    """Return ``amount`` of the order's currency in US dollars (its usd_rate: units per USD), or None
    when the order has no rate."""
    if version is None:
        return None
    if version.currency == "USD":
        return Money(amount, "USD")
    if not version.usd_rate:
        return None
    return Money((amount / version.usd_rate).quantize(Decimal("0.01"), ROUND_HALF_UP), "USD")


def _left(rows: list[Left], versions: dict[str, OrderVersion]) -> dict[str, object]:
    """Return the totals across sites (credits, hours, events; the allocation per currency and in
    USD) and the same per site."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    usd_total: Decimal | None = Decimal(0)
    sites: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        currency = row.currency if row.kind == AccountKind.ALLOCATION else ""
        totals[(row.kind, currency)] += row.amount
        usd = _usd(row.amount, versions.get(row.order)) if row.kind == AccountKind.ALLOCATION else None
        if row.kind == AccountKind.ALLOCATION:
            usd_total = None if usd is None or usd_total is None else usd_total + usd.amount
        sites[(row.order, row.site)].append(
            {"kind": row.kind, "left": typed(row.kind, row.amount, row.currency), "usd": usd}
        )
    order: list[str] = [AccountKind.CREDITS, AccountKind.HOURS, AccountKind.ALLOCATION, AccountKind.EVENTS]
    labels = dict(AccountKind.choices)
    total_rows = [
        {"kind": kind, "label": labels[kind], "left": typed(kind, amount, currency)}
        for (kind, currency), amount in sorted(totals.items(), key=lambda item: order.index(item[0][0]))
    ]
    has_allocation = any(kind == AccountKind.ALLOCATION for kind, _ in totals)

    def rank(account: dict[str, object]) -> int:
        return order.index(str(account["kind"]))

    per_site: list[dict[str, object]] = [
        {"order": o, "site": s, "accounts": sorted(accounts, key=rank)}
        for (o, s), accounts in sorted(sites.items(), key=lambda item: item[0])
    ]
    return {
        "totals": total_rows,
        "allocation_usd": Money(usd_total, "USD") if has_allocation and usd_total is not None else None,
        "sites": per_site,
        "labels": labels,
    }


def _activity(scope: Scope) -> list[dict[str, object]]:
    """Return the organisation's latest happenings: incident events, ledger entries and delivery
    requests, newest first (three bounded queries, whatever the history's length)."""
    rows: list[dict[str, object]] = [
        {"at": e.at, "url": f"/incidents/{e.incident_id}/", "what": f"#{e.incident_id} {e.incident.title}",
         "label": EVENT_LABELS.get(e.kind, e.kind), "rule": e.rule}
        for e in TimelineEvent.objects.filter(organisation_id__in=scope.organisation_ids)
        .select_related("incident").order_by("-at", "-pk")[:LIST_SIZE]
    ]  # fmt: skip
    rows += [
        {"at": e.posted_at, "url": f"/orders/{e.order.number}/consumption/?site={e.account.site}",
         "what": f"{e.order.number}", "label": reason_text(e), "rule": e.rule}
        for e in scoped(LedgerEntry.objects.select_related("order", "account"), scope).order_by("-serial")[:LIST_SIZE]
    ]  # fmt: skip
    rows += [
        {"at": d.requested_at, "url": f"/deliveries/{d.pk}/", "what": f"D-{d.pk}",
         "label": DELIVERY_STATES.get(d.state, d.state), "rule": ""}
        for d in deliveries_for(scope)[:LIST_SIZE]
    ]  # fmt: skip
    return sorted(rows, key=lambda r: r["at"], reverse=True)[:LIST_SIZE]  # type: ignore[arg-type, return-value]


def customer_home(request: HttpRequest, scope: Scope) -> HttpResponse:
    """Return a customer's home page."""
    at = clock.now()
    agreements = list(agreements_for(scope).order_by("code"))
    versions = {
        v.order.number: v
        for v in OrderVersion.objects.filter(
            order__agreement__in=agreements, version=F("order__current_version")
        ).select_related("order", "order__agreement")
    }
    orders = []
    for number, version in sorted(versions.items()):
        term = term_of(version, at=at)
        orders.append(
            {
                "number": number,
                "agreement": version.order.agreement.code,
                "end": term.end,
                "deadline": term.request_deadline,
                "past_deadline": term.past_request_deadline,
                "ended": term.today > term.end,
                "days_left": (term.end - term.today).days,
            }
        )
    open_incidents = list(
        incidents_for(scope)
        .exclude(state="closed")
        .select_related("order")
        .order_by(F("response_due_at").asc(nulls_last=True), "pk")[: LIST_SIZE + 1]
    )
    upcoming = list(
        deliveries_for(scope, states=[DeliveryState.REQUESTED.value, DeliveryState.SCHEDULED.value])
        .select_related("service")
        .order_by(F("scheduled_on").asc(nulls_last=True), "requested_at")[:LIST_SIZE]
    )
    activity = _activity(scope)
    return render(
        request,
        "portal/customer_home.html",
        {
            "agreements": agreements,
            "orders": orders,
            "incidents": [
                {
                    "incident": i,
                    "clock": response_clock(i, at),
                    "severity": SEVERITY_LABELS.get(i.severity, i.severity),
                    "state": STATE_LABELS.get(i.state, i.state),
                }
                for i in open_incidents[:LIST_SIZE]
            ],
            "more_incidents": len(open_incidents) > LIST_SIZE,
            "left": _left(entitlements_left(scope), versions),
            "upcoming": upcoming,
            "activity": activity,
            "today": at.date(),
            "now": at,
            "soon": at.date() + dt.timedelta(days=90),
        },
    )
