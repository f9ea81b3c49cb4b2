"""/api/programmes and /api/mcs (issue 13 §3): scoped (charlie gets 404 for Contoso's), the vendor's
telemetry never shown to the customer (MCS-3), refusals 409 naming the rule."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.interfaces.http import request

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_server, demo_orders, monkeypatch):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC))
    return f"{api_server.url}/api"


def post(url: str, token: str, body: dict):
    return request("POST", url, token=token, body=json.dumps(body).encode(), content_type="application/json")


def test_mcs1_alice_reads_her_programme_charlie_gets_404(api, tokens):
    mine = request("GET", f"{api}/programmes?order=ESO-2026-001", token=tokens["alice"])
    assert mine.status == 200
    states = {m["key"]: m["state"] for m in mine.json()["milestones"]}
    assert states["mcs-onboarding"] == "late"
    assert states["mcs-monitors-ready"] == "pending"
    assert request("GET", f"{api}/programmes?order=ESO-2026-001", token=tokens["charlie"]).status == 404
    first = mine.json()["milestones"][0]["id"]
    assert post(f"{api}/programmes/milestones/{first}/done", tokens["charlie"], {"note": "x"}).status == 404
    done = post(f"{api}/programmes/milestones/{first}/done", tokens["alice"], {"note": "pack sent"})
    assert (done.status, done.json()["state"]) == (200, "done")
    assert post(f"{api}/programmes/milestones/{first}/waive", tokens["alice"], {"reason": "x"}).status == 403


def test_programmes_late_lists_every_customer_for_the_vendor_and_only_her_own_for_alice(api, tokens):
    vendor = request("GET", f"{api}/programmes/late", token=tokens["bob"]).json()["milestones"]
    assert {m["order"] for m in vendor} >= {"ESO-2026-001"}
    assert all(m["state"] == "late" for m in vendor)
    assert request("GET", f"{api}/programmes/late", token=tokens["charlie"]).json()["milestones"] == []


def test_mcs3_monitors_and_thresholds_never_reach_the_customer(api, tokens):
    made = post(
        f"{api}/mcs/scenarios", tokens["bob"],
        {"order": "ESO-2026-001", "name": "Checkout", "monitors": "p95 of /pay", "thresholds": "> 2 s"},
    )  # fmt: skip
    assert made.status == 201, made.body
    assert made.json()["thresholds"] == "> 2 s"
    seen = request("GET", f"{api}/mcs/scenarios?order=ESO-2026-001", token=tokens["alice"])
    assert seen.status == 200
    assert seen.json()[0]["name"] == "Checkout"
    assert "p95" not in seen.body.decode()
    assert "2 s" not in seen.body.decode()
    assert post(f"{api}/mcs/scenarios", tokens["alice"], {"order": "ESO-2026-001", "name": "x"}).status == 403


def test_mcs4_the_third_sip_is_409_naming_the_rule(api, tokens, monkeypatch):
    from unisupport import clock

    for day in (dt.datetime(2026, 7, 10, tzinfo=dt.UTC), dt.datetime(2026, 8, 10, tzinfo=dt.UTC)):
        monkeypatch.setattr(clock, "now", lambda day=day: day)
        assert post(f"{api}/mcs/sips", tokens["alice"], {"order": "ESO-2026-001"}).status == 201
    third = post(f"{api}/mcs/sips", tokens["alice"], {"order": "ESO-2026-001"})
    assert (third.status, third.json()["rule"]) == (409, "MCS-4")
    assert len(request("GET", f"{api}/mcs/sips?order=ESO-2026-001", token=tokens["alice"]).json()) == 2
