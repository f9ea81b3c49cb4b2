"""/api/deliveries/{id}/… for deliverables (DEL-7), workshop terms (DEL-4) and on-demand
assessments (DEL-6); scoped as the rest: another organisation's delivery is 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.http import FileResponse, HttpRequest
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.api.posting import IDEMPOTENCY, POSTED, posted
from unisupport.api.schemas import ErrorOut
from unisupport.deliveries import deliverables, workshops
from unisupport.deliveries.presenters import assessment_work_json, delivery_json, fee_json
from unisupport.deliveries.selectors import delivery_for
from unisupport.files import file_download

router = Router(tags=["deliveries"])


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@router.get(
    "/deliveries/{delivery_id}/deliverables/{n}",
    response={200: None, 404: ErrorOut},
    openapi_extra={
        "responses": {
            "200": {"description": "The file, as an attachment", "content": {"application/octet-stream": {}}}
        }
    },
)
def download(request: HttpRequest, delivery_id: int, n: int) -> FileResponse:
    """Return the N-th deliverable (from 1) of a delivery the caller sees; not to be redistributed
    outside the customer's organisation (DEL-7, §2.7)."""
    found, path = deliverables.deliverable_for(scope_of(request.user), delivery_id=delivery_id, number=n)
    return file_download(path, name=found.name, content_type=found.content_type)


@router.post("/deliveries/{delivery_id}/deliverables", response=POSTED, openapi_extra=IDEMPOTENCY)
def attach(request: HttpRequest, delivery_id: int, file: list[UploadedFile] = File(...)) -> Status:  # noqa: B008
    """Attach deliverables (multipart, field `file`, repeatable) to a delivered service (DEL-7)."""

    def run() -> dict[str, Any]:
        uploads = [(f.name or "", f.read()) for f in file]
        deliverables.attach_deliverables(
            scope=scope_of(request.user),
            delivery_id=delivery_id,
            files=uploads,
            at=clock.now(),
            actor=_user(request),
        )
        return delivery_json(delivery_for(scope_of(request.user), delivery_id=delivery_id), timeline=True)

    return posted(request, "deliveries.deliverables", run)


class TermsIn(Schema):
    minimum: int | None = Field(None, description="Registrations needed by the deadline (DEL-4)")
    deadline: dt.date | None = Field(None, description="The day by which the minimum must be reached")
    capacity: int | None = Field(None, description="Most participants (DEL-7)")


@router.post("/deliveries/{delivery_id}/terms", response=POSTED, openapi_extra=IDEMPOTENCY)
def terms(request: HttpRequest, delivery_id: int, data: TermsIn) -> Status:
    """Set a workshop's capacity and its minimum of registrations by a deadline (the vendor; DEL-4)."""

    def run() -> dict[str, Any]:
        done = workshops.set_workshop_terms(
            scope=scope_of(request.user), delivery_id=delivery_id, minimum=data.minimum, deadline=data.deadline,
            capacity=data.capacity, at=clock.now(), actor=_user(request),
        )  # fmt: skip
        return delivery_json(done, timeline=True)

    return posted(request, "deliveries.terms", run)


@router.post("/deliveries/{delivery_id}/cancel-below-minimum", response=POSTED, openapi_extra=IDEMPOTENCY)
def cancel_below_minimum(request: HttpRequest, delivery_id: int) -> Status:
    """Cancel a workshop below its minimum after its deadline: everything returned (DEL-4); 409 before."""

    def run() -> dict[str, Any]:
        done, fee = workshops.cancel_below_minimum(
            scope=scope_of(request.user), delivery_id=delivery_id, at=clock.now(), actor=_user(request)
        )
        return fee_json(done, fee)

    return posted(request, "deliveries.cancel-below-minimum", run)


class SetupIn(Schema):
    starts_at: dt.datetime = Field(..., description="When the setup assistance began (with offset)")
    hours: Decimal = Field(..., description="How long; DEL-6: at most 2 hours in all")


class ResourceIn(Schema):
    starts_at: dt.datetime = Field(..., description="When the resource begins (with offset)")
    days: Decimal = Field(..., description="DEL-6: on site up to 2, remote up to 1")
    on_site: bool = False
    fee: Decimal = Field(..., description="Its fee in the order's currency, billed to what the order owes")


@router.post("/deliveries/{delivery_id}/setup", response=POSTED, openapi_extra=IDEMPOTENCY)
def setup(request: HttpRequest, delivery_id: int, data: SetupIn) -> Status:
    """Log the initial setup assistance of an on-demand assessment (409 DEL-6 beyond 2 hours)."""

    def run() -> dict[str, Any]:
        work = workshops.log_setup_assistance(
            scope=scope_of(request.user), delivery_id=delivery_id, starts_at=_aware(data.starts_at), hours=data.hours,
            at=clock.now(), actor=_user(request),
        )  # fmt: skip
        return assessment_work_json(work)

    return posted(request, "deliveries.setup", run)


@router.post("/deliveries/{delivery_id}/resource", response=POSTED, openapi_extra=IDEMPOTENCY)
def resource(request: HttpRequest, delivery_id: int, data: ResourceIn) -> Status:
    """Book an on-demand assessment's extra analysis resource, a separate paid line (409 DEL-6 when
    too long or during the setup hours)."""

    def run() -> dict[str, Any]:
        work = workshops.book_analysis_resource(
            scope=scope_of(request.user), delivery_id=delivery_id, starts_at=_aware(data.starts_at), days=data.days,
            on_site=data.on_site, fee=data.fee, at=clock.now(), actor=_user(request),
        )  # fmt: skip
        return assessment_work_json(work)

    return posted(request, "deliveries.resource", run)


def _aware(value: dt.datetime) -> dt.datetime:
    from unisupport.domain.entries import require_aware

    return require_aware(value, field="starts_at").astimezone(dt.UTC)
