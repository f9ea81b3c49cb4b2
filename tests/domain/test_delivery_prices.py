"""What a delivery paid with the allocation or in money costs, and the allocation's debit (FLX-2, FLX-6, CAT-1)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from unisupport.domain import ledger as lg
from unisupport.domain.catalog import default_catalog
from unisupport.domain.delivery_prices import (
    agreed_unit_price,
    check_billable,
    money_cost,
    paid,
    parse_price,
)
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.money import Credits, Hours, Money
from unisupport.domain.term import Term

TERM = Term(date(2026, 7, 1), date(2027, 6, 30))
CTX = lg.Context(actor="bob", at=datetime(2027, 1, 4, 10, tzinfo=UTC), order_version=1, cause="test")
CUSTOM = lg.Account(
    order="ESO-2026-001",
    site="FR",
    kind=lg.AccountKind.ALLOCATION,
    service="custom-proactive",
    currency="USD",
)


def test_the_orders_unit_price_is_its_priced_lines_price_over_their_quantity():
    assert agreed_unit_price([(Decimal(12), Decimal(36000))], currency="USD") == Money(Decimal(3000), "USD")
    # Two priced lines average; an unpriced or empty line says nothing of the price.
    assert agreed_unit_price(
        [
            (Decimal(2), Decimal(1000)),
            (Decimal(3), Decimal(2000)),
            (Decimal(5), None),
            (Decimal(0), Decimal(9)),
        ],
        currency="EUR",
    ) == Money(Decimal(600), "EUR")
    assert agreed_unit_price([(Decimal(4), None)], currency="USD") is None


def test_a_cost_is_the_quote_or_the_orders_price_times_the_quantity_to_the_cent_halves_up():
    third = Money(Decimal(100) / 3, "USD")
    cost = money_cost(
        service="workshop", site="FR", quantity=Decimal(1), agreed=third, quoted=None, currency="USD"
    )
    assert cost == Money(Decimal("33.33"), "USD")
    half = Money(Decimal("0.005"), "USD")
    assert money_cost(
        service="x", site="FR", quantity=Decimal(1), agreed=half, quoted=None, currency="USD"
    ) == Money(Decimal("0.01"), "USD")
    quoted = money_cost(
        service="workshop", site="FR", quantity=Decimal(2), agreed=third, quoted=Decimal(500), currency="USD"
    )
    assert quoted == Money(Decimal(1000), "USD")  # the vendor's quote wins over the order's price
    with pytest.raises(InvalidInput) as unpriced:
        money_cost(
            service="chalk-talk", site="FR", quantity=Decimal(1), agreed=None, quoted=None, currency="USD"
        )
    assert unpriced.value.field == "price"


def test_a_quoted_price_is_a_positive_finite_number():
    assert parse_price(" 12000.50 ") == Decimal("12000.50")
    assert parse_price(None) is None
    assert parse_price("") is None
    for bad in ("0", "-5", "abc", "Infinity", "NaN", True):
        with pytest.raises(InvalidInput) as refused:
            parse_price(bad)
        assert refused.value.field == "price"


def test_cat1_only_a_purchasable_service_is_billed_in_money():
    catalog = default_catalog()
    check_billable(catalog.service("workshop"))  # "+"
    check_billable(catalog.service("developer-support"))  # "+¹"
    for included in ("webcasts", "foundational"):
        with pytest.raises(RuleViolation) as refused:
            check_billable(catalog.service(included))
        assert (refused.value.rule, refused.value.field) == ("CAT-1", "pay")


def test_flx2_flx6_the_allocation_pays_up_to_what_is_left_of_the_assignment():
    (debit,) = lg.spend_allocation(
        Money(Decimal(50000), "USD"),
        Money(Decimal(12000), "USD"),
        account=CUSTOM,
        on=date(2027, 1, 4),
        term=TERM,
        ctx=CTX,
    )
    assert (debit.amount, debit.rule) == (Decimal(-12000), "FLX-2")
    with pytest.raises(RuleViolation) as short:
        lg.spend_allocation(
            Money(Decimal(100), "USD"),
            Money(Decimal("100.01"), "USD"),
            account=CUSTOM,
            on=date(2027, 1, 4),
            term=TERM,
            ctx=CTX,
        )
    assert (short.value.rule, short.value.field) == ("FLX-6", "pay")
    with pytest.raises(InvalidInput):  # money of another currency never mixes
        lg.spend_allocation(
            Money(Decimal(100), "EUR"),
            Money(Decimal(1), "EUR"),
            account=CUSTOM,
            on=date(2027, 1, 4),
            term=TERM,
            ctx=CTX,
        )


def test_what_a_payment_holds_is_typed_by_how_it_was_paid():
    assert paid("credits", Decimal(25), "credits") == Credits(Decimal(25))
    assert paid("hours", Decimal("7.5"), "hours") == Hours(Decimal("7.5"))
    assert paid("allocation", Decimal(12000), "USD") == Money(Decimal(12000), "USD")
    assert paid("money", Decimal(6000), "EUR") == Money(Decimal(6000), "EUR")
