"""Hours (HRS-1, HRS-2), fees (DEL-2), corrections (CRD-4), expiry (ORD-5, FLX-2) and the audit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.ledger_support import NORTHWIND, load_rates
from tests.scopes import OPERATOR
from unisupport import clock
from unisupport.accounts.roles import Role
from unisupport.accounts.scope import Scope
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.ledger_commands import Consumption, Redemption
from unisupport.ledger.models import LedgerAccount, LedgerEntry
from unisupport.ledger.selectors import balances, verify_ledger
from unisupport.ledger.services import (
    cancel_delivery,
    compensate_entry,
    consume_hours,
    expire_all,
    redeem_credits,
)
from unisupport.orders.services import import_order_file

pytestmark = pytest.mark.django_db
ORDER = "ESO-2026-001"
EDE = "enhanced-designated-engineering"


def balance(site: str, kind: str, service: str = "", order: str = ORDER) -> Decimal:
    return LedgerAccount.objects.get(order__number=order, site=site, kind=kind, service=service).balance


def consume(hours: object, on: date = date(2026, 9, 2), service: str = EDE):
    return consume_hours(
        scope=OPERATOR,
        at=clock.now(),
        command=Consumption.parse(order=ORDER, site="DE", service=service, hours=hours, on=on),
    )


def test_hrs1_hours_are_deducted_as_they_are_used(demo_orders):
    """HRS-1: 7.5 hours of EDE come off the DE block."""
    (entry,) = consume("7.5").entries
    assert (entry.amount, entry.rule, entry.balance_after) == (Decimal("-7.5"), "HRS-1", Decimal("392.5"))


def test_hrs2_a_block_is_never_overdrawn(demo_orders):
    """HRS-2: 400.5 hours from a block of 400 is refused; a block not bought at the site holds nothing."""
    with pytest.raises(RuleViolation) as refused:
        consume("400.5")
    assert refused.value.rule == "HRS-2"
    with pytest.raises(RuleViolation) as none_here:
        consume_hours(
            scope=OPERATOR,
            at=clock.now(),
            command=Consumption.parse(order=ORDER, site="FR", service=EDE, hours=1, on=date(2026, 9, 2)),
        )
    assert none_here.value.rule == "HRS-2"
    assert balance("DE", "hours", EDE) == 400
    assert not LedgerAccount.objects.filter(site="FR", kind="hours", service=EDE).exists()


@pytest.mark.parametrize(("hours", "service", "field"), [("7.555", EDE, "hours"), ("-1", EDE, "hours"),
                                                          ("1", "workshop", "service"), ("1", "nope", "service")])  # fmt: skip
def test_hrs1_bad_input_names_the_field(demo_orders, hours, service, field):
    """HRS-1: hundredths of an hour at most, positive, from a service bought as a block of hours."""
    with pytest.raises(InvalidInput) as bad:
        consume(hours, service=service)
    assert bad.value.field == field


def test_del2_quote_for_the_issue_example():
    """DEL-2: 10 calendar days before delivery, a 50 % fee: 6,000.00 of 12,000."""
    fee, posted = cancel_delivery(
        scope=OPERATOR, at=clock.now(), cost=12000, delivery=date(2026, 12, 20), on=date(2026, 12, 10)
    )
    assert posted is None
    assert fee.as_dict() == {
        "days_before": 10,
        "fee_percent": 50,
        "fee": "6000.00",
        "refund": "6000.00",
        "rule": "DEL-2",
    }


@pytest.mark.parametrize(
    ("on", "refund"), [(date(2027, 1, 18), 38), (date(2027, 1, 25), 19), (date(2027, 1, 28), 0)]
)
def test_del2_the_refund_is_posted_to_the_credits_that_paid(demo_orders, on, refund):
    """DEL-2 Product rule: cancelling 14+, 6–13 or ≤ 5 days before returns 100, 50 or 0 % of the credits."""
    load_rates()
    (paid,) = redeem_credits(
        scope=OPERATOR,
        at=clock.now(),
        command=Redemption.parse(
            order=ORDER, site="FR", service="workshop", quantity=3, on=date(2027, 1, 15)
        ),
    ).entries
    fee, posted = cancel_delivery(
        scope=OPERATOR, at=clock.now(), entry=paid.uid, delivery=date(2027, 2, 1), on=on
    )
    assert posted is not None
    assert fee.refund.amount == refund
    assert [(e.amount, e.rule, e.refunds) for e in posted.entries] == (
        [(refund, "DEL-2", paid.uid)] if refund else []
    )
    assert balance("FR", "credits") == 500 - 38 + refund
    if refund:  # a cancellation is posted once per payment
        with pytest.raises(RuleViolation) as twice:
            cancel_delivery(scope=OPERATOR, at=clock.now(), entry=paid.uid, delivery=date(2027, 2, 1), on=on)
        assert twice.value.rule == "CRD-4"
    assert verify_ledger(scope=OPERATOR).violations == []


def test_del2_the_fee_is_charged_to_the_money_owed_for_a_delivery_not_paid_in_advance(demo_orders):
    """DEL-2 Product rule: a delivery paid in money after the fact: the fee is charged to the order."""
    fee, posted = cancel_delivery(
        scope=OPERATOR,
        at=clock.now(),
        cost=12000,
        order=ORDER,
        site="FR",
        delivery=date(2026, 12, 20),
        on=date(2026, 12, 10),
    )
    assert posted is not None
    assert fee.fee.amount == 6000
    assert balance("FR", "money") == Decimal("6000.00")
    assert posted.entries[0].account.currency == "USD"


def test_crd4_entries_are_never_updated_or_deleted(demo_orders):
    """CRD-4: an entry refuses save, delete, and bulk update or delete."""
    entry = LedgerEntry.objects.first()
    assert entry is not None
    entry.amount = Decimal(1)
    for attempt in (entry.save, entry.delete, LedgerEntry.objects.all().delete,
                    lambda: LedgerEntry.objects.update(amount=0)):  # fmt: skip
        with pytest.raises(RuleViolation) as refused:
            attempt()
        assert refused.value.rule == "CRD-4"


def test_crd4_a_correction_is_a_compensating_entry_once(demo_orders):
    """CRD-4: correcting a consumption posts its opposite; a second correction of it is refused."""
    (wrong,) = consume("8").entries
    (fix,) = compensate_entry(
        scope=OPERATOR, at=clock.now(), entry=wrong.uid, reason="logged on the wrong block"
    ).entries
    assert (fix.amount, fix.rule, fix.compensates) == (Decimal(8), "CRD-4", wrong.uid)
    assert balance("DE", "hours", EDE) == 400
    with pytest.raises(RuleViolation) as again:
        compensate_entry(scope=OPERATOR, at=clock.now(), entry=wrong.uid, reason="again")
    assert again.value.rule == "CRD-4"
    with pytest.raises(InvalidInput) as no_reason:
        compensate_entry(scope=OPERATOR, at=clock.now(), entry=fix.uid, reason=" ")
    assert no_reason.value.field == "reason"


def test_ord5_expiry_forfeits_what_is_left_after_the_term_and_is_safe_to_run_twice(demo_orders):
    """ORD-5: the day after the term, what is left is forfeited by entries; FLX-2 for what the allocation
    bought; running it again writes nothing."""
    consume("10")
    assert (
        expire_all(scope=OPERATOR, at=clock.now(), on=date(2027, 6, 30)) == []
    )  # the last day: still usable
    rows = expire_all(scope=OPERATOR, at=clock.now(), on=date(2027, 7, 1))
    assert sorted((r.account.site, r.account.kind, r.account.service, r.amount, r.rule) for r in rows) == [
        ("DE", "credits", "", Decimal(-200), "ORD-5"),
        ("DE", "hours", EDE, Decimal(-390), "ORD-5"),
        ("FR", "allocation", "custom-proactive", Decimal(-50000), "FLX-2"),
        ("FR", "allocation", "proactive-credits", Decimal(-190000), "FLX-2"),
        ("FR", "credits", "", Decimal(-500), "ORD-5"),
        ("FR", "hours", "unified-enhanced-response", Decimal(-40), "ORD-5"),
        ("JP", "hours", "developer-assistance", Decimal(-80), "ORD-5"),
    ]
    assert all(r.effective_on == date(2027, 7, 1) and r.forfeits for r in rows)
    assert expire_all(scope=OPERATOR, at=clock.now(), on=date(2027, 7, 1)) == []
    assert expire_all(scope=OPERATOR, at=clock.now(), on=date(2027, 9, 1)) == []
    assert verify_ledger(scope=OPERATOR).violations == []


def test_flx2_what_the_allocation_bought_lapses_at_the_end_of_its_contract_year(catalog_db):
    """FLX-2: year 1 of the allocation is forfeited on 1 January 2028; credits last the whole term (ORD-5)."""
    assert import_order_file(scope=OPERATOR, at=clock.now(), text=NORTHWIND).verdict.valid
    rows = expire_all(scope=OPERATOR, at=clock.now(), on=date(2028, 1, 1))
    assert sorted((r.account.service, r.amount, r.rule) for r in rows) == [
        ("custom-proactive", Decimal(-50000), "FLX-2"),
        ("workshop", Decimal(-30000), "FLX-2"),
    ]
    assert balance("FR", "credits", order="ESO-2027-010") == 300
    assert balance("DE", "allocation", "workshop", order="ESO-2027-010") == 60000


def test_crd4_verify_catches_a_running_balance_corrupted_on_purpose(demo_orders):
    """CRD-4: the running balance is checked against the sum of the entries."""
    assert verify_ledger(scope=OPERATOR).violations == []
    LedgerAccount.objects.filter(order__number=ORDER, site="FR", kind="credits").update(balance=Decimal(501))
    (violation,) = verify_ledger(scope=OPERATOR).violations
    assert violation.rule == "CRD-4"
    assert "running balance 501" in violation.message
    assert violation.account is not None
    assert violation.account.label == "ESO-2026-001/FR/credits"


def test_balances_are_scoped_to_the_callers_organisation(alice, charlie):
    """A customer reads their own organisation's balances; another's order is unknown to them."""
    from unisupport.accounts.scope import scope_of

    assert balances(scope_of(alice), order=ORDER)["order"] == ORDER
    with pytest.raises(InvalidInput):
        balances(scope_of(charlie), order=ORDER)
    everyone = Scope(None, frozenset(), frozenset({Role.CSAM}))
    assert len(balances(everyone, order=ORDER)["accounts"]) == 7  # type: ignore[arg-type]


@pytest.mark.django_db(transaction=True)
def test_crd4_the_database_itself_refuses_to_rewrite_or_delete_an_entry(demo_orders):
    """CRD-4 (issue 17 §0): past the application — raw SQL on the connection — an entry can be
    neither rewritten nor deleted; the balance and `ledger verify` are untouched."""
    from django.db import DatabaseError, connection, transaction

    from unisupport.ledger.selectors import verify_ledger

    entry = LedgerEntry.objects.order_by("-serial").first()
    for statement in (
        "UPDATE ledger_ledgerentry SET amount = 0 WHERE serial = %s",
        "DELETE FROM ledger_ledgerentry WHERE serial = %s",
    ):
        with pytest.raises(DatabaseError, match="CRD-4"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.serial])
    assert LedgerEntry.objects.get(serial=entry.serial).amount == entry.amount
    assert verify_ledger(scope=OPERATOR).violations == []


@pytest.mark.django_db(transaction=True)
def test_crd4_ledger_verify_says_when_the_database_no_longer_refuses_changes(demo_orders):
    from django.db import connection

    from unisupport.ledger.selectors import verify_ledger

    assert verify_ledger(scope=OPERATOR).violations == []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER ledger_entry_append_only ON ledger_ledgerentry")
        else:
            cursor.execute("DROP TRIGGER ledger_entry_no_delete")
    try:
        (violation,) = verify_ledger(scope=OPERATOR).violations
        assert violation.rule == "CRD-4"
        assert "does not refuse changes" in violation.message
    finally:
        import importlib

        from unisupport.ledger.migrations import __name__ as _  # noqa: F401  (the migration's SQL is put back)

        trigger = importlib.import_module("unisupport.ledger.migrations.0008_append_only")
        with connection.cursor() as cursor:
            for statement in (
                trigger.POSTGRES[1:] if connection.vendor == "postgresql" else trigger.SQLITE[1:]
            ):
                cursor.execute(statement)
