"""Shared by the portal tests: a signed-in client in a language, the opening form, Contoso's incident."""

from __future__ import annotations

from django.test import Client

from tests.incident_support import FRIDAY_5PM_PARIS, OPERATOR, contoso_incident

__all__ = ["FRIDAY_5PM_PARIS", "OPEN_FORM", "OPERATOR", "contoso_incident", "signed_in"]

# The portal's "open an incident" form, filled in for a Sev C on ESO-2026-001/FR.
OPEN_FORM = {
    "site": "ESO-2026-001/FR",
    "product": "Exchange Online",
    "severity": "C",
    "title": "Shared mailbox permissions lost",
    "description": "Since this morning.",
    "language": "en",
    "source_portal": "",
    "production_impact": "on",
    "callback_phone": "+33 1 40 00 00 00",
    "callback_email": "alice@contoso.example",
}


def signed_in(user, language: str = "en") -> Client:
    """Return a test client signed in as ``user`` whose browser asks for ``language``."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client
