"""/api/events (issue 13 §1): book, refuse naming every rule, approve, cancel, summarise; charlie sees
nothing of Contoso's events."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.interfaces.http import request
from tests.ledger_support import buy_events
from unisupport.orders.models import EventCoverage

pytestmark = pytest.mark.django_db
BODY = {
    "order": "ESO-2026-001",
    "name": "Spring sale",
    "days": "2027-03-01..2027-03-05",
    "products": ["Azure Virtual Machines"],
    "chat_bridge": "https://teams.example/bridge",
}


@pytest.fixture
def api(api_server, demo_orders, monkeypatch):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC))
    buy_events(quantity=2)
    return f"{api_server.url}/api/events"


def post(url: str, token: str, body: dict):
    return request("POST", url, token=token, body=json.dumps(body).encode(), content_type="application/json")


def test_evt1_evt6_alice_books_an_event_and_charlie_sees_none_of_it(api, tokens):
    made = post(api, tokens["alice"], BODY)
    assert made.status == 201, made.body
    data = made.json()
    assert (data["accepted"], data["needs_vendor_approval"], data["days"]) == (True, False, 5)
    assert data["chat_bridge"] == "https://teams.example/bridge"
    assert [e["id"] for e in request("GET", api, token=tokens["alice"]).json()] == [data["id"]]
    assert request("GET", api, token=tokens["charlie"]).json() == []
    assert request("GET", f"{api}/{data['id']}/summary", token=tokens["charlie"]).status == 404
    assert request("GET", f"{api}/{data['id']}/summary", token=tokens["alice"]).json()["flagged"] is False


def test_evt5_a_refusal_is_409_naming_every_rule_and_writes_nothing(api, tokens):
    refused = post(
        api, tokens["alice"], BODY | {"days": "2027-03-01..2027-03-21", "products": ["Azure Government"]}
    )
    assert refused.status == 409
    assert sorted(e["rule"] for e in refused.json()["errors"]) == ["EVT-1", "EVT-5"]
    bad = post(api, tokens["alice"], BODY | {"days": "someday"})
    assert (bad.status, bad.json()["field"]) == (422, "days")
    assert not EventCoverage.objects.exists()


def test_evt4_a_short_notice_booking_waits_for_the_vendor_who_approves_it(api, tokens):
    made = post(api, tokens["alice"], BODY | {"days": "2027-02-01..2027-02-03"}).json()
    assert made["needs_vendor_approval"] is True
    url = f"{api}/{made['id']}/approve"
    assert post(url, tokens["alice"], {}).status == 403
    approved = post(url, tokens["bob"], {"reduced_scope": "one region"})
    assert (approved.status, approved.json()["reduced_scope"]) == (200, "one region")
