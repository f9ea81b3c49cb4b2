"""Writes of an agreement's success plan (SM-1..SM-3): the CSAM adds and updates objectives and
planned activities; the customer's administrator and the vendor comment. Each change stores the
whole plan as it then stood (who, when, what), so that any two dates can be compared."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F

from unisupport.accounts.permissions import can_comment_success_plans, can_edit_success_plans, require
from unisupport.accounts.scope import Scope
from unisupport.domain.errors import InvalidInput, NotFound, RuleViolation
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.success import ObjectiveState, check_activity, check_target
from unisupport.domain.texts import clean_text
from unisupport.orders.models import Agreement, OrderVersion
from unisupport.success.models import Objective, PlanComment, PlannedActivity, PlanRevision, SuccessPlan

EDIT_REFUSAL = Message(gettext_noop("only the CSAM and the back office edit a success plan (SM-3)"))
COMMENT_REFUSAL = Message(
    gettext_noop("only the customer's administrator and the vendor comment a success plan")
)


def plan_for(
    scope: Scope, agreement: object, *, at: dt.datetime | None = None, lock: bool = False
) -> SuccessPlan:
    """Return the agreement's success plan (created empty the first time, with ``at``), or NotFound."""
    found = Agreement.objects.filter(code=str(agreement or "").strip()).first()
    if found is None or not scope.sees(found.organisation_id):
        raise NotFound(Message(gettext_noop("no agreement {code!r}"), code=agreement), field="agreement")
    versions = OrderVersion.objects.filter(order__agreement=found, version=F("order__current_version"))
    if versions.exists() and not versions.filter(success_management=True).exists():
        raise RuleViolation(
            "SM-1",
            Message(
                gettext_noop("the orders of {code} exclude success management: there is no success plan"),
                code=found.code,
            ),
            field="agreement",
        )
    rows = SuccessPlan.objects.select_for_update() if lock else SuccessPlan.objects
    plan = rows.select_related("agreement").filter(agreement=found).first()
    if plan is None:
        plan = SuccessPlan.objects.create(
            organisation_id=found.organisation_id, agreement=found, created_at=at or dt.datetime.now(dt.UTC)
        )
    return plan


def snapshot(plan: SuccessPlan) -> dict[str, dict[str, dict[str, object]]]:
    """Return the plan's objectives and activities as plain data, keyed by their ids."""
    return {
        "objectives": {
            f"O-{o.pk}": {
                "title": o.title,
                "measure": o.measure,
                "target": o.target.isoformat() if o.target else None,
                "state": o.state,
                "outcome": o.outcome,
            }
            for o in plan.objectives.order_by("pk")
        },
        "activities": {
            f"A-{a.pk}": {
                "domain": a.domain,
                "activity": a.activity,
                "description": a.description,
                "objective": f"O-{a.objective_id}" if a.objective_id else None,
                "done": a.done,
                "delivery": a.delivery_id,
                "incident": a.incident_id,
                "milestone": a.milestone_id,
            }
            for a in plan.activities.order_by("pk")
        },
    }


def _revise(plan: SuccessPlan, *, at: dt.datetime, by: str, what: str) -> None:
    PlanRevision.objects.create(plan=plan, at=at, by=by, what=what[:300], snapshot=snapshot(plan))


@transaction.atomic
def add_objective(
    *, scope: Scope, agreement: str, title: str, at: dt.datetime, measure: str = "", target: dt.date | None = None,
    actor: str = "",
) -> Objective:  # fmt: skip
    """Return the customer's objective added to the plan (SM-3)."""
    require(scope, can_edit_success_plans, EDIT_REFUSAL, field=None)
    plan = plan_for(scope, agreement, at=at, lock=True)
    row = Objective.objects.create(
        plan=plan,
        title=clean_text(title, field="title", limit=300, required=True),
        measure=clean_text(measure, field="measure", limit=300),
        target=check_target(target, today=at.date()),
    )
    _revise(plan, at=at, by=actor, what=f"objective O-{row.pk} added")
    return row


