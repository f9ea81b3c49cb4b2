"""Catalog endpoints: anyone signed in may read the catalog."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from unisupport.api.errors import answered
from unisupport.api.schemas import ErrorOut, ProductOut, ServiceOut
from unisupport.catalog.presenters import service_json
from unisupport.domain.errors import NotFound, UnknownService

router = Router(tags=["catalog"])


@router.get("/services", response=list[ServiceOut])
def list_services(request: HttpRequest, category: str | None = None) -> list[dict[str, object]]:
    """Return the services of the catalog, optionally of one category."""
    from unisupport.catalog.selectors import services_in

    return [service_json(s) for s in services_in(category=category)]


@router.get("/services/{code}", response={200: ServiceOut, 404: ErrorOut})
def get_service(request: HttpRequest, code: str) -> Status | HttpResponse:
    """Return one service (404 naming CAT-1 if the code is unknown)."""
    from unisupport.catalog.selectors import current_catalog

    def compute() -> Status:
        service = current_catalog().services.get(code)
        if service is None:
            # CAT-1's refusal, answered as "not found" on the path that names the code.
            unknown = UnknownService(code)
            raise NotFound(unknown.text, field="code", rule="CAT-1", message=unknown.message)
        return Status(200, service_json(service))

    return answered(compute)


@router.get("/products", response=list[ProductOut])
def list_products(request: HttpRequest) -> list[dict[str, Any]]:
    """Return the product catalogue."""
    from unisupport.catalog.models import ProductRecord

    return [
        dict(row)
        for row in ProductRecord.objects.values("name", "family", "flags", "aliases", "support_portal")
    ]
