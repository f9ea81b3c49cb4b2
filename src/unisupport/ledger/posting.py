"""The write half of every posting: the debit's two paths, the rows and the running balances.

A posting reads what it needs first (:mod:`unisupport.ledger.order_facts`, rate cards), then in one
transaction locks the accounts it touches (:mod:`unisupport.ledger.locks`), lets the domain decide
from the locked balances, and writes the entries and the new running balances (:func:`write`)
before committing. A plain debit goes through :func:`post_debit`, which first tries the one-statement
path of PostgreSQL.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from unisupport import plainsql
from unisupport.domain import entries as dom
from unisupport.ledger import locks, sql
from unisupport.ledger.convert import domain_account, domain_entry, entry_row
from unisupport.ledger.models import CreditException, LedgerAccount, LedgerEntry
from unisupport.ledger.order_facts import OrderFacts

# What a debit decides under its account's lock: the entries, and the CRD-3 approval they used.
Decision = tuple[Sequence[dom.Entry], CreditException | None]


def actor_name(actor: object) -> str:
    """Return who posts: a user's name, a given string, or the operating-system user of the CLI."""
    if isinstance(actor, AbstractBaseUser):
        return actor.get_username()
    if isinstance(actor, str) and actor.strip():
        return actor.strip()
    if isinstance(actor, AnonymousUser) or actor is None:
        try:
            return f"cli:{getpass.getuser()}"
        except (KeyError, OSError):
            return "cli"
    return str(actor)


def entries_of(row: LedgerAccount, account: dom.Account) -> list[dom.Entry]:
    """Return the entries of one account in the order they were written, as domain entries."""
    return [domain_entry(e, account) for e in LedgerEntry.objects.filter(account=row).order_by("serial")]


def write(
    entries: Sequence[dom.Entry],
    *,
    accounts: Mapping[dom.Account, LedgerAccount],
    credit_exception: CreditException | None = None,
) -> list[LedgerEntry]:
    """Return the rows written for ``entries``, after moving each account's running balance with them.

    The caller holds the lock on every account of ``accounts`` (see :func:`lock`).
    """
    running: dict[int, Decimal] = {}
    written: list[LedgerEntry] = []
    for entry in entries:
        account = accounts[entry.account]
        balance = running.get(account.pk, account.balance) + entry.amount
        running[account.pk] = balance
        written.append(
            entry_row(entry, account=account, balance_after=balance, credit_exception=credit_exception)
        )
    sql.insert(written, balances=running)
    for account in accounts.values():
        if account.pk in running:
            account.balance = running[account.pk]
    return written


def write_if_covered(
    facts: OrderFacts, entry: dom.Entry, *, rate: sql.RateUsed | None = None, chain: sql.Chain = ()
) -> LedgerEntry | None:
    """Return the row of the debit ``entry``, written in one statement if its account still covers it.

    None when it was not written: the balance would go below zero, the account has no row yet, the
    order was amended since ``facts`` were read, ``rate`` (the rate the amount was computed with) is
    no longer in force, or the database is not PostgreSQL (SQLite's write
    lock is the whole database's, taken by the locking path anyway). The caller then locks the
    account and lets the domain decide, as for any posting.
    """
    if not plainsql.on_postgresql():
        return None
    account = LedgerAccount(
        organisation_id=facts.order.organisation_id,
        order=facts.order,
        site=entry.account.site,
        kind=entry.account.kind.value,
        service=entry.account.service or "",
        currency=entry.account.currency or "",
    )
    row = entry_row(entry, account=account, balance_after=Decimal(0))
    written = sql.post_if_covered(row, account=account, version=facts.version.version, rate=rate, chain=chain)
    return row if written else None


def post_debit(
    facts: OrderFacts,
    covered: dom.Entry,
    *,
    decide: Callable[[LedgerAccount, dom.Account], Decision],
    rate: sql.RateUsed | None = None,
    before_lock: Callable[[], object] | None = None,
    chain: sql.Chain = (),
) -> tuple[list[LedgerEntry], str, bool]:
    """Return the rows written for a debit from one account, and the rule that decided.

    ``covered`` is the domain's answer when the balance covers the debit (CRD-2 and HRS-2 turn on the
    balance alone): on PostgreSQL one statement writes it if the account still covers it
    (:func:`write_if_covered`). Otherwise the account is locked and ``decide(row, account)`` lets the
    domain answer from the locked balance, refusing or not; ``decide`` runs inside the transaction.
    ``before_lock`` reads what the locking path needs but the one statement did not (a rate read
    afresh), before the lock is taken: the lock is held for the decision and the writes only.
    ``chain``: rows the one statement writes with the debit (see :data:`sql.Chain`); the third value
    says whether it did — on the locking path the caller writes them.
    """
    if (debited := write_if_covered(facts, covered, rate=rate, chain=chain)) is not None:
        return [debited], covered.rule, bool(chain)
    if before_lock is not None:
        before_lock()
    target = covered.account
    with transaction.atomic():
        row = locks.locked_account(facts, site=target.site, kind=target.kind, service=target.service)
        accounts = keyed(facts, [row])
        (account,) = accounts
        entries, approval = decide(row, account)
        written = write(entries, accounts=accounts, credit_exception=approval)
    return written, entries[0].rule, False


def keyed(facts: OrderFacts, rows: Iterable[LedgerAccount]) -> dict[dom.Account, LedgerAccount]:
    """Return ``rows`` keyed by the domain account each stands for."""
    return {domain_account(r, order_number=facts.number): r for r in rows}


def context(
    facts: OrderFacts, *, at: datetime, actor: object, reason: str = "", cause: str | None = None
) -> dom.Context:
    """Return the audit context of a posting made at ``at`` on ``facts``' current order version."""
    return dom.Context(
        actor=actor_name(actor),
        at=at,
        order_version=facts.version.version,
        reason=reason,
        cause=cause,
    )


@dataclass(frozen=True, slots=True)
class LockedEntry:
    """An entry's account under its lock: the row, its domain account, its entries and the entry."""

    row: LedgerAccount
    accounts: dict[dom.Account, LedgerAccount]
    entries: list[dom.Entry]
    entry: dom.Entry


def lock_entry(facts: OrderFacts, found: LedgerEntry) -> LockedEntry:
    """Return ``found``'s account locked, with its entries read under the lock (call inside the transaction)."""
    (row,) = locks.lock([found.account])
    accounts = keyed(facts, [row])
    (account,) = accounts
    existing = entries_of(row, account)
    return LockedEntry(row, accounts, existing, next(e for e in existing if e.id == found.uid))
