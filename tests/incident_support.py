"""Shared by the incident tests: the operator's scope and incidents opened on Contoso's ESO-2026-001.

Contoso's ESO-2026-001 (host FR, Europe/Paris) has foundational, UER and MCS for Azure Platform
Plus. Friday 18 December 2026, 17:00 Paris is 16:00 UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.scopes import OPERATOR
from unisupport.domain.incident_commands import OpenIncident
from unisupport.incidents import services
from unisupport.incidents.models import Incident

FRIDAY_5PM_PARIS = dt.datetime(2026, 12, 18, 16, 0, tzinfo=dt.UTC)


def _open(defaults: dict[str, Any], overrides: dict[str, Any]) -> Incident:
    options = {
        "order_number": "ESO-2026-001",
        "site_country": "FR",
        "channel": "phone",
        **defaults,
        **overrides,
    }
    scope, at = options.pop("scope", OPERATOR), options.pop("at", FRIDAY_5PM_PARIS)
    return services.open_incident(scope=scope, command=OpenIncident.parse(**options), at=at)


def contoso_incident(**overrides: Any) -> Incident:
    """Return a Sev A Exchange Online incident opened by phone on ESO-2026-001/FR (``overrides`` change it)."""
    return _open({"severity": "A", "product": "Exchange Online", "title": "Mailboxes unreachable"}, overrides)


def vm_incident(**overrides: Any) -> Incident:
    """Return a Sev C Azure Virtual Machines incident opened by phone on ESO-2026-001/FR."""
    return _open({"severity": "C", "product": "Azure Virtual Machines", "title": "VM restarts"}, overrides)
