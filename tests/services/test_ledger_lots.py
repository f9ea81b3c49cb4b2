"""ORD-5, FLX-2: what an account holds until when, read without holding its entries, is what the
domain's replay of every entry says — on accounts whose lots all end with the term (no entry read)
and on accounts with lots of a contract year (replayed, streamed)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest

from tests.ledger_support import burn_contoso
from tests.scopes import OPERATOR
from tests.services.test_ledger_years import YEAR2, _lapsing_grant, exchange, tailspin  # noqa: F401
from unisupport import clock
from unisupport.domain import ledger
from unisupport.domain.entries import AccountKind
from unisupport.domain.money import Credits
from unisupport.domain.term import Term
from unisupport.ledger import posting
from unisupport.ledger.convert import domain_account
from unisupport.ledger.lots import movements, open_lots
from unisupport.ledger.models import LedgerAccount
from unisupport.ledger.services import expire_all
from unisupport.orders.selectors import version_of

pytestmark = pytest.mark.django_db


def _by_expiry(found) -> dict[date, Decimal]:
    held: dict[date, Decimal] = defaultdict(Decimal)
    for lot in found:
        held[lot.expires_on] += lot.remaining
    return {day: amount.normalize() for day, amount in held.items()}


def _same_as_the_replay(number: str) -> int:
    """Return how many accounts were compared, each read both ways."""
    rows = list(LedgerAccount.objects.filter(order__number=number).select_related("order"))
    version = version_of(rows[0].order)
    term = Term(version.start, version.end)
    moved = movements(rows)
    for row in rows:
        replayed = ledger.available_lots(
            posting.entries_of(row, domain_account(row, order_number=number)), term=term
        )
        read = open_lots(row, term=term, last_debit_on=moved[row.pk].last_debit_on)
        expected = {} if row.kind == "money" else _by_expiry(replayed)
        assert _by_expiry(read) == expected, f"{row.kind} {row.service} at {row.site}"
    return len(rows)


def test_ord5_lots_that_end_with_the_term_are_the_balance(demo_orders):
    burn_contoso()
    assert _same_as_the_replay("ESO-2026-001") >= 5


def test_flx2_lots_of_a_contract_year_are_replayed_and_match(tailspin):  # noqa: F811
    _lapsing_grant(AccountKind.CREDITS, Credits(100))
    exchange(to_service="hackathon", amount="20000", on=YEAR2)
    assert _same_as_the_replay("ESO-2027-030") >= 5
    expire_all(scope=OPERATOR, on=YEAR2, at=clock.now())  # forfeitures, dated after year 1
    assert _same_as_the_replay("ESO-2027-030") >= 5


def test_movements_are_summed_by_day_with_what_the_order_granted(demo_orders):
    burn_contoso()
    row = LedgerAccount.objects.get(order__number="ESO-2026-001", site="FR", kind="credits")
    moved = movements([row])[row.pk]
    assert moved.granted == 500
    assert sum(amount for _day, amount in moved.by_day) == row.balance
    assert moved.last_debit_on == date(2027, 1, 15)
    assert len(moved.by_day) == len({day for day, _ in moved.by_day})  # one row a day


def test_the_daily_movements_the_database_keeps_are_the_entries_summed_by_day(tailspin):  # noqa: F811
    """Every way an entry is written (grants at import, an exchange, forfeitures) adds to its day."""
    from django.db.models import Q, Sum

    from unisupport.ledger.models import DailyMovement, LedgerEntry

    _lapsing_grant(AccountKind.CREDITS, Credits(100))
    exchange(to_service="hackathon", amount="20000", on=YEAR2)
    expire_all(scope=OPERATOR, on=YEAR2, at=clock.now())
    summed = {
        (row["account_id"], row["effective_on"]): (row["total"], row["granted"] or 0)
        for row in LedgerEntry.objects.values("account_id", "effective_on")
        .annotate(
            total=Sum("amount"), granted=Sum("amount", filter=Q(cause__startswith="order:", amount__gt=0))
        )
        .order_by()
    }
    kept = {(m.account_id, m.day): (m.total, m.granted) for m in DailyMovement.objects.all()}
    assert kept == summed
    assert len(kept) > 5
    debited = {(e.account_id, e.effective_on) for e in LedgerEntry.objects.filter(amount__lt=0, forfeits="")}
    assert set(DailyMovement.objects.filter(debited=True).values_list("account_id", "day")) == debited


def test_the_streamed_csv_says_what_the_statement_json_says(tailspin):  # noqa: F811
    """The CSV read from the driver's values, line for line, is the API's JSON lines (entry_json)."""
    import csv
    import io

    from unisupport.ledger.presenters import statement_csv
    from unisupport.ledger.selectors import STATEMENT_COLUMNS, StatementFilter, entry_json, statement

    _lapsing_grant(AccountKind.CREDITS, Credits(100))
    exchange(to_service="hackathon", amount="20000", on=YEAR2)
    expire_all(scope=OPERATOR, on=YEAR2, at=clock.now())
    rows = statement(
        OPERATOR, order="ESO-2027-030", filters=StatementFilter(None, None, None, None, None, None)
    )
    expected = [
        {k: "" if v is None else str(v) for k, v in entry_json(row, order="ESO-2027-030").items()}
        for row in rows.select_related("account")
    ]
    written = list(csv.DictReader(io.StringIO(statement_csv(rows, order="ESO-2027-030"))))
    assert [{k: line[k] for k in STATEMENT_COLUMNS} for line in written] == [
        {k: line[k] for k in STATEMENT_COLUMNS} for line in expected
    ]
    assert any(line["expires_on"] for line in written)
    assert any(line["forfeits"] for line in written)
    assert any(line["currency"] == "EUR" for line in written)
