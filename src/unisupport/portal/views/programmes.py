"""Programmes in the portal: an order's milestones on a timeline (done with evidence, waived, late in
red), its monitoring scenarios (MCS-3; their telemetry for the vendor only) and service improvement
plans (MCS-4); and the list of late milestones across every customer the reader sees."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from unisupport import clock
from unisupport.accounts.permissions import can_manage_programmes, can_run_programmes
from unisupport.accounts.scope import scope_of
from unisupport.domain.errors import DomainError, NotFound
from unisupport.domain.programmes import LATE, state_at
from unisupport.files import file_download, stored_path
from unisupport.i18n import cited
from unisupport.ledger.posting import actor_name
from unisupport.portal.views.list_filters import list_filters
from unisupport.programmes import mcs_services, services
from unisupport.programmes.selectors import (
    late_milestones,
    milestone_for,
    milestones_of,
    order_in_scope,
    plans_of,
    scenarios_of,
    sev1_reviews,
)


@login_required
def programme(request: HttpRequest, number: str) -> HttpResponse:
    """Return the order's programme: its milestones by date with their state, scenarios and SIPs."""
    scope = scope_of(request.user)
    try:
        found = order_in_scope(scope, number)
    except NotFound:
        raise Http404("no such order") from None
    now = clock.now()
    rows = [(m, state_at(m.state, m.late_from, now)) for m in milestones_of(scope, order=found)]
    context = {
        "order": found,
        "rows": rows,
        "late": sum(1 for _, state in rows if state == LATE),
        "scenarios": scenarios_of(scope, order=found),
        "plans": plans_of(scope, order=found),
        "reviews": sev1_reviews(scope, order=found),
        "vendor": scope.is_vendor,
        "can_run": can_run_programmes(scope),
        "can_manage": can_manage_programmes(scope),
    }
    return render(request, "programmes/programme.html", context)


def _upload(request: HttpRequest) -> tuple[str, bytes] | None:
    upload = request.FILES.get("evidence")
    return (upload.name or "", upload.read()) if upload is not None else None


@login_required
def evidence(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """Return a milestone's evidence file, to a reader who sees the milestone (404 otherwise)."""
    try:
        found = milestone_for(scope_of(request.user), pk)
    except NotFound:
        raise Http404("no such milestone") from None
    if not found.evidence_sha256 or found.order.number != number:
        raise Http404("no evidence file")
    return file_download(
        stored_path(found.evidence_sha256), name=found.evidence_name, content_type=found.evidence_type
    )


@login_required
@require_POST
def act(request: HttpRequest, number: str, pk: int, action: str) -> HttpResponse:
    """Mark a milestone done with its evidence (a note, a file), or waive it with a reason (the vendor)."""
    scope = scope_of(request.user)
    try:
        if action == "done":
            services.complete_milestone(
                scope=scope, milestone_id=pk, note=request.POST.get("note", ""),
                evidence=_upload(request), at=clock.now(), actor=actor_name(request.user),
            )  # fmt: skip
            messages.success(request, _("Milestone done."))
        elif action == "waive":
            services.waive_milestone(
                scope=scope, milestone_id=pk, reason=request.POST.get("reason", ""), at=clock.now(),
                actor=actor_name(request.user),
            )  # fmt: skip
            messages.success(request, _("Milestone waived."))
        else:
            raise Http404("no such action")
    except NotFound:
        raise Http404("no such milestone") from None
    except DomainError as exc:
        messages.error(request, cited(exc))
    return redirect("programmes:programme", number=number)


@login_required
@require_POST
def request_sip(request: HttpRequest, number: str) -> HttpResponse:
    """Request a service improvement plan (MCS-4: two per rolling 12 months)."""
    try:
        mcs_services.request_sip(
            scope=scope_of(request.user), order=number, topic=request.POST.get("topic", ""), at=clock.now(),
            actor=actor_name(request.user),
        )  # fmt: skip
        messages.success(request, _("Service improvement plan requested."))
    except DomainError as exc:
        messages.error(request, cited(exc))
    return redirect("programmes:programme", number=number)


@login_required
def late(request: HttpRequest) -> HttpResponse:
    """Return the late milestones across every customer the reader sees, oldest first (100 a page)."""
    scope = scope_of(request.user)
    cursor = None
    after = request.GET.get("after", "")
    if after:
        instant, _sep, pk = after.rpartition("~")
        try:
            cursor = (dt.datetime.fromisoformat(instant), int(pk))
        except ValueError:
            cursor = None
    mine = request.GET.get("mine") == "1"
    filters = list_filters(request, scope)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = late_milestones(
        scope,
        now=clock.now(),
        csam_id=request.user.pk if mine else None,
        after=cursor,
        customer=chosen.get("customer"),
        order=chosen.get("order") or None,
    )
    last = rows[-1] if len(rows) == 100 else None
    context = {
        "rows": rows,
        "mine": mine,
        "vendor": scope.is_vendor,
        "filters": filters,
        "kept": urlencode({k: v for k, v in chosen.items() if k != "site" and v not in (None, "")}),
        "next": f"{last.late_from.isoformat()}~{last.pk}" if last and last.late_from else None,
    }
    return render(request, "programmes/late.html", context)
