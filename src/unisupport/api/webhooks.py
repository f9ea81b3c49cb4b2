"""/api/webhooks: signed webhook endpoints (Standard Webhooks) and their delivery log; a customer's
administrator sees and manages their organisation's only (another's is 404)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.api.errors import answered
from unisupport.api.posting import IDEMPOTENCY, answered_once
from unisupport.api.schemas import ErrorOut
from unisupport.ledger.posting import actor_name
from unisupport.webhooks import services
from unisupport.webhooks.presenters import endpoint_json
from unisupport.webhooks.selectors import delivery_log, endpoints_of

router = Router(tags=["webhooks"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class EndpointIn(Schema):
    url: str = Field(..., description="https:// (http:// only to loopback in development)")
    events: list[str] = Field([], description="Event types, e.g. incident.opened; none: every event")
    organisation: str | None = Field(
        None, description="The vendor only: whose events (none: every organisation's)"
    )


@router.get("/webhooks", response=list[dict[str, Any]])
def list_endpoints(request: HttpRequest) -> list[dict[str, Any]]:
    """Return the endpoints the caller sees (never their secrets)."""
    return [endpoint_json(e) for e in endpoints_of(scope_of(request.user))]


@router.post("/webhooks", response={201: dict[str, Any], **ERRORS}, openapi_extra=IDEMPOTENCY)
def create_endpoint(request: HttpRequest, data: EndpointIn) -> Any:
    """Register an endpoint: `secret` (whsec_…) is in this answer only."""

    def run() -> tuple[int, dict[str, Any]]:
        row, secret = services.add_endpoint(
            scope=scope_of(request.user), url=data.url, events=data.events, organisation=data.organisation,
            at=clock.now(), actor=actor_name(request.user),
        )  # fmt: skip
        return 201, endpoint_json(row) | {"secret": secret}

    return answered_once(request, "webhooks.add", run)


@router.post(
    "/webhooks/{endpoint_id}/rotate", response={200: dict[str, Any], **ERRORS}, openapi_extra=IDEMPOTENCY
)
def rotate(request: HttpRequest, endpoint_id: int) -> Any:
    """Give the endpoint a new secret (in this answer only); the previous one signs too for 24 hours."""

    def run() -> tuple[int, dict[str, Any]]:
        row, secret = services.rotate_secret(
            scope=scope_of(request.user), endpoint_id=endpoint_id, at=clock.now()
        )
        return 200, endpoint_json(row) | {"secret": secret}

    return answered_once(request, "webhooks.rotate", run)


@router.post("/webhooks/{endpoint_id}/disable", response={200: dict[str, Any], **ERRORS})
def disable(request: HttpRequest, endpoint_id: int) -> Any:
    """Disable the endpoint: nothing more is sent to it."""
    return answered(
        lambda: endpoint_json(
            services.set_active(
                scope=scope_of(request.user), endpoint_id=endpoint_id, active=False, at=clock.now()
            )
        )
    )


@router.post("/webhooks/{endpoint_id}/enable", response={200: dict[str, Any], **ERRORS})
def enable(request: HttpRequest, endpoint_id: int) -> Any:
    """Enable the endpoint again."""
    return answered(
        lambda: endpoint_json(
            services.set_active(
                scope=scope_of(request.user), endpoint_id=endpoint_id, active=True, at=clock.now()
            )
        )
    )


@router.post("/webhooks/{endpoint_id}/test", response={202: dict[str, Any], **ERRORS})
def test(request: HttpRequest, endpoint_id: int) -> Any:
    """Queue a `webhook.test` event for the endpoint; the worker sends it."""

    def run() -> Status:
        message = services.send_test(scope=scope_of(request.user), endpoint_id=endpoint_id, at=clock.now())
        return Status(202, {"endpoint": endpoint_id, "webhook_id": message.msg_id, "type": message.type})

    return answered(run)


@router.get("/webhooks/{endpoint_id}/deliveries", response={200: list[dict[str, Any]], 404: ErrorOut})
def deliveries(request: HttpRequest, endpoint_id: int) -> Any:
    """Return the endpoint's latest deliveries: status, attempts, latency, the response's start."""
    return answered(lambda: delivery_log(scope_of(request.user), endpoint_id=endpoint_id))
