"""The ledger's hot path in plain SQL: the rate in force, the account lock, the entries, the balances.

Every posting spends most of its time between the account's row lock and the commit, where other
postings on the same account queue behind it. The ORM costs about a millisecond of Python a
statement there (query compilation, model instances); these statements are compiled once per
process and sent as they are, so the lock is held for little more than the database's own work.
They write exactly the rows the ORM would: the columns and their database values come from the
models' fields (:mod:`unisupport.plainsql`), so a new field on LedgerEntry is written here too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Model

from unisupport import plainsql
from unisupport.domain import rates as rt
from unisupport.ledger.models import LedgerAccount, LedgerEntry, RateCard, RateCardCredit
from unisupport.orders.models import Agreement, Order

ACCOUNT_COLUMNS = ("id", "organisation", "order", "site", "kind", "service", "currency", "balance")


@cache
def _lock_sql(row_lock: bool) -> str:
    account, order, agreement = LedgerAccount._meta.db_table, Order._meta.db_table, Agreement._meta.db_table
    # (the concrete fields of ACCOUNT_COLUMNS: get_field's type also admits reverse relations)
    columns = ", ".join(f"a.{LedgerAccount._meta.get_field(name).column}" for name in ACCOUNT_COLUMNS)  # type: ignore[union-attr]
    sql = (
        f"SELECT {columns}, o.current_version, g.terminated_on FROM {account} a "
        f"JOIN {order} o ON o.id = a.order_id JOIN {agreement} g ON g.id = o.agreement_id "
        "WHERE a.order_id = %s AND a.site = %s AND a.kind = %s AND a.service = %s"
    )
    # SQLite has no row locks: the service's IMMEDIATE transaction already holds the database's
    # single write lock. PostgreSQL locks the account row only, not the order's.
    return sql + (" FOR UPDATE OF a" if row_lock else "")


def lock_account(
    order_id: int, site: str, kind: str, service: str
) -> tuple[LedgerAccount, int, date | None] | None:
    """Return the account under a row lock with its order's current version and its agreement's
    termination day (ORD-2), or None if it has none yet."""
    with connection.cursor() as cursor:
        cursor.execute(_lock_sql(plainsql.on_postgresql()), [order_id, site, kind, service])
        found = cursor.fetchone()
    if found is None:
        return None
    *account, version, terminated = found
    # Read as the ORM reads the column (SQLite keeps dates as text).
    terminated_on = plainsql.loaded(Agreement, ["terminated_on"], [terminated]).terminated_on
    return plainsql.loaded(LedgerAccount, ACCOUNT_COLUMNS, account), version, terminated_on


@cache
def _insert_sql(entries: int, accounts: int) -> str:
    # PostgreSQL: one round trip, the balance updates riding along as data-modifying CTEs.
    account_table = LedgerAccount._meta.db_table
    updates = ", ".join(
        f"u{i} AS (UPDATE {account_table} SET balance = %s WHERE id = %s)" for i in range(accounts)
    )
    insert = plainsql.insert_sql(LedgerEntry, entries)
    return f"WITH {updates} {insert}" if accounts else insert


@cache
def _balance_sql() -> str:
    return f"UPDATE {LedgerAccount._meta.db_table} SET balance = %s WHERE id = %s"


def insert(rows: Sequence[LedgerEntry], *, balances: Mapping[int, Decimal]) -> None:
    """Insert ``rows`` and set each account of ``balances`` (account id → new balance), in one go.

    The caller holds the lock on every account of ``balances``; the new balance is the locked one
    moved by the entries, so setting it is the same as adding to it, and exact on SQLite too.
    """
    moves = sorted(balances.items())
    if not plainsql.on_postgresql() or not rows:
        plainsql.insert(rows)
        with connection.cursor() as cursor:
            for pk, balance in moves:
                cursor.execute(_balance_sql(), [balance, pk])
        return
    params: list[Any] = [value for pk, balance in moves for value in (balance, pk)]
    for row in rows:
        params += plainsql.values(row)
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(len(rows), len(moves)), params)
        keys = [key for (key,) in cursor.fetchall()]
    plainsql.set_keys(rows, keys)


def _prepared(statement: str, params: Sequence[Any], *, read: bool = False) -> tuple[Any, ...] | None:
    """Return the first row of ``statement``: on PostgreSQL a prepared statement of the connection
    (:mod:`unisupport.plainsql`), so that the server plans the hot path's statements once."""
    rows = plainsql.fetch(statement, params, read=read)
    return rows[0] if rows else None


@dataclass(frozen=True, slots=True)
class RateUsed:
    """The rate a redemption's cost was computed with: ``service`` at ``credits`` a unit, at ``site`` on ``on``."""

    site: str
    service: str
    on: date
    credits: Decimal


