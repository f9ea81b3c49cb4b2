"""Reactive support on the demo agreements: targets, clocks, escalation, severity changes, RCA, the worker.

Contoso (ESO-2026-001, host FR) has foundational, UER and MCS for Azure Platform Plus;
Fabrikam (ESO-2026-101, US) has foundational and Azure Rapid Response.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.incident_support import OPERATOR
from tests.incident_support import vm_incident as open_
from unisupport.accounts.roles import Role
from unisupport.accounts.scope import scope_of
from unisupport.domain.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from unisupport.incidents import services
from unisupport.incidents.models import Milestone, Notification, RosterEntry, RosterRole
from unisupport.incidents.selectors import attainment_report, incident_for
from unisupport.incidents.worker import process_due

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.fixture
def roster(bob, django_user_model):
    from unisupport.accounts.services import create_person

    sim = create_person(
        username="simone", password="x" * 12, roles=[Role.INCIDENT_MANAGER], email="simone@vendor.test"
    )
    crit = create_person(
        username="cris", password="x" * 12, roles=[Role.SUPPORT_ENGINEER], email="cris@vendor.test"
    )
    boss = create_person(
        username="boss", password="x" * 12, roles=[Role.BACK_OFFICE], email="boss@vendor.test"
    )
    RosterEntry.objects.create(role=RosterRole.SENIOR_INCIDENT_MANAGER, user=sim)
    RosterEntry.objects.create(role=RosterRole.CRITICAL_SITUATION, user=crit)
    RosterEntry.objects.create(role=RosterRole.SENIOR_MANAGEMENT, user=boss)
    from unisupport.orders.models import Agreement

    bob.email = "bob@vendor.test"
    bob.save()
    Agreement.objects.filter(code="CONTOSO-UNIFIED").update(csam=bob)
    return {"sim": sim, "crit": crit, "boss": boss}


def test_sev7_sev_c_runs_on_the_sites_business_hours_from_friday_evening_to_monday(demo_orders):
    incident = open_()
    assert incident.target_minutes == 240
    assert incident.clock == "business"
    assert incident.offering == "foundational"
    assert incident.rules == ["SEV-2", "SEV-7"]
    # Friday 17:00–17:30 (30 min), then Monday 21 December 09:00 + 210 min = 12:30 Paris.
    assert incident.response_due_at == at("2026-12-21T12:30:00+01:00")


def test_sev2_uer_sev_a_is_30_minutes_24x7_with_a_senior_incident_manager(demo_orders, roster):
    incident = open_(severity="A", product="Exchange Online")
    assert (incident.target_minutes, incident.clock, incident.offering) == (
        30,
        "24x7",
        "unified-enhanced-response",
    )
    assert incident.response_due_at == at("2026-12-18T17:30:00+01:00")
    assert incident.escalation["senior_incident_manager"] is True  # INC-4
    assert incident.escalation["critical_situation_supervision"] is True  # INC-2
    assert incident.escalation["continuous_24x7"] is True
    assert incident.incident_manager == roster["sim"]
    kinds = list(incident.timeline.values_list("kind", "rule"))
    assert ("incident-manager-assigned", "INC-4") in kinds
    assert ("escalation", "INC-2") in kinds


def test_inc2_sev_1_gets_a_critical_situation_resource_and_notifies_senior_management(demo_orders, roster):
    incident = open_(severity="1", product="Exchange Online")
    assert incident.critical_situation_resource == roster["crit"]
    assert incident.target_minutes == 30  # UER, other products (SEV-2)
    mail = Notification.objects.get(incident=incident, milestone=None)
    assert mail.recipient == "boss@vendor.test"
    assert "Sev 1" in mail.subject


def test_sev10_a_french_language_incident_loses_the_english_only_offerings(demo_orders):
    """SEV-10: MCS for Azure Platform Plus is English only; UER's limit is its incident management's."""
    incident = open_(severity="A", product="Exchange Online", language="fr")
    assert incident.offering == "unified-enhanced-response"
    assert incident.target_minutes == 30
    excluded = {e["offering"]: e["rule"] for e in incident.excluded}
    assert excluded == {"mcs-azure-platform-plus": "SEV-10"}
    assert incident.timeline.filter(kind="offering-excluded", rule="SEV-10").count() == 1


def test_inc5_mcs_platform_routes_azure_sev_b_to_mcs_engineers(demo_orders):
    incident = open_(severity="B")
    assert incident.escalation["route_to_mcs_engineers"] is True
    assert "INC-5" in incident.escalation["rules"]
    not_azure = open_(severity="B", product="Exchange Online")
    assert not_azure.escalation["route_to_mcs_engineers"] is False


def test_inc1_problem_resolution_by_e_mail_is_refused(demo_orders):
    with pytest.raises(RuleViolation) as refused:
        open_(channel="email")
    assert refused.value.rule == "INC-1"


def test_inc1_rapid_response_only_through_the_cloud_services_portal(demo_orders):
    by_phone = open_(
        order_number="ESO-2026-101", site_country="US", severity="1", at=at("2026-12-18T10:00:00-06:00")
    )
    assert {e["offering"]: e["rule"] for e in by_phone.excluded} == {"azure-rapid-response": "INC-1"}
    on_portal = open_(
        order_number="ESO-2026-101",
        site_country="US",
        severity="1",
        channel="web",
        source_portal="Azure portal",
        at=at("2026-12-18T10:00:00-06:00"),
    )
    assert on_portal.offering == "azure-rapid-response"
    assert on_portal.escalation["rapid_response_team"] is True  # INC-9


def test_sev2_an_automatic_acknowledgement_does_not_stop_the_clock(demo_orders):
    incident = open_(severity="A", product="Exchange Online")
    services.respond(
        scope=OPERATOR,
        incident_id=incident.pk,
        channel="email",
        automated=True,
        at=at("2026-12-18T17:01:00+01:00"),
    )
    incident.refresh_from_db()
    assert incident.first_response_at is None
    services.respond(
        scope=OPERATOR, incident_id=incident.pk, channel="phone", at=at("2026-12-18T17:20:00+01:00")
    )
    incident.refresh_from_db()
    assert incident.first_response_at == at("2026-12-18T17:20:00+01:00")
    assert incident.response_met is True
    assert incident.state == "in-progress"
    assert not Milestone.objects.filter(incident=incident, state="pending").exists()


def test_sev8_a_downgrade_needs_a_reason(demo_orders):
    incident = open_(severity="A", product="Exchange Online")
    with pytest.raises(RuleViolation) as refused:
        services.change_severity(
            scope=OPERATOR, incident_id=incident.pk, to="B", at=at("2026-12-18T17:10:00+01:00")
        )
    assert refused.value.rule == "SEV-8"


def test_sev8_the_clock_continues_under_the_new_severity_from_the_change(demo_orders):
    # Sev A under UER: 30 min 24x7 from 17:00; 10 minutes consumed when downgraded to B at 17:10.
    incident = open_(severity="A", product="Exchange Online")
    changed = services.change_severity(
        scope=OPERATOR,
        incident_id=incident.pk,
        to="B",
        reason="customer-responses",
        at=at("2026-12-18T17:10:00+01:00"),
    )
    # Sev B: 120 business minutes, 10 already used; 110 left from Friday 17:10 Paris: 20 min
    # on Friday, then Monday 09:00 + 90 min = 10:30.
    assert changed.target_minutes == 120
    assert changed.clock == "business"
    assert changed.response_due_at == at("2026-12-21T10:30:00+01:00")
    event = changed.timeline.get(kind="severity-changed")
    assert event.rule == "SEV-8"
    assert event.data["reason"] == "customer-responses"


def test_sev8_an_upgrade_recomputes_at_once(demo_orders):
    incident = open_(severity="C", product="Exchange Online", at=at("2026-12-17T10:00:00+01:00"))
    changed = services.change_severity(
        scope=OPERATOR, incident_id=incident.pk, to="A", at=at("2026-12-17T10:20:00+01:00")
    )
    # Sev A under UER: 30 minutes 24x7; 20 business minutes consumed: due 10:30.
    assert changed.response_due_at == at("2026-12-17T10:30:00+01:00")


def test_sev8_a_response_already_due_is_judged_at_the_old_severity(demo_orders):
    incident = open_(severity="A", product="Exchange Online")
    changed = services.change_severity(
        scope=OPERATOR,
        incident_id=incident.pk,
        to="C",
        reason="customer-resources",
        at=at("2026-12-18T18:00:00+01:00"),
    )
    assert changed.response_met is False
    assert changed.severity_at_due == "A"
    assert changed.response_due_at == at("2026-12-18T17:30:00+01:00")


def test_sev8_events_keep_their_severity_but_security_cloud_may_lower_it_as_the_source_says():
    """SEV-8: the source lets the vendor « offrir des prestations de niveau inférieur » under MCS for
    Security Cloud (as under Azure Platform and Rapid Response); under MCS for Azure Events it may
    only drop the 24x7 follow-up. RULES.md groups Security Cloud with Events: the source wins."""
    from unisupport.domain.severity import check_severity_change
    from unisupport.domain.sla import Severity

    with pytest.raises(RuleViolation) as refused:
        check_severity_change(
            current=Severity.SEV_1,
            target=Severity.A,
            reason="customer-resources",
            offering="mcs-azure-events",
        )
    assert refused.value.rule == "SEV-8"
    accepted = check_severity_change(
        current=Severity.SEV_1, target=Severity.A, reason="customer-resources", offering="mcs-security-cloud"
    )
    assert accepted is not None


def test_sev9_a_sev_b_change_approval_is_due_in_4_business_hours_and_its_miss_is_recorded(
    demo_orders, roster
):
    incident = open_(severity="B", product="Exchange Online", at=at("2026-12-17T15:00:00+01:00"))
    services.respond(
        scope=OPERATOR, incident_id=incident.pk, channel="phone", at=at("2026-12-17T15:30:00+01:00")
    )
    milestone = services.request_customer_action(
        scope=OPERATOR,
        incident_id=incident.pk,
        what="approve the registry change",
        at=at("2026-12-17T16:00:00+01:00"),
    )
    # 1.5 h on Thursday, then Friday 09:00 + 2.5 h.
    assert milestone.due_at == at("2026-12-18T11:30:00+01:00")
    assert process_due(now=at("2026-12-18T11:31:00+01:00")) == 1
    missed = incident.timeline.get(kind="customer-obligation-missed")
    assert missed.rule == "SEV-9"
    services.change_severity(
        scope=OPERATOR,
        incident_id=incident.pk,
        to="C",
        reason="obligation-missed",
        at=at("2026-12-18T12:00:00+01:00"),
    )
    assert incident.timeline.get(kind="severity-changed").data["sev9_missed"] is True


def test_sev8_obligation_missed_needs_no_passed_sev9_milestone_and_records_there_was_none(demo_orders):
    """SEV-8: as in the source, the ground stands without a SEV-9 milestone having passed."""
    incident = open_(severity="B")
    services.change_severity(
        scope=OPERATOR,
        incident_id=incident.pk,
        to="C",
        reason="obligation-missed",
        at=at("2026-12-18T17:10:00+01:00"),
    )
    changed = incident.timeline.get(kind="severity-changed")
    assert (changed.rule, changed.data["reason"], changed.data["sev9_missed"]) == (
        "SEV-8",
        "obligation-missed",
        False,
    )


def test_hrs3_advisory_time_is_refused_past_6_hours(demo_orders):
    advisory = open_(kind="advisory", channel="email", title="Best practice for AKS upgrades")
    assert advisory.response_due_at is None
    services.log_advisory_time(
        scope=OPERATOR, incident_id=advisory.pk, hours=Decimal("4.5"), at=at("2026-12-18T18:00:00+01:00")
    )
    with pytest.raises(RuleViolation) as refused:
        services.log_advisory_time(
            scope=OPERATOR, incident_id=advisory.pk, hours=Decimal(2), at=at("2026-12-18T19:00:00+01:00")
        )
    assert refused.value.rule == "HRS-3"
    services.log_advisory_time(
        scope=OPERATOR, incident_id=advisory.pk, hours=Decimal("1.5"), at=at("2026-12-18T19:00:00+01:00")
    )


def test_rca1_must_be_requested_before_closure(demo_orders):
    incident = open_(severity="B", product="Exchange Online")
    services.close(scope=OPERATOR, incident_id=incident.pk, at=at("2026-12-19T10:00:00+01:00"))
    with pytest.raises(RuleViolation) as refused:
        services.request_rca(
            scope=OPERATOR, incident_id=incident.pk, via="csam", at=at("2026-12-19T11:00:00+01:00")
        )
    assert refused.value.rule == "RCA-1"


def test_rca3_under_uer_an_rca_goes_through_the_csam(demo_orders):
    incident = open_(severity="B", product="Exchange Online")
    with pytest.raises(RuleViolation) as refused:
        services.request_rca(
            scope=OPERATOR, incident_id=incident.pk, via="customer", at=at("2026-12-18T18:00:00+01:00")
        )
    assert refused.value.rule == "RCA-3"
    rca = services.request_rca(
        scope=OPERATOR, incident_id=incident.pk, via="csam", at=at("2026-12-18T18:00:00+01:00")
    )
    assert rca.rule == "RCA-1"


def test_rca2_mcs_platform_rca_up_to_7_days_after_closure_due_10_business_days_later(demo_orders):
    incident = open_(severity="A", product="Azure Kubernetes Service", at=at("2026-12-01T10:00:00+01:00"))
    services.mitigate(scope=OPERATOR, incident_id=incident.pk, at=at("2026-12-01T14:00:00+01:00"))
    services.close(scope=OPERATOR, incident_id=incident.pk, at=at("2026-12-02T10:00:00+01:00"))
    rca = services.request_rca(
        scope=OPERATOR, incident_id=incident.pk, via="mcs-engineer", at=at("2026-12-08T10:00:00+01:00")
    )
    assert rca.rule == "RCA-2"
    # 10 business days after Tuesday 8 December 10:00 Paris: Tuesday 22 December 10:00.
    assert rca.due_at == at("2026-12-22T10:00:00+01:00")
    late = open_(severity="A", product="Azure Kubernetes Service", at=at("2026-12-01T10:00:00+01:00"))
    services.close(scope=OPERATOR, incident_id=late.pk, at=at("2026-12-02T10:00:00+01:00"))
    with pytest.raises(RuleViolation) as refused:
        services.request_rca(
            scope=OPERATOR, incident_id=late.pk, via="mcs-engineer", at=at("2026-12-09T10:00:01+01:00")
        )
    assert refused.value.rule == "RCA-2"


def test_rca5_documents_asked_and_provided_are_recorded(demo_orders):
    incident = open_(severity="B", product="Exchange Online")
    services.request_rca(
        scope=OPERATOR, incident_id=incident.pk, via="csam", at=at("2026-12-18T18:00:00+01:00")
    )
    doc = services.ask_rca_document(
        scope=OPERATOR, incident_id=incident.pk, what="network trace", at=at("2026-12-18T18:05:00+01:00")
    )
    services.provide_rca_document(scope=OPERATOR, document_id=doc.pk, at=at("2026-12-19T09:00:00+01:00"))
    assert incident.timeline.filter(rule="RCA-5").count() == 2


def test_inc8_post_incident_review_only_for_uer_sev_1(demo_orders):
    sev1 = open_(severity="1", product="Exchange Online")
    review = services.request_post_incident_review(
        scope=OPERATOR, incident_id=sev1.pk, at=at("2026-12-20T10:00:00+01:00")
    )
    assert review.incident_id == sev1.pk
    sev_b = open_(severity="B", product="Exchange Online")
    with pytest.raises(RuleViolation) as refused:
        services.request_post_incident_review(
            scope=OPERATOR, incident_id=sev_b.pk, at=at("2026-12-20T10:00:00+01:00")
        )
    assert refused.value.rule == "INC-8"


def test_worker_warns_at_75_percent_then_records_the_breach_once(demo_orders, roster):
    incident = open_(severity="A", product="Exchange Online")  # due 17:30, warning at 17:22:30
    incident.assigned_engineer = roster["crit"]
    incident.save()
    assert process_due(now=at("2026-12-18T17:22:00+01:00")) == 0
    assert process_due(now=at("2026-12-18T17:23:00+01:00")) == 1
    assert process_due(now=at("2026-12-18T17:31:00+01:00")) == 1
    assert process_due(now=at("2026-12-18T18:00:00+01:00")) == 0
    incident.refresh_from_db()
    assert incident.response_met is False
    kinds = list(
        incident.timeline.filter(actor_name="system", kind__startswith="response").values_list(
            "kind", flat=True
        )
    )
    assert kinds == ["response-warning", "response-breached"]
    recipients = sorted(
        Notification.objects.filter(incident=incident, milestone__isnull=False).values_list(
            "recipient", flat=True
        )
    )
    # The assignee, the incident manager (INC-4) and the CSAM, for each of the two milestones.
    assert recipients == sorted(["cris@vendor.test", "simone@vendor.test", "bob@vendor.test"] * 2)


def test_a_milestone_nobody_is_assigned_to_hear_goes_to_the_fallback_address(demo_orders, settings):
    """Issue 17 §0: with no roster and no CSAM, the 75 % warning is not dropped: the vendor's
    fallback address receives it, saying nobody is assigned."""
    settings.UNISUPPORT_FALLBACK_EMAIL = "support-desk@vendor.test"
    incident = open_(severity="A", product="Exchange Online")
    assert process_due(now=at("2026-12-18T17:23:00+01:00")) == 1
    (sent,) = Notification.objects.filter(incident=incident, milestone__isnull=False)
    assert sent.recipient == "support-desk@vendor.test"
    assert sent.body.startswith("Nobody is assigned to this incident")


def test_customers_open_and_see_only_their_own_incidents(alice, charlie):
    incident = open_(scope=scope_of(alice), severity="B", product="Exchange Online", channel="web")
    assert incident.opened_by == alice
    with pytest.raises(NotFound):
        incident_for(scope_of(charlie), incident_id=incident.pk)
    with pytest.raises(InvalidInput):
        open_(scope=scope_of(charlie))  # Contoso's order is not Fabrikam's to use
    with pytest.raises(Forbidden):
        services.respond(
            scope=scope_of(alice),
            incident_id=incident.pk,
            channel="phone",
            at=at("2026-12-18T18:00:00+01:00"),
        )


def test_attainment_report_counts_in_the_database(demo_orders):
    met = open_(severity="A", product="Exchange Online")
    services.respond(scope=OPERATOR, incident_id=met.pk, channel="phone", at=at("2026-12-18T17:10:00+01:00"))
    open_(severity="A", product="Exchange Online")  # will breach
    open_(severity="C", product="Exchange Online")  # still pending at the report
    process_due(now=at("2026-12-18T18:00:00+01:00"))
    report = attainment_report(
        OPERATOR,
        order="ESO-2026-001",
        start=at("2026-12-01T00:00:00+00:00"),
        end=at("2027-01-01T00:00:00+00:00"),
    )
    assert (report["incidents"], report["met"], report["pending"]) == (2, 1, 1)
    assert report["attainment"] == 0.5
    assert report["by_severity"]["A"] == {"incidents": 2, "met": 1, "pending": 0, "attainment": 0.5}
    assert report["by_offering"]["unified-enhanced-response"]["incidents"] == 2


def test_every_timeline_kind_has_its_label_in_the_models_choices():
    """The model's choices are the one list of kinds with their labels (the portal reads them)."""
    from unisupport.domain.incidents import TimelineKind
    from unisupport.incidents.models import TIMELINE_KINDS
    from unisupport.portal.incident_labels import EVENT_LABELS

    assert [kind for kind, _ in TIMELINE_KINDS] == [k.value for k in TimelineKind]
    assert dict(TIMELINE_KINDS) == EVENT_LABELS


