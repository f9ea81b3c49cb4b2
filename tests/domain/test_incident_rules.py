"""The incident rules as pure functions: channels, coverage, escalation, severity changes, RCA."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from unisupport.domain.calendar import TWENTY_FOUR_SEVEN, calendar_for
from unisupport.domain.catalog import default_catalog
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.incidents import (
    Channel,
    IncidentKind,
    IncidentState,
    check_advisory_time,
    check_channel,
    check_transition,
    coverage,
    escalation,
)
from unisupport.domain.money import Hours
from unisupport.domain.rca import RequestedVia, decide_rca
from unisupport.domain.severity import DowngradeReason, check_severity_change, obligation_due, rebased_due
from unisupport.domain.sla import Severity

CATALOG = default_catalog()
AZURE_VM = CATALOG.product("Azure Virtual Machines")
EXCHANGE = CATALOG.product("Exchange Online")
PARIS = calendar_for("FR")
T = dt.datetime(2026, 12, 17, 9, 0, tzinfo=dt.UTC)  # Thursday 10:00 in Paris


@pytest.mark.parametrize(
    ("kind", "channel", "offerings", "allowed"),
    [
        (IncidentKind.PROBLEM_RESOLUTION, Channel.PHONE, [], True),
        (IncidentKind.PROBLEM_RESOLUTION, Channel.WEB, [], True),
        (IncidentKind.PROBLEM_RESOLUTION, Channel.EMAIL, [], False),
        (IncidentKind.PROBLEM_RESOLUTION, Channel.CHAT, [], False),
        (IncidentKind.PROBLEM_RESOLUTION, Channel.CHAT, ["mcs-azure-platform"], True),
        (IncidentKind.ADVISORY, Channel.EMAIL, [], True),
        (IncidentKind.ADVISORY, Channel.CHAT, [], True),
        (IncidentKind.ADVISORY, Channel.WEB, [], False),
    ],
)
def test_inc1_channels(kind, channel, offerings, allowed):
    if allowed:
        check_channel(kind=kind, channel=channel, offerings=offerings)
    else:
        with pytest.raises(RuleViolation) as refused:
            check_channel(kind=kind, channel=channel, offerings=offerings)
        assert refused.value.rule == "INC-1"


def test_sev10_offerings_that_cannot_serve_the_language_do_not_apply():
    covered = coverage(
        active=["foundational", "unified-enhanced-response", "azure-rapid-response", "mcs-azure-platform"],
        language="ja",
        channel=Channel.WEB,
        source_portal="Azure portal",
        catalog=CATALOG,
    )
    assert covered.offerings == {"foundational", "unified-enhanced-response", "azure-rapid-response"}
    assert [(e.offering, e.rule) for e in covered.excluded] == [("mcs-azure-platform", "SEV-10")]


def test_inc6_event_incidents_need_the_azure_portal_and_mcsae():
    base = {"active": ["foundational", "mcs-azure-events"], "language": "en", "catalog": CATALOG}
    without = coverage(channel=Channel.WEB, description="checkout slow", **base)
    assert [(e.offering, e.rule) for e in without.excluded] == [("mcs-azure-events", "INC-6")]
    tagged = coverage(channel=Channel.WEB, description="MCSAE checkout slow", **base)
    assert "mcs-azure-events" in tagged.offerings


@pytest.mark.parametrize(
    ("severity", "offerings", "product", "expected"),
    [
        (
            Severity.SEV_1,
            ["foundational"],
            EXCHANGE,
            {
                "critical_situation_resource",
                "senior_management_notification",
                "continuous_24x7",
                "enhanced_escalation",
            },
        ),
        (
            Severity.A,
            ["foundational"],
            EXCHANGE,
            {"critical_situation_supervision", "continuous_24x7", "enhanced_escalation"},
        ),
        (Severity.B, ["foundational"], EXCHANGE, set()),
        (
            Severity.A,
            ["foundational", "unified-enhanced-response"],
            EXCHANGE,
            {
                "critical_situation_supervision",
                "continuous_24x7",
                "enhanced_escalation",
                "senior_incident_manager",
            },
        ),
        (
            Severity.A,
            ["foundational", "mcs-azure-platform"],
            AZURE_VM,
            {"critical_situation_supervision", "continuous_24x7", "enhanced_escalation"},
        ),
        (
            Severity.SEV_1,
            ["foundational", "mcs-azure-platform"],
            AZURE_VM,
            {
                "critical_situation_resource",
                "senior_management_notification",
                "continuous_24x7",
                "enhanced_escalation",
                "senior_incident_manager",
            },
        ),
        (Severity.C, ["foundational", "mcs-azure-platform"], AZURE_VM, {"route_to_mcs_engineers"}),
        (Severity.C, ["foundational", "mcs-azure-platform"], EXCHANGE, set()),
    ],
)
def test_inc2_inc3_inc4_inc5_escalation_starts_by_itself(severity, offerings, product, expected):
    """INC-2, INC-3, INC-4, INC-5: what starts by itself for each severity and offering."""
    flags = escalation(severity=severity, offerings=offerings, product=product).as_dict()
    on = {name for name, value in flags.items() if value is True}
    assert on == expected


def test_sev7_a_sev_b_24x7_option_means_continuous_follow_up():
    assert escalation(
        severity=Severity.B, offerings=["foundational"], product=EXCHANGE, option_24x7=True
    ).continuous_24x7


def test_hrs3_advisory_support_is_capped_at_6_hours():
    check_advisory_time(logged=Hours(Decimal(5)), adding=Hours(Decimal(1)))
    with pytest.raises(RuleViolation) as refused:
        check_advisory_time(logged=Hours(Decimal("5.00")), adding=Hours(Decimal("1.25")))
    assert refused.value.rule == "HRS-3"
    assert "5 h are logged, 1.25 h more would make 6.25 h" in str(refused.value)
    with pytest.raises(RuleViolation) as ten:
        check_advisory_time(logged=Hours(Decimal("4.50")), adding=Hours(Decimal("5.50")))
    assert "4.5 h are logged, 5.5 h more would make 10 h" in str(ten.value)
    with pytest.raises(InvalidInput):
        check_advisory_time(logged=Hours(Decimal(0)), adding=Hours(Decimal(0)))


def test_closed_is_final():
    check_transition(IncidentState.MITIGATED, IncidentState.IN_PROGRESS)
    with pytest.raises(InvalidInput):
        check_transition(IncidentState.CLOSED, IncidentState.IN_PROGRESS)


def test_sev8_downgrade_needs_a_recognised_reason_and_upgrades_need_none():
    assert (
        check_severity_change(current=Severity.C, target=Severity.A, reason=None, offering="foundational")
        is None
    )
    with pytest.raises(RuleViolation):
        check_severity_change(current=Severity.A, target=Severity.B, reason=None, offering="foundational")
    with pytest.raises(RuleViolation):
        check_severity_change(current=Severity.A, target=Severity.B, reason="busy", offering="foundational")
    assert (
        check_severity_change(
            current=Severity.A, target=Severity.B, reason="customer-resources", offering="foundational"
        )
        is DowngradeReason.CUSTOMER_RESOURCES
    )


@pytest.mark.parametrize("offering", ["mcs-azure-events", "mcs-azure-events-plus"])
def test_sev8_under_events_only_24x7_follow_up_can_be_dropped(offering):
    with pytest.raises(RuleViolation) as refused:
        check_severity_change(
            current=Severity.SEV_1, target=Severity.A, reason="customer-resources", offering=offering
        )
    assert refused.value.rule == "SEV-8"


def test_sev8_under_security_cloud_the_source_allows_a_lower_level():
    """SEV-8: the source's note under Security Cloud's table is Azure Platform's (« et à offrir des
    prestations de niveau inférieur »), not Events'; RULES.md groups it with Events: the source wins."""
    accepted = check_severity_change(
        current=Severity.SEV_1, target=Severity.A, reason="customer-resources", offering="mcs-security-cloud"
    )
    assert accepted is DowngradeReason.CUSTOMER_RESOURCES


