"""/api/deliveries through the whole Django stack: scoping (charlie sees nothing of Contoso's), roles,
409 with the rule, 422 naming the field, idempotency."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from tests.interfaces.http import Response, request
from unisupport.deliveries.models import Delivery

pytestmark = pytest.mark.django_db
REQUEST = {"order": "ESO-2026-001", "site": "FR", "service": "workshop", "quantity": 2}


def call(method: str, url: str, *, token: str, data: Any = None, key: str | None = None) -> Response:
    body = None if data is None else json.dumps(data).encode()
    headers = {"Idempotency-Key": key} if key else None
    return request(method, url, token=token, body=body, content_type="application/json", headers=headers)


@pytest.fixture
def api(api_server, rates, monkeypatch):
    from unisupport import clock

    # The product's clock reads Monday 4 January 2027, 11:00 Paris: the FR card of 2027 (12.5 a participant).
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC))
    return f"{api_server.url}/api/deliveries"


def test_crd1_a_customer_requests_and_sees_its_own_delivery_only(api, tokens):
    made = call("POST", api, token=tokens["alice"], data=REQUEST, key="req-1")
    assert made.status == 201, made.body
    delivery = made.json()
    assert (delivery["state"], delivery["cost"], delivery["unit"], delivery["rules"]) == (
        "requested",
        "25",
        "credits",
        ["CRD-1"],
    )
    again = call("POST", api, token=tokens["alice"], data=REQUEST, key="req-1")
    assert (again.status, again.json()["id"]) == (201, delivery["id"])  # idempotent: written once
    assert Delivery.objects.count() == 1
    assert [d["id"] for d in call("GET", api, token=tokens["alice"]).json()] == [delivery["id"]]
    assert call("GET", api, token=tokens["charlie"]).json() == []
    assert call("GET", f"{api}/{delivery['id']}", token=tokens["charlie"]).status == 404
    assert call("POST", f"{api}/{delivery['id']}/cancel", token=tokens["charlie"], data={}).status == 404
    shown = call("GET", f"{api}/{delivery['id']}", token=tokens["alice"]).json()
    assert [e["kind"] for e in shown["timeline"]] == ["requested"]


def test_a_refusal_is_409_with_the_rule_and_bad_input_422_with_the_field(api, tokens):
    short = call("POST", api, token=tokens["alice"], data=REQUEST | {"quantity": 1000})
    assert (short.status, short.json()["rule"]) == (409, "CRD-2")
    bad = call("POST", api, token=tokens["alice"], data=REQUEST | {"pay": "barter"})
    assert (bad.status, bad.json()["field"]) == (422, "pay")
    assert Delivery.objects.count() == 0


def test_del3_the_vendor_schedules_and_the_customer_reschedules_free_once(api, tokens):
    made = call("POST", api, token=tokens["alice"], data=REQUEST).json()
    url = f"{api}/{made['id']}"
    assert call("POST", f"{url}/schedule", token=tokens["alice"], data={"on": "2027-06-01"}).status == 403
    weekend = call("POST", f"{url}/schedule", token=tokens["bob"], data={"on": "2027-06-05"})
    assert (weekend.status, weekend.json()["rule"]) == (409, "SEV-7")
    scheduled = call(
        "POST", f"{url}/schedule", token=tokens["bob"], data={"on": "2027-06-01", "start": "09:30"}
    )
    assert (scheduled.status, scheduled.json()["on"], scheduled.json()["start"]) == (
        201,
        "2027-06-01",
        "09:30",
    )
    moved = call("POST", f"{url}/reschedule", token=tokens["alice"], data={"on": "2027-06-08"}).json()
    assert (moved["on"], moved["fee_percent"], moved["rules"]) == ("2027-06-08", 0, ["DEL-3"])


def test_ord5_the_plan_is_the_callers_order_only(api, tokens):
    mine = call("GET", f"{api}/plan?order=ESO-2026-001", token=tokens["alice"])
    assert mine.status == 200
    assert mine.json()["rules"] == ["ORD-5", "FLX-2", "DEL-1"]
    assert call("GET", f"{api}/plan?order=ESO-2026-001", token=tokens["charlie"]).status == 404


def test_flx2_cat1_paid_with_the_allocation_and_in_money_through_the_api(api, tokens):
    """FLX-2: the vendor requests a custom engagement at its quote from the allocation; CAT-1: alice's
    workshop billed at the order's 3,000.00 a participant; a customer's own price is refused (422)."""
    quoted = {"service": "custom-proactive", "pay": "allocation", "price": "12000"}
    made = call("POST", api, token=tokens["bob"], data=REQUEST | quoted | {"quantity": 1})
    assert made.status == 201, made.body
    assert (made.json()["cost"], made.json()["unit"], made.json()["rules"]) == ("12000.00", "USD", ["FLX-2"])
    own = call("POST", api, token=tokens["alice"], data=REQUEST | quoted | {"quantity": 1})
    assert (own.status, own.json()["field"]) == (422, "price")
    billed = call("POST", api, token=tokens["alice"], data=REQUEST | {"pay": "money"})
    assert (billed.status, billed.json()["cost"], billed.json()["rules"]) == (201, "6000.00", ["CAT-1"])


def test_del4_the_vendor_refuses_a_request_citing_its_rule(api, tokens):
    made = call("POST", api, token=tokens["alice"], data=REQUEST).json()
    url = f"{api}/{made['id']}/refuse"
    assert call("POST", url, token=tokens["alice"], data={"rule": "DEL-4", "reason": "x"}).status == 403
    unknown = call("POST", url, token=tokens["bob"], data={"rule": "NOPE-1", "reason": "x"})
    assert (unknown.status, unknown.json()["field"]) == (422, "rule")
    refused = call("POST", url, token=tokens["bob"], data={"rule": "DEL-4", "reason": "no engineer"})
    assert refused.status == 201, refused.body
    assert (refused.json()["state"], refused.json()["rules"], refused.json()["refund"]) == (
        "refused",
        ["DEL-4"],
        "25",
    )
