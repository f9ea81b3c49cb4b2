"""Order endpoints: customers read their own orders; the vendor's CSAMs and back office validate and import."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.api.errors import answered, no_order
from unisupport.api.schemas import ErrorOut, ImportOut, OrderOut, OrderSummary, VerdictOut
from unisupport.orders.models import Order, OrderVersion
from unisupport.orders.presenters import order_json
from unisupport.orders.selectors import order_for, orders_for, version_of

router = Router(tags=["orders"])

ORDER_FILE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/yaml": {
                "schema": {"type": "string"},
                "example": "agreement: CONTOSO-UNIFIED\norder: ESO-2026-001\n…",
            },
            "application/json": {
                "schema": {"type": "object", "properties": {"yaml": {"type": "string"}}, "required": ["yaml"]}
            },
        },
    }
}


def _order_file(request: HttpRequest) -> str | None:
    """Return the YAML text of the request: a JSON {"yaml": …} body, or the YAML itself."""
    body = request.body.decode("utf-8", errors="replace")
    if request.content_type == "application/json":
        try:
            data = json.loads(body)
        except json.JSONDecodeError:
            return None
        text = data.get("yaml") if isinstance(data, dict) else None
        return text if isinstance(text, str) else None
    return body


UNREADABLE_BODY = {
    "valid": False,
    "errors": [
        {
            "rule": None,
            "path": "yaml",
            "message": 'yaml: send the order file as application/yaml, or JSON {"yaml": "…"}',
        }
    ],
    "warnings": [],
}


@router.get("/orders", response=list[OrderSummary])
def list_orders(request: HttpRequest) -> list[dict[str, object]]:
    """Return the orders the caller may see (a customer: their own organisation's)."""
    at = clock.now()
    return [order_json(version_of(o), at=at) for o in orders_for(scope_of(request.user))]


@router.post(
    "/orders/validate",
    response={200: VerdictOut, 403: ErrorOut, 422: VerdictOut},
    openapi_extra=ORDER_FILE_BODY,
)
def validate_order(request: HttpRequest) -> Status | HttpResponse:
    """Return the verdict on an order file, as `unisupport order validate --json` prints it."""
    return answered(lambda: _validate(request))


def _validate(request: HttpRequest) -> Status:
    from unisupport.orders.services import validate_order_file

    text = _order_file(request)
    if text is None:
        return Status(422, UNREADABLE_BODY)
    verdict = validate_order_file(scope=scope_of(request.user), text=text).verdict
    return Status(422 if verdict.unreadable else 200, verdict.as_dict())


@router.post(
    "/orders/import",
    response={200: ImportOut, 201: ImportOut, 403: ErrorOut, 409: ImportOut, 422: ImportOut},
    openapi_extra=ORDER_FILE_BODY,
)
def import_order(request: HttpRequest) -> Status | HttpResponse:
    """Validate then store an order file atomically: 201 when a version was written, 200 when unchanged,
    409 when a rule is broken (nothing written), 422 when the file cannot be read."""
    return answered(lambda: _import(request))


def _import(request: HttpRequest) -> Status:
    from unisupport.orders.services import import_order_file

    text = _order_file(request)
    if text is None:
        return Status(422, UNREADABLE_BODY | {"imported": []})
    result = import_order_file(scope=scope_of(request.user), at=clock.now(), text=text, actor=request.user)
    if result.verdict.unreadable:
        return Status(422, result.as_dict())
    if not result.verdict.valid:
        return Status(409, result.as_dict())
    created = any(item["created"] for item in result.orders)
    return Status(201 if created else 200, result.as_dict())


@router.get("/orders/{number}", response={200: OrderOut, 404: ErrorOut})
def get_order(request: HttpRequest, number: str, version: int | None = None) -> Status | HttpResponse:
    """Return an order (its current version, or `?version=N`) with sites, lines and the DEL-1 deadline."""

    def compute() -> Status:
        try:
            found = order_for(scope_of(request.user), number=number)
            return Status(200, order_json(version_of(found, version), at=clock.now()))
        except (Order.DoesNotExist, OrderVersion.DoesNotExist):
            raise no_order(number, field="number") from None

    return answered(compute)
