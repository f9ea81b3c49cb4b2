"""/api/programmes and /api/mcs: the enhanced offerings' milestones (MCS-1..MCS-3, UER-2, UER-3,
REDE-1), monitoring scenarios (MCS-3), SIPs (MCS-4), outages (MCS-5), enrolled subscriptions
(MCS-6) and MSCIR before signature (MCS-9); scoped as the rest: another organisation's row is 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.api.errors import answered
from unisupport.api.posting import IDEMPOTENCY, answered_once
from unisupport.api.schemas import ErrorOut
from unisupport.ledger.posting import actor_name
from unisupport.orders.presenters import contact_json
from unisupport.programmes import mcs_services, outages, services
from unisupport.programmes.presenters import (
    alert_json,
    authorisation_json,
    bill_json,
    enrolment_json,
    milestone_json,
    outage_json,
    plan_json,
    scenario_json,
)
from unisupport.programmes.selectors import (
    late_milestones,
    milestones_of,
    order_in_scope,
    plans_of,
    scenarios_of,
    sev1_reviews,
    today_at,
)
from unisupport.success.contact_services import add_contact

router = Router(tags=["programmes"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class DoneIn(Schema):
    note: str = Field(..., description="What was done: the evidence")


class WaiveIn(Schema):
    reason: str


class ScenarioIn(Schema):
    order: str
    name: str
    monitors: str = Field("", description="Vendor-confidential: never shown to the customer (MCS-3)")
    thresholds: str = Field("", description="Vendor-confidential: never shown to the customer (MCS-3)")


class FiredIn(Schema):
    summary: str = Field("", description="What the customer is told (never the telemetry)")


class SipIn(Schema):
    order: str
    topic: str = ""


class OutageIn(Schema):
    title: str
    services: list[str]
    regions: list[str] = []
    started_at: dt.datetime
    ended_at: dt.datetime | None = None


class ContactIn(Schema):
    order: str
    email: str
    name: str = ""


class EnrolIn(Schema):
    order: str
    subscription: str
    name: str = ""
    region: str = ""


class AuthoriseIn(Schema):
    order: str
    authorised_by: str
    started_on: dt.date
    note: str = ""


class BillIn(Schema):
    order: str
    amount: Decimal
    note: str = ""


@router.get("/programmes", response={200: dict[str, Any], 404: ErrorOut})
def programme(request: HttpRequest, order: str) -> Any:
    """Return the order's milestones (rule, name, due date, state: "late" past its date) and its Sev 1
    incidents with their post-incident reviews (UER-2)."""

    def show() -> dict[str, Any]:
        scope = scope_of(request.user)
        found = order_in_scope(scope, order)
        now = clock.now()
        today = today_at(found, now)
        rows = [milestone_json(m, now=now) for m in milestones_of(scope, order=found)]
        reviews = sev1_reviews(scope, order=found)
        return {
            "order": found.number,
            "today": today.isoformat(),
            "milestones": rows,
            "sev1_reviews": reviews,
        }

    return answered(show)


@router.get("/programmes/late", response=dict[str, Any])
def late(request: HttpRequest, mine: bool = False, after: str | None = None) -> Any:
    """Return the late milestones across every customer the caller sees, oldest first, 100 a page;
    `mine`: the caller's own agreements as CSAM; `after`: the previous page's `next`."""
    now = clock.now()
    cursor = None
    if after:
        instant, _, pk = after.rpartition("~")
        cursor = (dt.datetime.fromisoformat(instant), int(pk))
    rows = late_milestones(
        scope_of(request.user), now=now, csam_id=request.user.pk if mine else None, after=cursor
    )
    page = [milestone_json(m, now=now) | {"customer": m.organisation.name} for m in rows]
    last = rows[-1] if len(rows) == 100 else None
    return {
        "milestones": page,
        "next": f"{last.late_from.isoformat()}~{last.pk}" if last and last.late_from else None,
    }


@router.post(
    "/programmes/milestones/{milestone_id}/done",
    response={200: dict[str, Any], **ERRORS},
    openapi_extra=IDEMPOTENCY,
)
def done(request: HttpRequest, milestone_id: int, data: DoneIn) -> Any:
    """Mark a milestone done with its evidence (the customer's administrator or the vendor)."""

    def run() -> tuple[int, dict[str, Any]]:
        row = services.complete_milestone(
            scope=scope_of(request.user),
            milestone_id=milestone_id,
            note=data.note,
            at=clock.now(),
            actor=actor_name(request.user),
        )
        return 200, milestone_json(row, now=clock.now())

    return answered_once(request, "programmes.done", run)


@router.post(
    "/programmes/milestones/{milestone_id}/waive",
    response={200: dict[str, Any], **ERRORS},
    openapi_extra=IDEMPOTENCY,
)
def waive(request: HttpRequest, milestone_id: int, data: WaiveIn) -> Any:
    """Waive a milestone, with the reason (the vendor)."""

    def run() -> tuple[int, dict[str, Any]]:
        row = services.waive_milestone(
            scope=scope_of(request.user),
            milestone_id=milestone_id,
            reason=data.reason,
            at=clock.now(),
            actor=actor_name(request.user),
        )
        return 200, milestone_json(row, now=clock.now())

    return answered_once(request, "programmes.waive", run)


@router.get("/mcs/scenarios", response={200: list[dict[str, Any]], 404: ErrorOut})
def scenarios(request: HttpRequest, order: str) -> Any:
    """Return the order's monitoring scenarios; monitors and thresholds for the vendor only (MCS-3)."""

    def show() -> list[dict[str, Any]]:
        scope = scope_of(request.user)
        return [
            scenario_json(s, scope=scope) for s in scenarios_of(scope, order=order_in_scope(scope, order))
        ]

    return answered(show)


@router.post("/mcs/scenarios", response={201: dict[str, Any], **ERRORS}, openapi_extra=IDEMPOTENCY)
def add_scenario(request: HttpRequest, data: ScenarioIn) -> Any:
    """Agree a monitoring scenario on an MCS Plus order (the vendor); the 8th is 409 with MCS-3."""

    def run() -> tuple[int, dict[str, Any]]:
        scope = scope_of(request.user)
        row = mcs_services.add_scenario(
            scope=scope, order=data.order, name=data.name, monitors=data.monitors, thresholds=data.thresholds,
            at=clock.now(), actor=actor_name(request.user),
        )  # fmt: skip
        return 201, scenario_json(row, scope=scope)

    return answered_once(request, "mcs.scenario", run)


@router.post(
    "/mcs/scenarios/{scenario_id}/fired", response={201: dict[str, Any], **ERRORS}, openapi_extra=IDEMPOTENCY
)
def fired(request: HttpRequest, scenario_id: int, data: FiredIn) -> Any:
    """Record a fired monitor: linked to the open incident, else the customer is asked to open one (MCS-3)."""

    def run() -> tuple[int, dict[str, Any]]:
        alert = mcs_services.record_fired_monitor(
            scope=scope_of(request.user), scenario_id=scenario_id, summary=data.summary, at=clock.now(),
            actor=actor_name(request.user),
        )  # fmt: skip
        return 201, alert_json(alert)

    return answered_once(request, "mcs.fired", run)


@router.get("/mcs/sips", response={200: list[dict[str, Any]], 404: ErrorOut})
def sips(request: HttpRequest, order: str) -> Any:
    """Return the order's service improvement plans (MCS-4)."""

    def show() -> list[dict[str, Any]]:
        scope = scope_of(request.user)
        return [plan_json(p) for p in plans_of(scope, order=order_in_scope(scope, order))]

    return answered(show)


@router.post("/mcs/sips", response={201: dict[str, Any], **ERRORS}, openapi_extra=IDEMPOTENCY)
def request_sip(request: HttpRequest, data: SipIn) -> Any:
    """Request a service improvement plan; a third within 12 months is 409 with MCS-4, naming when
    the next one becomes possible."""

    def run() -> tuple[int, dict[str, Any]]:
        row = mcs_services.request_sip(
            scope=scope_of(request.user), order=data.order, topic=data.topic, at=clock.now(),
            actor=actor_name(request.user),
        )  # fmt: skip
        return 201, plan_json(row)

    return answered_once(request, "mcs.sip", run)


@router.post("/mcs/outages", response={201: dict[str, Any], **ERRORS}, openapi_extra=IDEMPOTENCY)
def declare_outage(request: HttpRequest, data: OutageIn) -> Any:
    """Declare an Azure outage (the vendor): its communications go to the MCS Plus customers' contacts (MCS-5)."""

    def run() -> tuple[int, dict[str, Any]]:
        found, sent = outages.declare_outage(
            scope=scope_of(request.user), title=data.title, services=data.services, regions=data.regions,
            started_at=data.started_at, ended_at=data.ended_at, at=clock.now(), actor=actor_name(request.user),
        )  # fmt: skip
        return 201, outage_json(found, sent)

    return answered_once(request, "mcs.outage", run)


@router.post("/mcs/outage-contacts", response={201: dict[str, Any], **ERRORS}, openapi_extra=IDEMPOTENCY)
def outage_contact(request: HttpRequest, data: ContactIn) -> Any:
    """Add a pre-identified contact for the order's outage communications (MCS-5)."""

    def run() -> tuple[int, dict[str, Any]]:
        row = add_contact(
            scope=scope_of(request.user), order=data.order, role="outage", email=data.email, name=data.name or data.email,
            at=clock.now(), actor=actor_name(request.user),
        )  # fmt: skip
        return 201, contact_json(row)

    return answered_once(request, "mcs.contact", run)


@router.post("/mcs/subscriptions", response={201: dict[str, Any], **ERRORS}, openapi_extra=IDEMPOTENCY)
def enrol(request: HttpRequest, data: EnrolIn) -> Any:
    """Enrol a subscription on an MCS for Azure Platform order (MCS-6)."""

    def run() -> tuple[int, dict[str, Any]]:
        row = mcs_services.enrol_subscription(
            scope=scope_of(request.user), order=data.order, subscription=data.subscription, name=data.name,
            region=data.region, at=clock.now(), actor=actor_name(request.user),
        )  # fmt: skip
        return 201, enrolment_json(row)

    return answered_once(request, "mcs.enrol", run)


@router.post("/mcs/authorisations", response={201: dict[str, Any], **ERRORS}, openapi_extra=IDEMPOTENCY)
def authorise(request: HttpRequest, data: AuthoriseIn) -> Any:
    """Record the customer's authorisation to start MSCIR before signature (MCS-9)."""

    def run() -> tuple[int, dict[str, Any]]:
        row = mcs_services.authorise_before_signature(
            scope=scope_of(request.user), order=data.order, authorised_by=data.authorised_by,
            started_on=data.started_on, note=data.note, at=clock.now(), actor=actor_name(request.user),
        )  # fmt: skip
        return 201, authorisation_json(row)

    return answered_once(request, "mcs.authorise", run)


@router.post("/mcs/pre-signature-bills", response={201: dict[str, Any], **ERRORS}, openapi_extra=IDEMPOTENCY)
def bill(request: HttpRequest, data: BillIn) -> Any:
    """Bill MSCIR work done before signature to what the order owes (MCS-9)."""

    def run() -> tuple[int, dict[str, Any]]:
        (entry,) = mcs_services.bill_before_signature(
            scope=scope_of(request.user), order=data.order, amount=data.amount, note=data.note, at=clock.now(),
            actor=actor_name(request.user),
        )  # fmt: skip
        return 201, bill_json(data.order, entry)

    return answered_once(request, "mcs.bill", run)
