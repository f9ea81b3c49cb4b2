"""ORD-2: when the foundational package ends early, every add-on of the agreement ends the same day."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest

from tests.interfaces.clirunner import unisupport
from tests.scopes import OPERATOR
from unisupport import clock
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.incident_commands import OpenIncident
from unisupport.incidents.services import open_incident
from unisupport.ledger.models import LedgerAccount, LedgerEntry
from unisupport.ledger.services import expire_all

pytestmark = pytest.mark.django_db


def test_ord2_termination_ends_add_ons_and_forfeits_what_is_left(demo_orders):
    run = unisupport("order", "terminate", "CONTOSO-UNIFIED", "--on", "2026-12-31", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json() == {"agreement": "CONTOSO-UNIFIED", "terminated_on": "2026-12-31", "rule": "ORD-2"}
    forfeited = expire_all(scope=OPERATOR, at=clock.now(), on=date(2027, 1, 1))
    assert forfeited
    assert {e.rule for e in forfeited} == {"ORD-2"}
    hours = LedgerAccount.objects.get(order__number="ESO-2026-001", site="DE", kind="hours")
    assert hours.balance == 0
    assert expire_all(scope=OPERATOR, at=clock.now(), on=date(2027, 1, 1)) == []  # safe to run twice
    assert LedgerEntry.objects.filter(rule="ORD-2").count() == len(forfeited)


def test_ord2_no_reactive_support_after_termination(demo_orders):
    unisupport("order", "terminate", "CONTOSO-UNIFIED", "--on", "2026-12-31")
    command = OpenIncident.parse(
        order_number="ESO-2026-001", site_country="FR", severity="B",
        product="Exchange Online", channel="phone", title="after the end",
    )  # fmt: skip
    open_incident(scope=OPERATOR, command=command, at=dt.datetime(2026, 12, 31, 12, tzinfo=dt.UTC))
    with pytest.raises(RuleViolation) as refused:
        open_incident(scope=OPERATOR, command=command, at=dt.datetime(2027, 1, 2, 12, tzinfo=dt.UTC))
    assert refused.value.rule == "ORD-2"
    assert "terminated on 2026-12-31" in refused.value.message
    # ORD-1, ORD-2: the site's own date decides: 00:30 on 1 January in Paris is still 2026 in UTC.
    with pytest.raises(RuleViolation) as refused:
        open_incident(scope=OPERATOR, command=command, at=dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC))
    assert refused.value.rule == "ORD-2"


def test_ord2_an_agreement_is_terminated_once(demo_orders):
    from unisupport.orders.services import terminate_agreement

    terminate_agreement(scope=OPERATOR, code="CONTOSO-UNIFIED", on=date(2026, 12, 31))
    with pytest.raises(InvalidInput):
        terminate_agreement(scope=OPERATOR, code="CONTOSO-UNIFIED", on=date(2026, 11, 30))
    assert unisupport("order", "terminate", "NOPE", "--on", "2026-12-31").exit_code == 2
