"""The JSON shape of customer-success records, the same for the API and the CLI."""

from __future__ import annotations

from unisupport.orders.models import ContactChange


def contact_change_json(change: ContactChange) -> dict[str, object]:
    """Return a change of a contact with its RSP-3 verdict: the deadline and whether it came late."""
    return {
        "id": change.pk,
        "contact": change.contact_id,
        "changed_on": change.changed_on.isoformat(),
        "reported_at": change.reported_at.isoformat(),
        "deadline": change.deadline.isoformat(),
        "late": change.late,
        "what": change.what,
        "rules": ["RSP-3"],
    }
