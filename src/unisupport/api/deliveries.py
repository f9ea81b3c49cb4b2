"""/api/deliveries: request, schedule, reschedule, cancel and deliver proactive services (DEL-*).

The same services and JSON as `unisupport delivery …`; scoped as the rest of the API (a customer
sees its own deliveries, another's answer 404); refusals 409 naming the rule, bad input 422
naming the field; every POST idempotent on `Idempotency-Key`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.accounts.selectors import active_user
from unisupport.api.errors import answered
from unisupport.api.posting import IDEMPOTENCY, POSTED, posted
from unisupport.api.schemas import ErrorOut
from unisupport.deliveries import selectors, services
from unisupport.deliveries.planner import plan_for
from unisupport.deliveries.presenters import delivery_json, fee_json, refusal_json
from unisupport.domain.deliveries import CancelledBy, DeliveryRequest
from unisupport.domain.incident_commands import parse_choice

router = Router(tags=["deliveries"])


class RequestIn(Schema):
    order: str = Field(..., examples=["ESO-2026-001"])
    site: str = Field(..., description="Country of the delivering site", examples=["FR"])
    service: str = Field(..., description="Catalog code of a proactive service", examples=["workshop"])
    quantity: Decimal = Field(Decimal(1), description="Participants of a workshop, or units")
    pay: str = Field(
        "credits",
        description="credits (CRD-1), hours (HRS-1), allocation (the flexible allocation assigned to the "
        "service at the site, FLX-2) or money (billed at the order's price, CAT-1)",
    )
    price: Decimal | None = Field(
        None,
        description="A unit price in the order's currency quoted by the vendor, for allocation or money "
        "when the order prices no such line (vendor only)",
    )
    on_site: bool = Field(False, description="Delivered on site (DEL-5)")
    language: str | None = Field(None, description="DEL-8: the site's language or English by default")


class ScheduleIn(Schema):
    on: dt.date = Field(..., description="The delivering site's local date")
    start: dt.time | None = Field(None, description="HH:MM, the site's time")
    hours: Decimal | None = None
    engineer: str | None = Field(None, description="The engineer's username")


class RescheduleIn(Schema):
    on: dt.date


class CancelIn(Schema):
    by: str = Field("customer", description="customer (DEL-2's fee) or vendor (DEL-4: all returned)")
    reason: str = ""


class RefuseIn(Schema):
    rule: str = Field(..., description="The rule the refusal cites", examples=["DEL-4"])
    reason: str = Field(..., description="Why, in words the customer reads")


class ListQuery(Schema):
    order: str | None = None
    customer: str | None = Field(None, description="The customer organisation's name (vendor staff)")
    site: str | None = Field(None, description="The site's country code (FR, DE …)")
    state: str | None = None
    best_effort: bool | None = None
    limit: int = Field(100, ge=1, le=500)
    after: int | None = Field(None, description="The id of the last delivery of the page before (keyset)")


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


@router.get("/deliveries", response={200: list[dict[str, Any]]})
def list_deliveries(request: HttpRequest, query: Query[ListQuery]) -> list[dict[str, Any]]:
    """Return the deliveries the caller sees, newest request first."""
    rows = selectors.deliveries_for(
        scope_of(request.user),
        order=query.order,
        state=query.state,
        best_effort=query.best_effort,
        after=query.after,
        customer_name=query.customer,
        site=query.site,
    ).select_related("payment", "engineer")
    return [delivery_json(d) for d in rows[: query.limit]]


@router.get("/deliveries/plan", response={200: dict[str, Any], 404: ErrorOut})
def plan(request: HttpRequest, order: str) -> Any:
    """Return the planner's proposals for an order: deliveries that spend what it would forfeit at its
    end (ORD-5) on engineers' free business days, and what would still expire (`delivery plan`)."""
    return answered(lambda: plan_for(scope_of(request.user), order=order, at=clock.now()))


@router.get("/deliveries/{delivery_id}", response={200: dict[str, Any], 404: ErrorOut})
def show_delivery(request: HttpRequest, delivery_id: int) -> Any:
    """Return one delivery with its timeline and, while open, what cancelling it now would cost and
    until when that is free (DEL-2; `next_reschedule_free`, DEL-3); 404 when it is not the caller's."""

    def compute() -> dict[str, Any]:
        found = selectors.delivery_for(scope_of(request.user), delivery_id=delivery_id)
        preview = selectors.cancellation_preview(found, at=clock.now())
        return delivery_json(found, timeline=True) | {"preview": preview}

    return answered(compute)


