"""The vendor's home, "My customers": the agreements a CSAM looks after (or every customer), searched, sorted and paged.

Bounded whatever the volume: the list's selector reads one page in three queries, the open
incidents of that page in one more.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from unisupport import clock
from unisupport.accounts.permissions import can_manage_orders
from unisupport.accounts.roles import Role
from unisupport.accounts.scope import Scope
from unisupport.incidents.queue import open_counts
from unisupport.orders.agreement_list import agreement_page
from unisupport.orders.selectors import agreements_for
from unisupport.portal.vendor_forms import CustomersForm


def pager_links(params: dict[str, Any], *, page: int, pages: int) -> dict[str, str]:
    """Return the query strings of the previous and next pages, keeping the filters."""
    kept = {k: v for k, v in params.items() if k != "page" and v not in ("", None, False)}
    links = {}
    if page > 1:
        links["previous"] = "?" + urlencode({**kept, "page": page - 1})
    if page < pages:
        links["next"] = "?" + urlencode({**kept, "page": page + 1})
    return links


def vendor_home(request: HttpRequest, scope: Scope) -> HttpResponse:
    """Return "My customers": a CSAM's own agreements by default (MC-3), or all; ended ones marked (ORD-2)."""
    form = CustomersForm(request.GET or None)
    chosen: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    # Product rule: a CSAM lands on their own agreements; one who is nobody's CSAM yet, on all.
    is_csam = scope.has(Role.CSAM) and agreements_for(scope).filter(csam_id=scope.user_id).exists()
    mine = (chosen.get("mine") or ("1" if is_csam else "0")) == "1"
    at = clock.now()
    page = agreement_page(
        scope,
        at=at,
        csam_of=scope.user_id if mine else None,
        query=chosen.get("q") or "",
        standing=chosen.get("standing") or "",
        sort=chosen.get("sort") or "customer",
        page=chosen.get("page") or 1,
    )
    counts = open_counts(scope, agreements=[row.agreement.pk for row in page.rows])
    context = {
        "form": form,
        "mine": mine,
        "is_csam": is_csam,
        "manager": can_manage_orders(scope),
        "page": page,
        "rows": [(row, counts.get(row.agreement.pk, 0)) for row in page.rows],
        "links": pager_links({**chosen, "mine": "1" if mine else "0"}, page=page.page, pages=page.pages),
        "today": at.date(),
    }
    return render(request, "vendor/customers.html", context)
