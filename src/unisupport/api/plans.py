"""/api/plans/{agreement}: an agreement's success plan (SM-1..SM-3); the CSAM edits it, the
customer's administrator reads and comments; another organisation's agreement is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.api.errors import answered
from unisupport.api.posting import IDEMPOTENCY, answered_once
from unisupport.api.schemas import ErrorOut
from unisupport.domain.success import compare
from unisupport.ledger.posting import actor_name
from unisupport.success import plan_services
from unisupport.success.presenters import plan_json

router = Router(tags=["success plans"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ObjectiveIn(Schema):
    title: str
    measure: str = ""
    target: dt.date | None = None


class ActivityIn(Schema):
    domain: str
    activity: str
    description: str = ""
    objective: int | None = None
    delivery: int | None = None
    incident: int | None = None
    milestone: int | None = None


class CommentIn(Schema):
    text: str


@router.get("/plans/{agreement}", response={200: dict[str, Any], 404: ErrorOut})
def show(request: HttpRequest, agreement: str) -> Any:
    """Return the success plan: objectives, activities per SM-2 domain, comments, revisions."""
    return answered(
        lambda: plan_json(plan_services.plan_for(scope_of(request.user), agreement, at=clock.now()))
    )


@router.get("/plans/{agreement}/compare", response={200: dict[str, Any], 404: ErrorOut})
def compare_plan(request: HttpRequest, agreement: str, start: dt.datetime, end: dt.datetime) -> Any:
    """Return what was added, removed and changed in the plan between two instants."""

    def run() -> dict[str, Any]:
        plan = plan_services.plan_for(scope_of(request.user), agreement)
        return compare(plan_services.plan_at(plan, start), plan_services.plan_at(plan, end))

    return answered(run)


@router.post(
    "/plans/{agreement}/objectives", response={201: dict[str, Any], **ERRORS}, openapi_extra=IDEMPOTENCY
)
def add_objective(request: HttpRequest, agreement: str, data: ObjectiveIn) -> Any:
    """Add an objective (the CSAM, SM-3)."""

    def run() -> tuple[int, dict[str, Any]]:
        row = plan_services.add_objective(
            scope=scope_of(request.user), agreement=agreement, title=data.title, measure=data.measure,
            target=data.target, at=clock.now(), actor=actor_name(request.user),
        )  # fmt: skip
        return 201, {"id": row.pk, "title": row.title, "rule": "SM-3"}

    return answered_once(request, "plans.objective", run)


@router.post(
    "/plans/{agreement}/activities", response={201: dict[str, Any], **ERRORS}, openapi_extra=IDEMPOTENCY
)
def add_activity(request: HttpRequest, agreement: str, data: ActivityIn) -> Any:
    """Plan an Annexe B activity (the CSAM, SM-2), linked to the services that reach it."""

    def run() -> tuple[int, dict[str, Any]]:
        row = plan_services.add_activity(
            scope=scope_of(request.user), agreement=agreement, domain=data.domain, activity=data.activity,
            description=data.description, objective_id=data.objective, delivery_id=data.delivery,
            incident_id=data.incident, milestone_id=data.milestone, at=clock.now(), actor=actor_name(request.user),
        )  # fmt: skip
        return 201, {"id": row.pk, "domain": row.domain, "activity": row.activity, "rule": "SM-2"}

    return answered_once(request, "plans.activity", run)


@router.post(
    "/plans/{agreement}/comments", response={201: dict[str, Any], **ERRORS}, openapi_extra=IDEMPOTENCY
)
def add_comment(request: HttpRequest, agreement: str, data: CommentIn) -> Any:
    """Comment the plan (the customer's administrator, the vendor)."""

    def run() -> tuple[int, dict[str, Any]]:
        row = plan_services.comment(
            scope=scope_of(request.user), agreement=agreement, text=data.text, at=clock.now(),
            actor=actor_name(request.user),
        )  # fmt: skip
        return 201, {"at": row.at.isoformat(), "by": row.author, "text": row.text}

    return answered_once(request, "plans.comment", run)