@transaction.atomic
def update_objective(
    *, scope: Scope, agreement: str, objective_id: int, at: dt.datetime, state: str | None = None,
    outcome: str | None = None, actor: str = "",
) -> Objective:  # fmt: skip
    """Return the objective with its new state and outcome (value validation, SM-2)."""
    require(scope, can_edit_success_plans, EDIT_REFUSAL, field=None)
    plan = plan_for(scope, agreement, at=at, lock=True)
    row = Objective.objects.filter(plan=plan, pk=objective_id).first()
    if row is None:
        raise NotFound(
            Message(gettext_noop("no objective O-{id} in this plan"), id=objective_id), field="objective"
        )
    if state is not None:
        try:
            row.state = ObjectiveState(state)
        except ValueError:
            raise InvalidInput("state", Message(gettext_noop("expected open, achieved or dropped"))) from None
    if outcome is not None:
        row.outcome = clean_text(outcome, field="outcome", limit=4000)
    row.save()
    _revise(plan, at=at, by=actor, what=f"objective O-{row.pk} updated")
    return row


@transaction.atomic
def add_activity(
    *, scope: Scope, agreement: str, domain: str, activity: str, at: dt.datetime, description: str = "",
    objective_id: int | None = None, delivery_id: int | None = None, incident_id: int | None = None,
    milestone_id: int | None = None, actor: str = "",
) -> PlannedActivity:  # fmt: skip
    """Return the Annexe B activity planned (SM-2), linked to the services that reach it where they exist."""
    require(scope, can_edit_success_plans, EDIT_REFUSAL, field=None)
    plan = plan_for(scope, agreement, at=at, lock=True)
    d, a = check_activity(domain, activity)
    if objective_id is not None and not Objective.objects.filter(plan=plan, pk=objective_id).exists():
        raise InvalidInput(
            "objective", Message(gettext_noop("no objective O-{id} in this plan"), id=objective_id)
        )
    _check_links(plan, delivery_id=delivery_id, incident_id=incident_id, milestone_id=milestone_id)
    row = PlannedActivity.objects.create(
        plan=plan, domain=d, activity=a, description=clean_text(description, field="description", limit=2000),
        objective_id=objective_id, delivery_id=delivery_id, incident_id=incident_id, milestone_id=milestone_id,
    )  # fmt: skip
    _revise(plan, at=at, by=actor, what=f"activity A-{row.pk} planned ({d}/{a})")
    return row


def _check_links(
    plan: SuccessPlan, *, delivery_id: int | None, incident_id: int | None, milestone_id: int | None
) -> None:
    from unisupport.deliveries.models import Delivery
    from unisupport.incidents.models import Incident
    from unisupport.programmes.models import Milestone

    organisation = plan.organisation_id
    for field, model, pk in (
        ("delivery", Delivery, delivery_id),
        ("incident", Incident, incident_id),
        ("milestone", Milestone, milestone_id),
    ):
        if pk is not None and not model.objects.filter(pk=pk, organisation_id=organisation).exists():
            raise InvalidInput(
                field, Message(gettext_noop("no {what} {id} of this customer"), what=field, id=pk)
            )


@transaction.atomic
def comment(*, scope: Scope, agreement: str, text: str, at: dt.datetime, actor: str) -> PlanComment:
    """Return the comment added to the plan (the customer's administrator, the CSAM)."""
    require(scope, can_comment_success_plans, COMMENT_REFUSAL, field=None)
    plan = plan_for(scope, agreement, at=at)
    return PlanComment.objects.create(
        plan=plan, at=at, author=actor, text=clean_text(text, field="text", limit=4000, required=True)
    )


def plan_at(plan: SuccessPlan, when: dt.datetime) -> dict[str, dict[str, dict[str, object]]]:
    """Return the plan as it stood at ``when`` (empty before its first change)."""
    revision = plan.revisions.filter(at__lte=when).order_by("-at", "-pk").first()
    return dict(revision.snapshot) if revision else {"objectives": {}, "activities": {}}
