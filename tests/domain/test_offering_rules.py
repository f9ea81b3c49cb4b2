"""Rules of the enhanced offerings that other parts of the product carry out, named here by their
IDs: MCS-7 (English only), UER-1 (Sev 1/A: enhanced incident management, a senior incident
manager), DE-1 (business hours only)."""

from __future__ import annotations

from datetime import date

import pytest

from unisupport.domain.calendar import BusinessCalendar
from unisupport.domain.catalog import default_catalog
from unisupport.domain.errors import RuleViolation
from unisupport.domain.hours import check_delivery_day
from unisupport.domain.incidents import Channel, coverage, escalation
from unisupport.domain.sla import Severity

CATALOG = default_catalog()


def test_mcs7_mcs_for_azure_platform_serves_in_english_only():
    active = ["foundational", "mcs-azure-platform"]
    english = coverage(active=active, language="en", channel=Channel.WEB, catalog=CATALOG)
    assert "mcs-azure-platform" in english.offerings
    french = coverage(active=active, language="fr", channel=Channel.WEB, catalog=CATALOG)
    assert "mcs-azure-platform" not in french.offerings
    assert [(e.offering, e.rule) for e in french.excluded] == [("mcs-azure-platform", "SEV-10")]


def test_uer1_a_sev_a_under_uer_gets_enhanced_management_and_a_senior_incident_manager():
    product = CATALOG.product("Exchange Online")
    managed = escalation(
        severity=Severity.A, offerings=["foundational", "unified-enhanced-response"], product=product
    )
    assert (managed.continuous_24x7, managed.enhanced_escalation, managed.senior_incident_manager) == (
        True,
        True,
        True,
    )
    assert "INC-4" in managed.rules
    plain = escalation(
        severity=Severity.B, offerings=["foundational", "unified-enhanced-response"], product=product
    )
    assert plain.senior_incident_manager is False


def test_de1_enhanced_designated_engineering_keeps_to_business_days():
    france = BusinessCalendar("FR")
    check_delivery_day(
        service="enhanced-designated-engineering", site="FR", day=date(2027, 1, 4), timezone="Europe/Paris",
        site_calendar=lambda: france,
    )  # fmt: skip
    with pytest.raises(RuleViolation):  # New Year's Day, a French holiday
        check_delivery_day(
            service="enhanced-designated-engineering", site="FR", day=date(2027, 1, 1), timezone="Europe/Paris",
            site_calendar=lambda: france,
        )  # fmt: skip
