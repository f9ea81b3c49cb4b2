"""Reads for the catalog: the database's catalog as the domain's typed Catalog."""

from __future__ import annotations

from decimal import Decimal

from unisupport.catalog.models import ProductRecord, ServiceRecord
from unisupport.domain.catalog import Catalog, Category, Inclusion, Product, ProductFamily, Service, Unit
from unisupport.process_cache import ProcessCache


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


# Read on every incident opened, edited a few times a year: each process keeps it five seconds
# (unisupport.process_cache: this process's own edits clear it at once, through the signals in
# apps.py; another process's show within five seconds).
_catalog: ProcessCache[str, Catalog] = ProcessCache(seconds=5.0, size=1)
forget_catalog = _catalog.forget


def current_catalog() -> Catalog:
    """Return the catalog as the back office keeps it in the database (kept five seconds per process)."""
    return _catalog.get("catalog", _load_catalog)


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