# The card in force per (site, service, day), as this process last read it. Cleared by this
# process's own saves of a card or rate (signals in apps.py); another process's are caught by the
# posting statement, which checks the rate it was given is still the one in force.
_cards: dict[tuple[str, str, date], rt.RateCard] = {}
_CARDS_KEPT = 10_000


def forget_rates(**_: object) -> None:
    """Drop this process's cached rate cards (called when a rate card or one of its rates is saved)."""
    _cards.clear()


def cached_rate_card(*, site: str, service: str, on: date) -> rt.RateCard | None:
    """Return :func:`rate_card`, from this process's cache when it has it (see :class:`RateUsed`)."""
    key = (site, service, on)
    if (found := _cards.get(key)) is not None:
        return found
    card = rate_card(site=site, service=service, on=on)
    if card is not None and service in card.credits:
        if len(_cards) >= _CARDS_KEPT:
            _cards.clear()
        _cards[key] = card
    return card


@cache
def _rate_sql() -> str:
    card, credit = RateCard._meta.db_table, RateCardCredit._meta.db_table
    return (
        f"SELECT c.effective_from, r.credits FROM {card} c "
        f"LEFT JOIN {credit} r ON r.card_id = c.id AND r.service_id = %s "
        f"WHERE c.site = %s AND c.effective_from <= %s ORDER BY c.effective_from DESC LIMIT 1"
    )


def rate_card(*, site: str, service: str, on: date) -> rt.RateCard | None:
    """Return the rate card of ``site`` in force on ``on``, with ``service``'s rate only (None if no card is)."""
    found = _prepared(_rate_sql(), [service, site, on], read=True)
    if found is None:
        return None
    # Read as the ORM reads these columns (SQLite keeps dates as text, decimals as numbers).
    effective_from = plainsql.loaded(RateCard, ["effective_from"], found[:1]).effective_from
    credits = None if found[1] is None else plainsql.loaded(RateCardCredit, ["credits"], found[1:]).credits
    rates = {} if credits is None else {service: credits}
    return rt.RateCard(site, effective_from, rates)


# The entry's columns that the one-statement posting takes from the account's UPDATE.
FROM_UPDATE = {"account_id": "u.id", "balance_after": "u.balance"}


# Rows written by the debit's own statement, each new row's foreign key ``attname`` set to the key of
# the row before it (the entry's for the first): a delivery paid by the entry, then its event.
Chain = Sequence[tuple[Model, str]]


def _chained_sql(chain: tuple[tuple[type[Model], str], ...]) -> str:
    """Return the CTEs inserting ``chain`` after the entry ``e``, each returning its key as ``k``."""
    ctes, previous, key = [], "e", "serial"
    for n, (model, attname) in enumerate(chain):
        values = ", ".join(
            f"{previous}.{key}" if f.attname == attname else f"CAST(%s AS {f.cast_db_type(connection)})"
            for f in plainsql.fields(model)
        )
        ctes.append(
            f", c{n} AS (INSERT INTO {model._meta.db_table} ({plainsql.columns(model)}) SELECT {values} "
            f"FROM {previous} RETURNING {plainsql.key_column(model)} AS k)"
        )
        previous, key = f"c{n}", "k"
    return "".join(ctes)


@cache
def _covered_sql(*, rated: bool, chain: tuple[tuple[type[Model], str], ...] = ()) -> str:
    account, order, table = LedgerAccount._meta.db_table, Order._meta.db_table, LedgerEntry._meta.db_table
    agreement = Agreement._meta.db_table
    card, credit = RateCard._meta.db_table, RateCardCredit._meta.db_table
    # Typed parameters: in a SELECT list PostgreSQL cannot infer them from the target columns.
    values = ", ".join(
        FROM_UPDATE.get(f.attname, f"CAST(%s AS {f.cast_db_type(connection)})")
        for f in plainsql.fields(LedgerEntry)
    )
    # The rate the cost was computed with must still be the one in force (a card imported or edited
    # by another process since this one cached it): the card in force on the day, and its rate.
    rate = (
        f"AND EXISTS (SELECT 1 FROM {credit} r WHERE r.service_id = %s AND r.credits = %s AND r.card_id = "
        f"(SELECT c.id FROM {card} c WHERE c.site = %s AND c.effective_from <= %s "
        "ORDER BY c.effective_from DESC LIMIT 1)) "
        if rated
        else ""
    )
    # ``a.balance + %s >= 0`` is CRD-2 / HRS-2 as domain.ledger.redeem_credits and consume_hours decide
    # them (domain.entries.NEVER_NEGATIVE): a debit the balance covers is the domain's whole answer;
    # any other goes to the locking path, where the domain itself decides. ``o.current_version``
    # is the check of order_facts.StaleOrder (ORD-9). The agreement not terminated before the day
    # is domain.ledger.check_not_terminated (ORD-2). No lot of the account past its last day before
    # the day (an entry's ``expires_on``; the day is within the term) is domain.expiry.usable_balance
    # (FLX-2, ORD-5): with one, the balance may hold what can no longer be spent, and the domain decides.
    return (
        f"WITH u AS (UPDATE {account} AS a SET balance = a.balance + %s FROM {order} AS o "
        "WHERE a.order_id = %s AND a.site = %s AND a.kind = %s AND a.service = %s "
        f"AND o.id = a.order_id AND o.current_version = %s AND a.balance + %s >= 0 "
        f"AND EXISTS (SELECT 1 FROM {agreement} g WHERE g.id = o.agreement_id "
        "AND (g.terminated_on IS NULL OR g.terminated_on >= %s)) "
        f"AND NOT EXISTS (SELECT 1 FROM {table} e WHERE e.account_id = a.id AND e.amount > 0 "
        f"AND e.expires_on IS NOT NULL AND e.expires_on < %s) {rate}"
        "RETURNING a.id, a.balance) "
        + (
            _with_chain(table, values, chain)
            if chain
            else (
                f"INSERT INTO {table} ({plainsql.columns(LedgerEntry)}) SELECT {values} FROM u "
                "RETURNING serial, account_id, balance_after"
            )
        )
    )


