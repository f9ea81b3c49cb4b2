"""The back office in the portal: import an order file (verdict, then confirm), decide ORD-8 lines, assign a CSAM, keep the rosters.

Thin: the same services as `unisupport order validate|import|accept|refuse`; the services check
the roles (ORDER_MANAGERS) and decide, the pages only show or hide the actions.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unisupport import clock
from unisupport.accounts.models import AccessChange, Organisation
from unisupport.accounts.permissions import (
    can_manage_calendars,
    can_manage_orders,
    can_manage_rosters,
    can_manage_vendor_people,
)
from unisupport.accounts.roles import CUSTOMER_ROLES, VENDOR_ROLES, OrganisationKind, Role
from unisupport.accounts.scope import Scope, scope_of
from unisupport.accounts.services import vendor_organisation
from unisupport.calendars.selectors import closures as calendar_closures
from unisupport.domain.errors import DomainError
from unisupport.i18n import cited
from unisupport.incidents.models import RosterEntry, RosterRole
from unisupport.incidents.services.closures import add_closure_with_moves
from unisupport.incidents.services.rosters import (
    add_to_roster,
    move_on_roster,
    roster_offerings,
    roster_people,
    set_on_call,
)
from unisupport.ledger.posting import actor_name
from unisupport.orders.back_office import assign_csam, csam_candidates, pending_lines
from unisupport.orders.selectors import agreements_for
from unisupport.orders.services import decide_line, import_order_file, validate_order_file
from unisupport.portal.vendor_forms import (
    ClosureForm,
    ConfirmImportForm,
    CsamForm,
    LineDecisionForm,
    OrderFileForm,
)
from unisupport.portal.views.common import reader_language
from unisupport.success import team_services

ROLE_LABELS = dict(Role.choices)
# The confirm step carries the validated file back signed: a file changed in between is refused.
SALT = "unisupport.portal.order-import"


def _manager(request: HttpRequest) -> Scope:
    scope = scope_of(request.user)
    if not can_manage_orders(scope):
        raise Http404("the back office's pages")
    return scope


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Return the back office's start page: what waits, and where each task is."""
    scope = _manager(request)
    return render(request, "back_office/index.html", {"pending": pending_lines(scope).count()})


@login_required
def import_order(request: HttpRequest) -> HttpResponse:
    """Return the import page: choose a file; on POST, the validator's verdict and (if valid) the confirm form."""
    scope = _manager(request)
    form = OrderFileForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        source = str(form.cleaned_data["source"])
        try:
            checked = validate_order_file(scope=scope, text=source)
        except DomainError as exc:
            messages.error(request, cited(exc))
            return redirect("back_office:import")
        digest = _digest(source)
        context |= {
            "verdict": checked.verdict,
            "documents": checked.documents,
            "confirm": ConfirmImportForm(
                initial={
                    "source": base64.b64encode(source.encode()).decode(),
                    "digest": signing.Signer(salt=SALT).sign(digest),
                }
            ),
            "digest": digest,
        }
    return render(request, "back_office/import.html", context)


@login_required
@require_POST
def confirm_import(request: HttpRequest) -> HttpResponse:
    """Import exactly the file that was validated (the same atomic import as the CLI's), or refuse a changed one."""
    scope = _manager(request)
    form = ConfirmImportForm(request.POST)
    try:
        if not form.is_valid():
            raise ValueError("incomplete")
        source = base64.b64decode(form.cleaned_data["source"], validate=True).decode()
        if signing.Signer(salt=SALT).unsign(form.cleaned_data["digest"]) != _digest(source):
            raise ValueError("changed")
    except (ValueError, binascii.Error, signing.BadSignature):
        messages.error(
            request, _("The file changed since it was validated: nothing was imported. Validate it again.")
        )
        return redirect("back_office:import")
    try:
        result = import_order_file(scope=scope, text=source, at=clock.now(), actor=request.user)
    except DomainError as exc:
        messages.error(request, cited(exc))
        return redirect("back_office:import")
    if not result.verdict.valid:
        # The records changed since the verdict (another import): the import re-checked, and refused.
        return render(
            request, "back_office/import.html", {"form": OrderFileForm(), "verdict": result.verdict}
        )
    for row in result.orders:
        text = (
            _("Order %(order)s imported: version %(version)s.")
            if row["created"]
            else _("Order %(order)s is unchanged: nothing recorded (ORD-9).")
        )
        messages.success(request, text % {"order": row["order"], "version": row["version"]})
    return redirect("back_office:import")


@login_required
def lines(request: HttpRequest) -> HttpResponse:
    """Return the order lines awaiting the vendor's acceptance (ORD-8), each with accept and refuse."""
    scope = _manager(request)
    rows = list(pending_lines(scope)[:200])
    return render(request, "back_office/lines.html", {"rows": rows, "form": LineDecisionForm()})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or refuse a line awaiting acceptance (ORD-8), once the decision is confirmed."""
    scope = _manager(request)
    line = pending_lines(scope).filter(pk=pk).first()
    if line is None:
        raise Http404("no such line awaiting acceptance")
    form = LineDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the confirmation to record the decision: nothing was recorded."))
        return redirect("back_office:lines")
    accept = form.cleaned_data["decision"] == "accept"
    order = line.site.order_version.order.number
    try:
        decide_line(
            scope=scope,
            order_number=order,
            site_country=line.site.country,
            service=line.service_id,
            accept=accept,
            at=clock.now(),
            actor=request.user,  # type: ignore[arg-type]
        )
    except DomainError as exc:
        messages.error(request, cited(exc))
        return redirect("back_office:lines")
    text = (
        _("%(service)s on %(order)s at %(site)s accepted.")
        if accept
        else _("%(service)s on %(order)s at %(site)s refused.")
    )
    messages.success(request, text % {"service": line.service_id, "order": order, "site": line.site.country})
    return redirect("back_office:lines")


@login_required
def csam(request: HttpRequest, code: str) -> HttpResponse:
    """Return an agreement's CSAM form; on POST, assign the CSAM (MC-3), the change recorded."""
    scope = _manager(request)
    agreement = agreements_for(scope).select_related("csam").filter(code=code).first()
    if agreement is None:
        raise Http404("no such agreement")
    people = [(u.pk, u.get_full_name() or u.username) for u in csam_candidates()]
    form = CsamForm(request.POST or None, people=people, initial={"csam": agreement.csam_id})
    if request.method == "POST" and form.is_valid():
        try:
            assign_csam(
                scope=scope,
                code=code,
                csam_id=form.cleaned_data["csam"],
                at=clock.now(),
                actor=actor_name(request.user),
            )
        except DomainError as exc:
            messages.error(request, cited(exc))
        else:
            messages.success(request, _("The agreement's CSAM is recorded."))
        return redirect("back_office:csam", code=code)
    return render(request, "back_office/csam.html", {"agreement": agreement, "form": form})


