"""Writes for the catalog: load the package's data files into the database."""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction

from unisupport.catalog.models import ProductRecord, ServiceRecord
from unisupport.catalog.selectors import forget_catalog
from unisupport.domain.catalog import Catalog, default_catalog


@transaction.atomic
def load_catalog(*, catalog: Catalog | None = None, overwrite: bool = False) -> tuple[int, int]:
    """Return (services, products) written: missing rows always, existing ones only if ``overwrite``.

    Without ``overwrite`` the back office's edits in the admin survive an upgrade.
    """
    catalog = catalog or default_catalog()
    written_services = written_products = 0
    for position, service in enumerate(catalog.services.values()):
        fields = asdict(service)
        code = fields.pop("code")
        fields.update(
            position=position,
            languages=list(service.languages),
            not_sold_in=list(service.not_sold_in),
            rules=list(service.rules),
            category=service.category.value,
            inclusion=service.inclusion.value,
            unit=service.unit.value,
        )
        if overwrite:
            ServiceRecord.objects.update_or_create(code=code, defaults=fields)
            written_services += 1
        else:
            _, created = ServiceRecord.objects.get_or_create(code=code, defaults=fields)
            written_services += created
    for product in catalog.products.values():
        fields = {
            "family": product.family.value,
            "flags": sorted(product.flags),
            "aliases": list(product.aliases),
            "support_portal": product.support_portal,
        }
        if overwrite:
            ProductRecord.objects.update_or_create(name=product.name, defaults=fields)
            written_products += 1
        else:
            _, created = ProductRecord.objects.get_or_create(name=product.name, defaults=fields)
            written_products += created
    forget_catalog()
    return written_services, written_products
