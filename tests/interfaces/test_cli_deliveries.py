"""`unisupport delivery …`: the JSON contract of issue 12, exit codes included."""

from __future__ import annotations

import pytest

from tests.interfaces.clirunner import unisupport

pytestmark = pytest.mark.django_db

AT = "2027-01-04T10:00:00+01:00"


def request(*extra: str):
    return unisupport(
        "delivery", "request", "--order", "ESO-2026-001", "--site", "FR", "--service", "workshop",
        "--at", AT, "--json", *extra,
    )  # fmt: skip


def test_crd1_del1_request_prints_the_reservation(rates):
    run = request("--quantity", "2")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert {k: data[k] for k in ("state", "service", "pay", "cost", "unit", "best_effort", "rules")} == {
        "state": "requested",
        "service": "workshop",
        "pay": "credits",
        "cost": "25",
        "unit": "credits",
        "best_effort": False,
        "rules": ["CRD-1"],
    }
    assert isinstance(data["id"], int)
    balance = unisupport("ledger", "balance", "--order", "ESO-2026-001", "--site", "FR", "--json").json()
    (fr_credits,) = [a for a in balance["accounts"] if a["kind"] == "credits"]
    assert fr_credits["reserved"] == "25"
    assert fr_credits["available"] == fr_credits["balance"]


def test_a_refusal_exits_1_naming_its_rule_and_bad_input_exits_2_naming_the_field(rates):
    refused = request("--quantity", "1000")
    assert refused.exit_code == 1
    assert refused.json()["error"]["rule"] == "CRD-2"
    bad = request("--quantity", "two")
    assert bad.exit_code == 2
    assert bad.json()["error"]["field"] == "quantity"
    assert unisupport("delivery", "list", "--json").json() == []


def test_del3_del2_reschedule_then_cancel_print_the_fee(rates):
    delivery_id = str(request("--quantity", "2").json()["id"])
    assert unisupport("delivery", "schedule", delivery_id, "--on", "2027-02-01", "--at", AT).exit_code == 0
    preview = unisupport("delivery", "show", delivery_id, "--json").json()["preview"]
    assert preview["free_until"] == "2027-01-18"  # DEL-2: 14 days before 1 February
    assert preview["next_reschedule_free"] is True  # DEL-3
    moved = unisupport(
        "delivery", "reschedule", delivery_id, "--on", "2027-02-15", "--at", AT, "--json"
    ).json()
    assert (moved["state"], moved["on"], moved["fee_percent"], moved["fee"], moved["rules"]) == (
        "scheduled",
        "2027-02-15",
        0,
        "0",
        ["DEL-3"],
    )
    cancelled = unisupport(
        "delivery", "cancel", delivery_id, "--at", "2027-02-10T10:00:00+01:00", "--json"
    ).json()  # 5 days before: 100 %
    assert (cancelled["state"], cancelled["fee_percent"], cancelled["fee"], cancelled["refund"]) == (
        "cancelled",
        100,
        "25",
        "0",
    )
    shown = unisupport("delivery", "show", delivery_id, "--json").json()
    assert [e["kind"] for e in shown["timeline"]] == ["requested", "scheduled", "rescheduled", "cancelled"]
    balance = unisupport("ledger", "balance", "--order", "ESO-2026-001", "--site", "FR", "--json").json()
    assert {a["kind"]: a["reserved"] for a in balance["accounts"]}["credits"] == "0"


def test_ord5_plan_proposes_deliveries_that_spend_what_would_expire(rates, bob, monkeypatch):
    """ORD-5, DEL-1: with bob delivering workshops and chalk talks at FR, the plan for ESO-2026-001
    spends the FR credits on his free business days; what nobody can deliver still expires."""
    from unisupport.accounts.models import EngineerProfile

    EngineerProfile.objects.create(
        user=bob, country="FR", services=["workshop", "chalk-talk"], languages=["fr"]
    )
    run = unisupport("delivery", "plan", "--order", "ESO-2026-001", "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert data["deadline"] == "2027-05-01"
    assert data["proposals"]
    assert {p["site"] for p in data["proposals"]} == {"FR"}
    assert {p["engineer"] for p in data["proposals"]} == {"bob"}
    days = [p["on"] for p in data["proposals"]]
    assert len(days) == len(set(days))  # one booking a day for bob
    expiring = {(lot["site"], lot["unit"]): lot["amount"] for lot in data["still_expiring"]}
    assert expiring[("DE", "credits")] == "200"  # nobody delivers at the DE site (written plainly, not 2E+2)
    # FLX-2: the allocation assigned to custom proactive engagements, which the order does not price.
    allocation = {lot["service"]: lot["amount"] for lot in data["still_expiring"] if lot["unit"] == "USD"}
    assert allocation["custom-proactive"] == "50000"
    assert all("E" not in p["cost"] for p in data["proposals"])


def test_del7_register_needs_the_consent(rates):
    delivery_id = str(request("--quantity", "2").json()["id"])
    refused = unisupport(
        "delivery", "register", delivery_id, "--name", "Ana", "--email", "ana@c.test", "--json"
    )
    assert (refused.exit_code, refused.json()["error"]["rule"]) == (1, "DEL-7")
    done = unisupport(
        "delivery", "register", delivery_id, "--name", "Ana", "--email", "ana@c.test", "--consent", "--json"
    )
    assert done.exit_code == 0, done.stderr
    assert done.json()["rule"] == "DEL-7"
