"""Shared by the portal tests: a signed-in client in a language, and Contoso's incident.

Contoso's ESO-2026-001 (host FR, Europe/Paris) has foundational, UER and MCS for Azure Platform
Plus. Friday 18 December 2026, 17:00 Paris is 16:00 UTC.
"""

from __future__ import annotations

import datetime as dt

from django.test import Client

from unisupport.accounts.roles import Role
from unisupport.accounts.scope import Scope
from unisupport.incidents import services
from unisupport.incidents.models import Incident

OPERATOR = Scope(None, frozenset(), frozenset({Role.BACK_OFFICE}))
FRIDAY_5PM_PARIS = dt.datetime(2026, 12, 18, 16, 0, tzinfo=dt.UTC)


def signed_in(user, language: str = "en") -> Client:
    """Return a test client signed in as ``user`` whose browser asks for ``language``."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def contoso_incident(**overrides) -> Incident:
    """Return a Sev A Exchange Online incident opened by phone on ESO-2026-001/FR (``overrides`` change it)."""
    options = {
        "scope": OPERATOR,
        "order_number": "ESO-2026-001",
        "site_country": "FR",
        "severity": "A",
        "product": "Exchange Online",
        "channel": "phone",
        "title": "Mailboxes unreachable",
        "at": FRIDAY_5PM_PARIS,
    }
    options.update(overrides)
    return services.open_incident(**options)