def test_sev8_elapsed_time_carries_over_to_the_new_target():
    # 20 minutes of a 24x7 clock used, then a change to 120 business minutes: 100 left.
    due, elapsed = rebased_due(
        clock_started=T,
        changed_at=T + dt.timedelta(minutes=20),
        old_clock=TWENTY_FOUR_SEVEN,
        new_clock=PARIS,
        new_target=dt.timedelta(minutes=120),
    )
    assert elapsed == dt.timedelta(minutes=20)
    assert due == T + dt.timedelta(minutes=120)
    due_now, _ = rebased_due(
        clock_started=T,
        changed_at=T + dt.timedelta(minutes=40),
        old_clock=TWENTY_FOUR_SEVEN,
        new_clock=TWENTY_FOUR_SEVEN,
        new_target=dt.timedelta(minutes=30),
    )
    assert due_now == T + dt.timedelta(minutes=40)  # nothing left: due at once


def test_sev9_customer_obligations():
    what, due = obligation_due(
        severity=Severity.B, requested_at=T, calendar=PARIS, continuous=TWENTY_FOUR_SEVEN
    )
    assert (what, due) == ("change-approval", T + dt.timedelta(hours=4))
    what, due = obligation_due(
        severity=Severity.C, requested_at=T, calendar=PARIS, continuous=TWENTY_FOUR_SEVEN
    )
    assert (what, due) == ("customer-response", T + dt.timedelta(hours=24))
    with pytest.raises(RuleViolation) as refused:
        obligation_due(severity=Severity.A, requested_at=T, calendar=PARIS, continuous=TWENTY_FOUR_SEVEN)
    assert refused.value.rule == "SEV-9"


