"""The portal's events (issue 13 §1): the verdict explained before booking, the booking, its page;
charlie sees nothing of Contoso's; French and English."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.interfaces.portal_support import signed_in
from tests.ledger_support import buy_events
from unisupport.orders.models import EventCoverage

pytestmark = pytest.mark.django_db
FORM = {
    "order": "ESO-2026-001",
    "name": "Spring sale",
    "days": "2027-03-01..2027-03-05",
    "products": "Azure Virtual Machines",
    "chat_bridge": "https://teams.example/bridge",
}


@pytest.fixture
def events_line(demo_orders, monkeypatch):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC))
    buy_events(quantity=2)


def test_evt1_evt5_the_verdict_is_explained_before_booking_then_the_event_is_booked(
    alice, charlie, events_line
):
    client = signed_in(alice)
    checked = client.post("/events/new/", FORM | {"check": "1", "products": "Microsoft 365"}).text
    assert "Refused:" in checked
    assert "EVT-5" in checked
    assert not EventCoverage.objects.exists()
    fine = client.post("/events/new/", FORM | {"check": "1"}).text
    assert "Accepted: 5 covered days." in fine
    assert not EventCoverage.objects.exists()  # a check writes nothing
    booked = client.post("/events/new/", FORM | {"book": "1"})
    assert booked.status_code == 302
    event = EventCoverage.objects.get()
    page = client.get(booked["Location"]).text
    assert "https://teams.example/bridge" in page
    assert "No incident opened during the coverage." in page
    assert signed_in(charlie).get(f"/events/{event.pk}/").status_code == 404
    assert "Spring sale" not in signed_in(charlie).get("/events/").text


def test_evt4_a_short_notice_booking_in_french_then_the_vendor_approves_it(alice, bob, events_line):
    client = signed_in(alice, "fr")
    page = client.post("/events/new/", FORM | {"check": "1", "days": "2027-02-01..2027-02-03"}).text
    assert "EVT-4" in page
    client.post("/events/new/", FORM | {"book": "1", "days": "2027-02-01..2027-02-03"})
    event = EventCoverage.objects.get()
    assert event.needs_vendor_approval
    signed_in(bob).post(f"/events/{event.pk}/approve/", {"reduced_scope": "une région"})
    event.refresh_from_db()
    assert (event.needs_vendor_approval, event.reduced_scope) == (False, "une région")
