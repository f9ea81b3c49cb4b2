"""Rows to domain values and back: the ledger tables hold exactly what the domain decided."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from unisupport.domain import entries as dom
from unisupport.domain import rates as rt
from unisupport.domain.messages import Message
from unisupport.ledger.models import CreditException, ExchangeRate, LedgerAccount, LedgerEntry


def domain_account(row: LedgerAccount, *, order_number: str) -> dom.Account:
    """Return the domain account a row stands for."""
    return dom.Account(
        order=order_number,
        site=row.site,
        kind=dom.AccountKind(row.kind),
        service=row.service or None,
        currency=row.currency or None,
    )


def domain_exception(row: CreditException) -> dom.CreditException:
    """Return a recorded CRD-3 approval as the domain checks it."""
    return dom.CreditException(
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        terms=row.terms,
        in_writing=row.in_writing,
        credit_limit=row.credit_limit,
        reference=row.reference,
    )


def _exception_json(value: dom.CreditException | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "approved_by": value.approved_by,
        "approved_at": value.approved_at.isoformat(),
        "terms": value.terms,
        "in_writing": value.in_writing,
        "agreement_active": value.agreement_active,
        "credit_limit": None if value.credit_limit is None else str(value.credit_limit),
        "reference": value.reference,
    }


def _exception_of(data: dict[str, Any] | None) -> dom.CreditException | None:
    if not data:
        return None
    return dom.CreditException(
        approved_by=data["approved_by"],
        approved_at=datetime.fromisoformat(data["approved_at"]),
        terms=data["terms"],
        in_writing=data["in_writing"],
        agreement_active=data["agreement_active"],
        credit_limit=None if data["credit_limit"] is None else Decimal(data["credit_limit"]),
        reference=data["reference"],
    )


def _exchange_json(value: rt.ExchangeRate | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "from": value.from_site,
        "to": value.to_site,
        "effective_from": value.effective_from.isoformat(),
        "rate": str(value.rate),
        "fee_kind": value.fee_kind.value,
        "fee": str(value.fee),
    }


def _exchange_of(data: dict[str, Any] | None) -> rt.ExchangeRate | None:
    if not data:
        return None
    return rt.ExchangeRate(
        from_site=data["from"],
        to_site=data["to"],
        effective_from=date.fromisoformat(data["effective_from"]),
        rate=Decimal(data["rate"]),
        fee_kind=rt.FeeKind(data["fee_kind"]),
        fee=Decimal(data["fee"]),
    )


def domain_entry(row: LedgerEntry, account: dom.Account) -> dom.Entry:
    """Return a stored entry as the domain's Entry (of ``account``, the row's account)."""
    return dom.Entry(
        id=row.uid,
        account=account,
        amount=row.amount,
        posted_at=row.posted_at,
        effective_on=row.effective_on,
        actor=row.actor,
        reason=row.reason,
        rule=row.rule,
        order_version=row.order_version,
        cause=row.cause or None,
        compensates=row.compensates or None,
        refunds=row.refunds or None,
        forfeits=row.forfeits or None,
        linked=row.linked or None,
        expires_on=row.expires_on,
        exception=_exception_of(row.exception),
        exchange=_exchange_of(row.exchange),
    )


def entry_row(
    entry: dom.Entry,
    *,
    account: LedgerAccount,
    balance_after: Decimal,
    credit_exception: CreditException | None = None,
) -> LedgerEntry:
    """Return the (unsaved) row that stores ``entry`` on ``account``."""
    return LedgerEntry(
        uid=entry.id,
        organisation_id=account.organisation_id,
        order_id=account.order_id,
        account=account,
        amount=entry.amount,
        balance_after=balance_after,
        posted_at=entry.posted_at,
        effective_on=entry.effective_on,
        actor=entry.actor[:150],
        reason=str(entry.reason),
        reason_i18n=entry.reason.as_json() if isinstance(entry.reason, Message) else None,
        rule=entry.rule,
        order_version=entry.order_version,
        cause=(entry.cause or "")[:200],
        compensates=entry.compensates or "",
        refunds=entry.refunds or "",
        forfeits=entry.forfeits or "",
        linked=entry.linked or "",
        expires_on=entry.expires_on,
        exception=_exception_json(entry.exception),
        exchange=_exchange_json(entry.exchange),
        credit_exception=credit_exception if entry.exception is not None else None,
    )


def domain_exchange_rate(row: ExchangeRate) -> rt.ExchangeRate:
    """Return a stored exchange rate as the domain's ExchangeRate."""
    return rt.ExchangeRate(
        from_site=row.from_site,
        to_site=row.to_site,
        effective_from=row.effective_from,
        rate=row.rate,
        fee_kind=rt.FeeKind(row.fee_kind),
        fee=row.fee,
    )
