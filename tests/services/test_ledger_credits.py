"""Proactive credits in the database: redeem (CRD-1..3) and exchange between sites (MC-6, MC-7)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.ledger_support import NORTHWIND, load_rates
from tests.scopes import OPERATOR
from unisupport import clock
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.ledger_commands import Redemption
from unisupport.ledger.models import ExchangeRate, LedgerAccount, LedgerEntry
from unisupport.ledger.selectors import verify_ledger
from unisupport.ledger.services import exchange_credits, record_credit_exception, redeem_credits
from unisupport.orders.services import import_order_file

pytestmark = pytest.mark.django_db
ORDER = "ESO-2026-001"


def credits(site: str, order: str = ORDER) -> Decimal:
    return LedgerAccount.objects.get(order__number=order, site=site, kind="credits").balance


def redeem(quantity: object = 3, site: str = "FR", on: date = date(2027, 1, 15), actor: object = None, **kw):
    return redeem_credits(
        scope=OPERATOR,
        at=clock.now(),
        actor=actor,
        command=Redemption.parse(order=ORDER, site=site, service="workshop", quantity=quantity, on=on, **kw),
    )


def test_crd1_redeeming_costs_the_rate_card_in_force_rounded_half_up(rates):
    """CRD-1: 3 workshop participants at 12.5 (the FR card from 2027-01-01) cost round-half-up(37.5) = 38."""
    done = redeem(3)
    (entry,) = done.entries
    assert (entry.amount, entry.rule, entry.balance_after) == (Decimal(-38), "CRD-1", Decimal(462))
    assert credits("FR") == 462
    # Before 2027 the earlier FR card (10 per participant) is the one in force.
    (earlier,) = redeem(3, on=date(2026, 9, 1)).entries
    assert earlier.amount == -30


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"quantity": "1.5"}, "quantity"),
        ({"quantity": -2}, "quantity"),
        ({"quantity": "three"}, "quantity"),
        ({"site": "JP"}, "site"),
        ({"on": date(2027, 7, 1)}, "on"),
        ({"on": date(2026, 6, 30)}, "on"),
    ],
)
def test_crd1_bad_input_names_the_field_and_writes_nothing(rates, kwargs, field):
    """CRD-1: bad input (fractional or negative units, a site not on the order, a date outside the term)."""
    before = (LedgerEntry.objects.count(), LedgerAccount.objects.count())
    with pytest.raises(InvalidInput) as bad:
        redeem(**kwargs)
    assert bad.value.field == field
    assert (LedgerEntry.objects.count(), LedgerAccount.objects.count()) == before


def test_crd1_a_missing_rate_card_or_service_rate_is_bad_input(demo_orders):
    """CRD-1: the rates are data: no card in force for the date, or no rate for the service, is bad input."""
    with pytest.raises(InvalidInput) as no_card:
        redeem()
    assert no_card.value.field == "site"
    load_rates()
    with pytest.raises(InvalidInput) as no_rate:
        redeem_credits(
            scope=OPERATOR,
            at=clock.now(),
            command=Redemption.parse(
                order=ORDER, site="FR", service="hackathon", quantity=1, on=date(2027, 1, 15)
            ),
        )
    assert no_rate.value.field == "service"
    with pytest.raises(InvalidInput) as unknown:
        redeem_credits(
            scope=OPERATOR,
            at=clock.now(),
            command=Redemption.parse(order="ESO-9999", site="FR", service="workshop", quantity=1),
        )
    assert unknown.value.field == "order"


def test_crd2_a_short_balance_is_refused_and_nothing_is_written(rates):
    """CRD-2: 50 participants (625 credits) on 500 credits is refused; the balance does not move."""
    before = LedgerEntry.objects.count()
    with pytest.raises(RuleViolation) as refused:
        redeem(50)
    assert refused.value.rule == "CRD-2"
    assert LedgerEntry.objects.count() == before
    assert credits("FR") == 500


def _approve(at: datetime, **kw):
    return record_credit_exception(scope=OPERATOR,
        order=ORDER, site="FR", approved_by="carol (deal desk)", approved_at=at,
        terms="shortfall invoiced at list price, net 30", reference="mail 2026-08-01", **kw,
    )  # fmt: skip


def test_crd3_an_approved_exception_lets_a_redemption_go_below_zero(rates):
    """CRD-3: approved in writing, agreement active, > 90 days left, before delivery: scheduled anyway."""
    approval = _approve(datetime(2026, 8, 1, 10, tzinfo=UTC), credit_limit=200)
    (entry,) = redeem(50, delivery_on=date(2027, 2, 1)).entries
    assert (entry.rule, entry.amount, entry.credit_exception) == ("CRD-3", Decimal(-625), approval)
    assert entry.exception["approved_by"] == "carol (deal desk)"
    assert credits("FR") == -125
    assert verify_ledger(scope=OPERATOR).violations == []
    with pytest.raises(RuleViolation) as beyond:
        redeem(10, delivery_on=date(2027, 2, 1))  # 125 + 125 > the 200 the terms allow
    assert beyond.value.rule == "CRD-3"


@pytest.mark.parametrize(
    ("approved_at", "delivery"),
    [
        (datetime(2027, 4, 15, 10, tzinfo=UTC), date(2027, 5, 1)),  # 76 days of term left
        (datetime(2027, 1, 20, 10, tzinfo=UTC), date(2027, 1, 20)),  # not before the delivery
    ],
)
def test_crd3_an_exception_too_late_or_not_before_delivery_is_refused(rates, approved_at, delivery):
    """CRD-3: more than 90 days of term must be left at approval, and it precedes the delivery."""
    _approve(approved_at)
    with pytest.raises(RuleViolation) as refused:
        redeem(50, on=date(2027, 4, 20), delivery_on=delivery)
    assert refused.value.rule == "CRD-3"
    assert credits("FR") == 500


def test_crd3_an_exception_not_in_writing_is_not_recorded(rates):
    """CRD-3: the approval is in writing, or it is no approval."""
    with pytest.raises(RuleViolation) as refused:
        _approve(datetime(2026, 8, 1, tzinfo=UTC), in_writing=False)
    assert refused.value.rule == "CRD-3"


def test_mc7_exchange_converts_at_the_rate_and_fee_in_force_rounded_half_up(rates):
    """MC-7: 100 credits FR→DE at 0.95 with a 2 % fee credit round-half-up(93.1) = 93; the entries record the rate."""
    done, debited, credited = exchange_credits(
        scope=OPERATOR,
        at=clock.now(),
        order=ORDER,
        from_site="FR",
        to_site="DE",
        credits=100,
        on=date(2027, 2, 1),
    )
    assert (debited.amount, credited.amount, done.rule) == (100, 93, "MC-7")
    assert (credits("FR"), credits("DE")) == (400, 293)
    debit, credit = done.entries
    assert debit.linked == credit.uid
    assert credit.linked == debit.uid
    assert credit.exchange == {"from": "FR", "to": "DE", "effective_from": "2027-01-01", "rate": "0.950000",
                               "fee_kind": "percent", "fee": "2.0000"}  # fmt: skip
    assert verify_ledger(scope=OPERATOR).violations == []


def test_mc6_exchange_with_another_order_is_refused(rates):
    """MC-6: credits never cross orders, whatever the target site."""
    with pytest.raises(RuleViolation) as refused:
        exchange_credits(
            scope=OPERATOR,
            at=clock.now(),
            order=ORDER,
            from_site="FR",
            to_site="JP",
            credits=10,
            to_order="ESO-2026-002",
        )
    assert (refused.value.rule, refused.value.field) == ("MC-6", "to_order")
    assert credits("FR") == 500


def test_mc6_exchange_between_two_downstream_sites_is_refused(catalog_db):
    """MC-6: one of the two sites is the host."""
    text = NORTHWIND.replace(
        "flexible_allocation:",
        "  - country: IT\n    lines:\n      - {service: proactive-credits, quantity: 50}\nflexible_allocation:",
    )
    assert import_order_file(scope=OPERATOR, at=clock.now(), text=text).verdict.valid
    with pytest.raises(RuleViolation) as refused:
        exchange_credits(
            scope=OPERATOR,
            at=clock.now(),
            order="ESO-2027-010",
            from_site="DE",
            to_site="IT",
            credits=10,
            on=date(2027, 3, 1),
        )
    assert refused.value.rule == "MC-6"


def test_mc7_an_exchange_beyond_the_balance_or_without_a_rate_is_refused(rates):
    """MC-7 with CRD-4: an exchange never takes a site below zero; a pair without a rate is bad input."""
    with pytest.raises(RuleViolation) as short:
        exchange_credits(
            scope=OPERATOR,
            at=clock.now(),
            order=ORDER,
            from_site="DE",
            to_site="FR",
            credits=201,
            on=date(2027, 2, 1),
        )
    assert short.value.rule == "CRD-4"
    with pytest.raises(InvalidInput) as whole:
        exchange_credits(
            scope=OPERATOR,
            at=clock.now(),
            order=ORDER,
            from_site="DE",
            to_site="FR",
            credits="2.5",
            on=date(2027, 2, 1),
        )
    assert whole.value.field == "credits"
    ExchangeRate.objects.filter(from_site="DE").delete()
    with pytest.raises(InvalidInput) as no_rate:
        exchange_credits(
            scope=OPERATOR,
            at=clock.now(),
            order=ORDER,
            from_site="DE",
            to_site="FR",
            credits=1,
            on=date(2027, 2, 1),
        )
    assert no_rate.value.field == "to"
    assert (credits("FR"), credits("DE")) == (500, 200)
