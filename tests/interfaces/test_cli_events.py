"""`unisupport event book` (issue 13 §1): the JSON contract, exit codes, nothing written on refusal,
and the booked window feeding the response targets (EVT-1..EVT-6)."""

from __future__ import annotations

import pytest

from tests.interfaces.clirunner import unisupport
from tests.ledger_support import buy_events
from unisupport.orders.models import EventCoverage

pytestmark = pytest.mark.django_db

AT = "2027-01-04T10:00:00+01:00"


@pytest.fixture
def events_line(demo_orders):
    """Contoso's FR site buys two MCS for Azure Events events."""
    buy_events(quantity=2)


def book(*extra: str, days: str = "2027-03-01..2027-03-05", product: str = "Azure Virtual Machines"):
    return unisupport(
        "event", "book", "--order", "ESO-2026-001", "--name", "Spring sale", "--days", days,
        "--product", product, "--at", AT, "--json", *extra,
    )  # fmt: skip


def test_evt1_evt4_a_booking_with_six_weeks_notice_is_accepted(events_line):
    run = book()
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert {k: data[k] for k in ("accepted", "needs_vendor_approval", "days")} == {
        "accepted": True,
        "needs_vendor_approval": False,
        "days": 5,
    }
    assert {"EVT-1", "EVT-4", "EVT-5", "EVT-6"} <= set(data["rules"])
    assert EventCoverage.objects.get(pk=data["id"]).products == ["Azure Virtual Machines"]


def test_evt4_shorter_notice_is_accepted_pending_the_vendors_approval(events_line):
    run = book(days="2027-02-01..2027-02-03")  # 28 days ahead
    assert run.exit_code == 0, run.stderr
    assert run.json()["needs_vendor_approval"] is True


def test_evt1_evt5_a_refusal_exits_1_names_every_rule_and_writes_nothing(events_line):
    run = book(days="2027-03-01..2027-03-21", product="Microsoft 365")  # 21 days, an excluded product
    assert run.exit_code == 1
    data = run.json()
    assert data["accepted"] is False
    assert sorted(e["rule"] for e in data["errors"]) == ["EVT-1", "EVT-5"]
    assert not EventCoverage.objects.exists()


def test_bad_input_exits_2_naming_the_flag(events_line):
    run = book(days="2027-03-05..2027-03-01")
    assert run.exit_code == 2
    assert "--days" in run.stdout + run.stderr
    unknown = book(product="Azure Teleporter")
    assert unknown.exit_code == 2
    assert not EventCoverage.objects.exists()


def test_the_events_bought_are_an_entitlement_and_an_order_without_events_is_refused(
    demo_orders, events_line
):
    assert book().exit_code == 0
    assert book(days="2027-04-01..2027-04-03").exit_code == 0
    third = book(days="2027-05-03..2027-05-05")
    assert third.exit_code == 1
    assert "all 2 events" in third.json()["errors"][0]["message"]
    listed = unisupport("event", "list", "--order", "ESO-2026-001", "--json").json()
    assert [e["days"] for e in listed] == [3, 5]


def test_evt4_evt8_the_vendor_approves_a_short_notice_booking_and_may_cancel_one(events_line):
    short = book(days="2027-02-01..2027-02-03").json()
    approved = unisupport("event", "approve", str(short["id"]), "--reduced-scope", "two regions", "--json")
    assert approved.exit_code == 0, approved.stderr
    assert (approved.json()["needs_vendor_approval"], approved.json()["reduced_scope"]) == (
        False,
        "two regions",
    )
    again = unisupport("event", "approve", str(short["id"]), "--json")
    assert again.exit_code == 2
    cancelled = unisupport(
        "event",
        "cancel",
        str(short["id"]),
        "--by",
        "vendor",
        "--reason",
        "no contacts given",
        "--at",
        AT,
        "--json",
    )
    assert cancelled.exit_code == 0, cancelled.stderr
    assert cancelled.json()["rules"] == ["EVT-8"]
    late = book().json()
    too_late = unisupport(
        "event", "cancel", str(late["id"]), "--reason", "x", "--at", "2027-03-02T09:00:00+01:00"
    )
    assert too_late.exit_code == 1  # the customer cancels before the first covered day only


