"""Translated labels for the domain's enums, as the portal shows them (the French is the source's)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CATEGORY_LABELS = {
    "package": _("Foundational package"),
    "proactive/planning": _("Proactive services — planning"),
    "proactive/implementation": _("Proactive services — implementation"),
    "proactive/maintenance": _("Proactive services — maintenance"),
    "proactive/optimization": _("Proactive services — optimization"),
    "proactive/education": _("Proactive services — education"),
    "proactive/additional": _("Additional proactive services"),
    "proactive/other": _("Other proactive services"),
    "reactive": _("Reactive services"),
    "success management": _("Success management services"),
    "critical & strategic": _("Critical and strategic services"),
    "enhanced solution": _("Enhanced solutions"),
}

UNIT_LABELS = {
    "contract": _("contract (list price)"),
    "engagement": _("engagement"),
    "subscription": _("subscription"),
    "hours": _("hours"),
    "credits": _("credits"),
    "participant": _("participants"),
    "incident": _("per incident"),
    "request": _("per request"),
    "included": _("included"),
    "annual": _("annual"),
    "event": _("per event"),
    "tenant-set": _("per tenant set"),
    "annex": _("per annex"),
    "order-term": _("order term"),
    "quantity": _("quantity"),
}

MARK_TITLES = {
    "—": _("The foundational package"),
    "✓": _("Included in the foundational services"),
    "+": _("Additional service available for purchase"),
    "+¹": _("Additional service, within fixed quantity limits"),
}
