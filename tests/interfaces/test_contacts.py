"""Contacts named on an order (issue 14 §2): `unisupport contact` and /api/contacts — RSP-1 (the
administrator, warned about when missing), RSP-2, RSP-3 (a change reported after 7 business days
of the host site is late, across Christmas in France), charlie sees nothing of Contoso's."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.interfaces.clirunner import unisupport
from tests.interfaces.http import request
from unisupport.orders.models import ContactChange, OrderContact

pytestmark = pytest.mark.django_db
ORDER = "ESO-2026-001"


def add(role: str = "admin", email: str = "marie@contoso.test"):
    return unisupport(
        "contact", "add", "--order", ORDER, "--role", role, "--name", "Marie Dubois", "--email", email,
        "--site", "FR", "--json",
    )  # fmt: skip


def test_rsp1_rsp2_contacts_are_named_and_a_missing_administrator_is_warned_about(demo_orders):
    listed = unisupport("contact", "list", "--order", ORDER, "--json").json()
    assert [w["rule"] for w in listed["warnings"]] == ["RSP-1"]
    reactive = add("reactive", "ops@contoso.test")
    assert reactive.exit_code == 0, reactive.stderr
    assert (reactive.json()["role"], reactive.json()["rule"]) == ("reactive", "RSP-2")
    admin = add()
    assert admin.json()["rule"] == "RSP-1"
    assert unisupport("contact", "list", "--order", ORDER, "--json").json()["warnings"] == []
    bad = add(email="not an address")
    assert (bad.exit_code, bad.json()["error"]["field"]) == (2, "email")
    wrong_role = unisupport(
        "contact", "add", "--order", ORDER, "--role", "boss", "--name", "x", "--email", "x@y.z"
    )
    assert wrong_role.exit_code == 2
    assert OrderContact.objects.count() == 2


def test_rsp3_a_change_reported_after_seven_business_days_is_late_but_recorded(demo_orders):
    contact = add().json()["id"]
    change = [
        "contact", "change", "--order", ORDER, "--contact", str(contact), "--changed-on", "2026-12-22", "--json",
    ]  # fmt: skip
    on_time = unisupport(*change, "--email", "marie.dubois@contoso.test", "--at", "2027-01-04T17:00:00+01:00")
    assert on_time.exit_code == 0, on_time.stderr
    assert {k: on_time.json()[k] for k in ("late", "deadline", "rules")} == {
        "late": False,
        "deadline": "2027-01-04",  # 25 December and 1 January are French public holidays
        "rules": ["RSP-3"],
    }
    late = unisupport(*change, "--name", "Marie D.", "--at", "2027-01-05T09:00:00+01:00")
    assert (late.exit_code, late.json()["late"]) == (0, True)
    assert ContactChange.objects.filter(late=True).count() == 1
    nothing = unisupport(*change, "--name", "Marie D.")
    assert nothing.exit_code == 2  # nothing changes


def test_the_api_scopes_contacts_and_records_changes(api_server, demo_orders, tokens, monkeypatch):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 1, 5, 8, tzinfo=dt.UTC))
    url = f"{api_server.url}/api/contacts"

    def post(path: str, token: str, body: dict):
        return request(
            "POST", path, token=token, body=json.dumps(body).encode(), content_type="application/json"
        )

    made = post(
        url, tokens["alice"], {"order": ORDER, "role": "admin", "name": "Marie", "email": "m@contoso.test"}
    )
    assert made.status == 201, made.body
    assert request("GET", f"{url}?order={ORDER}", token=tokens["charlie"]).status == 404
    assert (
        post(url, tokens["charlie"], {"order": ORDER, "role": "admin", "name": "x", "email": "x@y.z"}).status
        == 404
    )
    assert request("GET", f"{url}?order={ORDER}", token=tokens["alice"]).json()["warnings"] == []
    changed = post(
        f"{url}/{made.json()['id']}/changes",
        tokens["alice"],
        {"order": ORDER, "changed_on": "2026-12-22", "active": False},
    )
    assert (changed.status, changed.json()["late"], changed.json()["rules"]) == (201, True, ["RSP-3"])
    assert [
        w["rule"] for w in request("GET", f"{url}?order={ORDER}", token=tokens["alice"]).json()["warnings"]
    ] == ["RSP-1"]


def test_rsp1_the_order_page_warns_until_an_administrator_is_named(alice):
    from tests.interfaces.portal_support import signed_in

    client = signed_in(alice)
    assert "RSP-1" in client.get("/orders/ESO-2026-001/").content.decode()
    client.post(
        "/orders/ESO-2026-001/contacts/add/",
        {"role": "admin", "name": "Marie", "email": "m@contoso.test", "site": "FR"},
    )
    assert 'role="alert"' not in client.get("/orders/ESO-2026-001/").content.decode()