def test_evt7_the_summary_lists_the_events_incidents_and_flags_an_unmitigated_one(events_line):
    from tests.incident_support import OPERATOR
    from unisupport import clock
    from unisupport.domain.incident_commands import OpenIncident
    from unisupport.incidents import services
    from unisupport.incidents.event_summary import event_summary

    booked = book().json()
    opened = services.open_incident(
        scope=OPERATOR,
        command=OpenIncident.parse(
            order_number="ESO-2026-001", site_country="FR", severity="1",
            product="Azure Virtual Machines", channel="web", title="Checkout down",
            source_portal="Azure portal", description="MCSAE: checkout down during the sale",
        ),
        at=__import__("datetime").datetime(2027, 3, 2, 10, tzinfo=__import__("datetime").UTC),
    )  # fmt: skip
    assert opened.event_id == booked["id"]  # INC-6: opened through the Azure portal, marked MCSAE
    summary = event_summary(OPERATOR, event_id=booked["id"], at=clock.now())
    assert [i["incident"] for i in summary["incidents"]] == [opened.pk]
    assert summary["flagged"] is True
    assert summary["rules"] == ["EVT-7"]
    csv = unisupport("event", "summary", str(booked["id"]), "--csv")
    assert csv.exit_code == 0
    assert "Checkout down" in csv.stdout


def test_an_over_long_name_exits_2_naming_it_on_every_database(events_line):
    run = unisupport(
        "event", "book", "--order", "ESO-2026-001", "--name", "x" * 300, "--days", "2027-03-01..2027-03-05",
        "--product", "Azure Virtual Machines", "--at", AT, "--json",
    )  # fmt: skip
    assert run.exit_code == 2
    assert "name" in run.stdout + run.stderr
    assert not EventCoverage.objects.exists()


def test_evt3_a_scenario_change_waits_for_the_vendor_who_approves_it_with_a_fee_or_refuses_it(events_line):
    booked = book().json()
    ask = unisupport("event", "scenario", str(booked["id"]), "--text", "checkout and payments", "--json")
    assert ask.exit_code == 0, ask.stderr
    assert (ask.json()["scenario_change"], ask.json()["rules"]) == ("checkout and payments", ["EVT-3"])
    twice = unisupport("event", "scenario", str(booked["id"]), "--text", "again", "--json")
    assert twice.exit_code == 2  # one change at a time
    approved = unisupport(
        "event",
        "scenario-decide",
        str(booked["id"]),
        "--approve",
        "--fee",
        "2500",
        "--new-assessment",
        "--json",
    )
    assert approved.exit_code == 0, approved.stderr
    decided = approved.json()
    assert decided["scenario"] == "checkout and payments"
    assert (decided["decisions"][0]["fee"], decided["decisions"][0]["new_assessment"]) == ("2500", True)
    from unisupport.ledger.models import LedgerEntry

    billed = LedgerEntry.objects.get(cause=f"event:E-{booked['id']}:scenario-fee")
    assert (billed.amount, billed.rule, billed.account.kind) == (2500, "EVT-3", "money")  # billed once
    unisupport("event", "scenario", str(booked["id"]), "--text", "everything", "--json")
    silent = unisupport("event", "scenario-decide", str(booked["id"]), "--refuse", "--json")
    assert silent.exit_code == 2  # a refusal says why
    refused = unisupport(
        "event", "scenario-decide", str(booked["id"]), "--refuse", "--reason", "out of scope", "--json"
    )
    assert refused.json()["scenario"] == "checkout and payments"
    assert [d["approved"] for d in refused.json()["decisions"]] == [True, False]


def test_evt1_a_booking_takes_an_event_from_the_ledger_and_only_the_customers_timely_cancellation_returns_it(
    events_line,
):
    from tests.scopes import OPERATOR
    from unisupport.ledger.models import LedgerAccount, LedgerEntry
    from unisupport.ledger.selectors import verify_ledger

    def left() -> int:
        return int(LedgerAccount.objects.get(kind="events", service="mcs-azure-events").balance)

    assert left() == 2  # granted with the line (EVT-1: the line's quantity is the events bought)
    first = book().json()
    assert left() == 1
    taken = LedgerEntry.objects.get(cause=f"event:E-{first['id']}")
    assert (taken.amount, taken.rule) == (-1, "EVT-1")
    cancelled = unisupport("event", "cancel", str(first["id"]), "--reason", "moved", "--at", AT, "--json")
    assert cancelled.exit_code == 0, cancelled.stderr
    assert left() == 2  # the customer cancelled before the first day: the event is the order's again
    second = book().json()
    unisupport("event", "cancel", str(second["id"]), "--by", "vendor", "--reason", "no answers", "--at", AT)
    assert left() == 1  # Reading: cancelled by the vendor under EVT-8, the event stays used
    assert verify_ledger(scope=OPERATOR).violations == []


def test_ord1_a_covered_day_outside_the_orders_term_is_refused(events_line):
    run = book(days="2027-06-28..2027-07-02")  # the term ends on 2027-06-30
    assert run.exit_code == 1
    assert [e["rule"] for e in run.json()["errors"]] == ["ORD-1"]
    assert not EventCoverage.objects.exists()
