"""The accounts a posting touches, locked: always in primary-key order, always inside its transaction."""

from __future__ import annotations

from collections.abc import Iterable

from unisupport.domain import entries as dom
from unisupport.ledger import sql
from unisupport.ledger.models import LedgerAccount
from unisupport.ledger.order_facts import OrderFacts, StaleOrder


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

    Raises StaleOrder if the order's current version, or its agreement's termination (ORD-2), is no
    longer ``facts``' (see :func:`unisupport.ledger.order_facts.order_facts`).
    """
    key = (facts.order.pk, site, kind.value, service or "")
    found = sql.lock_account(*key)
    if found is None:
        account_row(facts, site=site, kind=kind, service=service)
        found = sql.lock_account(*key)
    assert found is not None  # created just above, in this transaction
    row, current, terminated_on = found
    if current != facts.version.version or terminated_on != facts.terminated_on:
        raise StaleOrder(facts.number)
    row.order = facts.order
    return row
