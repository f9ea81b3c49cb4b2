"""/api/events: book an event's coverage under MCS for Azure Events (Plus), approve, cancel, summarise
(EVT-1..EVT-8); scoped as the rest: another organisation's event is 404."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.api.errors import answered
from unisupport.api.posting import IDEMPOTENCY, answered_once
from unisupport.api.schemas import ErrorOut
from unisupport.domain.event_booking import parse_days
from unisupport.incidents.event_summary import event_summary
from unisupport.ledger.posting import actor_name
from unisupport.orders import booking_services
from unisupport.orders.presenters import event_json
from unisupport.orders.selectors import events_for

router = Router(tags=["events"])


class BookIn(Schema):
    order: str
    name: str
    days: str = Field(
        ..., description="Dates and FROM..TO ranges, comma-separated", examples=["2027-11-20..2027-11-30"]
    )
    products: list[str] = Field(..., description="The Azure services of the event's scenario (EVT-3, EVT-5)")
    scenario: str = ""
    contacts: str = ""
    chat_bridge: str = Field("", description="The 24x7 chat bridge (EVT-6)")


class ApproveIn(Schema):
    reduced_scope: str = Field("", description="The resilience scope kept, if reduced (EVT-4)")


class CancelIn(Schema):
    by: str = Field("customer", description="customer (before the first day) or vendor (EVT-8)")
    reason: str


@router.post(
    "/events",
    response={201: dict[str, Any], 409: dict[str, Any], 403: ErrorOut, 422: ErrorOut},
    openapi_extra=IDEMPOTENCY,
)
def book(request: HttpRequest, data: BookIn) -> Any:
    """Book an event: 201 accepted (also pending the vendor's approval, EVT-4); 409 refused, naming
    every rule (`errors`), nothing written; 422 bad input naming the field."""

    def run() -> tuple[int, dict[str, Any]]:
        verdict, row = booking_services.book_event(
            scope=scope_of(request.user), order=data.order, name=data.name, days=parse_days(data.days),
            products=data.products, scenario=data.scenario, contacts=data.contacts, chat_bridge=data.chat_bridge,
            at=clock.now(), actor=actor_name(request.user),
        )  # fmt: skip
        body = verdict.as_dict() | (event_json(row) if row else {})
        return (201 if row else 409), body

    return answered_once(request, "events.book", run)


@router.get("/events", response=list[dict[str, Any]])
def list_events(request: HttpRequest, order: str | None = None) -> list[dict[str, Any]]:
    """Return the event bookings the caller sees, newest first."""
    return [event_json(r) for r in events_for(scope_of(request.user), order=order)[:500]]


@router.get("/events/{event_id}/summary", response={200: dict[str, Any], 404: ErrorOut})
def summary(request: HttpRequest, event_id: int) -> Any:
    """Return the event's summary (EVT-7): its incidents, response met, mitigated; `flagged` when one is not."""
    return answered(lambda: event_summary(scope_of(request.user), event_id=event_id, at=clock.now()))


@router.post(
    "/events/{event_id}/approve",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    openapi_extra=IDEMPOTENCY,
)
def approve(request: HttpRequest, event_id: int, data: ApproveIn) -> Any:
    """Approve a booking made with less than six weeks' notice (the vendor; EVT-4)."""

    def run() -> tuple[int, dict[str, Any]]:
        row = booking_services.approve_event(
            scope=scope_of(request.user), event_id=event_id, reduced_scope=data.reduced_scope, at=clock.now(),
            actor=actor_name(request.user),
        )  # fmt: skip
        return 200, event_json(row) | {"rules": ["EVT-4"]}

    return answered_once(request, "events.approve", run)


@router.post(
    "/events/{event_id}/cancel",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    openapi_extra=IDEMPOTENCY,
)
def cancel(request: HttpRequest, event_id: int, data: CancelIn) -> Any:
    """Cancel a booking: the customer before its first day; the vendor with the reason (EVT-8)."""

    def run() -> tuple[int, dict[str, Any]]:
        row = booking_services.cancel_event(
            scope=scope_of(request.user), event_id=event_id, by=data.by, reason=data.reason, at=clock.now(),
            actor=actor_name(request.user),
        )  # fmt: skip
        return 200, event_json(row) | {"rules": ["EVT-8"] if data.by == "vendor" else ["EVT-1"]}

    return answered_once(request, "events.cancel", run)
