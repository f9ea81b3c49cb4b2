"""Orders as plain data for the CLI's --json and the API (one shape for both)."""

from __future__ import annotations

import datetime as dt

from unisupport.domain.catalog import Inclusion
from unisupport.orders.models import OrderVersion
from unisupport.orders.selectors import term_of


def order_json(version: OrderVersion, *, at: dt.datetime) -> dict[str, object]:
    """Return an order version with its sites, lines, allocation and term as JSON-able data."""
    term = term_of(version, at=at)
    allocation = getattr(version, "allocation", None)
    return {
        "order": version.order.number,
        "agreement": version.order.agreement.code,
        "customer": version.customer_name,
        "version": version.version,
        "versions": list(version.order.versions.values_list("version", flat=True)),
        "host": version.host_country,
        "start": version.start.isoformat(),
        "end": version.end.isoformat(),
        "currency": version.currency,
        "days_remaining": term.days_remaining,
        "request_deadline": term.request_deadline.isoformat(),
        "request_deadline_rule": "DEL-1",
        "assessed_azure_spend": None
        if version.assessed_azure_spend is None
        else str(version.assessed_azure_spend),
        "plus_floor_price_elected": version.plus_floor_price_elected,
        "sites": [
            {
                "country": site.country,
                "timezone": site.timezone,
                "role": site.role,
                "lines": [
                    {
                        "service": line.service_id,
                        "name_en": line.service.name_en,
                        "name_fr": line.service.name_fr,
                        "mark": Inclusion(line.service.inclusion).mark,
                        "quantity": format(line.quantity.normalize(), "f"),
                        "unit": line.service.unit,
                        "price": None if line.price is None else str(line.price),
                        "list_price": None if line.list_price is None else str(line.list_price),
                        "on_site": line.on_site,
                        "status": line.status,
                    }
                    for line in site.lines.all()
                ],
            }
            for site in version.sites.all()
        ],
        "flexible_allocation": None
        if allocation is None
        else {
            "amount": str(allocation.amount),
            "assignments": [
                {"service": a.service_id, "site": a.site.country, "amount": str(a.amount)}
                for a in allocation.assignments.all()
            ],
        },
    }
