"""The programmes' milestones and MCS caps, as the rules state them (MCS-1..MCS-4, UER-2, UER-3, REDE-1)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from unisupport.domain.errors import RuleViolation
from unisupport.domain.mcs import check_new_scenario, check_sip, next_sip_day
from unisupport.domain.programmes import add_months, late_from, plan_milestones, state_at

SIGNED = date(2027, 1, 4)
END = date(2027, 12, 31)


def plan(*offerings: str) -> dict[str, tuple[str, date | None]]:
    return {
        m.key: (m.rule, m.due) for m in plan_milestones(offerings=offerings, executed_on=SIGNED, term_end=END)
    }


def test_mcs1_mcs2_platform_onboarding_covers_60_days_and_documentation_is_due_within_14():
    assert plan("foundational", "mcs-azure-platform") == {
        "mcs-initial-documentation": ("MCS-2", date(2027, 1, 18)),  # 14 days after execution
        "mcs-onboarding": ("MCS-1", date(2027, 3, 4)),  # the 60th day, execution day counted
    }


def test_mcs3_plus_adds_documents_in_30_days_scenarios_during_onboarding_and_monitors_30_days_after():
    planned = plan("mcs-azure-platform-plus")
    assert planned["mcs-customer-documents"] == ("MCS-3", date(2027, 2, 2))
    assert planned["mcs-scenarios-defined"] == ("MCS-3", date(2027, 3, 4))
    assert planned["mcs-monitors-ready"] == ("MCS-3", date(2027, 4, 3))
    assert planned["mcs-monitors-operational"] == ("MCS-3", None)  # declared when it happens


def test_uer3_onboarding_in_60_days_and_uer2_four_quarterly_meetings_a_year():
    planned = plan("unified-enhanced-response")
    assert planned["uer-onboarding"] == ("UER-3", date(2027, 3, 4))
    meetings = sorted(due for key, (rule, due) in planned.items() if rule == "UER-2")
    assert meetings == [date(2027, 4, 3), date(2027, 7, 3), date(2027, 10, 3)]  # the 4th falls after the term
    two_years = plan_milestones(
        offerings=["unified-enhanced-response"], executed_on=SIGNED, term_end=date(2029, 1, 3)
    )
    assert sum(1 for m in two_years if m.rule == "UER-2") == 8


def test_rede1_the_priorities_meeting_is_planned_by_the_policys_day_count():
    assert plan("reactive-enhanced-designated-engineering") == {
        "rede-priorities-meeting": ("REDE-1", date(2027, 2, 3))
    }
    assert plan("foundational", "workshop") == {}


def test_a_milestone_turns_late_at_the_host_sites_midnight_after_its_day_dst_included():
    # Paris in summer (UTC+2) and in winter (UTC+1); Tokyo has no DST.
    assert late_from(date(2027, 7, 14), "Europe/Paris") == datetime(2027, 7, 14, 22, tzinfo=UTC)
    assert late_from(date(2027, 1, 14), "Europe/Paris") == datetime(2027, 1, 14, 23, tzinfo=UTC)
    assert late_from(date(2027, 3, 27), "Europe/Paris") == datetime(2027, 3, 27, 23, tzinfo=UTC)  # DST night
    assert late_from(None, "Asia/Tokyo") is None
    turns = late_from(date(2027, 1, 14), "Asia/Tokyo")
    assert state_at("pending", turns, datetime(2027, 1, 14, 14, 59, tzinfo=UTC)) == "pending"
    assert state_at("pending", turns, datetime(2027, 1, 14, 15, tzinfo=UTC)) == "late"
    assert state_at("done", turns, datetime(2028, 1, 1, tzinfo=UTC)) == "done"


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)
    assert add_months(date(2027, 3, 10), -12) == date(2026, 3, 10)


def test_mcs3_the_eighth_monitoring_scenario_is_refused_and_only_plus_has_them():
    check_new_scenario(offerings=["mcs-azure-platform-plus"], existing=6)
    with pytest.raises(RuleViolation) as eighth:
        check_new_scenario(offerings=["mcs-azure-platform-plus"], existing=7)
    assert eighth.value.rule == "MCS-3"
    with pytest.raises(RuleViolation) as not_plus:
        check_new_scenario(offerings=["mcs-azure-platform"], existing=0)
    assert not_plus.value.rule == "MCS-3"


def test_mcs4_two_sips_per_rolling_12_months_and_the_day_the_next_is_possible():
    term = (date(2027, 1, 1), date(2029, 12, 31))
    first, second = date(2027, 1, 10), date(2027, 3, 10)
    check_sip(offerings=["mcs-azure-platform"], requested=[first], on=second, term=term)
    with pytest.raises(RuleViolation) as third:
        check_sip(
            offerings=["mcs-azure-platform"], requested=[first, second], on=date(2027, 6, 10), term=term
        )
    assert third.value.rule == "MCS-4"
    assert "2028-01-10" in third.value.message
    assert next_sip_day([first, second], on=date(2028, 1, 9)) == date(2028, 1, 10)
    assert next_sip_day([first, second], on=date(2028, 1, 10)) is None  # the first left the window
    with pytest.raises(RuleViolation) as no_mcs:
        check_sip(offerings=["foundational"], requested=[], on=first, term=term)
    assert no_mcs.value.rule == "MCS-4"