def rca(**overrides):
    options = {
        "served": ["foundational"],
        "severity": Severity.A,
        "requested_at": T,
        "via": RequestedVia.CUSTOMER,
        "closed_at": None,
        "mitigated_at": None,
        "production_impact": True,
        "calendar": PARIS,
    }
    options.update(overrides)
    return decide_rca(**options)


def test_rca1_before_closure_is_accepted_after_is_refused():
    assert rca().rule == "RCA-1"
    with pytest.raises(RuleViolation) as refused:
        rca(closed_at=T - dt.timedelta(hours=1))
    assert refused.value.rule == "RCA-1"


def test_rca2_conditions_and_delivery_date():
    mcs = {"served": ["foundational", "mcs-azure-platform"], "via": RequestedVia.MCS_ENGINEER}
    decision = rca(**mcs, closed_at=T - dt.timedelta(days=6), mitigated_at=T + dt.timedelta(hours=2))
    assert decision.rule == "RCA-2"
    # Ten French business days after the mitigation (Thursday 17 December, 12:00 Paris), skipping
    # Christmas Day and New Year's Day: Monday 4 January 2027, 12:00 Paris.
    assert decision.due_at == dt.datetime(2027, 1, 4, 11, 0, tzinfo=dt.UTC)
    for change in ({"severity": Severity.B}, {"production_impact": False}, {"via": RequestedVia.CUSTOMER}):
        with pytest.raises(RuleViolation) as refused:
            rca(**(mcs | change), closed_at=T - dt.timedelta(days=1))
        assert refused.value.rule == "RCA-2"
    with pytest.raises(RuleViolation):
        rca(**mcs, closed_at=T - dt.timedelta(days=7, seconds=1))


def test_rca3_uer_goes_through_the_csam():
    with pytest.raises(RuleViolation) as refused:
        rca(served=["foundational", "unified-enhanced-response"])
    assert refused.value.rule == "RCA-3"
    accepted = rca(served=["foundational", "unified-enhanced-response"], via=RequestedVia.CSAM)
    assert accepted.rule == "RCA-1"
    assert "RCA-3" in accepted.note


def test_inc8_a_post_incident_review_needs_uer_serving_a_sev1_incident():
    """INC-8: UER's post-incident review, on request, for Severity 1 incidents that UER serves."""
    from unisupport.domain.incidents import check_post_incident_review

    check_post_incident_review(served_by=["foundational", "unified-enhanced-response"], sev1=True)
    with pytest.raises(RuleViolation) as not_uer:
        check_post_incident_review(served_by=["foundational"], sev1=True)
    assert not_uer.value.rule == "INC-8"
    assert "does not cover this incident" in str(not_uer.value)
    with pytest.raises(RuleViolation) as not_sev1:
        check_post_incident_review(served_by=["unified-enhanced-response"], sev1=False)
    assert (not_sev1.value.rule, str(not_sev1.value)) == (
        "INC-8",
        "INC-8: UER's post-incident review is for Sev 1 incidents",
    )