def test_sev2_sev7_a_response_after_the_due_instant_but_before_more_business_time_is_met(demo_orders):
    """SEV-2, SEV-7: a Sev C (4 business hours) opened Friday 13:30 Paris is due 17:30; no business time
    elapses until Monday 09:00, so a response up to then is met and the breach waits for it."""
    friday_late = open_(at=at("2026-12-18T13:30:00+01:00"))
    monday_early = open_(at=at("2026-12-18T13:30:00+01:00"))
    monday_late = open_(at=at("2026-12-18T13:30:00+01:00"))
    assert friday_late.response_due_at == at("2026-12-18T17:30:00+01:00")  # still shown as due
    assert friday_late.response_counts_until == at("2026-12-21T09:00:00+01:00")
    assert process_due(now=at("2026-12-18T16:30:00+01:00")) == 3  # the 75 % warnings
    assert process_due(now=at("2026-12-18T17:31:00+01:00")) == 0  # no breach at the due instant
    services.respond(
        scope=OPERATOR, incident_id=friday_late.pk, channel="phone", at=at("2026-12-18T17:45:00+01:00")
    )
    services.respond(
        scope=OPERATOR, incident_id=monday_early.pk, channel="phone", at=at("2026-12-21T08:59:00+01:00")
    )
    assert process_due(now=at("2026-12-21T09:00:00+01:00")) == 1  # the one still waiting: breached
    late = incident_for(OPERATOR, incident_id=monday_late.pk)
    assert late.response_met is False
    assert [incident_for(OPERATOR, incident_id=i.pk).response_met for i in (friday_late, monday_early)] == [
        True,
        True,
    ]
    report = attainment_report(
        OPERATOR,
        order="ESO-2026-001",
        start=at("2026-12-18T00:00:00+01:00"),
        end=at("2026-12-19T00:00:00+01:00"),
    )
    assert (report["incidents"], report["met"], report["pending"]) == (3, 2, 0)