def _with_chain(table: str, values: str, chain: tuple[tuple[type[Model], str], ...]) -> str:
    ctes = _chained_sql(chain)
    joined = ", ".join(["e", *(f"c{n}" for n in range(len(chain)))])
    keys = ", ".join(f"c{n}.k" for n in range(len(chain)))
    return (
        f", e AS (INSERT INTO {table} ({plainsql.columns(LedgerEntry)}) SELECT {values} FROM u "
        f"RETURNING serial, account_id, balance_after){ctes} "
        f"SELECT e.serial, e.account_id, e.balance_after, {keys} FROM {joined}"
    )


def post_if_covered(
    row: LedgerEntry,
    *,
    account: LedgerAccount,
    version: int,
    rate: RateUsed | None = None,
    chain: Chain = (),
) -> bool:
    """Return whether ``row`` was written in one statement, its account's balance staying at zero or above.

    PostgreSQL only. The UPDATE takes the account's row lock, so concurrent postings queue there and
    each re-reads the balance the one before it left (READ COMMITTED re-checks the WHERE clause on
    the new row). Nothing is written, and False returned, when the balance would go below zero, the
    account does not exist yet, ``version`` is no longer the order's current version, or ``rate``
    (the rate the amount was computed with) is no longer the one in force: the caller then takes
    the locking path, where the domain decides. Nor when the agreement was terminated before the
    entry's day (ORD-2), or a lot of the account lapsed before it (FLX-2, ORD-5). ``account`` names the account (order, site, kind,
    service); its id and balance are set from the database on success.
    """
    amount = row.amount
    params: list[Any] = [
        amount,
        account.order_id,
        account.site,
        account.kind,
        account.service,
        version,
        amount,
        row.effective_on,
        row.effective_on,
    ]
    if rate is not None:
        params += [rate.service, rate.credits, rate.site, rate.on]
    fields = plainsql.fields(LedgerEntry)
    params += [v for f, v in zip(fields, plainsql.values(row), strict=True) if f.attname not in FROM_UPDATE]
    for chained, attname in chain:
        params += [
            v
            for f, v in zip(plainsql.fields(type(chained)), plainsql.values(chained), strict=True)
            if f.attname != attname
        ]
    shape = tuple((type(chained), attname) for chained, attname in chain)
    found = _prepared(_covered_sql(rated=rate is not None, chain=shape), params)
    if found is None:
        return False
    row.serial, account.pk, account.balance = found[:3]
    previous: Model = row
    for (chained, attname), key in zip(chain, found[3:], strict=True):
        setattr(chained, attname, previous.pk)
        plainsql.set_keys([chained], [key])
        previous = chained
    row.account, row.balance_after = account, account.balance
    plainsql.saved(account)
    plainsql.saved(row)
    return True


@cache
def _lapsed_sql() -> str:
    entry = LedgerEntry._meta.db_table
    return f"SELECT 1 FROM {entry} WHERE account_id = %s AND amount > 0 AND expires_on < %s LIMIT 1"


def has_lapsed_lot(account_id: int, day: date) -> bool:
    """Return whether the account holds a lot whose last day of use is before ``day``.

    The cheap first question of domain.expiry's FLX-2 (a lapsed lot is never spent), asked on every
    locked debit: one prepared statement on the partial index (account, expires_on), not the ORM's
    compiling of a query while the account is locked.
    """
    day_value = connection.ops.adapt_datefield_value(day)
    return _prepared(_lapsed_sql(), [account_id, day_value]) is not None
