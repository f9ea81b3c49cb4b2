"""Contacts and webhooks in the portal: an order's contacts (RSP-1's warning when it names no
administrator; a change recorded with its RSP-3 verdict), and an organisation's webhook endpoints
with their delivery log. Each calls the services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from unisupport import clock
from unisupport.accounts.permissions import can_manage_contacts, can_manage_webhooks
from unisupport.accounts.scope import scope_of
from unisupport.domain.contacts import ContactRole
from unisupport.domain.errors import DomainError, NotFound
from unisupport.domain.webhooks import EventType
from unisupport.i18n import cited
from unisupport.ledger.posting import actor_name
from unisupport.orders.models import ContactChange
from unisupport.orders.selectors import contacts_of, missing_administrator
from unisupport.programmes.selectors import order_in_scope
from unisupport.success.contact_services import add_contact, change_contact
from unisupport.webhooks import services as hooks
from unisupport.webhooks.selectors import delivery_log, endpoints_of


@login_required
def contacts(request: HttpRequest, number: str) -> HttpResponse:
    """Return the order's contacts, the forms to add and change them, and the changes recorded."""
    scope = scope_of(request.user)
    try:
        found = order_in_scope(scope, number)
    except NotFound:
        raise Http404("no such order") from None
    context = {
        "order": found,
        "rows": contacts_of(found),
        "missing_admin": missing_administrator(found),
        "changes": ContactChange.objects.filter(contact__order=found).select_related("contact")[:50],
        "roles": [r.value for r in ContactRole],
        "can_manage": can_manage_contacts(scope),
        "today": clock.now().date().isoformat(),
    }
    return render(request, "contacts/contacts.html", context)


@login_required
@require_POST
def contact_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Add a contact, or record a change of one (RSP-3: late after 7 business days, still recorded)."""
    scope = scope_of(request.user)
    post = request.POST
    try:
        if action == "add":
            add_contact(
                scope=scope, order=number, role=post.get("role", ""), name=post.get("name", ""),
                email=post.get("email", ""), site=post.get("site", ""), at=clock.now(), actor=actor_name(request.user),
            )  # fmt: skip
            messages.success(request, _("Contact added."))
        elif action == "change":
            try:
                changed_on = dt.date.fromisoformat(post.get("changed_on", ""))
            except ValueError:
                messages.error(request, _("The day of the change is a date (YYYY-MM-DD)."))
                return redirect("contacts:contacts", number=number)
            recorded = change_contact(
                scope=scope, order=number, contact_id=int(post.get("contact", "0") or 0), changed_on=changed_on,
                name=post.get("name") or None, email=post.get("email") or None, role=post.get("role") or None,
                active=False if post.get("deactivate") else None, at=clock.now(), actor=actor_name(request.user),
            )  # fmt: skip
            verdict = recorded[2]
            if verdict.late:
                messages.warning(
                    request,
                    _("Change recorded, reported late: it was due by %(day)s (RSP-3).")
                    % {"day": formats.date_format(verdict.deadline, "DATE_FORMAT")},
                )
            else:
                messages.success(request, _("Change recorded, reported in time (RSP-3)."))
        else:
            raise Http404("no such action")
    except NotFound:
        raise Http404("no such order or contact") from None
    except DomainError as exc:
        messages.error(request, cited(exc))
    return redirect("contacts:contacts", number=number)


@login_required
def webhooks(request: HttpRequest) -> HttpResponse:
    """Return the reader's webhook endpoints, each with its latest deliveries."""
    scope = scope_of(request.user)
    rows = [(e, delivery_log(scope, endpoint_id=e.pk, limit=10)) for e in endpoints_of(scope)]
    context = {
        "rows": rows,
        "events": [e.value for e in EventType if e is not EventType.TEST],
        "can_manage": can_manage_webhooks(scope),
    }
    return render(request, "contacts/webhooks.html", context)


@login_required
@require_POST
def webhook_act(request: HttpRequest, action: str, pk: int | None = None) -> HttpResponse:
    """Register, rotate, disable, enable or test an endpoint; a new secret is shown once."""
    scope = scope_of(request.user)
    now = clock.now()
    try:
        if action == "add":
            _endpoint, secret = hooks.add_endpoint(
                scope=scope, url=request.POST.get("url", ""), events=request.POST.getlist("events"), at=now,
                actor=actor_name(request.user),
            )  # fmt: skip
            messages.success(
                request,
                _("Endpoint registered. Its secret, shown this once: %(secret)s") % {"secret": secret},
            )
        elif action == "rotate" and pk:
            _endpoint, secret = hooks.rotate_secret(scope=scope, endpoint_id=pk, at=now)
            messages.success(
                request,
                _("New secret, shown this once: %(secret)s. The previous one signs too for 24 hours.")
                % {"secret": secret},
            )
        elif action in ("disable", "enable") and pk:
            hooks.set_active(scope=scope, endpoint_id=pk, active=action == "enable", at=now)
            messages.success(
                request, _("Endpoint enabled.") if action == "enable" else _("Endpoint disabled.")
            )
        elif action == "test" and pk:
            hooks.send_test(scope=scope, endpoint_id=pk, at=now)
            messages.success(request, _("Test event queued: the worker sends it within a minute."))
        else:
            raise Http404("no such action")
    except NotFound:
        raise Http404("no such endpoint") from None
    except DomainError as exc:
        messages.error(request, cited(exc))
    return redirect("contacts:webhooks")
