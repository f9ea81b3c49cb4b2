"""The vendor refuses a request, citing the rule; everything paid is returned (DEL-4)."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest

from tests.interfaces.clirunner import unisupport
from tests.scopes import OPERATOR
from unisupport.accounts.scope import scope_of
from unisupport.deliveries import services
from unisupport.domain.deliveries import DeliveryRequest
from unisupport.domain.errors import Forbidden, InvalidInput
from unisupport.ledger.models import LedgerAccount
from unisupport.ledger.selectors import verify_ledger

pytestmark = pytest.mark.django_db

ORDER = "ESO-2026-001"
JAN_4 = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)


def credits() -> int:
    return int(LedgerAccount.objects.get(order__number=ORDER, site="FR", kind="credits").balance)


def request():
    command = DeliveryRequest.parse(order=ORDER, site="FR", service="workshop", quantity=2)
    return services.request_delivery(scope=OPERATOR, command=command, at=JAN_4)


def test_del4_a_refused_request_returns_everything_and_cites_its_rule(rates):
    """DEL-4: no engineer for that workshop: refused under DEL-4 with its reason; the 25 credits come
    back, the timeline and the audit agree, and a refused request cannot be scheduled any more."""
    start = credits()
    delivery = request()
    done, fee = services.refuse_delivery(
        scope=OPERATOR, delivery_id=delivery.pk, rule="del-4", reason="no engineer free in time", at=JAN_4
    )
    assert (done.state, done.refusal_rule, fee.rule, fee.refund.amount) == (
        "refused",
        "DEL-4",
        "DEL-4",
        25,
    )
    assert credits() == start
    event = done.timeline.get(kind="refused")
    assert (event.rule, event.data["reason"]) == ("DEL-4", "no engineer free in time")
    assert verify_ledger(scope=OPERATOR).violations == []
    with pytest.raises(InvalidInput) as again:
        services.schedule_delivery(scope=OPERATOR, delivery_id=delivery.pk, on=date(2027, 2, 1), at=JAN_4)
    assert again.value.field == "state"


def test_only_the_vendor_refuses_a_request_not_yet_scheduled_with_a_known_rule_and_a_reason(rates, alice):
    delivery = request()
    with pytest.raises(Forbidden):
        services.refuse_delivery(
            scope=scope_of(alice), delivery_id=delivery.pk, rule="DEL-4", reason="x", at=JAN_4
        )
    with pytest.raises(InvalidInput) as unknown:
        services.refuse_delivery(scope=OPERATOR, delivery_id=delivery.pk, rule="XYZ-9", reason="x", at=JAN_4)
    assert unknown.value.field == "rule"
    with pytest.raises(InvalidInput) as silent:
        services.refuse_delivery(scope=OPERATOR, delivery_id=delivery.pk, rule="DEL-4", reason=" ", at=JAN_4)
    assert silent.value.field == "reason"
    services.schedule_delivery(scope=OPERATOR, delivery_id=delivery.pk, on=date(2027, 2, 1), at=JAN_4)
    with pytest.raises(InvalidInput) as scheduled:
        services.refuse_delivery(scope=OPERATOR, delivery_id=delivery.pk, rule="DEL-4", reason="x", at=JAN_4)
    assert scheduled.value.field == "state"  # a scheduled one is cancelled instead


def test_mc11_the_cli_refuses_citing_the_rule(rates):
    delivery = request()
    run = unisupport(
        "delivery",
        "refuse",
        str(delivery.pk),
        "--rule",
        "MC-11",
        "--reason",
        "not deliverable on site in FR",
        "--json",
    )
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert (data["state"], data["refused_under"], data["rules"], data["fee_percent"]) == (
        "refused",
        "MC-11",
        ["MC-11", "DEL-4"],
        0,
    )
    bad = unisupport("delivery", "refuse", str(delivery.pk), "--rule", "MC-11", "--reason", "again", "--json")
    assert bad.exit_code == 2