def test_rca2_the_due_date_moves_when_the_incident_is_mitigated_after_the_request(demo_orders):
    """RCA-2 (the issue's case, a year on, inside the demo term): requested through the MCS engineer on
    Monday 2027-03-01, mitigated on 2027-03-08: due 10 business days after the mitigation (2027-03-22),
    and the worker does not fire on 03-15."""
    incident = open_(severity="A", product="Azure Kubernetes Service", at=at("2027-03-01T08:00:00+01:00"))
    rca = services.request_rca(
        scope=OPERATOR, incident_id=incident.pk, via="mcs-engineer", at=at("2027-03-01T09:00:00+01:00")
    )
    assert rca.due_at == at("2027-03-15T09:00:00+01:00")
    services.mitigate(scope=OPERATOR, incident_id=incident.pk, at=at("2027-03-08T09:00:00+01:00"))
    rca.refresh_from_db()
    assert rca.due_at == at("2027-03-22T09:00:00+01:00")
    moved = incident.timeline.get(kind="rca-due-moved")
    assert (moved.rule, moved.data["previous"], moved.data["due"]) == (
        "RCA-2",
        "2027-03-15T08:00:00Z",
        "2027-03-22T08:00:00Z",
    )
    due = Milestone.objects.get(incident=incident, kind="rca-due")
    assert due.due_at == at("2027-03-22T09:00:00+01:00")
    process_due(now=at("2027-03-15T12:00:00+01:00"))
    assert not incident.timeline.filter(kind="rca-due").exists()


