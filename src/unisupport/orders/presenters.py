"""Orders as plain data for the CLI's --json and the API (one shape for both)."""

from __future__ import annotations

import datetime as dt

from unisupport.domain.catalog import Inclusion
from unisupport.domain.contacts import ROLE_RULES, ContactRole
from unisupport.orders.models import EventCoverage, OrderContact, OrderVersion
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


def event_json(row: EventCoverage) -> dict[str, object]:
    """Return an event booking as the CLI and the API print it (`days` counts them, `covered` lists them)."""
    return {
        "id": row.pk,
        "order": row.order.number,
        "service": row.service_id,
        "name": row.name,
        "days": len(row.days),
        "first_day": row.days[0] if row.days else None,
        "last_day": row.days[-1] if row.days else None,
        "covered": list(row.days),
        "products": list(row.products),
        "scenario": row.scenario,
        "chat_bridge": row.chat_bridge or None,
        "needs_vendor_approval": row.needs_vendor_approval,
        "approved_by": row.approved_by or None,
        "reduced_scope": row.reduced_scope or None,
        "cancelled": row.cancelled_at is not None,
        "cancelled_by": row.cancelled_by or None,
        "reason": row.cancel_reason or None,
    }


def contact_json(contact: OrderContact) -> dict[str, object]:
    """Return a contact named on an order (RSP-1, RSP-2, MCS-5)."""
    return {
        "id": contact.pk,
        "order": contact.order.number,
        "role": contact.role,
        "site": contact.site or None,
        "name": contact.name,
        "email": contact.email,
        "active": contact.active,
        "rule": ROLE_RULES[ContactRole(contact.role)],
    }
