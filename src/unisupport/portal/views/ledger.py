"""The portal's Consumption pages. Thin: every read goes through a selector and the caller's scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from unisupport import clock
from unisupport.accounts.permissions import can_request_deliveries
from unisupport.accounts.scope import scope_of
from unisupport.deliveries.planner import plan_for
from unisupport.domain.money import Credits, Hours
from unisupport.ledger.models import AccountKind
from unisupport.ledger.presenters import statement_csv_chunks
from unisupport.ledger.selectors import StatementFilter, statement
from unisupport.orders.models import Order
from unisupport.orders.selectors import order_for, orders_for, version_of
from unisupport.portal.consumption import consumption as consumption_of
from unisupport.portal.csv_labels import statement_headers
from unisupport.portal.views.common import reader_language


def _expiring(lot: dict[str, object]) -> dict[str, object]:
    """Return a lot that would still expire, its amount as a quantity and its day as a date (written
    the reader's way on the page)."""
    unit = {"credits": Credits, "hours": Hours}.get(str(lot.get("unit")))
    amount = Decimal(str(lot["amount"]))
    return {
        **lot,
        "left": unit(amount) if unit else f"{amount} {lot.get('unit')}",
        "day": dt.date.fromisoformat(str(lot["expires_on"])),
    }


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Return the orders whose consumption the person may follow."""
    orders = [(o, version_of(o)) for o in orders_for(scope_of(request.user))]
    return render(request, "ledger/index.html", {"orders": orders})


@login_required
def consumption(request: HttpRequest, number: str) -> HttpResponseBase:
    """Return one order's consumption at one site (?site=DE; the host by default), or its statement as
    CSV (?format=csv), filtered by kind, rule and effective dates."""
    scope = scope_of(request.user)
    try:
        found = order_for(scope, number=number)
    except Order.DoesNotExist:
        raise Http404("no such order") from None
    version = version_of(found)
    countries = [s.country for s in version.sites.all()]
    wanted = (request.GET.get("site") or "").upper()
    site = (
        wanted
        if wanted in countries
        else (version.host_country if version.host_country in countries else countries[0])
    )
    kind = request.GET.get("kind") or None
    filters = StatementFilter(
        site=site,
        kind=kind if kind in AccountKind.values else None,
        rule=(request.GET.get("rule") or "").strip().upper() or None,
        date_from=_date(request.GET.get("from")),
        date_to=_date(request.GET.get("to")),
    )
    if request.GET.get("format") == "csv":
        rows = statement(scope, order=found.number, filters=filters)
        headers = statement_headers() if reader_language() == "fr" else None
        # Streamed from the database's cursor: a million lines never sit in memory.
        response = StreamingHttpResponse(
            statement_csv_chunks(rows, order=found.number, headers=headers), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="{found.number}-{site}-statement.csv"'
        return response
    context = consumption_of(scope, order=found, site=site, at=clock.now(), filters=filters)
    proposal = plan_for(scope, order=found.number, at=clock.now())  # "use it before it expires" (ORD-5)
    site_plan = {
        "proposals": [p for p in proposal["proposals"] if p["site"] == site][:10],  # type: ignore[attr-defined]
        "still_expiring": [_expiring(lot) for lot in proposal["still_expiring"] if lot["site"] == site],  # type: ignore[attr-defined]
        "deadline": proposal["deadline"],
        "can_request": can_request_deliveries(scope),
    }
    query = request.GET.copy()
    query["format"] = "csv"
    query["site"] = site
    return render(
        request,
        "ledger/consumption.html",
        {
            "order": found,
            "filters": filters,
            "kinds": AccountKind.choices,
            "csv_query": query.urlencode(),
            "plan": site_plan,
            **context,
        },
    )