def test_sev10_a_french_sev_a_under_uer_keeps_uers_30_minutes_without_its_senior_incident_manager(
    demo_orders, roster
):
    """SEV-10 Reading: UER's 30-minute target holds in French; only its enhanced incident management
    (EN/ZH/JA) does not, so no Senior Incident Manager is assigned and the escalation says why."""
    incident = open_(severity="A", product="Exchange Online", language="fr")
    assert (incident.target_minutes, incident.offering) == (30, "unified-enhanced-response")
    assert incident.escalation["senior_incident_manager"] is False
    assert incident.incident_manager is None
    (limited,) = incident.escalation["management_limited"]
    assert (limited["offering"], limited["rule"]) == ("unified-enhanced-response", "SEV-10")


def test_inc4_inc5_excluded_technologies_are_not_routed_to_mcs_engineers(demo_orders):
    """INC-5, SEV-6: Contoso's MCS for Azure Platform Plus does not route a Sev B on Azure Maps."""
    maps = open_(severity="B", product="Azure Maps")
    assert maps.offering != "mcs-azure-platform-plus"  # its target falls back (UER here)
    assert maps.escalation["route_to_mcs_engineers"] is False
    assert open_(severity="B", product="Azure Virtual Machines").escalation["route_to_mcs_engineers"] is True
