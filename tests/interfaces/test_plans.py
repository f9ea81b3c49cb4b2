"""`unisupport plan` and /api/plans (issue 14 §1): the CSAM edits an agreement's success plan, the
customer's administrator reads and comments it, every change is kept and two dates compare (SM-1..SM-3)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.interfaces.clirunner import unisupport
from tests.interfaces.http import request

pytestmark = pytest.mark.django_db
A = "CONTOSO-UNIFIED"


def test_sm2_sm3_the_csam_plans_objectives_and_activities_and_the_plan_compares_between_dates(demo_orders):
    made = unisupport(
        "plan", "objective", "add", "--agreement", A, "--title", "Checkout at 99.95 %", "--measure", "availability",
        "--target", "2027-06-30", "--at", "2026-12-01T09:00:00Z", "--json",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    objective = str(made.json()["id"])
    planned = unisupport(
        "plan", "activity", "add", "--agreement", A, "--domain", "solution-integrity", "--activity",
        "proactive-resilience", "--objective", objective, "--at", "2026-12-02T09:00:00Z", "--json",
    )  # fmt: skip
    assert (planned.exit_code, planned.json()["rule"]) == (0, "SM-2")
    wrong = unisupport(
        "plan",
        "activity",
        "add",
        "--agreement",
        A,
        "--domain",
        "executive-partnership",
        "--activity",
        "problem-management",
    )
    assert wrong.exit_code == 2
    unisupport(
        "plan", "objective", "update", "--agreement", A, "--objective", objective, "--state", "achieved",
        "--outcome", "99.97 % in Q1", "--at", "2026-12-10T09:00:00Z",
    )  # fmt: skip
    diff = unisupport(
        "plan", "compare", "--agreement", A, "--from", "2026-12-01", "--to", "2026-12-10", "--json"
    ).json()
    assert [a["activity"] for a in diff["activities"]["added"]] == ["proactive-resilience"]
    assert diff["objectives"]["changed"][0]["fields"]["state"] == {"from": "open", "to": "achieved"}
    shown = unisupport("plan", "show", "--agreement", A, "--json").json()
    assert [r["what"] for r in shown["revisions"]] == [
        f"objective O-{objective} added",
        f"activity A-{planned.json()['id']} planned (solution-integrity/proactive-resilience)",
        f"objective O-{objective} updated",
    ]
    assert shown["rules"] == ["SM-1", "SM-2", "SM-3"]


def test_sm3_alice_reads_and_comments_her_plan_but_does_not_edit_it_and_charlie_sees_none(
    api_server, demo_orders, tokens, monkeypatch
):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC))
    url = f"{api_server.url}/api/plans/{A}"

    def post(path: str, token: str, body: dict):
        return request(
            "POST", path, token=token, body=json.dumps(body).encode(), content_type="application/json"
        )

    assert (
        post(f"{url}/objectives", tokens["bob"], {"title": "Fewer Sev A", "target": "2027-06-30"}).status
        == 201
    )
    assert post(f"{url}/objectives", tokens["alice"], {"title": "mine"}).status == 403
    assert post(f"{url}/comments", tokens["alice"], {"text": "Agreed, add the DR test"}).status == 201
    shown = request("GET", url, token=tokens["alice"]).json()
    assert [o["title"] for o in shown["objectives"]] == ["Fewer Sev A"]
    assert shown["comments"][0]["text"] == "Agreed, add the DR test"
    assert request("GET", url, token=tokens["charlie"]).status == 404
    activity = post(
        f"{url}/activities",
        tokens["bob"],
        {"domain": "adoption-and-planning", "activity": "lifecycle-management"},
    )
    assert activity.status == 201


def test_sm2_the_plan_page_speaks_the_contracts_french_and_lets_alice_comment_only(alice, bob, charlie):
    from tests.interfaces.portal_support import signed_in

    page = f"/agreements/{A}/plan/"
    vendor = signed_in(bob)
    vendor.post(
        f"{page}activity/", {"activity": "solution-integrity/proactive-resilience", "description": "DR test"}
    )
    french = signed_in(alice, "fr").get(page).content.decode()
    assert "Plan de réussite" in french
    assert "Résilience Proactive" in french
    assert "DR test" in french
    assert 'action="/agreements/CONTOSO-UNIFIED/plan/activity/"' not in french  # only the CSAM edits
    signed_in(alice).post(f"{page}comment/", {"text": "Please add the failover drill"})
    assert "Please add the failover drill" in vendor.get(page).content.decode()
    assert signed_in(charlie).get(page).status_code == 404


def test_sm1_success_management_is_included_unless_the_order_says_otherwise(demo_orders, tmp_path):
    assert unisupport("plan", "show", "--agreement", A, "--json").exit_code == 0  # the demo: included
    path = tmp_path / "without.yaml"
    path.write_text(
        "agreement: NORTHWIND-UNIFIED\norder: ESO-2027-NW\ncustomer: Northwind SA\nhost: FR\nstart: 2027-01-01\n"
        "end: 2027-12-31\ncurrency: EUR\nsuccess_management: false\nsites:\n  - country: FR\n    lines:\n"
        "      - {service: foundational, list_price: 900000}\n"
    )
    assert unisupport("order", "import", str(path)).exit_code == 0
    refused = unisupport("plan", "show", "--agreement", "NORTHWIND-UNIFIED", "--json")
    assert refused.exit_code == 1
    assert refused.json()["error"]["rule"] == "SM-1"
    path.write_text(path.read_text().replace("success_management: false", "success_management: maybe"))
    assert unisupport("order", "validate", str(path)).exit_code == 2
