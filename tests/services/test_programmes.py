"""An MCS Plus and UER order run as a programme (issue 13 §2): its milestones planned from the
contract's execution, done with evidence, waived by the vendor, late ones reminded once through
the outbox (read from a real SMTP server); the 8th scenario and the 3rd SIP refused; outages,
enrolled subscriptions and MSCIR before signature. The demo order ESO-2026-001 (executed on
2026-07-01, host FR) holds MCS for Azure Platform Plus and UER."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.scopes import OPERATOR
from unisupport.accounts.scope import scope_of
from unisupport.domain.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from unisupport.incidents.worker import tick
from unisupport.programmes import mcs_services, services
from unisupport.programmes.models import Milestone
from unisupport.programmes.selectors import late_milestones, milestones_of, order_in_scope
from unisupport.programmes.worker import remind_late

pytestmark = pytest.mark.django_db

ORDER = "ESO-2026-001"


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00")


def milestone(key: str) -> Milestone:
    return Milestone.objects.get(order__number=ORDER, key=key)


def test_mcs1_mcs2_mcs3_uer2_uer3_the_import_plans_the_programme_from_the_execution_date(demo_orders):
    found = order_in_scope(OPERATOR, ORDER)
    planned = {m.key: (m.rule, m.due) for m in milestones_of(OPERATOR, order=found)}
    assert planned["mcs-initial-documentation"] == ("MCS-2", dt.date(2026, 7, 15))
    assert planned["mcs-onboarding"] == ("MCS-1", dt.date(2026, 8, 29))
    assert planned["mcs-monitors-ready"] == ("MCS-3", dt.date(2026, 9, 28))
    assert planned["uer-onboarding"] == ("UER-3", dt.date(2026, 8, 29))
    quarterly = [due for rule, due in planned.values() if rule == "UER-2"]
    assert quarterly == [
        dt.date(2026, 9, 30),
        dt.date(2026, 12, 31),
        dt.date(2027, 3, 31),
        dt.date(2027, 6, 30),
    ]
    # Paris midnight after the day, in UTC (summer time: UTC+2).
    assert milestone("mcs-initial-documentation").late_from == dt.datetime(2026, 7, 15, 22, tzinfo=dt.UTC)
    # Planned once: importing the same version again adds nothing.
    assert services.plan_programme(version=found.versions.get(version=found.current_version)) == []


def test_a_milestone_is_done_with_evidence_by_the_customer_and_waived_only_by_the_vendor(alice, bob, charlie):
    docs = milestone("mcs-initial-documentation")
    with pytest.raises(InvalidInput) as bare:
        services.complete_milestone(scope=scope_of(alice), milestone_id=docs.pk, at=at("2026-07-10"))
    assert bare.value.field == "note"
    with pytest.raises(NotFound):  # charlie must see nothing of Contoso's
        services.complete_milestone(
            scope=scope_of(charlie), milestone_id=docs.pk, note="x", at=at("2026-07-10")
        )
    done = services.complete_milestone(
        scope=scope_of(alice),
        milestone_id=docs.pk,
        note="architecture pack sent",
        at=at("2026-07-10"),
        actor="alice",
    )
    assert (done.state, done.evidence, done.done_by) == ("done", "architecture pack sent", "alice")
    with pytest.raises(InvalidInput):  # done once
        services.complete_milestone(
            scope=scope_of(alice), milestone_id=docs.pk, note="again", at=at("2026-07-11")
        )
    meeting = milestone("uer-quarterly-meeting-1")
    with pytest.raises(Forbidden):
        services.waive_milestone(
            scope=scope_of(alice), milestone_id=meeting.pk, reason="x", at=at("2026-07-10")
        )
    with pytest.raises(InvalidInput) as silent:
        services.waive_milestone(
            scope=scope_of(bob), milestone_id=meeting.pk, reason=" ", at=at("2026-07-10")
        )
    assert silent.value.field == "reason"
    waived = services.waive_milestone(
        scope=scope_of(bob), milestone_id=meeting.pk, reason="merged with the kick-off", at=at("2026-07-10")
    )
    assert waived.state == "waived"


def test_late_milestones_are_listed_and_reminded_once_through_the_smtp_server(
    alice, bob, charlie, smtp_server
):
    from django.contrib.auth.models import User

    User.objects.filter(username="bob").update(email="bob@vendor.test")
    User.objects.filter(username="alice").update(email="alice@contoso.test")
    from unisupport.orders.models import Agreement

    Agreement.objects.filter(code="CONTOSO-UNIFIED").update(csam=bob)
    services.complete_milestone(
        scope=scope_of(alice),
        milestone_id=milestone("mcs-initial-documentation").pk,
        note="sent",
        at=at("2026-07-10"),
    )
    before = at("2026-07-30", 21)  # the customer's documents are due on the 30th, Paris time
    assert [m.key for m in late_milestones(scope_of(bob), now=before)] == []
    after = at("2026-07-30", 22)
    assert [m.key for m in late_milestones(scope_of(bob), now=after)] == ["mcs-customer-documents"]
    assert [m.key for m in late_milestones(scope_of(bob), now=after, csam_id=bob.pk)] == [
        "mcs-customer-documents"
    ]
    assert late_milestones(scope_of(charlie), now=after) == []  # Fabrikam's administrator sees none of it
    assert remind_late(now=after) == 1
    assert remind_late(now=after + dt.timedelta(hours=1)) == 0  # exactly once
    tick(now=after)
    tick(now=after + dt.timedelta(minutes=5))
    received = {m["To"]: m["Subject"] for m in smtp_server.mailbox.messages}
    assert set(received) == {"bob@vendor.test", "alice@contoso.test"}
    assert (
        received["alice@contoso.test"]
        == "ESO-2026-001: milestone late (MCS-3): Customer's documents provided"
    )
    assert len(smtp_server.mailbox.messages) == 2
    # Done late: no longer listed; the others turn late on their own day.
    services.complete_milestone(
        scope=scope_of(alice), milestone_id=milestone("mcs-customer-documents").pk, note="sent", at=after
    )
    assert [m.key for m in late_milestones(scope_of(bob), now=at("2026-08-30"))] == [
        "mcs-scenarios-defined",
        "mcs-onboarding",
        "uer-onboarding",
    ]


def test_mcs3_seven_scenarios_the_eighth_refused_and_their_telemetry_is_the_vendors(alice, bob):
    for n in range(1, 8):
        mcs_services.add_scenario(
            scope=scope_of(bob), order=ORDER, name=f"Checkout {n}", monitors="p95 latency", thresholds="> 2 s",
            at=at("2026-08-01"),
        )  # fmt: skip
    with pytest.raises(RuleViolation) as eighth:
        mcs_services.add_scenario(scope=scope_of(bob), order=ORDER, name="Checkout 8", at=at("2026-08-01"))
    assert eighth.value.rule == "MCS-3"
    with pytest.raises(Forbidden):  # the customer does not agree monitors: their telemetry is confidential
        mcs_services.add_scenario(scope=scope_of(alice), order=ORDER, name="Mine", at=at("2026-08-01"))
    from unisupport.programmes.models import MonitoringScenario
    from unisupport.programmes.presenters import scenario_json

    shown = scenario_json(MonitoringScenario.objects.first(), scope=scope_of(alice))
    assert "monitors" not in shown
    assert "thresholds" not in shown
    assert scenario_json(MonitoringScenario.objects.first(), scope=scope_of(bob))["thresholds"] == "> 2 s"


def test_mcs3_a_fired_monitor_without_an_open_incident_asks_the_customer_to_open_one(alice, bob):
    from unisupport.incidents.models import Notification

    scenario = mcs_services.add_scenario(
        scope=scope_of(bob), order=ORDER, name="Checkout", at=at("2026-08-01")
    )
    alert = mcs_services.record_fired_monitor(
        scope=scope_of(bob),
        scenario_id=scenario.pk,
        summary="checkout slower than agreed",
        at=at("2026-08-02"),
    )
    assert alert.incident_id is None
    assert alert.customer_asked_at == at("2026-08-02")
    asked = Notification.objects.get(subject__contains="please open an incident")
    assert "checkout slower than agreed" in asked.body
    assert "p95" not in asked.body


def test_mcs4_the_third_sip_in_12_months_is_refused_naming_when_the_next_is_possible(alice):
    mcs_services.request_sip(scope=scope_of(alice), order=ORDER, at=at("2026-07-10"), topic="resilience")
    mcs_services.request_sip(scope=scope_of(alice), order=ORDER, at=at("2026-09-10"))
    with pytest.raises(RuleViolation) as third:
        mcs_services.request_sip(scope=scope_of(alice), order=ORDER, at=at("2026-12-10"))
    assert third.value.rule == "MCS-4"
    assert "2027-07-10" in third.value.message


def test_mcs5_an_outage_is_told_once_to_each_pre_identified_contact_with_their_subscriptions(alice, bob):
    from unisupport.incidents.models import Notification
    from unisupport.programmes.outages import declare_outage
    from unisupport.success.contact_services import add_contact

    add_contact(
        scope=scope_of(alice),
        order=ORDER,
        role="outage",
        email="Ops@Contoso.test",
        name="Ops",
        at=at("2026-08-01"),
    )
    mcs_services.enrol_subscription(
        scope=scope_of(bob),
        order=ORDER,
        subscription="AAAA-1",
        name="prod-eu",
        region="westeurope",
        at=at("2026-08-01"),
    )
    mcs_services.enrol_subscription(
        scope=scope_of(bob),
        order=ORDER,
        subscription="bbbb-2",
        name="prod-us",
        region="eastus",
        at=at("2026-08-01"),
    )
    _outage, sent = declare_outage(
        scope=scope_of(bob), title="Storage degraded", services=["Azure Storage"], regions=["westeurope"],
        started_at=at("2026-09-01"), at=at("2026-09-01", 10),
    )  # fmt: skip
    assert [(n.order.number, n.email) for n in sent] == [(ORDER, "ops@contoso.test")]
    mail = Notification.objects.get(recipient="ops@contoso.test")
    assert "prod-eu" in mail.body
    assert "prod-us" not in mail.body
    with pytest.raises(Forbidden):
        declare_outage(
            scope=scope_of(alice),
            title="x",
            services=["x"],
            regions=[],
            started_at=at("2026-09-01"),
            at=at("2026-09-01"),
        )


def test_mcs6_an_incident_on_a_subscription_not_enrolled_is_not_prioritised_under_mcs(bob):
    from unisupport.domain.incident_commands import OpenIncident
    from unisupport.incidents.services import open_incident

    mcs_services.enrol_subscription(
        scope=scope_of(bob), order=ORDER, subscription="AAAA-1", at=at("2026-08-01")
    )

    def opened(subscription: str):
        return open_incident(
            scope=OPERATOR,
            command=OpenIncident.parse(
                order_number=ORDER, site_country="FR", severity="A", product="Azure Virtual Machines",
                channel="web", title="VMs down", subscription=subscription,
            ),
            at=at("2026-09-02"),
        )  # fmt: skip

    enrolled = opened("aaaa-1")
    assert "mcs-azure-platform-plus" in enrolled.served_by
    other = opened("zzzz-9")
    assert "mcs-azure-platform-plus" not in other.served_by
    assert [e["rule"] for e in other.excluded] == ["MCS-6"]
    with pytest.raises(InvalidInput) as unnamed:
        opened("")
    assert unnamed.value.field == "subscription"


def test_mcs9_mscir_before_signature_is_authorised_then_billed(bob):
    from unisupport.ledger.models import LedgerEntry
    from unisupport.orders.services import import_order_file

    text = (
        "agreement: CONTOSO-UNIFIED\norder: ESO-2026-009\ncustomer: Contoso SA\nhost: FR\nstart: 2026-09-01\n"
        "end: 2027-06-30\nsigned: 2026-09-15\ncurrency: USD\nsites:\n  - country: FR\n    lines:\n"
        "      - {service: mscir, price: 20000}\n"
    )
    assert import_order_file(scope=OPERATOR, at=at("2026-09-01"), text=text).verdict.valid
    with pytest.raises(RuleViolation) as unauthorised:
        mcs_services.bill_before_signature(
            scope=scope_of(bob), order="ESO-2026-009", amount=Decimal("900"), at=at("2026-09-16")
        )
    assert unauthorised.value.rule == "MCS-9"
    with pytest.raises(InvalidInput) as after:
        mcs_services.authorise_before_signature(
            scope=scope_of(bob), order="ESO-2026-009", authorised_by="Jeanne Martin", started_on=dt.date(2026, 9, 15),
            at=at("2026-09-10"),
        )  # fmt: skip
    assert after.value.field == "started_on"
    recorded = mcs_services.authorise_before_signature(
        scope=scope_of(bob), order="ESO-2026-009", authorised_by="Jeanne Martin (CIO)", started_on=dt.date(2026, 9, 5),
        at=at("2026-09-05"),
    )  # fmt: skip
    assert (recorded.authorised_by, recorded.authorised_at) == ("Jeanne Martin (CIO)", at("2026-09-05"))
    (entry,) = mcs_services.bill_before_signature(
        scope=scope_of(bob), order="ESO-2026-009", amount=Decimal("900"), at=at("2026-09-16")
    )
    billed = LedgerEntry.objects.get(uid=entry.uid)
    assert (billed.amount, billed.rule, billed.account.kind) == (Decimal(900), "MCS-9", "money")
