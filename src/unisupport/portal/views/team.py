"""A customer's people in the portal: the administrator invites (a one-time link, 72 hours), changes
roles and deactivates; the invited person sets a password from the link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from unisupport import clock
from unisupport.accounts.models import AccessChange, Organisation
from unisupport.accounts.permissions import can_manage_contacts
from unisupport.accounts.roles import CUSTOMER_ROLES
from unisupport.accounts.scope import scope_of
from unisupport.domain.errors import DomainError, NotFound
from unisupport.i18n import cited
from unisupport.ledger.posting import actor_name
from unisupport.portal.views.common import reader_language
from unisupport.success import team_services


def _organisation(request: HttpRequest) -> Organisation:
    scope = scope_of(request.user)
    found = Organisation.objects.filter(pk__in=scope.organisation_ids).order_by("pk").first()
    if found is None or scope.is_vendor or not can_manage_contacts(scope):
        raise Http404("a customer's administrator's page")
    return found


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """Return the organisation's people with their roles, and the invitation form."""
    organisation = _organisation(request)
    people = (
        User.objects.filter(memberships__organisation=organisation).distinct().order_by("username")
        .prefetch_related("memberships")
    )  # fmt: skip
    rows = [
        (u, [m.role for m in u.memberships.all() if m.organisation_id == organisation.pk]) for u in people
    ]
    context = {
        "organisation": organisation,
        "rows": rows,
        "roles": [(r.value, r.label) for r in CUSTOMER_ROLES],
        "changes": AccessChange.objects.filter(organisation=organisation)[:20],
    }
    return render(request, "team/team.html", context)


@login_required
@require_POST
def team_act(request: HttpRequest, action: str) -> HttpResponse:
    """Invite, change a role or deactivate."""
    organisation = _organisation(request)
    scope, post, now, actor = scope_of(request.user), request.POST, clock.now(), actor_name(request.user)
    try:
        if action == "invite":
            row = team_services.invite(
                scope=scope, organisation_id=organisation.pk, email=post.get("email", ""), role=post.get("role", ""),
                at=now, actor=actor, language=reader_language(),
            )  # fmt: skip
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": row.email})
        elif action == "role":
            team_services.set_role(
                scope=scope, organisation_id=organisation.pk, user_id=int(post.get("user", "0") or 0),
                role=post.get("role", ""), at=now, actor=actor,
            )  # fmt: skip
            messages.success(request, _("Role changed."))
        elif action == "deactivate":
            team_services.deactivate(
                scope=scope,
                organisation_id=organisation.pk,
                user_id=int(post.get("user", "0") or 0),
                at=now,
                actor=actor,
            )
            messages.success(request, _("Deactivated."))
        else:
            raise Http404("no such action")
    except DomainError as exc:
        messages.error(request, cited(exc))
    return redirect("team:team")


def accept(request: HttpRequest, token: str) -> HttpResponse:
    """Return the form to accept an invitation; on POST, create the person and sign them in."""
    error = None
    if request.method == "POST":
        try:
            user = team_services.accept(
                token=token, username=request.POST.get("username", ""), password=request.POST.get("password", ""),
                at=clock.now(),
            )  # fmt: skip
        except NotFound:
            raise Http404("no such invitation") from None
        except DomainError as exc:
            error = cited(exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("portal:home")
    return render(request, "team/accept.html", {"error": error})
