"""Pages' actions for deliverables (DEL-7), workshop terms (DEL-4) and their downloads: each calls
the same services as the API and the CLI, then shows the delivery with what happened."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.deliveries import deliverables, workshops
from unisupport.domain.errors import DomainError, NotFound
from unisupport.files import file_download
from unisupport.i18n import cited


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@login_required
def download(request: HttpRequest, pk: int, n: int) -> FileResponse:
    """Return the N-th deliverable of a delivery the reader sees, as an attachment (404 otherwise)."""
    try:
        found, path = deliverables.deliverable_for(scope_of(request.user), delivery_id=pk, number=n)
    except NotFound:
        raise Http404("no such deliverable") from None
    return file_download(path, name=found.name, content_type=found.content_type)


@login_required
@require_POST
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the uploaded files to a delivered service (the vendor; DEL-7)."""
    uploads = [(f.name or "", f.read()) for f in request.FILES.getlist("file")]
    try:
        stored = deliverables.attach_deliverables(
            scope=scope_of(request.user), delivery_id=pk, files=uploads, at=clock.now(), actor=_user(request)
        )
    except NotFound:
        raise Http404("no such delivery") from None
    except DomainError as exc:
        messages.error(request, cited(exc))
    else:
        messages.success(request, _("%(count)d file(s) attached (DEL-7).") % {"count": len(stored)})
    return redirect("deliveries:detail", pk=pk)


@login_required
@require_POST
def terms(request: HttpRequest, pk: int) -> HttpResponse:
    """Set a workshop's capacity and minimum of registrations by a deadline (the vendor; DEL-4)."""
    try:
        minimum = int(request.POST["minimum"]) if request.POST.get("minimum") else None
        capacity = int(request.POST["capacity"]) if request.POST.get("capacity") else None
        deadline = dt.date.fromisoformat(request.POST["deadline"]) if request.POST.get("deadline") else None
    except ValueError:
        messages.error(request, _("minimum and capacity are whole numbers; the deadline a date"))
        return redirect("deliveries:detail", pk=pk)
    try:
        workshops.set_workshop_terms(
            scope=scope_of(request.user), delivery_id=pk, minimum=minimum, deadline=deadline,
            capacity=capacity, at=clock.now(), actor=_user(request),
        )  # fmt: skip
    except NotFound:
        raise Http404("no such delivery") from None
    except DomainError as exc:
        messages.error(request, cited(exc))
    else:
        messages.success(request, _("Registration terms saved (DEL-4)."))
    return redirect("deliveries:detail", pk=pk)


@login_required
@require_POST
def below_minimum(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a workshop below its minimum after its deadline, everything returned (the vendor; DEL-4)."""
    try:
        workshops.cancel_below_minimum(
            scope=scope_of(request.user), delivery_id=pk, at=clock.now(), actor=_user(request)
        )
    except NotFound:
        raise Http404("no such delivery") from None
    except DomainError as exc:
        messages.error(request, cited(exc))
    else:
        messages.success(request, _("Cancelled: the minimum was not reached; everything returned (DEL-4)."))
    return redirect("deliveries:detail", pk=pk)
