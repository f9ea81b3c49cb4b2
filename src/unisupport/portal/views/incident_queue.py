"""The incident queue: the incidents a person may see, by time left with the breached first, filtered and paged.

Bounded whatever the volume: the queue's selector reads one count and one page of 50; the
filters' choices are one query each.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from unisupport import clock
from unisupport.accounts.models import Organisation
from unisupport.accounts.permissions import can_open_incidents
from unisupport.accounts.roles import OrganisationKind
from unisupport.accounts.scope import scope_of
from unisupport.domain.errors import NotFound
from unisupport.incidents.models import Incident
from unisupport.incidents.queue import COUNT_LIMIT, QueueFilters, queue_slice
from unisupport.orders.selectors import orders_for
from unisupport.portal.incident_labels import SEVERITY_LABELS, STATE_LABELS
from unisupport.portal.vendor_forms import QueueForm
from unisupport.portal.views.incidents import response_clock


def _row(incident: Incident, at: Any) -> dict[str, object]:
    return {
        "incident": incident,
        "severity": SEVERITY_LABELS.get(incident.severity, incident.severity),
        "state": STATE_LABELS.get(incident.state, incident.state),
        "clock": response_clock(incident, at),
    }


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    """Return the incidents the person may see: by time left, breached first (SEV-2..SEV-7), with filters, 50 a page."""
    scope = scope_of(request.user)
    customers = (
        list(Organisation.objects.filter(kind=OrganisationKind.CUSTOMER).values_list("pk", "name"))
        if scope.is_vendor
        else []
    )
    orders = list(orders_for(scope).order_by("number").values_list("number", flat=True))
    form = QueueForm(request.GET or None, orders=orders, customers=customers)
    chosen: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    filters = QueueFilters(
        customer=chosen.get("customer"),
        order=chosen.get("order") or "",
        state=chosen.get("state") or "",
        severity=chosen.get("severity") or "",
        site=chosen.get("site") or "",
        breached=bool(chosen.get("breached")),
        open_only=bool(chosen.get("open")),
        sort=chosen.get("sort") or "time-left",
    )
    at = clock.now()
    after = chosen.get("after")
    try:
        found = queue_slice(scope, filters, at=at, after=after)
    except NotFound:
        raise Http404("no such page") from None
    kept = {
        k: ("on" if v is True else v)
        for k, v in chosen.items()
        if k != "after" and v not in ("", None, False)
    }
    links = {}
    if after:
        links["first"] = "?" + urlencode(kept)
    if found.next_after:
        links["next"] = "?" + urlencode({**kept, "after": found.next_after})
    context = {
        "form": form,
        "rows": [_row(i, at) for i in found.incidents],
        "page": found,
        "count_limit": COUNT_LIMIT,
        "links": links,
        "can_open": can_open_incidents(scope),
        "vendor": scope.is_vendor,
    }
    return render(request, "incidents/list.html", context)
