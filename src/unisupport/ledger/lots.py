"""What an account holds and until when (ORD-5, FLX-2), and its movements by day, read without
holding its entries in memory (nor, for its movements, reading them).

Most accounts' lots all last until the end of the order's term: what they hold is then their
balance, and no entry is read. Only an account with a lot that ends earlier (what the flexible
allocation bought, FLX-2) or a debit dated after the term replays its entries (domain.expiry), and
streams them rather than loading them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from unisupport.domain.expiry import Lot, lots
from unisupport.domain.term import Term
from unisupport.ledger.convert import domain_account, domain_entry
from unisupport.ledger.models import AccountKind, DailyMovement, LedgerAccount, LedgerEntry

ZERO = Decimal(0)
STREAM_CHUNK = 2000  # entries read at a time when an account must be replayed


@dataclass(slots=True)
class Movements:
    """An account's entries summed by day (their effective day), and what its order granted."""

    by_day: list[tuple[date, Decimal]] = field(default_factory=list)
    granted: Decimal = ZERO
    last_debit_on: date | None = None  # the latest day of a debit that is not a forfeiture


def movements(accounts: Iterable[LedgerAccount]) -> dict[int, Movements]:
    """Return each account's movements by day: one query of the rows the database keeps a day an
    account (ledger_dailymovement), never the entries themselves."""
    found: dict[int, Movements] = defaultdict(Movements)
    rows = DailyMovement.objects.filter(account_id__in=[a.pk for a in accounts]).order_by("account_id", "day")
    for account_id, day, total, granted, debited in rows.values_list(
        "account_id", "day", "total", "granted", "debited"
    ):
        moved = found[account_id]
        moved.by_day.append((day, total))
        moved.granted += granted
        if debited:
            moved.last_debit_on = day
    return found


def open_lots(row: LedgerAccount, *, term: Term, last_debit_on: date | None) -> list[Lot]:
    """Return the lots of ``row`` with something left, first-expiring first (``last_debit_on``: see
    :class:`Movements`).

    When every lot lasts until the end of the term and no debit is dated after it, debits never
    skip a lot and never run into debt while a lot is left: the lots then hold the balance, all
    until the term's end. Otherwise the entries are replayed, streamed.
    """
    if row.kind == AccountKind.MONEY:
        return []  # money owed never lapses
    ends_earlier = LedgerEntry.objects.filter(
        account=row, amount__gt=0, expires_on__isnull=False, expires_on__lt=term.end
    ).exists()  # the partial index (account, expires_on)
    if not ends_earlier and (last_debit_on is None or last_debit_on <= term.end):
        if row.balance <= 0:
            return []
        return [Lot("", term.end, row.balance, row.balance, ZERO, allocation=False)]
    account = domain_account(row, order_number=row.order.number)
    stream = LedgerEntry.objects.filter(account=row).order_by("serial").iterator(chunk_size=STREAM_CHUNK)
    return [lot for lot in lots((domain_entry(e, account) for e in stream), term=term) if lot.remaining > 0]