@router.post("/deliveries", response=POSTED, openapi_extra=IDEMPOTENCY)
def request_delivery(request: HttpRequest, data: RequestIn) -> Status:
    """Request a service; its cost is reserved at once (CRD-1/CRD-2, HRS-1/HRS-2); DEL-1 flags a late one."""

    def run() -> dict[str, Any]:
        command = DeliveryRequest.parse(
            order=data.order,
            site=data.site,
            service=data.service,
            quantity=data.quantity,
            pay=data.pay,
            on_site=data.on_site,
            language=data.language,
            price=data.price,
        )
        done = services.request_delivery(
            scope=scope_of(request.user), command=command, at=clock.now(), actor=_user(request)
        )
        return delivery_json(done)

    return posted(request, "deliveries.request", run)


@router.post("/deliveries/{delivery_id}/schedule", response=POSTED, openapi_extra=IDEMPOTENCY)
def schedule_delivery(request: HttpRequest, delivery_id: int, data: ScheduleIn) -> Status:
    """Schedule on a business day of the site within the order's term (ORD-1, SEV-7's calendar)."""

    def run() -> dict[str, Any]:
        done = services.schedule_delivery(
            scope=scope_of(request.user),
            delivery_id=delivery_id,
            on=data.on,
            start=data.start,
            hours=data.hours,
            engineer=active_user(data.engineer, field="engineer"),
            at=clock.now(),
            actor=_user(request),
        )
        return delivery_json(done)

    return posted(request, "deliveries.schedule", run)


@router.post("/deliveries/{delivery_id}/reschedule", response=POSTED, openapi_extra=IDEMPOTENCY)
def reschedule_delivery(request: HttpRequest, delivery_id: int, data: RescheduleIn) -> Status:
    """Move a scheduled delivery: the first move is free (DEL-3), later ones pay DEL-2's fee."""

    def run() -> dict[str, Any]:
        done, fee = services.reschedule_delivery(
            scope=scope_of(request.user),
            delivery_id=delivery_id,
            on=data.on,
            at=clock.now(),
            actor=_user(request),
        )
        return fee_json(done, fee)

    return posted(request, "deliveries.reschedule", run)


@router.post("/deliveries/{delivery_id}/cancel", response=POSTED, openapi_extra=IDEMPOTENCY)
def cancel_delivery(request: HttpRequest, delivery_id: int, data: CancelIn) -> Status:
    """Cancel: DEL-2's fee by notice for the customer, everything returned by the vendor (DEL-4)."""

    def run() -> dict[str, Any]:
        done, fee = services.cancel_delivery(
            scope=scope_of(request.user),
            delivery_id=delivery_id,
            by=parse_choice(CancelledBy, data.by, "by"),
            reason=data.reason,
            at=clock.now(),
            actor=_user(request),
        )
        return fee_json(done, fee)

    return posted(request, "deliveries.cancel", run)


@router.post("/deliveries/{delivery_id}/refuse", response=POSTED, openapi_extra=IDEMPOTENCY)
def refuse_delivery(request: HttpRequest, delivery_id: int, data: RefuseIn) -> Status:
    """Refuse a request not yet scheduled (the vendor), citing a rule; everything paid is returned (DEL-4)."""

    def run() -> dict[str, Any]:
        done, fee = services.refuse_delivery(
            scope=scope_of(request.user),
            delivery_id=delivery_id,
            rule=data.rule,
            reason=data.reason,
            at=clock.now(),
            actor=_user(request),
        )
        return refusal_json(done, fee)

    return posted(request, "deliveries.refuse", run)


@router.post("/deliveries/{delivery_id}/deliver", response=POSTED, openapi_extra=IDEMPOTENCY)
def deliver(request: HttpRequest, delivery_id: int) -> Status:
    """Record a scheduled delivery as delivered."""

    def run() -> dict[str, Any]:
        done = services.deliver(
            scope=scope_of(request.user), delivery_id=delivery_id, at=clock.now(), actor=_user(request)
        )
        return delivery_json(done)

    return posted(request, "deliveries.deliver", run)


class RegistrationIn(Schema):
    name: str
    email: str
    consents_recording: bool = Field(False, description="DEL-7: to the workshop's recording")
    consents_name_visible: bool = Field(False, description="DEL-7: to their name being seen by the others")


@router.post("/deliveries/{delivery_id}/registrations", response=POSTED, openapi_extra=IDEMPOTENCY)
def register(request: HttpRequest, delivery_id: int, data: RegistrationIn) -> Status:
    """Register a participant of a workshop bought per participant, with both consents (DEL-7)."""

    def run() -> dict[str, Any]:
        done = services.register_participant(
            scope=scope_of(request.user),
            delivery_id=delivery_id,
            name=data.name,
            email=data.email,
            consents_recording=data.consents_recording,
            consents_name_visible=data.consents_name_visible,
            at=clock.now(),
            actor=_user(request),
        )
        return {"id": done.pk, "delivery": delivery_id, "email": done.email, "rule": "DEL-7"}

    return posted(request, "deliveries.register", run)
