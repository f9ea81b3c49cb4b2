"""Event bookings in the portal (EVT-1..EVT-8): the list, the booking form with its verdict explained
before booking, and an event's page with its summary once it is over. Each calls the services."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from unisupport import clock
from unisupport.accounts.permissions import can_book_events, can_manage_orders
from unisupport.accounts.scope import scope_of
from unisupport.domain.errors import DomainError, NotFound
from unisupport.domain.event_booking import parse_days
from unisupport.i18n import cited, localized
from unisupport.incidents.event_summary import event_summary
from unisupport.ledger.posting import actor_name
from unisupport.orders import booking_services
from unisupport.orders.selectors import events_for, orders_for


class BookingForm(forms.Form):
    """An event to book: its order, name, covered days, Azure services, scenario, contacts, chat bridge."""

    order = forms.ChoiceField(label=_("Order"))
    name = forms.CharField(label=_("Event"), max_length=200)
    days = forms.CharField(
        label=_("Covered days"), help_text=_("Dates and ranges, e.g. 2027-11-20..2027-11-30, 2027-12-03")
    )
    products = forms.CharField(
        label=_("Azure services in scope (one a line)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    scenario = forms.CharField(
        label=_("Scenario (EVT-3)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    contacts = forms.CharField(label=_("Your contacts for the event"), required=False)
    chat_bridge = forms.URLField(label=_("Chat bridge, 24x7 (EVT-6)"), required=False, assume_scheme="https")


def _visible(request: HttpRequest) -> Any:
    return events_for(scope_of(request.user))


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    """Return the reader's event bookings, newest first."""
    context = {"rows": list(_visible(request)[:200]), "can_book": can_book_events(scope_of(request.user))}
    return render(request, "events/list.html", context)


@login_required
def book(request: HttpRequest) -> HttpResponse:
    """Return the booking form; on POST "check", the verdict without booking; on "book", the booking."""
    scope = scope_of(request.user)
    orders = list(orders_for(scope).order_by("number").values_list("number", flat=True))
    form = BookingForm(request.POST or None)
    order_field = form.fields["order"]
    assert isinstance(order_field, forms.ChoiceField)
    order_field.choices = [(o, o) for o in orders]
    verdict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            verdict, row = booking_services.book_event(
                scope=scope, order=data["order"], name=data["name"], days=parse_days(data["days"]),
                products=[p for p in data["products"].splitlines() if p.strip()], scenario=data["scenario"],
                contacts=data["contacts"], chat_bridge=data["chat_bridge"], at=clock.now(),
                actor=actor_name(request.user), dry_run="check" in request.POST,
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, cited(exc))
        else:
            if row is not None:
                messages.success(request, _("Event booked."))
                return redirect("events:detail", pk=row.pk)
    context = {
        "form": form,
        "can_book": can_book_events(scope),
        "verdict": verdict,
        "errors": [(e.rule, localized(e.message)) for e in verdict.errors] if verdict else [],
    }
    return render(request, "events/new.html", context)


def _months(days: list[dt.date]) -> list[tuple[dt.date, list[list[tuple[dt.date, bool, bool]]]]]:
    """Return the months the covered ``days`` fall in, each as weeks (Monday first) of
    (day, in the month, covered)."""
    covered = set(days)
    months = sorted({d.replace(day=1) for d in days})
    grid = calendar.Calendar(firstweekday=0)
    return [
        (
            first,
            [
                [(d, d.month == first.month, d in covered) for d in week]
                for week in grid.monthdatescalendar(first.year, first.month)
            ],
        )
        for first in months
    ]


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Return an event: its days, scenario, contacts, chat bridge, state, and its summary (EVT-7)."""
    found = _visible(request).filter(pk=pk).first()
    if found is None:
        raise Http404("no such event")
    scope = scope_of(request.user)
    context = {
        "e": found,
        "days": [dt.date.fromisoformat(d) for d in found.days],
        "months": _months([dt.date.fromisoformat(d) for d in found.days]),
        "summary": event_summary(scope, event_id=found.pk, at=clock.now()),
        "vendor": can_manage_orders(scope),
        "can_cancel": can_book_events(scope) and found.cancelled_at is None,
    }
    return render(request, "events/detail.html", context)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve (the vendor, EVT-4) or cancel (the customer before the first day; the vendor, EVT-8)."""
    scope = scope_of(request.user)
    try:
        if action == "approve":
            booking_services.approve_event(
                scope=scope, event_id=pk, reduced_scope=request.POST.get("reduced_scope", ""), at=clock.now(),
                actor=actor_name(request.user),
            )  # fmt: skip
            messages.success(request, _("Approved (EVT-4)."))
        elif action == "cancel":
            booking_services.cancel_event(
                scope=scope, event_id=pk, by=request.POST.get("by", "customer"),
                reason=request.POST.get("reason", ""), at=clock.now(), actor=actor_name(request.user),
            )  # fmt: skip
            messages.success(request, _("Event cancelled."))
        else:
            raise Http404("no such action")
    except NotFound:
        raise Http404("no such event") from None
    except DomainError as exc:
        messages.error(request, cited(exc))
    return redirect("events:detail", pk=pk)
