"""Pages for proactive deliveries: the list, a customer's request, one delivery with cancel and reschedule.

Every write goes through the delivery services; a refusal is shown with its rule, in the reader's
language, and writes nothing. Before cancelling or moving, the page says what it costs now and
until when it is free (DEL-2, DEL-3).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from unisupport import clock
from unisupport.accounts.permissions import can_request_deliveries, can_schedule_deliveries
from unisupport.accounts.scope import scope_of
from unisupport.accounts.selectors import active_user
from unisupport.catalog.selectors import services_in
from unisupport.deliveries import services
from unisupport.deliveries.models import PAYMENTS, Delivery
from unisupport.deliveries.selectors import cancellation_preview, deliveries_for, delivery_for, site_zone
from unisupport.deliveries.sheet import request_sheet
from unisupport.domain.deliverables import NOTICE
from unisupport.domain.deliveries import CancelledBy, DeliveryRequest
from unisupport.domain.delivery_prices import paid
from unisupport.domain.errors import DomainError, NotFound
from unisupport.i18n import cited
from unisupport.orders.selectors import orders_for
from unisupport.portal.views.common import reader_language
from unisupport.portal.views.list_filters import list_filters

LIMIT = 50  # a page of deliveries (issue 16 §2: lists show 50); the next one starts after it
UNIT_LABELS = {"credits": _("credits"), "hours": _("hours")}
EVENT_LABELS = {
    "requested": _("Requested"),
    "scheduled": _("Scheduled"),
    "rescheduled": _("Rescheduled"),
    "cancelled": _("Cancelled"),
    "delivered": _("Delivered"),
    "refused": _("Refused"),
}
STATE_LABELS = {
    "requested": _("Requested"),
    "scheduled": _("Scheduled"),
    "delivered": _("Delivered"),
    "cancelled": _("Cancelled"),
    "refused": _("Refused"),
}


class RequestForm(forms.Form):
    """What a customer asks for: a service on a site of one of their orders, and how it is paid."""

    order = forms.ChoiceField(label=_("Order"))
    site = forms.CharField(label=_("Site (country)"), max_length=2, initial="FR")
    service = forms.ChoiceField(label=_("Service"))
    quantity = forms.DecimalField(label=_("Quantity (participants or units)"), initial=1, min_value=0)
    pay = forms.ChoiceField(label=_("Paid with"), choices=PAYMENTS)
    on_site = forms.BooleanField(label=_("On site (DEL-5)"), required=False)

    def __init__(self, *args: Any, orders: list[str], services: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        order, service = self.fields["order"], self.fields["service"]
        assert isinstance(order, forms.ChoiceField)
        assert isinstance(service, forms.ChoiceField)
        order.choices = [(o, o) for o in orders]
        service.choices = services


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _services() -> list[tuple[str, str]]:
    lang = reader_language()
    return [(s.code, s.name(lang)) for s in services_in() if s.is_requestable]


# The list's tabs: which states each shows.
TABS = {
    "all": (),
    "upcoming": ("requested", "scheduled"),
    "past": ("delivered",),
    "cancelled": ("cancelled", "refused"),
}
TAB_LABELS = {
    "all": _("All"),
    "upcoming": _("Upcoming"),
    "past": _("Past (delivered)"),
    "cancelled": _("Cancelled or refused"),
}


@login_required
def delivery_list(request: HttpRequest) -> HttpResponse:
    """Return the deliveries the reader sees, newest request first, a tab (upcoming, delivered,
    cancelled) and a page (``?after=``) at a time."""
    scope = scope_of(request.user)
    tab = request.GET.get("show", "all")
    if tab not in TABS:
        raise Http404("no such tab")
    filters = list_filters(request, scope)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    try:
        after = int(request.GET["after"]) if request.GET.get("after") else None
        found = deliveries_for(
            scope,
            after=after,
            states=TABS[tab],
            customer=chosen.get("customer"),
            order=chosen.get("order") or None,
            site=chosen.get("site") or None,
        ).select_related("payment")
        rows = list(found[: LIMIT + 1])
    except (ValueError, NotFound):
        raise Http404("no such page") from None
    names = dict(_services())
    context = {
        "rows": [
            {
                "d": d,
                "service": names.get(d.service_id, d.service_id),
                "state": STATE_LABELS.get(d.state, d.state),
                "unit": UNIT_LABELS.get(d.unit, d.unit),
                "paid": paid(d.pay, d.cost, d.unit),
            }
            for d in rows[:LIMIT]
        ],
        "more": len(rows) > LIMIT,
        "next": rows[LIMIT - 1].pk if len(rows) > LIMIT else None,
        "tab": tab,
        "tabs": list(TAB_LABELS.items()),
        "filters": filters,
        "kept": urlencode({k: v for k, v in chosen.items() if v not in (None, "")}),
        "can_request": can_request_deliveries(scope),
        "vendor": scope.is_vendor,
    }
    return render(request, "deliveries/list.html", context)


@login_required
def request_delivery(request: HttpRequest) -> HttpResponse:
    """Return the request form; on POST, the delivery requested (its cost reserved) or the refusal."""
    scope = scope_of(request.user)
    orders = list(orders_for(scope).order_by("number").values_list("number", flat=True))
    chosen = request.POST.get("order") or request.GET.get("order") or (orders[0] if orders else None)
    form = RequestForm(request.POST or None, orders=orders, services=_services(), initial={"order": chosen})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            command = DeliveryRequest.parse(
                order=data["order"],
                site=data["site"],
                service=data["service"],
                quantity=data["quantity"],
                pay=data["pay"],
                on_site=data["on_site"],
            )
            done = services.request_delivery(
                scope=scope, command=command, at=clock.now(), actor=_user(request)
            )
        except DomainError as exc:
            messages.error(request, cited(exc))
        else:
            return redirect("deliveries:detail", pk=done.pk)
    sheet = None
    if chosen in orders:
        sheet = request_sheet(scope, order=chosen, at=clock.now(), language=reader_language())
    context = {
        "form": form,
        "can_request": can_request_deliveries(scope),
        "orders": orders,
        "sheet": sheet,
    }
    return render(request, "deliveries/new.html", context)


@login_required
def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Return one delivery: what, when, how paid, the timeline, and what cancelling now would cost."""
    scope = scope_of(request.user)
    try:
        found = delivery_for(scope, delivery_id=pk)
    except NotFound:
        raise Http404("no such delivery") from None
    names = dict(_services())
    context = {
        "d": found,
        "service": names.get(found.service_id, found.service_id),
        "zone": site_zone(found),
        "events": [{"e": e, "label": EVENT_LABELS.get(e.kind, e.kind)} for e in found.timeline.all()],
        "state": STATE_LABELS.get(found.state, found.state),
        "unit": UNIT_LABELS.get(found.unit, found.unit),
        "paid": paid(found.pay, found.cost, found.unit),
        "preview": cancellation_preview(found, at=clock.now()),
        "can_act": can_request_deliveries(scope) or can_schedule_deliveries(scope),
        "vendor": can_schedule_deliveries(scope),
        "files": list(found.deliverables.all()),
        "notice": _(NOTICE),
        "registered": found.registrations.count(),
    }
    return render(request, "deliveries/detail.html", context)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Cancel or reschedule a delivery through its service, then show it with what happened."""
    scope = scope_of(request.user)
    if action == "cancel" and request.POST.get("confirm") != "on":
        # Cancelling may cost a fee (DEL-2): confirmed by a tick in its form; nothing is written otherwise.
        messages.error(request, _("Nothing changed: tick the box to confirm."))
        return redirect("deliveries:detail", pk=pk)
    try:
        if action == "cancel":
            _done, fee = services.cancel_delivery(
                scope=scope, delivery_id=pk, by=CancelledBy.CUSTOMER, reason=request.POST.get("reason", ""),
                at=clock.now(), actor=_user(request),
            )  # fmt: skip
            messages.success(
                request,
                _("Cancelled: %(percent)s %% kept (%(rule)s).")
                % {"percent": fee.fee_percent, "rule": fee.rule},
            )
        elif action == "schedule":
            on = dt.date.fromisoformat(request.POST.get("on", ""))
            start = dt.time.fromisoformat(request.POST["start"]) if request.POST.get("start") else None
            engineer = active_user(request.POST.get("engineer"), field="engineer")
            services.schedule_delivery(
                scope=scope,
                delivery_id=pk,
                on=on,
                start=start,
                engineer=engineer,
                at=clock.now(),
                actor=_user(request),
            )
            messages.success(request, _("Scheduled (DEL-4)."))
        elif action == "deliver":
            services.deliver(scope=scope, delivery_id=pk, at=clock.now(), actor=_user(request))
            messages.success(request, _("Delivered."))
        elif action == "vendor-cancel":
            _done, fee = services.cancel_delivery(
                scope=scope, delivery_id=pk, by=CancelledBy.VENDOR, reason=request.POST.get("reason", ""),
                at=clock.now(), actor=_user(request),
            )  # fmt: skip
            messages.success(
                request, _("Cancelled by the vendor: everything returned (%(rule)s).") % {"rule": fee.rule}
            )
        elif action == "refuse":
            done, fee = services.refuse_delivery(
                scope=scope, delivery_id=pk, rule=request.POST.get("rule", ""),
                reason=request.POST.get("reason", ""), at=clock.now(), actor=_user(request),
            )  # fmt: skip
            messages.success(
                request,
                _("Refused under %(rule)s: everything returned (%(refund)s).")
                % {"rule": done.refusal_rule, "refund": fee.rule},
            )
        elif action == "reschedule":
            on = dt.date.fromisoformat(request.POST.get("on", ""))
            _done, fee = services.reschedule_delivery(
                scope=scope, delivery_id=pk, on=on, at=clock.now(), actor=_user(request)
            )
            messages.success(
                request,
                _("Moved: %(percent)s %% fee (%(rule)s).") % {"percent": fee.fee_percent, "rule": fee.rule},
            )
        else:
            raise Http404("no such action")
    except ValueError:
        messages.error(request, _("on: expected a date (YYYY-MM-DD)"))
    except NotFound:
        raise Http404("no such delivery") from None
    except DomainError as exc:
        messages.error(request, cited(exc))
    return redirect("deliveries:detail", pk=pk)


@login_required
def week(request: HttpRequest) -> HttpResponse:
    """Return the vendor's board: the requests waiting (best-effort ones marked), and a week of the
    engineers' bookings (?start=YYYY-MM-DD, a Monday by default)."""
    scope = scope_of(request.user)
    if not can_schedule_deliveries(scope):
        raise Http404("the scheduling board is the vendor's")
    today = clock.now().date()
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today - dt.timedelta(days=today.weekday())
    days = [start + dt.timedelta(days=n) for n in range(7)]
    booked = (
        deliveries_for(scope, state="scheduled")
        .filter(scheduled_on__range=(days[0], days[-1]), engineer__isnull=False)
        .select_related("engineer")
    )
    grid: dict[str, dict[dt.date, list[Delivery]]] = {}
    for d in booked:
        assert d.engineer is not None
        assert d.scheduled_on is not None
        grid.setdefault(d.engineer.get_username(), {}).setdefault(d.scheduled_on, []).append(d)
    context = {
        "waiting": list(deliveries_for(scope, state="requested")[:50]),
        "days": days,
        "rows": [
            {"engineer": name, "cells": [cells.get(day, []) for day in days]}
            for name, cells in sorted(grid.items())
        ],
        "previous": (start - dt.timedelta(days=7)).isoformat(),
        "next": (start + dt.timedelta(days=7)).isoformat(),
    }
    return render(request, "deliveries/week.html", context)


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """Return a month (?month=YYYY-MM, this one by default) of the reader's dated deliveries, week by week."""
    scope = scope_of(request.user)
    today = clock.now().date()
    try:
        first = (
            dt.date.fromisoformat(request.GET["month"] + "-01")
            if request.GET.get("month")
            else today.replace(day=1)
        )
    except ValueError:
        raise Http404("no such month") from None
    following = (first + dt.timedelta(days=32)).replace(day=1)
    dated = list(
        deliveries_for(scope, states=("scheduled", "delivered"))
        .filter(scheduled_on__gte=first, scheduled_on__lt=following)
        .order_by("scheduled_on", "start", "pk")[: CALENDAR_LIMIT + 1]
    )
    names = dict(_services())
    by_day: dict[dt.date, list[dict[str, Any]]] = {}
    for d in dated[:CALENDAR_LIMIT]:
        assert d.scheduled_on is not None
        by_day.setdefault(d.scheduled_on, []).append(
            {"d": d, "service": names.get(d.service_id, d.service_id)}
        )
    start = first - dt.timedelta(days=first.weekday())
    weeks = []
    while start < following:
        weeks.append(
            [
                {"day": start + dt.timedelta(days=n), "items": by_day.get(start + dt.timedelta(days=n), [])}
                for n in range(7)
            ]
        )
        start += dt.timedelta(days=7)
    context = {
        "month": first,
        "weeks": weeks,
        "previous": (first - dt.timedelta(days=1)).strftime("%Y-%m"),
        "next": following.strftime("%Y-%m"),
        "today": today,
        "more": len(dated) > CALENDAR_LIMIT,
    }
    return render(request, "deliveries/calendar.html", context)


CALENDAR_LIMIT = 500
