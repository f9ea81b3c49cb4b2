"""RSP-6 in the portal: the vendor asks an incident's reactive contacts for diagnostics, the customer
says when they are done. Each calls the incidents' service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.domain.errors import DomainError, NotFound
from unisupport.i18n import cited
from unisupport.incidents.services.diagnostics import ask_diagnostics, provide_diagnostics


@login_required
@require_POST
def ask(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the incident's reactive contacts to perform diagnostics (the vendor)."""
    try:
        ask_diagnostics(
            scope=scope_of(request.user), incident_id=pk, what=request.POST.get("what", ""), at=clock.now()
        )
        messages.success(request, _("Diagnostics asked (RSP-6)."))
    except NotFound:
        raise Http404("no such incident") from None
    except DomainError as exc:
        messages.error(request, cited(exc))
    return redirect("incidents:detail", pk=pk)


@login_required
@require_POST
def provided(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    """Say the diagnostics asked are done (the customer)."""
    try:
        provide_diagnostics(
            scope=scope_of(request.user),
            request_id=request_id,
            note=request.POST.get("note", ""),
            at=clock.now(),
        )
        messages.success(request, _("Thank you: the engineer is told."))
    except NotFound:
        raise Http404("no such request") from None
    except DomainError as exc:
        messages.error(request, cited(exc))
    return redirect("incidents:detail", pk=pk)
