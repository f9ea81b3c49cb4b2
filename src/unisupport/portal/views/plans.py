"""An agreement's success plan in the portal (SM-1..SM-3): objectives, Annexe B activities by
domain with the services that reach them, comments and the plan's revisions; the CSAM edits it, the
customer's administrator comments."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from unisupport import clock
from unisupport.accounts.permissions import can_comment_success_plans, can_edit_success_plans
from unisupport.accounts.scope import scope_of
from unisupport.domain.errors import DomainError, NotFound, RuleViolation
from unisupport.domain.success import DOMAINS, NAMES
from unisupport.i18n import cited, translated
from unisupport.ledger.posting import actor_name
from unisupport.success import plan_services


@login_required
def plan(request: HttpRequest, code: str) -> HttpResponse:
    """Return the agreement's success plan."""
    scope = scope_of(request.user)
    try:
        found = plan_services.plan_for(scope, code, at=clock.now())
    except NotFound:
        raise Http404("no such agreement") from None
    except RuleViolation as exc:  # SM-1: the orders exclude success management
        messages.error(request, cited(exc))
        return redirect("portal:agreement", code=code)
    activities = found.activities.all()
    domains = [
        (translated(NAMES[d]), [(a, translated(NAMES[a.activity])) for a in activities if a.domain == d])
        for d in DOMAINS
    ]
    context = {
        "plan": found,
        "objectives": found.objectives.order_by("pk"),
        "domains": domains,
        "choices": [
            (d, translated(NAMES[d]), [(a, translated(NAMES[a])) for a in acts])
            for d, acts in DOMAINS.items()
        ],
        "comments": found.comments.all(),
        "revisions": found.revisions.order_by("-at", "-pk")[:20],
        "can_edit": can_edit_success_plans(scope),
        "can_comment": can_comment_success_plans(scope),
    }
    return render(request, "plans/plan.html", context)


@login_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Add an objective or an activity (the CSAM), or a comment."""
    scope, post, now, actor = scope_of(request.user), request.POST, clock.now(), actor_name(request.user)
    try:
        if action == "objective":
            target = dt.date.fromisoformat(post["target"]) if post.get("target") else None
            plan_services.add_objective(
                scope=scope, agreement=code, title=post.get("title", ""), measure=post.get("measure", ""),
                target=target, at=now, actor=actor,
            )  # fmt: skip
            messages.success(request, _("Objective added."))
        elif action == "activity":
            domain, _sep, activity = post.get("activity", "").partition("/")
            plan_services.add_activity(
                scope=scope, agreement=code, domain=domain, activity=activity,
                description=post.get("description", ""), at=now, actor=actor,
            )  # fmt: skip
            messages.success(request, _("Activity planned."))
        elif action == "comment":
            plan_services.comment(scope=scope, agreement=code, text=post.get("text", ""), at=now, actor=actor)
            messages.success(request, _("Comment added."))
        else:
            raise Http404("no such action")
    except NotFound:
        raise Http404("no such agreement") from None
    except ValueError:
        messages.error(request, _("The target date is a date (YYYY-MM-DD)."))
    except DomainError as exc:
        messages.error(request, cited(exc))
    return redirect("plans:plan", code=code)
