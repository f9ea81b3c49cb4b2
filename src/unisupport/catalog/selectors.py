"""Reads for the catalog: the database's catalog as the domain's typed Catalog."""

from __future__ import annotations

import time
from decimal import Decimal

from unisupport.catalog.models import ProductRecord, ServiceRecord
from unisupport.domain.catalog import Catalog, Category, Inclusion, Product, ProductFamily, Service, Unit


def _service(row: ServiceRecord) -> Service:
    return Service(
        code=row.code,
        name_fr=row.name_fr,
        name_en=row.name_en,
        category=Category(row.category),
        inclusion=Inclusion(row.inclusion),
        unit=Unit(row.unit),
        description_fr=row.description_fr,
        description_en=row.description_en,
        unit_note_fr=row.unit_note_fr,
        unit_note_en=row.unit_note_en,
        languages=tuple(row.languages),
        not_sold_in=tuple(row.not_sold_in),
        provider=row.provider,
        provider_terms=row.provider_terms,
        max_quantity=None if row.max_quantity is None else Decimal(row.max_quantity),
        needs_vendor_acceptance=row.needs_vendor_acceptance,
        hour_block=row.hour_block,
        allocation_eligible=row.allocation_eligible,
        source=row.source,
        rules=tuple(row.rules),
    )


_CACHE_SECONDS = 5.0
_cache: dict[str, tuple[float, Catalog]] = {}


def forget_catalog(**_: object) -> None:
    """Drop this process's cached catalog (called when the admin saves a service or product)."""
    _cache.clear()


def current_catalog() -> Catalog:
    """Return the catalog as the back office keeps it in the database.

    Read at most every few seconds per process: this process's own edits clear the cache at
    once (signals in apps.py); another process's edits show within five seconds.
    """
    now = time.monotonic()
    cached = _cache.get("catalog")
    if cached is not None and now - cached[0] < _CACHE_SECONDS:
        return cached[1]
    catalog = _load_catalog()
    _cache["catalog"] = (now, catalog)
    return catalog


def _load_catalog() -> Catalog:
    services = {row.code: _service(row) for row in ServiceRecord.objects.all()}
    products = {
        row.name: Product(
            name=row.name,
            family=ProductFamily(row.family),
            flags=frozenset(row.flags),
            aliases=tuple(row.aliases),
            support_portal=row.support_portal,
        )
        for row in ProductRecord.objects.all()
    }
    return Catalog(services=services, products=products)


def services_in(*, category: str | None = None) -> list[Service]:
    """Return the catalog's services, optionally of one category, in catalog order."""
    rows = ServiceRecord.objects.all()
    if category:
        rows = rows.filter(category=category)
    return [_service(row) for row in rows]
