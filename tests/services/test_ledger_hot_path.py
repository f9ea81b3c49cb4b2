"""The redemption's hot path: one statement when the balance covers it, cached order facts (CRD-1, CRD-2, ORD-9).

On PostgreSQL a covered redemption or hours consumption is written by one statement (the account's
UPDATE feeding the entry's INSERT); on SQLite, and whenever the balance does not cover it, by the
locking path where the domain decides. Both must write the same rows and leave `ledger verify` clean.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from tests.ledger_support import contoso
from tests.scopes import OPERATOR
from unisupport import clock
from unisupport.domain import ledger
from unisupport.domain.entries import Account, AccountKind
from unisupport.domain.errors import RuleViolation
from unisupport.domain.ledger_commands import Consumption, Redemption
from unisupport.domain.money import Credits
from unisupport.ledger import order_facts as order_facts_module
from unisupport.ledger import posting
from unisupport.ledger.models import LedgerAccount, LedgerEntry, RateCardCredit
from unisupport.ledger.order_facts import order_facts
from unisupport.ledger.selectors import verify_ledger
from unisupport.ledger.services import consume_hours, redeem_credits
from unisupport.orders.services import import_order_file

pytestmark = pytest.mark.django_db
ORDER = "ESO-2026-001"


def fr_credits() -> Decimal:
    return LedgerAccount.objects.get(order__number=ORDER, site="FR", kind="credits").balance


def test_crd2_a_balance_covering_the_cost_exactly_is_redeemed_to_zero_and_one_more_is_refused(rates):
    """CRD-1, CRD-2: 500 FR credits = 12 chalk talks at 40 (2027 card) + 2 workshop participants at 10
    (2026 card); the balance reaches exactly zero, and one participant more is refused with nothing written."""
    redeem_credits(
        scope=OPERATOR,
        at=clock.now(),
        command=Redemption.parse(
            order=ORDER, site="FR", service="chalk-talk", quantity=12, on=date(2027, 1, 15)
        ),
    )
    last = redeem_credits(
        scope=OPERATOR,
        at=clock.now(),
        command=Redemption.parse(order=ORDER, site="FR", service="workshop", quantity=2, on=date(2026, 9, 1)),
    )
    (entry,) = last.entries
    assert (entry.amount, entry.balance_after, entry.rule) == (Decimal(-20), Decimal(0), "CRD-1")
    assert fr_credits() == 0
    # The row returned is the row stored, column for column.
    stored = LedgerEntry.objects.get(serial=entry.serial)
    assert (stored.uid, stored.amount, stored.balance_after, stored.account_id, stored.order_version) == (
        entry.uid,
        entry.amount,
        entry.balance_after,
        entry.account_id,
        1,
    )
    assert (stored.posted_at, stored.effective_on, stored.reason) == (
        entry.posted_at,
        entry.effective_on,
        entry.reason,
    )
    written = LedgerEntry.objects.count()
    with pytest.raises(RuleViolation) as short:
        redeem_credits(
            scope=OPERATOR,
            at=clock.now(),
            command=Redemption.parse(
                order=ORDER, site="FR", service="workshop", quantity=1, on=date(2026, 9, 1)
            ),
        )
    assert short.value.rule == "CRD-2"
    assert (LedgerEntry.objects.count(), fr_credits()) == (written, 0)
    assert verify_ledger(scope=OPERATOR).violations == []


def test_hrs2_hours_consumed_to_exactly_zero_then_refused(demo_orders):
    """HRS-1, HRS-2: the DE block of 400 EDE hours is consumed to zero; a quarter of an hour more is refused."""
    block = {"order": ORDER, "site": "DE", "service": "enhanced-designated-engineering"}
    account = LedgerAccount.objects.get(order__number=ORDER, site="DE", kind="hours")
    left = account.balance
    done = consume_hours(
        scope=OPERATOR, at=clock.now(), command=Consumption.parse(**block, hours=left, on=date(2027, 1, 15))
    )
    assert done.entries[0].balance_after == 0
    with pytest.raises(RuleViolation) as beyond:
        consume_hours(
            scope=OPERATOR,
            at=clock.now(),
            command=Consumption.parse(**block, hours="0.25", on=date(2027, 1, 15)),
        )
    assert beyond.value.rule == "HRS-2"
    account.refresh_from_db()
    assert account.balance == 0
    assert verify_ledger(scope=OPERATOR).violations == []


def test_ord9_a_redemption_on_facts_cached_before_an_amendment_posts_on_the_new_version(rates):
    """ORD-9: another process may hold this order's facts from before an amendment; the version is
    checked when the account is locked, so the redemption posts on the new version, at its balance."""
    redeem_credits(
        scope=OPERATOR,
        at=clock.now(),
        command=Redemption.parse(
            order=ORDER, site="FR", service="workshop", quantity=1, on=date(2027, 1, 15)
        ),
    )
    stale = order_facts(number=ORDER, cached=True)
    assert stale.version.version == 1
    amended = contoso().replace(
        "{service: proactive-credits, quantity: 500}", "{service: proactive-credits, quantity: 650}"
    )
    assert import_order_file(scope=OPERATOR, at=clock.now(), text=amended).orders[0]["version"] == 2
    assert ORDER not in order_facts_module._facts  # this process's own amendment clears its cache (signals)
    order_facts_module._facts[ORDER] = stale  # as another process would still hold it
    (entry,) = redeem_credits(
        scope=OPERATOR,
        at=clock.now(),
        command=Redemption.parse(
            order=ORDER, site="FR", service="workshop", quantity=1, on=date(2027, 1, 15)
        ),
    ).entries
    assert entry.order_version == 2
    assert order_facts(number=ORDER, cached=True).version.version == 2
    assert fr_credits() == 650 - 13 - 13
    assert verify_ledger(scope=OPERATOR).violations == []


def test_crd1_the_one_statement_path_is_taken_on_postgresql_only(rates):
    """CRD-1: on PostgreSQL a covered debit is written by one statement; SQLite always takes the lock path."""
    facts = order_facts(number=ORDER)
    ctx = posting.context(facts, at=clock.now(), actor="alice")
    (debit,) = ledger.redeem_credits(
        Credits(5),
        Credits(5),
        account=Account(order=ORDER, site="FR", kind=AccountKind.CREDITS),
        on=date(2027, 1, 15),
        term=facts.term,
        ctx=ctx,
    )
    row = posting.write_if_covered(facts, debit)
    if connection.vendor == "postgresql":
        assert row is not None
        assert (row.balance_after, fr_credits()) == (Decimal(495), Decimal(495))
    else:
        assert row is None
        assert fr_credits() == 500


def test_crd1_a_rate_changed_by_another_process_is_the_one_charged(rates):
    """CRD-1: the rate card in force is cached per process; a rate another process changed (no
    signal reaches this one) is still the one charged, because the posting checks it."""
    (first,) = redeem_credits(
        scope=OPERATOR,
        at=clock.now(),
        command=Redemption.parse(
            order=ORDER, site="FR", service="workshop", quantity=2, on=date(2027, 1, 15)
        ),
    ).entries
    assert first.amount == -25  # round-half-up(2 × 12.5)
    RateCardCredit.objects.filter(
        card__site="FR", card__effective_from=date(2027, 1, 1), service_id="workshop"
    ).update(credits=Decimal(20))  # a queryset update sends no signal: as if from another process
    (second,) = redeem_credits(
        scope=OPERATOR,
        at=clock.now(),
        command=Redemption.parse(
            order=ORDER, site="FR", service="workshop", quantity=2, on=date(2027, 1, 15)
        ),
    ).entries
    assert second.amount == -40
    assert fr_credits() == 500 - 25 - 40
