"""/api/contacts: the customer's contacts named on an order (RSP-1, RSP-2, MCS-5) and their changes,
reported within 7 business days (RSP-3); scoped as the rest: another organisation's order is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.api.errors import answered
from unisupport.api.posting import IDEMPOTENCY, answered_once
from unisupport.api.schemas import ErrorOut
from unisupport.ledger.posting import actor_name
from unisupport.orders.presenters import contact_json
from unisupport.orders.selectors import contacts_of, missing_administrator
from unisupport.programmes.selectors import order_in_scope
from unisupport.success.contact_services import add_contact, change_contact
from unisupport.success.presenters import contact_change_json

router = Router(tags=["contacts"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
Role = Literal["admin", "reactive", "outage", "escalation"]


class ContactIn(Schema):
    order: str
    role: Role
    name: str
    email: str
    site: str = Field(
        "", description="The site it serves; a support services administrator names its host site"
    )


class ChangeIn(Schema):
    order: str
    changed_on: dt.date = Field(
        ..., description="The day the change happened (RSP-3 counts from the day after)"
    )
    name: str | None = None
    email: str | None = None
    role: Role | None = None
    active: bool | None = None


@router.get("/contacts", response={200: dict[str, Any], 404: ErrorOut})
def list_contacts(request: HttpRequest, order: str) -> Any:
    """Return the order's contacts, and an RSP-1 warning when it names no support services administrator."""

    def show() -> dict[str, Any]:
        found = order_in_scope(scope_of(request.user), order)
        warnings = (
            [{"rule": "RSP-1", "message": "the order names no support services administrator"}]
            if missing_administrator(found)
            else []
        )
        return {
            "order": found.number,
            "contacts": [contact_json(c) for c in contacts_of(found)],
            "warnings": warnings,
        }

    return answered(show)


@router.post("/contacts", response={201: dict[str, Any], **ERRORS}, openapi_extra=IDEMPOTENCY)
def create_contact(request: HttpRequest, data: ContactIn) -> Any:
    """Name a contact on the order (the customer's administrator, the CSAM, the back office)."""

    def run() -> tuple[int, dict[str, Any]]:
        row = add_contact(
            scope=scope_of(request.user), order=data.order, role=data.role, name=data.name, email=data.email,
            site=data.site, at=clock.now(), actor=actor_name(request.user),
        )  # fmt: skip
        return 201, contact_json(row)

    return answered_once(request, "contacts.add", run)


@router.post(
    "/contacts/{contact_id}/changes", response={201: dict[str, Any], **ERRORS}, openapi_extra=IDEMPOTENCY
)
def report_change(request: HttpRequest, contact_id: int, data: ChangeIn) -> Any:
    """Record a change of a contact, reported now: `late` after the 7th business day of the host site
    (RSP-3), still recorded."""

    def run() -> tuple[int, dict[str, Any]]:
        _, change, _ = change_contact(
            scope=scope_of(request.user), order=data.order, contact_id=contact_id, changed_on=data.changed_on,
            name=data.name, email=data.email, role=data.role, active=data.active, at=clock.now(),
            actor=actor_name(request.user),
        )  # fmt: skip
        return 201, contact_change_json(change)

    return answered_once(request, "contacts.change", run)