def test_every_state_an_incident_can_reach_has_its_timeline_kind():
    """INC-*: a move to any state is recorded on the timeline under a kind of its own."""
    from unisupport.domain.incidents import IncidentState, TimelineKind

    assert [TimelineKind.state(s).value for s in IncidentState] == [f"state-{s.value}" for s in IncidentState]


def test_rca2_ten_business_days_is_day_arithmetic_on_the_sites_calendar():
    """RCA-2: 10 business days after Monday 09:00 is the Monday two weeks later at 09:00; a closure,
    whole-day or half-day, moves it by a day (not by hours)."""
    from unisupport.domain.calendar import Closure, calendar_for
    from unisupport.domain.rca import business_days_after, rca2_due

    paris = ZoneInfo("Europe/Paris")
    monday = dt.datetime(2026, 3, 9, 9, 0, tzinfo=paris)
    france = calendar_for("FR")
    assert business_days_after(monday, 10, france) == dt.datetime(2026, 3, 23, 9, 0, tzinfo=paris)
    whole = calendar_for("FR", closures=[Closure(dt.date(2026, 3, 12))])
    half = calendar_for("FR", closures=[Closure(dt.date(2026, 3, 12), dt.time(9), dt.time(13))])
    for closed in (whole, half):
        assert business_days_after(monday, 10, closed) == dt.datetime(2026, 3, 24, 9, 0, tzinfo=paris)
    # Saturday counts from Monday's opening.
    assert business_days_after(dt.datetime(2026, 3, 7, 15, 0, tzinfo=paris), 1, france) == dt.datetime(
        2026, 3, 10, 9, 0, tzinfo=paris
    )
    # The later of the request (2 March) and the mitigation (9 March).
    requested = dt.datetime(2026, 3, 2, 9, 0, tzinfo=paris)
    assert rca2_due(requested_at=requested, mitigated_at=monday, calendar=france) == dt.datetime(
        2026, 3, 23, 9, 0, tzinfo=paris
    )


@pytest.mark.parametrize("product", ["Azure Maps", "Azure US Government"])
def test_inc4_inc5_sev6_excluded_technologies_escalate_nothing_under_mcs_platform(product):
    """INC-4, INC-5, SEV-6: a product MCS for Azure Platform excludes from its targets gets neither its
    routing to MCS engineers (Sev B) nor its Senior Incident Manager (Sev 1)."""
    excluded = CATALOG.product(product)
    mcs = ["foundational", "mcs-azure-platform"]
    assert not escalation(severity=Severity.B, offerings=mcs, product=excluded).route_to_mcs_engineers
    assert not escalation(severity=Severity.SEV_1, offerings=mcs, product=excluded).senior_incident_manager
    assert escalation(severity=Severity.B, offerings=mcs, product=AZURE_VM).route_to_mcs_engineers


def test_sev10_uer_keeps_its_response_target_in_any_language_its_incident_management_does_not():
    """SEV-10 Reading: UER's language limit (EN/ZH/JA) is its Enhanced Incident Management's: a French
    Sev A keeps UER's target, without UER's Senior Incident Manager."""
    covered = coverage(
        active=["foundational", "unified-enhanced-response"],
        language="fr",
        channel=Channel.PHONE,
        catalog=CATALOG,
    )
    assert covered.offerings == {"foundational", "unified-enhanced-response"}
    assert covered.excluded == ()
    assert [(e.offering, e.rule) for e in covered.limited] == [("unified-enhanced-response", "SEV-10")]
    assert covered.managed == {"foundational"}
    flags = escalation(severity=Severity.A, offerings=covered.managed, product=EXCHANGE)
    assert not flags.senior_incident_manager
    assert flags.continuous_24x7  # INC-2: every Sev A, whatever the offering
    english = coverage(
        active=["foundational", "unified-enhanced-response"],
        language="en",
        channel=Channel.PHONE,
        catalog=CATALOG,
    )
    assert english.limited == ()
