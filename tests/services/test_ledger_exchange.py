"""Exchanging what the allocation bought (FLX-4, DEL-9), business-hours delivery (HRS-4), REDE's RCA (RCA-4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.interfaces.clirunner import unisupport
from tests.scopes import OPERATOR
from unisupport import clock
from unisupport.domain.errors import RuleViolation
from unisupport.domain.ledger_commands import Consumption
from unisupport.ledger.exchange_services import exchange_allocated_service
from unisupport.ledger.models import LedgerAccount
from unisupport.ledger.selectors import verify_ledger
from unisupport.ledger.services import consume_hours

pytestmark = pytest.mark.django_db
ORDER = "ESO-2026-001"  # allocation 240,000: custom proactive 50,000 and proactive credits 190,000 at FR


def allocation(service: str) -> Decimal:
    return LedgerAccount.objects.get(
        order__number=ORDER, site="FR", kind="allocation", service=service
    ).balance


def exchange(**overrides):
    options = {
        "order": ORDER,
        "site": "FR",
        "from_service": "proactive-credits",
        "to_service": "workshop",
        "amount": "40000",
        "approved_by": "Sophie Martin (service delivery manager)",
        "on": date(2026, 9, 1),
    }
    options.update(overrides)
    return exchange_allocated_service(scope=OPERATOR, at=clock.now(), **options)


def test_flx4_a_service_bought_with_the_allocation_is_exchanged_for_one_of_equal_value(demo_orders):
    before = allocation("proactive-credits")
    posted = exchange()
    assert posted.rule == "FLX-4"
    assert allocation("proactive-credits") == before - 40000
    assert allocation("workshop") == Decimal(40000)
    assert sum(e.amount for e in posted.entries) == 0  # equal value
    assert verify_ledger(scope=OPERATOR).violations == []


def test_del9_the_exchange_needs_the_service_delivery_managers_agreement(demo_orders):
    with pytest.raises(RuleViolation) as refused:
        exchange(approved_by=" ")
    assert refused.value.rule == "DEL-9"


def test_del9_flx3_success_management_is_not_eligible(demo_orders):
    with pytest.raises(RuleViolation) as refused:
        exchange(to_service="success-management")
    assert refused.value.rule == "DEL-9"
    assert "FLX-3" in refused.value.message


def test_flx4_no_more_than_the_assignment_holds(demo_orders):
    with pytest.raises(RuleViolation) as refused:
        exchange(amount="190001")
    assert refused.value.rule == "FLX-4"


def test_flx1_custom_proactive_stays_within_its_share_after_an_exchange(demo_orders):
    # 50,000 of custom proactive already: max(20 % of 240,000, USD 50,000) = 50,000 leaves nothing more.
    with pytest.raises(RuleViolation) as refused:
        exchange(to_service="custom-proactive", amount="1")
    assert refused.value.rule == "FLX-1"


def test_allocation_exchange_on_the_cli(demo_orders):
    run = unisupport(
        "allocation", "exchange", "--order", ORDER, "--site", "FR", "--from-service", "proactive-credits",
        "--to-service", "hackathon", "--amount", "10000", "--approved-by", "SDM", "--on", "2026-09-01", "--json",
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert run.json()["rule"] == "FLX-4"
    refused = unisupport(
        "allocation", "exchange", "--order", ORDER, "--site", "FR", "--from-service", "proactive-credits",
        "--to-service", "success-management", "--amount", "1", "--approved-by", "SDM", "--on", "2026-09-01",
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "DEL-9" in refused.stderr


def test_hrs4_ede_hours_are_delivered_on_working_days_only(demo_orders):
    consume_hours(
        scope=OPERATOR,
        at=clock.now(),
        command=Consumption.parse(
            order=ORDER,
            site="DE",
            service="enhanced-designated-engineering",
            hours="7.5",
            on=date(2026, 12, 23),
        ),
    )
    for day in (date(2026, 12, 26), date(2026, 12, 25)):  # a Saturday, then Christmas Day in Germany
        with pytest.raises(RuleViolation) as refused:
            consume_hours(
                scope=OPERATOR,
                at=clock.now(),
                command=Consumption.parse(
                    order=ORDER, site="DE", service="enhanced-designated-engineering", hours="1", on=day
                ),
            )
        assert refused.value.rule == "HRS-4"


def test_rca4_rede_engineers_perform_rca_for_critical_incidents():
    import datetime as dt

    from unisupport.domain.calendar import calendar_for
    from unisupport.domain.rca import RequestedVia, decide_rca
    from unisupport.domain.sla import Severity

    at = dt.datetime(2026, 12, 17, 9, tzinfo=dt.UTC)
    decision = decide_rca(
        served=["foundational", "reactive-enhanced-designated-engineering"],
        severity=Severity.A,
        requested_at=at,
        via=RequestedVia.CUSTOMER,
        closed_at=at - dt.timedelta(days=2),
        mitigated_at=None,
        production_impact=True,
        calendar=calendar_for("FR"),
    )
    assert decision.rule == "RCA-4"
