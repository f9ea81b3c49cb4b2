"""Reads of the ledger, always through the caller's scope: balances, statements, rates, the audit."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet, Sum

from unisupport.accounts.permissions import can_audit_ledger, require
from unisupport.accounts.scope import Scope, scoped
from unisupport.domain import ledger
from unisupport.domain import rates as rt
from unisupport.domain.entries import Account, AccountKind
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop
from unisupport.ledger.convert import domain_account, domain_entry, domain_exchange_rate
from unisupport.ledger.models import ExchangeRate, LedgerAccount, LedgerEntry, RateCard
from unisupport.orders.models import Order
from unisupport.orders.selectors import order_for

# The rules the ledger posts under; `ledger verify` reports an entry citing any other.
LEDGER_RULES = frozenset(
    {
        "CAT-1",
        "CRD-1",
        "CRD-3",
        "CRD-4",
        "HRS-1",
        "FLX-2",
        "FLX-4",
        "FLX-5",
        "MC-7",
        "ORD-2",
        "ORD-5",
        "ORD-9",
        "DEL-2",
        "DEL-3",
        "DEL-4",
        "DEL-6",
        "EVT-1",
        "EVT-2",
        "EVT-3",
        "MCS-9",
        "UER-2",
    }
)


def rate_cards(*, site: str) -> list[rt.RateCard]:
    """Return every rate card of ``site`` (CRD-1), whatever its effective date."""
    cards: dict[date, dict[str, Decimal]] = {}
    rows = RateCard.objects.filter(site=site).values_list(
        "effective_from", "credits__service_id", "credits__credits"
    )
    for effective_from, service, credits in rows:  # one query: each card with its credits
        card = cards.setdefault(effective_from, {})
        if service is not None:
            card[service] = credits
    return [rt.RateCard(site, effective_from, credits) for effective_from, credits in cards.items()]


def exchange_rates(*, from_site: str, to_site: str) -> list[rt.ExchangeRate]:
    """Return every exchange rate from ``from_site`` to ``to_site`` (MC-7), whatever its effective date."""
    return [
        domain_exchange_rate(r) for r in ExchangeRate.objects.filter(from_site=from_site, to_site=to_site)
    ]


def scoped_order(scope: Scope, *, number: str) -> Order:
    """Return order ``number`` if ``scope`` sees it, else raise InvalidInput naming ``order``."""
    try:
        return order_for(scope, number=number)
    except Order.DoesNotExist:
        raise InvalidInput("order", Message(gettext_noop("no order {order!r}"), order=number)) from None


def accounts_of(scope: Scope, *, order: Order, site: str | None = None) -> QuerySet[LedgerAccount]:
    """Return the accounts of ``order`` that ``scope`` sees (one site's if given)."""
    rows = scoped(LedgerAccount.objects.filter(order=order), scope)
    if site:
        rows = rows.filter(site=site.strip().upper())
    return rows.order_by("site", "kind", "service")


_MONETARY = frozenset({AccountKind.ALLOCATION.value, AccountKind.MONEY.value})  # plain strings: a set look-up


def show(kind: str, value: Decimal) -> str:
    """Return an amount as text in its account's unit: whole credits, hours, money to the cent."""
    if kind in _MONETARY:
        return f"{value:.2f}"
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def balances(
    scope: Scope, *, order: str, site: str | None = None, reserved: Mapping[int, Decimal] | None = None
) -> dict[str, object]:
    """Return ``{"order", "accounts": [{"site", "kind", "service", "balance", "reserved", "available"}]}``.

    ``reserved`` (account id → amount) is what open delivery requests hold: their payment was taken
    from the balance when they were requested, so ``available``, what can still be spent, is the
    balance itself; a cancellation gives back what DEL-2 leaves.
    """
    found = scoped_order(scope, number=order)
    held = reserved or {}
    return {
        "order": found.number,
        "accounts": [
            {
                "site": r.site,
                "kind": r.kind,
                "service": r.service or None,
                "balance": show(r.kind, r.balance),
                "reserved": show(r.kind, held.get(r.pk, Decimal(0))),
                "available": show(r.kind, r.balance),
            }
            for r in accounts_of(scope, order=found, site=site)
        ],
    }


def parse_account(text: str, *, order: str) -> tuple[str, str, str]:
    """Return (site, kind, service) from ``[ORDER/]SITE/KIND[/SERVICE]``, else raise InvalidInput."""
    parts = text.strip().removeprefix(f"{order}/").split("/")
    if len(parts) not in (2, 3) or parts[1] not in {k.value for k in AccountKind}:
        raise InvalidInput(
            "account",
            Message(gettext_noop("expected SITE/KIND[/SERVICE] such as FR/credits, got {text!r}"), text=text),
        )
    return parts[0].upper(), parts[1], parts[2] if len(parts) == 3 else ""


@dataclass(frozen=True, slots=True)
class StatementFilter:
    """What a statement shows: one account, or a site, a kind, a rule and a date range."""

    account: str | None = None
    site: str | None = None
    kind: str | None = None
    rule: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def statement(
    scope: Scope, *, order: str, filters: StatementFilter = StatementFilter()
) -> QuerySet[LedgerEntry]:
    """Return the entries of an order that ``scope`` sees, in the order written, filtered."""
    found = scoped_order(scope, number=order)
    rows = scoped(LedgerEntry.objects.filter(order=found), scope).select_related("account")
    if filters.account:
        site, kind, service = parse_account(filters.account, order=found.number)
        rows = rows.filter(account__site=site, account__kind=kind, account__service=service)
    if filters.site:
        rows = rows.filter(account__site=filters.site.strip().upper())
    if filters.kind:
        rows = rows.filter(account__kind=filters.kind)
    if filters.rule:
        rows = rows.filter(rule=filters.rule.strip().upper())
    if filters.date_from:
        rows = rows.filter(effective_on__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(effective_on__lte=filters.date_to)
    return rows.order_by("serial")


def entry_json(row: LedgerEntry, *, order: str) -> dict[str, object]:
    """Return one statement line as JSON-able data (amounts in the account's unit)."""
    account = row.account
    return {
        "entry": row.uid,
        "serial": row.serial,
        "account": "/".join(p for p in (order, account.site, account.kind, account.service) if p),
        "site": account.site,
        "kind": account.kind,
        "service": account.service or None,
        "amount": show(account.kind, row.amount),
        "balance": show(account.kind, row.balance_after),
        "currency": account.currency or None,
        "rule": row.rule,
        "effective_on": row.effective_on.isoformat(),
        "posted_at": row.posted_at.isoformat(),
        "actor": row.actor,
        "reason": row.reason,
        "order_version": row.order_version,
        "cause": row.cause or None,
        "expires_on": row.expires_on.isoformat() if row.expires_on else None,
        "compensates": row.compensates or None,
        "refunds": row.refunds or None,
        "forfeits": row.forfeits or None,
        "linked": row.linked or None,
    }


STATEMENT_COLUMNS = (
    "serial", "entry", "effective_on", "posted_at", "account", "site", "kind", "service", "amount",
    "balance", "currency", "rule", "reason", "actor", "order_version", "cause", "expires_on",
    "compensates", "refunds", "forfeits", "linked",
)  # fmt: skip


@dataclass(slots=True)
class Audit:
    """What ``ledger verify`` found: counts and every violation."""

    accounts: int = 0
    entries: int = 0
    violations: list[ledger.Violation] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """Return the audit as the JSON ``ledger verify --json`` prints."""
        return {
            "ok": not self.violations,
            "accounts": self.accounts,
            "entries": self.entries,
            "violations": [v.as_dict() for v in self.violations],
        }


def _stored_entries(
    by_pk: dict[int, Account], audit: Audit, owners: dict[int, tuple[int, int]]
) -> Iterator[ledger.Entry]:
    running: dict[int, Decimal] = {}
    for row in LedgerEntry.objects.order_by("serial").iterator(chunk_size=5000):
        account = by_pk[row.account_id]
        audit.entries += 1
        running[row.account_id] = running.get(row.account_id, Decimal(0)) + row.amount
        if row.balance_after != running[row.account_id]:
            message = f"balance after {row.balance_after}, entries give {running[row.account_id]}"
            audit.violations.append(ledger.Violation("CRD-4", message, account, row.uid))
        if (row.organisation_id, row.order_id) != owners[row.account_id]:
            message = "entry of another organisation or order than its account"
            audit.violations.append(ledger.Violation("CRD-4", message, account, row.uid))
        yield domain_entry(row, account)


AUDIT_REFUSAL = Message(gettext_noop("only the vendor's staff audit the ledger"))


def verify_ledger(*, scope: Scope) -> Audit:
    """Return the audit of the whole ledger: every invariant of the domain's verify, and the rows'
    own (each entry's balance after it, its organisation, the account's organisation and order)."""
    require(scope, can_audit_ledger, AUDIT_REFUSAL, field=None)
    audit = Audit()
    rows = list(LedgerAccount.objects.select_related("order"))
    audit.accounts = len(rows)
    by_pk = {r.pk: domain_account(r, order_number=r.order.number) for r in rows}
    for r in rows:
        if r.organisation_id != r.order.organisation_id:
            audit.violations.append(
                ledger.Violation("CRD-4", "account of another organisation than its order", by_pk[r.pk])
            )
    stored = {by_pk[r.pk]: r.balance for r in rows}
    owners = {r.pk: (r.organisation_id, r.order_id) for r in rows}
    entries = list(_stored_entries(by_pk, audit, owners))
    audit.violations += ledger.verify(stored, entries, known_rules=LEDGER_RULES)
    if not entries_are_append_only():
        audit.violations.append(
            ledger.Violation(
                "CRD-4", "the database does not refuse changes to entries (migration ledger 0008)"
            )
        )
    return audit


def entries_are_append_only() -> bool:
    """Return True when the database's own triggers refuse to change or delete a ledger entry (CRD-4)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'ledger_entry_append_only' AND NOT tgisinternal"
            )
            return bool(cursor.fetchone()[0])
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
                "('ledger_entry_no_update', 'ledger_entry_no_delete')"
            )
            return cursor.fetchone()[0] == 2
    return False


@dataclass(frozen=True, slots=True)
class Left:
    """What one account kind holds at one site of one order (the allocation in the order's currency)."""

    order: str
    site: str
    kind: str
    currency: str
    amount: Decimal


def entitlements_left(scope: Scope) -> list[Left]:
    """Return what is left on every order ``scope`` sees, summed per order, site and kind (credits,
    hours, the allocation, events): one grouped query, whatever the number of entries."""
    rows = (
        scoped(LedgerAccount.objects.exclude(kind=AccountKind.MONEY), scope)
        .values("order__number", "site", "kind", "currency")
        .annotate(left=Sum("balance"))
        .order_by("order__number", "site", "kind")
    )
    return [
        Left(r["order__number"], r["site"], r["kind"], r["currency"], r["left"] or Decimal(0)) for r in rows
    ]
