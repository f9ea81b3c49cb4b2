"""The portal's agreement and order pages. Thin: every read goes through a selector and the caller's scope."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.catalog.selectors import services_in
from unisupport.domain.catalog import Inclusion
from unisupport.domain.service_codes import FOUNDATIONAL
from unisupport.orders.models import Agreement, Order, OrderVersion
from unisupport.orders.selectors import (
    agreements_for,
    missing_administrator,
    order_for,
    orders_for,
    term_of,
    version_of,
)
from unisupport.portal.labels import MARK_TITLES, UNIT_LABELS
from unisupport.portal.views.common import reader_language
from unisupport.portal.views.customers import vendor_home
from unisupport.portal.views.home import customer_home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Return the person's start page: their agreement(s), or "My customers" for the vendor."""
    scope = scope_of(request.user)
    if scope.is_vendor:
        return vendor_home(request, scope)
    if scope.is_customer:
        return customer_home(request, scope)
    agreements = list(agreements_for(scope))
    if len(agreements) == 1 and not scope.is_vendor:
        return redirect("portal:agreement", code=agreements[0].code)
    rows = []
    at = clock.now()
    for agreement in agreements:
        orders = list(agreement.orders.all())
        terms = [term_of(version_of(o), at=at) for o in orders]
        rows.append(
            {
                "agreement": agreement,
                "orders": len(orders),
                "end": max((t.end for t in terms), default=None),
            }
        )
    return render(request, "portal/home.html", {"rows": rows, "scope": scope})


def _included(lang: str) -> list[dict[str, object]]:
    """Return the ✓ services, which every agreement with foundational has at no charge (CAT-1)."""
    return [
        {
            "code": s.code,
            "name": s.name(lang),
            "unit": UNIT_LABELS.get(s.unit.value, s.unit.value),
            "mark_title": MARK_TITLES["✓"],
        }
        for s in services_in()
        if s.is_included
    ]


def _version_view(version: OrderVersion, at: dt.datetime, lang: str) -> dict[str, object]:
    sites = []
    names = {s.code: s.name(lang) for s in services_in()}
    for site in version.sites.all():
        lines = []
        for line in site.lines.all():
            service = line.service
            lines.append(
                {
                    "line": line,
                    "service": service,
                    "name": service.name_fr if lang == "fr" else service.name_en,
                    "mark": Inclusion(service.inclusion).mark,
                    "mark_title": MARK_TITLES.get(Inclusion(service.inclusion).mark, ""),
                    "unit": UNIT_LABELS.get(service.unit, service.unit),
                    "quantity": format(line.quantity.normalize(), "f"),
                }
            )
        has_foundational = any(line.service_id == FOUNDATIONAL for line in site.lines.all())
        sites.append({"site": site, "lines": lines, "included": _included(lang) if has_foundational else []})
    allocation = getattr(version, "allocation", None)
    assignments = [
        {
            "code": a.service_id,
            "name": names.get(a.service_id, a.service_id),
            "site": a.site.country,
            "amount": a.amount,
        }
        for a in (allocation.assignments.all() if allocation else [])
    ]
    return {
        "version": version,
        "term": term_of(version, at=at),
        "sites": sites,
        "allocation": assignments,
    }


@login_required
def agreement(request: HttpRequest, code: str) -> HttpResponse:
    """Return "My agreement": its orders with sites, services, term and deadlines."""
    scope = scope_of(request.user)
    try:
        found = agreements_for(scope).get(code=code)
    except Agreement.DoesNotExist:
        raise Http404("no such agreement") from None
    at = clock.now()
    lang = reader_language()
    orders = [
        {"order": o, **_version_view(version_of(o), at, lang)}
        for o in orders_for(scope).filter(agreement=found)
    ]
    return render(
        request, "portal/agreement.html", {"agreement": found, "orders": orders, "today": at.date()}
    )


@login_required
def order(request: HttpRequest, number: str) -> HttpResponse:
    """Return one order, at its current version or a past one (?version=N)."""
    scope = scope_of(request.user)
    try:
        found = order_for(scope, number=number)
        requested = request.GET.get("version")
        version = version_of(found, int(requested) if requested and requested.isdigit() else None)
    except (Order.DoesNotExist, OrderVersion.DoesNotExist):
        raise Http404("no such order") from None
    context = {
        "order": found,
        "missing_admin": missing_administrator(found),
        "versions": found.versions.order_by("-version"),
        **_version_view(version, clock.now(), reader_language()),
    }
    return render(request, "portal/order.html", context)