@login_required
def rosters(request: HttpRequest) -> HttpResponse:
    """Return the on-call rosters (INC-2, INC-4) with their people by priority; on POST, add, move or deactivate."""
    scope = scope_of(request.user)
    if not can_manage_rosters(scope):
        raise Http404("the back office's pages")
    if request.method == "POST":
        post = request.POST
        try:
            action, entry = post.get("action", ""), int(post.get("entry") or 0)
            if action == "add":
                add_to_roster(
                    scope=scope, role=post.get("role", ""), user_id=int(post.get("user") or 0),
                    offering=post.get("offering", ""),
                )  # fmt: skip
            elif action in ("up", "down"):
                move_on_roster(scope=scope, entry_id=entry, up=action == "up")
            elif action in ("deactivate", "activate"):
                set_on_call(scope=scope, entry_id=entry, active=action == "activate")
            else:
                raise Http404("no such action")
        except DomainError as exc:
            messages.error(request, cited(exc))
        except ValueError:
            messages.error(request, _("Choose a person and a roster."))
        else:
            messages.success(request, _("The roster is saved."))
        return redirect("back_office:rosters")
    entries = list(RosterEntry.objects.select_related("user").order_by("role", "offering", "priority", "pk"))
    groups = [
        {
            "role": value,
            "label": label,
            # Every offering's list first, then one per offering that has people on it.
            "lists": [
                {
                    "offering": offering,
                    "entries": [e for e in entries if e.role == value and e.offering == offering],
                }
                for offering in dict.fromkeys(["", *(e.offering for e in entries if e.role == value)])
            ],
        }
        for value, label in RosterRole.choices
    ]
    people = [(u.pk, u.get_full_name() or u.username) for u in roster_people()]
    context = {
        "groups": groups,
        "people": people,
        "roles": RosterRole.choices,
        "offerings": roster_offerings(),
    }
    return render(request, "back_office/rosters.html", context)


@login_required
def closures(request: HttpRequest) -> HttpResponse:
    """Return the closure form: preview the open incidents a closure moves (SEV-7), then add it and list them."""
    scope = scope_of(request.user)
    if not can_manage_calendars(scope):
        raise Http404("the back office's pages")
    form = ClosureForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        preview = "save" not in request.POST
        data = form.cleaned_data
        try:
            row, moved = add_closure_with_moves(
                scope=scope,
                preview=preview,
                actor=request.user,  # type: ignore[arg-type]
                country=data["country"].upper(),
                start=data["start"],
                end=data["end"],
                closed_from=data["closed_from"],
                closed_until=data["closed_until"],
                reason=data["reason"],
            )
        except DomainError as exc:
            messages.error(request, cited(exc))
        else:
            if not preview:
                messages.success(request, _("The closure is added."))
            context |= {"preview": preview, "closure": row, "moved": moved}
    context["recent"] = calendar_closures().order_by("-created_at", "-pk")[:20]
    return render(request, "back_office/closures.html", context)


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """Return the vendor's people with their roles, and the invitation form (vendor or customer people, role_fits)."""
    scope = scope_of(request.user)
    if not can_manage_vendor_people(scope):
        raise Http404("the back office's pages")
    if request.method == "POST":
        try:
            organisation = int(request.POST.get("organisation") or 0)
            team_services.invite(
                scope=scope,
                organisation_id=organisation,
                email=request.POST.get("email", ""),
                role=request.POST.get("role", ""),
                at=clock.now(),
                actor=actor_name(request.user),
                language=reader_language(),
            )
        except DomainError as exc:
            messages.error(request, cited(exc))
        except ValueError:
            messages.error(request, _("Choose an organisation."))
        else:
            messages.success(request, _("The invitation is sent: the link works once, for 72 hours."))
        return redirect("back_office:people")
    vendor = vendor_organisation()
    staff = (
        User.objects.filter(memberships__organisation=vendor)
        .distinct()
        .order_by("username")
        .prefetch_related("memberships")
    )
    rows = [
        (u, [ROLE_LABELS.get(m.role, m.role) for m in u.memberships.all() if m.organisation_id == vendor.pk])
        for u in staff
    ]
    customers = Organisation.objects.filter(kind=OrganisationKind.CUSTOMER).order_by("name")
    context = {
        "vendor": vendor,
        "rows": rows,
        "customers": customers,
        "vendor_roles": [(r.value, r.label) for r in Role if r in VENDOR_ROLES],
        "customer_roles": [(r.value, r.label) for r in Role if r in CUSTOMER_ROLES],
        "changes": AccessChange.objects.filter(organisation=vendor)[:20],
    }
    return render(request, "back_office/people.html", context)
