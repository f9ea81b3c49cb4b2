"""The persistence half of every posting: find the order, lock the accounts, write the entries.

A posting reads what it needs (order, sites, rate cards) first, then in one transaction locks the
accounts it touches, lets the domain decide from the locked balances, and writes the entries and
the new running balances before committing.
"""

from __future__ import annotations

import functools
import getpass
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F

from unisupport import plainsql
from unisupport.domain import entries as dom
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import to_decimal
from unisupport.domain.term import Term
from unisupport.ledger import sql
from unisupport.ledger.convert import domain_account, domain_entry, entry_row
from unisupport.ledger.models import CreditException, LedgerAccount, LedgerEntry
from unisupport.orders.models import Order, OrderVersion, Site

P = ParamSpec("P")
R = TypeVar("R")


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


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What a posting needs to know about an order: its current version, term and sites."""

    order: Order
    version: OrderVersion
    term: Term
    sites: dict[str, Site]

    @property
    def number(self) -> str:
        """Return the order number."""
        return self.order.number

    @property
    def host(self) -> str:
        """Return the country of the agreement's host site (MC-1)."""
        return self.version.host_country

    def site(self, country: object, *, field: str = "site") -> str:
        """Return ``country`` if the order has a site there, else raise InvalidInput naming ``field``."""
        code = str(country or "").strip().upper()
        if code not in self.sites:
            raise InvalidInput(
                field,
                Message(
                    gettext_noop("{order} has no site in {country!r} (sites: {sites})"),
                    order=self.number,
                    country=country,
                    sites=", ".join(self.sites),
                ),
            )
        return code

    def local_date(self, country: str, at: datetime) -> date:
        """Return the date at the site at instant ``at`` (its own time zone: a Tokyo morning is not yesterday)."""
        return dom.require_aware(at, field="at").astimezone(ZoneInfo(self.sites[country].timezone)).date()

    def within(self, day: date, *, field: str = "on") -> date:
        """Return ``day`` if it is in the order's term, else raise InvalidInput naming ``field``."""
        return self.term.require_within(day, field=field)


def order_facts(*, number: object, field: str = "order", cached: bool = False) -> OrderFacts:
    """Return the facts of order ``number`` (InvalidInput naming ``field`` if there is none).

    ``cached``: from this process's cache when it has them. Only for a caller that then takes its
    account lock with :func:`locked_account`, which checks under the lock that the order's current
    version is still the cached one (an amendment makes a new version, ORD-9; versions and their
    sites are never edited) and raises :class:`StaleOrder` otherwise.
    """
    text = str(number or "").strip()
    if cached and (found := _facts.get(text)) is not None:
        return found
    # One query: the current version's sites, each with its version and order (every version has one).
    sites = list(
        Site.objects.select_related("order_version__order").filter(
            order_version__order__number=text,
            order_version__version=F("order_version__order__current_version"),
        )
    )
    if not sites:
        raise InvalidInput(field, Message(gettext_noop("no order {order!r}"), order=text))
    version = sites[0].order_version
    facts = OrderFacts(
        version.order, version, Term(version.start, version.end), {s.country: s for s in sites}
    )
    if len(_facts) >= _FACTS_KEPT:
        _facts.clear()  # a crude bound; refilling costs one query an order
    _facts[text] = facts
    return facts


# Facts of the orders this process posted to lately. Cleared by this process's own saves of an order,
# version or site (signals in apps.py); another process's amendment is caught under the lock.
_facts: dict[str, OrderFacts] = {}
_FACTS_KEPT = 10_000


def forget_orders(**_: object) -> None:
    """Drop this process's cached order facts (called when an order, version or site is saved)."""
    _facts.clear()


class StaleOrder(Exception):
    """The order was amended since its facts were cached: start the posting again."""


def retry_if_stale(post: Callable[P, R]) -> Callable[P, R]:
    """Return ``post`` run again once, with fresh facts, if it met an amended order (StaleOrder)."""

    @functools.wraps(post)
    def posting(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return post(*args, **kwargs)
        except StaleOrder:  # the transaction has rolled back; nothing was written
            forget_orders()
            return post(*args, **kwargs)

    return posting


def account_row(
    facts: OrderFacts, *, site: str, kind: dom.AccountKind, service: str | None = None
) -> LedgerAccount:
    """Return the account of ``facts``' order (created empty on first use; call inside the transaction)."""
    monetary = kind in (dom.AccountKind.ALLOCATION, dom.AccountKind.MONEY)
    row, _ = LedgerAccount.objects.get_or_create(
        order=facts.order,
        site=site,
        kind=kind.value,
        service=service or "",
        defaults={
            "organisation_id": facts.order.organisation_id,
            "currency": facts.version.currency if monetary else "",
        },
    )
    return row


def lock(rows: Iterable[LedgerAccount]) -> list[LedgerAccount]:
    """Return ``rows`` re-read under a row lock, in primary-key order (the order of ``rows`` is lost).

    Accounts are always locked in primary-key order, whatever the direction of the operation: an
    exchange FR→DE and one DE→FR then queue on the same first row instead of each holding one lock
    and waiting for the other (a deadlock on PostgreSQL). On SQLite select_for_update is a no-op:
    the IMMEDIATE transaction already holds the database's single write lock.
    """
    return [LedgerAccount.objects.select_for_update().get(pk=pk) for pk in sorted({r.pk for r in rows})]


def locked_account(
    facts: OrderFacts, *, site: str, kind: dom.AccountKind, service: str | None = None
) -> LedgerAccount:
    """Return one account of ``facts``' order under a row lock (created first if it has none yet).

    Raises StaleOrder if the order's current version is no longer ``facts``' (see :func:`order_facts`).
    """
    key = (facts.order.pk, site, kind.value, service or "")
    found = sql.lock_account(*key)
    if found is None:
        account_row(facts, site=site, kind=kind, service=service)
        found = sql.lock_account(*key)
    assert found is not None  # created just above, in this transaction
    row, current = found
    if current != facts.version.version:
        raise StaleOrder(facts.number)
    row.order = facts.order
    return row


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
    facts: OrderFacts, entry: dom.Entry, *, rate: sql.RateUsed | None = None
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
    written = sql.post_if_covered(row, account=account, version=facts.version.version, rate=rate)
    return row if written else None


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


def plain(value: Decimal) -> Decimal:
    """Return ``value`` without the trailing zeros of its column (200.00 → 200, 7.50 → 7.5)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def number(value: object, *, field: str) -> Decimal:
    """Return ``value`` as a Decimal, else raise InvalidInput naming ``field``."""
    try:
        return to_decimal(value, field=field)
    except ValueError:
        raise InvalidInput(
            field, Message(gettext_noop("expected a number, got {value!r}"), value=value)
        ) from None
