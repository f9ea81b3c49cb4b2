"""Roles: who a person is to the offering (RSP-1, RSP-2 and the vendor's staff)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person may see and do. Customer roles see their own organisation only."""

    # Customer staff
    CUSTOMER_ADMIN = "customer-admin", _("Support services administrator")  # RSP-1, MC-9
    REACTIVE_CONTACT = "reactive-contact", _("Reactive support contact")  # RSP-2
    CUSTOMER_VIEWER = "customer-viewer", _("Customer viewer")
    # Vendor staff
    CSAM = "csam", _("Customer Success Account Manager (CSAM)")
    SUPPORT_ENGINEER = "support-engineer", _("Support engineer")
    INCIDENT_MANAGER = "incident-manager", _("Incident manager")
    DELIVERY_SCHEDULER = "delivery-scheduler", _("Delivery scheduler")
    BACK_OFFICE = "back-office", _("Back-office administrator")


VENDOR_ROLES = frozenset(
    {Role.CSAM, Role.SUPPORT_ENGINEER, Role.INCIDENT_MANAGER, Role.DELIVERY_SCHEDULER, Role.BACK_OFFICE}
)
CUSTOMER_ROLES = frozenset({Role.CUSTOMER_ADMIN, Role.REACTIVE_CONTACT, Role.CUSTOMER_VIEWER})


def role_fits(role: str, organisation_kind: str) -> bool:
    """Return whether ``role`` may be held in an organisation of ``organisation_kind``: vendor roles in
    the vendor's own organisation only, customer roles in a customer's only."""
    if organisation_kind == OrganisationKind.VENDOR:
        return role in VENDOR_ROLES
    return role in CUSTOMER_ROLES


# Who may validate and import orders (the vendor's commercial side).
ORDER_MANAGERS = frozenset({Role.CSAM, Role.BACK_OFFICE})


class OrganisationKind(models.TextChoices):
    """A customer buys the offering; the vendor sells and delivers it."""

    CUSTOMER = "customer", _("Customer")
    VENDOR = "vendor", _("Vendor")
