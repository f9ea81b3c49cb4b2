"""A customer sees their sites' calendars on their order: hours, public holidays and closures of the term (SEV-7)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.interfaces.portal_support import signed_in
from unisupport.calendars.models import CalendarClosure

pytestmark = pytest.mark.django_db


def test_sev7_alice_reads_her_sites_hours_holidays_and_closures(alice, django_assert_max_num_queries):
    CalendarClosure.objects.create(country="FR", start=dt.date(2026, 12, 24), reason="Réveillon")
    client = signed_in(alice)
    assert "/orders/ESO-2026-001/calendars/" in client.get("/orders/ESO-2026-001/").text
    page = client.get("/orders/ESO-2026-001/calendars/").text
    assert 'id="site-FR"' in page
    assert "Europe/Paris" in page
    assert "Monday" in page
    assert "Réveillon" in page
    assert "Christmas" in page or "Noël" in page
    assert "2026-12-25" in page
    assert "Lundi" in signed_in(alice, "fr").get("/orders/ESO-2026-001/calendars/").text.title()
    with django_assert_max_num_queries(15):
        client.get("/orders/ESO-2026-001/calendars/")


def test_charlie_cannot_read_contosos_calendars(charlie):
    assert signed_in(charlie).get("/orders/ESO-2026-001/calendars/").status_code == 404
