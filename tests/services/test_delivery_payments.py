"""Deliveries paid with the flexible allocation (FLX-2, FLX-5, FLX-6) or billed in money (CAT-1).

Contoso's ESO-2026-001 (USD, one contract year 2026-07-01..2027-06-30) assigns 50,000 of its
allocation to custom proactive services at FR, and prices its FR workshop line at 36,000 for 12
participants: 3,000 a participant.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from decimal import Decimal

import pytest

from tests.scopes import OPERATOR
from unisupport.accounts.scope import scope_of
from unisupport.deliveries import services
from unisupport.deliveries.models import Delivery
from unisupport.deliveries.presenters import delivery_json
from unisupport.domain.deliveries import CancelledBy, DeliveryRequest
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.ledger.models import LedgerAccount, LedgerEntry
from unisupport.ledger.selectors import verify_ledger

pytestmark = pytest.mark.django_db

ORDER = "ESO-2026-001"
JAN_4 = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)


def allocation(service: str = "custom-proactive") -> Decimal:
    return LedgerAccount.objects.get(
        order__number=ORDER, site="FR", kind="allocation", service=service
    ).balance


def owed() -> Decimal:
    row = LedgerAccount.objects.filter(order__number=ORDER, site="FR", kind="money").first()
    return row.balance if row else Decimal(0)


def request(scope=OPERATOR, **fields) -> Delivery:
    command = DeliveryRequest.parse(**({"order": ORDER, "site": "FR"} | fields))
    return services.request_delivery(scope=scope, command=command, at=JAN_4)


def test_flx2_a_request_paid_with_the_allocation_spends_what_was_assigned_to_its_service(rates):
    """FLX-2: a custom proactive engagement the vendor quoted at 12,000 is debited from the 50,000
    assigned to custom proactive services at FR; the delivery's unit is the order's currency."""
    start = allocation()
    delivery = request(service="custom-proactive", pay="allocation", price="12000")
    assert allocation() == start - 12000
    assert (delivery.unit, delivery.cost, delivery.payment.rule) == ("USD", Decimal(12000), "FLX-2")
    shown = delivery_json(delivery)
    assert (shown["pay"], shown["cost"], shown["unit"]) == ("allocation", "12000.00", "USD")
    assert "FLX-2" in shown["rules"]


def test_flx6_flx5_the_allocation_never_pays_more_than_was_assigned_and_nothing_else(rates):
    """FLX-6: beyond what is left of the assignment is refused; FLX-5: a service nothing was assigned
    to at execution is not paid with the allocation. Nothing is written either time."""
    start, count, entries = allocation(), Delivery.objects.count(), LedgerEntry.objects.count()
    with pytest.raises(RuleViolation) as short:
        request(service="custom-proactive", pay="allocation", price="50000.01")
    assert (short.value.rule, short.value.field) == ("FLX-6", "pay")
    with pytest.raises(RuleViolation) as unassigned:
        request(service="workshop", quantity=2, pay="allocation")
    assert unassigned.value.rule == "FLX-5"
    assert (allocation(), Delivery.objects.count(), LedgerEntry.objects.count()) == (start, count, entries)


def test_only_the_vendor_quotes_a_price_and_an_unpriced_service_needs_one(rates, alice):
    """A customer does not set the price it pays; a service the order does not price needs the
    vendor's quote (the field is named), and credits take no price."""
    with pytest.raises(InvalidInput) as customer:
        request(scope=scope_of(alice), service="custom-proactive", pay="allocation", price="1")
    assert customer.value.field == "price"
    with pytest.raises(InvalidInput) as unpriced:
        request(scope=scope_of(alice), service="custom-proactive", pay="allocation")
    assert unpriced.value.field == "price"
    assert "custom-proactive" in str(unpriced.value)
    with pytest.raises(InvalidInput) as credits:
        request(service="workshop", pay="credits", price="10")
    assert credits.value.field == "price"


def test_del2_a_cancellation_of_an_allocation_payment_keeps_its_fee_in_the_allocation(rates):
    """DEL-2 Product rule: cancelled 10 days before the date, half of the 12,000 is kept and the other
    half goes back to the assignment it came from; the ledger verifies."""
    start = allocation()
    delivery = request(service="custom-proactive", pay="allocation", price="12000")
    services.schedule_delivery(scope=OPERATOR, delivery_id=delivery.pk, on=date(2027, 2, 15), at=JAN_4)
    _, fee = services.cancel_delivery(
        scope=OPERATOR,
        delivery_id=delivery.pk,
        by=CancelledBy.CUSTOMER,
        at=dt.datetime(2027, 2, 5, 9, tzinfo=dt.UTC),
    )
    assert (fee.rule, fee.fee_percent, str(fee.fee.amount)) == ("DEL-2", 50, "6000.00")
    assert allocation() == start - 6000
    assert verify_ledger(scope=OPERATOR).violations == []


def test_cat1_a_request_paid_in_money_is_billed_at_the_orders_price(rates):
    """CAT-1: two workshop participants are billed at the order's 3,000 each to what the order owes at
    FR; cancelled before it is scheduled, the charge is taken back in full (DEL-2: no notice needed)."""
    before = owed()
    delivery = request(service="workshop", quantity=2, pay="money")
    assert (delivery.cost, delivery.unit, delivery.payment.rule) == (Decimal(6000), "USD", "CAT-1")
    assert owed() == before + 6000
    services.cancel_delivery(scope=OPERATOR, delivery_id=delivery.pk, by=CancelledBy.CUSTOMER, at=JAN_4)
    assert owed() == before
    assert verify_ledger(scope=OPERATOR).violations == []


def test_cat1_an_included_service_is_not_billed_and_an_unpriced_one_needs_a_quote(rates):
    """CAT-1: webcasts come with foundational (✓): not billed; chalk talks are not priced on this
    order at FR: refused naming the price. Nothing is written."""
    count = LedgerEntry.objects.count()
    with pytest.raises(RuleViolation) as included:
        request(service="webcasts", pay="money")
    assert (included.value.rule, included.value.field) == ("CAT-1", "pay")
    with pytest.raises(InvalidInput) as unpriced:
        request(service="chalk-talk", pay="money")
    assert unpriced.value.field == "price"
    assert LedgerEntry.objects.count() == count
    quoted = request(service="chalk-talk", pay="money", price="8000")
    assert quoted.cost == Decimal(8000)
