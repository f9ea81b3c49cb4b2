"""`unisupport incident …`, `unisupport sla report` and `unisupport worker`: the issue's contract."""

from __future__ import annotations

import pytest

from tests.interfaces.clirunner import unisupport

pytestmark = pytest.mark.django_db


def open_a(*extra: str) -> dict:
    run = unisupport(
        "incident", "open", "--order", "ESO-2026-001", "--site", "FR", "--severity", "A",
        "--product", "Exchange Online", "--channel", "phone", "--title", "Mail flow down",
        "--at", "2026-12-18T17:00:00+01:00", "--json", *extra,
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    return run.json()


def test_open_prints_id_due_target_clock_offering_and_rules(demo_orders):
    opened = open_a()
    assert opened["due"] == "2026-12-18T16:30:00Z"
    assert opened["target_minutes"] == 30
    assert opened["clock"] == "24x7"
    assert opened["offering"] == "unified-enhanced-response"
    assert opened["rules"] == ["SEV-2", "SEV-7"]
    assert isinstance(opened["id"], int)


def test_open_with_bad_input_exits_2_naming_the_field(demo_orders):
    run = unisupport(
        "incident", "open", "--order", "ESO-2026-001", "--site", "FR", "--severity", "Z",
        "--product", "Exchange Online", "--channel", "phone", "--title", "x", "--at", "2026-12-18T17:00:00+01:00",
    )  # fmt: skip
    assert run.exit_code == 2
    assert "severity" in run.stderr
    naive = unisupport(
        "incident", "open", "--order", "ESO-2026-001", "--site", "FR", "--severity", "A",
        "--product", "Exchange Online", "--channel", "phone", "--title", "x", "--at", "2026-12-18T17:00:00",
    )  # fmt: skip
    assert naive.exit_code == 2
    assert "--at" in naive.stderr
    unknown = unisupport(
        "incident", "open", "--order", "ESO-2026-001", "--site", "FR", "--severity", "A",
        "--product", "Lotus Notes", "--channel", "phone", "--title", "x", "--at", "2026-12-18T17:00:00+01:00",
    )  # fmt: skip
    assert unknown.exit_code == 2
    assert "Lotus Notes" in unknown.stderr


def test_inc1_open_by_email_exits_1_naming_the_rule(demo_orders):
    run = unisupport(
        "incident", "open", "--order", "ESO-2026-001", "--site", "FR", "--severity", "A",
        "--product", "Exchange Online", "--channel", "email", "--title", "x", "--at", "2026-12-18T17:00:00+01:00",
    )  # fmt: skip
    assert run.exit_code == 1
    assert "INC-1" in run.stderr


def test_show_json_has_the_contract_fields_and_the_timeline(demo_orders):
    opened = open_a()
    automated = unisupport("incident", "respond", str(opened["id"]), "--channel", "email", "--automated",
                           "--at", "2026-12-18T17:01:00+01:00", "--json")  # fmt: skip
    assert automated.json()["first_response_at"] is None
    responded = unisupport("incident", "respond", str(opened["id"]), "--channel", "phone",
                           "--at", "2026-12-18T17:20:00+01:00", "--json")  # fmt: skip
    shown = unisupport("incident", "show", str(opened["id"]), "--json").json()
    assert responded.json()["response_met"] is True
    for key in ("id", "severity", "state", "due", "first_response_at", "response_met", "timeline"):
        assert key in shown
    assert shown["first_response_at"] == "2026-12-18T16:20:00Z"
    assert shown["due_local"] == "2026-12-18T17:30:00+01:00"
    kinds = [e["kind"] for e in shown["timeline"]]
    assert kinds[:2] == ["opened", "target-set"]
    assert "automatic-acknowledgement" in kinds
    assert kinds[-1] == "first-response"
    assert all({"at", "kind"} <= set(e) for e in shown["timeline"])


def test_sev8_downgrade_without_reason_exits_1_and_with_reason_succeeds(demo_orders):
    opened = open_a()
    refused = unisupport(
        "incident", "severity", str(opened["id"]), "--to", "B", "--at", "2026-12-18T17:05:00+01:00"
    )
    assert refused.exit_code == 1
    assert "SEV-8" in refused.stderr
    done = unisupport("incident", "severity", str(opened["id"]), "--to", "B", "--reason", "customer-resources",
                      "--at", "2026-12-18T17:05:00+01:00", "--json")  # fmt: skip
    assert done.exit_code == 0
    assert done.json()["severity"] == "B"


def test_rca1_after_closure_exits_1_naming_the_rule(demo_orders):
    opened = open_a()
    unisupport("incident", "close", str(opened["id"]), "--at", "2026-12-19T10:00:00+01:00")
    refused = unisupport(
        "incident", "rca", str(opened["id"]), "--via", "csam", "--at", "2026-12-19T11:00:00+01:00"
    )
    assert refused.exit_code == 1
    assert "RCA-1" in refused.stderr


def test_list_breached_and_the_sla_report(demo_orders):
    met = open_a()
    unisupport(
        "incident", "respond", str(met["id"]), "--channel", "phone", "--at", "2026-12-18T17:10:00+01:00"
    )
    late = open_a()
    worker = unisupport("worker", "--once", "--no-send", "--now", "2026-12-18T18:00:00+01:00")
    assert worker.exit_code == 0
    assert "processed 2 milestones" in worker.stdout  # the late one's 75 % warning and breach
    breached = unisupport("incident", "list", "--breached", "--json").json()
    assert [i["id"] for i in breached] == [late["id"]]
    assert len(unisupport("incident", "list", "--order", "ESO-2026-001", "--json").json()) == 2
    report = unisupport(
        "sla", "report", "--order", "ESO-2026-001", "--from", "2026-12-01", "--to", "2027-01-01", "--json"
    )
    assert report.exit_code == 0
    data = report.json()
    assert (data["incidents"], data["met"], data["attainment"]) == (2, 1, 0.5)
    assert data["by_severity"]["A"]["incidents"] == 2


def test_hrs3_advisory_time_past_6_hours_exits_1(demo_orders):
    run = unisupport(
        "incident", "open", "--order", "ESO-2026-001", "--site", "FR", "--severity", "C", "--kind", "advisory",
        "--product", "Azure Kubernetes Service", "--channel", "chat", "--title", "Upgrade advice",
        "--at", "2026-12-18T10:00:00+01:00", "--json",
    )  # fmt: skip
    advisory = run.json()["id"]
    assert (
        unisupport(
            "incident", "advisory-time", str(advisory), "--hours", "5", "--at", "2026-12-18T11:00:00+01:00"
        ).exit_code
        == 0
    )
    refused = unisupport(
        "incident", "advisory-time", str(advisory), "--hours", "1.5", "--at", "2026-12-18T12:00:00+01:00"
    )
    assert refused.exit_code == 1
    assert "HRS-3" in refused.stderr


def test_open_json_prints_its_refusal_as_json(demo_orders):
    """ORD-1: before the order's term no target applies; under --json the refusal is JSON on stdout."""
    run = unisupport(
        "incident", "open", "--order", "ESO-2026-001", "--site", "FR", "--severity", "A",
        "--product", "Exchange Online", "--channel", "phone", "--title", "too early",
        "--at", "2026-01-05T10:00:00+01:00", "--json",
    )  # fmt: skip
    assert run.exit_code == 1
    error = run.json()["error"]
    assert error["rule"] == "ORD-1"
    assert "no foundational package is active" in error["message"]
