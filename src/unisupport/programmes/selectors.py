"""Reads of the programmes, scoped by the caller (another organisation's rows are not found)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from unisupport.accounts.scope import Scope, scoped
from unisupport.domain.errors import NotFound
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.programmes import MilestoneState
from unisupport.orders.models import Order
from unisupport.programmes.models import ImprovementPlan, Milestone, MonitoringScenario

LATE_PAGE = 100


def order_in_scope(scope: Scope, number: object) -> Order:
    """Return the order ``number`` if ``scope`` sees it, else raise NotFound naming ``order``."""
    found = Order.objects.select_related("agreement").filter(number=str(number or "").strip()).first()
    if found is None or not scope.sees(found.organisation_id):
        raise NotFound(Message(gettext_noop("no order {order!r}"), order=number), field="order")
    return found


def milestones_of(scope: Scope, *, order: Order) -> list[Milestone]:
    """Return ``order``'s programme milestones, by due date (those without one last)."""
    rows = scoped(Milestone.objects.filter(order=order), scope)
    return sorted(rows, key=lambda m: (m.due or dt.date.max, m.position, m.pk))


def milestone_for(scope: Scope, milestone_id: int) -> Milestone:
    """Return milestone ``milestone_id`` if ``scope`` sees it, else raise NotFound."""
    found = scoped(Milestone.objects.select_related("order"), scope).filter(pk=milestone_id).first()
    if found is None:
        raise NotFound(Message(gettext_noop("no milestone M-{id}"), id=milestone_id), field="milestone")
    return found


def late_milestones(
    scope: Scope,
    *,
    now: dt.datetime,
    csam_id: int | None = None,
    after: tuple[dt.datetime, int] | None = None,
    limit: int = LATE_PAGE,
    customer: int | None = None,
    order: str | None = None,
) -> list[Milestone]:
    """Return the milestones late at ``now`` across every customer ``scope`` sees, oldest first, one
    page after ``after`` (the last row's ``(late_from, pk)``); ``csam_id``: one CSAM's agreements only;
    ``customer`` (an organisation id) and ``order`` (a number) narrow it further.

    One index range (state, late_from) and one query whatever the number of orders.
    """
    rows: QuerySet[Milestone] = scoped(
        Milestone.objects.select_related("order__agreement", "organisation").filter(
            state=MilestoneState.PENDING, late_from__lte=now
        ),
        scope,
    )
    if csam_id is not None:
        rows = rows.filter(order__agreement__csam_id=csam_id)
    if customer is not None:
        rows = rows.filter(organisation_id=customer)
    if order:
        rows = rows.filter(order__number=order)
    if after is not None:
        from django.db.models import Q

        rows = rows.filter(Q(late_from__gt=after[0]) | Q(late_from=after[0], pk__gt=after[1]))
    return list(rows.order_by("late_from", "pk")[:limit])


def scenarios_of(scope: Scope, *, order: Order) -> list[MonitoringScenario]:
    """Return ``order``'s monitoring scenarios (MCS-3)."""
    return list(scoped(MonitoringScenario.objects.filter(order=order), scope).order_by("pk"))


def plans_of(scope: Scope, *, order: Order) -> list[ImprovementPlan]:
    """Return ``order``'s service improvement plans (MCS-4)."""
    return list(scoped(ImprovementPlan.objects.filter(order=order), scope).order_by("requested_on", "pk"))


def today_at(order: Order, at: dt.datetime) -> dt.date:
    """Return the date at ``order``'s host site at instant ``at`` (the day a milestone is late on)."""
    from zoneinfo import ZoneInfo

    from unisupport.orders.selectors import host_zone

    return at.astimezone(ZoneInfo(host_zone(order.versions.get(version=order.current_version)))).date()


def sev1_reviews(scope: Scope, *, order: Order, limit: int = 50) -> list[dict[str, object]]:
    """Return ``order``'s Sev 1 incidents, newest first, with their post-incident review (UER-2:
    the RCA workflow of the incidents app): requested, due, delivered."""
    from unisupport.incidents.models import Incident

    rows = scoped(Incident.objects.filter(order=order, severity="1"), scope).prefetch_related("rca_requests")
    found = []
    for incident in rows.order_by("-opened_at")[:limit]:
        review = next(iter(incident.rca_requests.all()), None)
        found.append(
            {
                "incident": incident.pk,
                "title": incident.title,
                "opened_at": incident.opened_at.isoformat(),
                "review_requested_at": review.requested_at.isoformat() if review else None,
                "review_due_at": review.due_at.isoformat() if review and review.due_at else None,
                "review_delivered_at": review.delivered_at.isoformat()
                if review and review.delivered_at
                else None,
                "rule": "UER-2",
            }
        )
    return found
