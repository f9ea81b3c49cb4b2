"""`unisupport programme` and `unisupport mcs` (issue 13 §3): the JSON contract, exit codes (0 done,
1 a rule refused, 2 bad input naming the flag), nothing written on refusal."""

from __future__ import annotations

import pytest

from tests.interfaces.clirunner import unisupport
from unisupport.programmes.models import ImprovementPlan, Milestone, MonitoringScenario

pytestmark = pytest.mark.django_db

ORDER = "ESO-2026-001"


def test_mcs2_programme_show_lists_the_milestones_with_rule_name_due_and_state(demo_orders):
    shown = unisupport("programme", "show", "--order", ORDER, "--at", "2026-07-16T09:00:00+02:00", "--json")
    assert shown.exit_code == 0, shown.stderr
    data = shown.json()
    first = data["milestones"][0]
    assert {k: first[k] for k in ("rule", "name", "due", "state")} == {
        "rule": "MCS-2",
        "name": "Initial documentation completed with the CSAM",
        "due": "2026-07-15",
        "state": "late",
    }
    assert data["milestones"][1]["state"] == "pending"
    assert unisupport("programme", "show", "--order", "ESO-0000-404", "--json").exit_code == 2
    readable = unisupport("programme", "show", "--order", ORDER, "--at", "2026-07-16T09:00:00+02:00")
    assert "late     MCS-2" in readable.stdout


def test_programme_done_and_waive_exit_0_then_2_when_there_is_nothing_left_to_do(
    demo_orders, tmp_path, settings
):
    settings.UNISUPPORT_FILES_DIR = tmp_path / "files"
    docs = Milestone.objects.get(order__number=ORDER, key="mcs-initial-documentation")
    bare = unisupport("programme", "done", str(docs.pk), "--json")
    assert bare.exit_code == 2
    assert bare.json()["error"]["field"] == "note"
    evidence = tmp_path / "kickoff.pdf"
    evidence.write_bytes(b"%PDF-1.4 minutes")
    done = unisupport("programme", "done", str(docs.pk), "--file", str(evidence), "--json")
    assert done.exit_code == 0, done.stderr
    assert done.json()["state"] == "done"
    assert done.json()["evidence_file"].endswith("kickoff.pdf")
    again = unisupport("programme", "waive", str(docs.pk), "--reason", "x", "--json")
    assert again.exit_code == 2  # done already
    meeting = Milestone.objects.get(order__number=ORDER, key="uer-quarterly-meeting-2")
    waived = unisupport("programme", "waive", str(meeting.pk), "--reason", "customer freeze", "--json")
    assert (waived.exit_code, waived.json()["state"], waived.json()["waive_reason"]) == (
        0,
        "waived",
        "customer freeze",
    )


def test_mcs3_the_eighth_scenario_exits_1_and_is_not_written(demo_orders):
    for n in range(7):
        assert unisupport("mcs", "monitor", "add", "--order", ORDER, "--name", f"S{n}").exit_code == 0
    eighth = unisupport("mcs", "monitor", "add", "--order", ORDER, "--name", "S8", "--json")
    assert eighth.exit_code == 1
    assert eighth.json()["error"]["rule"] == "MCS-3"
    assert MonitoringScenario.objects.count() == 7


def test_mcs4_the_third_sip_exits_1_naming_the_next_possible_day(demo_orders):
    for day in ("2026-07-10", "2026-09-10"):
        made = unisupport(
            "mcs", "sip", "request", "--order", ORDER, "--at", f"{day}T10:00:00+02:00", "--json"
        )
        assert made.exit_code == 0, made.stderr
        assert made.json()["rule"] == "MCS-4"
    third = unisupport(
        "mcs", "sip", "request", "--order", ORDER, "--at", "2027-01-05T10:00:00+01:00", "--json"
    )
    assert third.exit_code == 1
    assert "2027-07-10" in third.json()["error"]["message"]
    assert ImprovementPlan.objects.count() == 2
    bad = unisupport("mcs", "sip", "request", "--order", ORDER, "--at", "soon")
    assert bad.exit_code == 2
    assert "--at" in bad.stderr


def test_mcs5_outage_declare_lists_the_communications_sent(demo_orders):
    assert (
        unisupport("mcs", "outage", "contact", "--order", ORDER, "--email", "ops@contoso.test").exit_code == 0
    )
    declared = unisupport(
        "mcs", "outage", "declare", "--title", "Storage degraded", "--service", "Azure Storage",
        "--region", "westeurope", "--start", "2026-09-01T08:00:00Z", "--json",
    )  # fmt: skip
    assert declared.exit_code == 0, declared.stderr
    assert declared.json()["communications"] == [{"order": ORDER, "email": "ops@contoso.test"}]
    wrong = unisupport("mcs", "outage", "contact", "--order", ORDER, "--email", "not-an-address", "--json")
    assert (wrong.exit_code, wrong.json()["error"]["field"]) == (2, "email")
