"""Posting fees and refunds to whatever paid for a delivery (DEL-2 Product rule, DEL-3, DEL-4).

:mod:`fees` decides the fee and the refund; these functions turn the decision into entries of the
account that paid: a refund back into it when it was paid in advance, the fee taken from it when
it is paid on delivery or when a delivery is moved again (DEL-3).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from unisupport.domain.entries import NEVER_NEGATIVE, Account, AccountKind, Context, Entry, new_entry
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.fees import CancellationFee
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Money, Quantity
from unisupport.domain.term import require_date


def charge(amount: Money, *, account: Account, on: date, ctx: Context, rule: str) -> list[Entry]:
    """Return the entry adding ``amount`` to what the customer owes (fees, expenses)."""
    if account.kind is not AccountKind.MONEY:
        raise InvalidInput(
            "account", Message(gettext_noop("only money accounts are charged, not {kind}"), kind=account.kind)
        )
    value = account.amount_of(amount, field="amount")
    require_date(on, field="on")
    return [
        new_entry(
            ctx,
            account=account,
            amount=value,
            on=on,
            rule=rule,
            reason=Message(gettext_noop("charge {amount}"), amount=amount),
        )
    ]


def refund(
    paid: Entry,
    quantity: Quantity,
    *,
    rule: str,
    ctx: Context,
    on: date,
    existing: Iterable[Entry] = (),
) -> list[Entry]:
    """Return the entry giving back ``quantity`` of what ``paid`` took (DEL-2..4); none for zero."""
    account = paid.account
    amount = account.amount_of(quantity, field="refund", zero_ok=True)
    if not amount:
        return []
    # What the customer paid with: a debit of credits, hours or allocation, or a charge of money.
    sign = Decimal(1) if account.kind is AccountKind.MONEY else Decimal(-1)
    if paid.amount * sign <= 0:
        raise InvalidInput(
            "paid",
            Message(gettext_noop("entry {entry} is not a payment that can be refunded"), entry=paid.id),
        )
    before = list(existing)
    if any(e.compensates == paid.id for e in before):
        raise RuleViolation(
            "CRD-4", Message(gettext_noop("entry {entry} was already compensated"), entry=paid.id)
        )
    returned = sum((abs(e.amount) for e in before if e.refunds == paid.id), Decimal(0))
    if returned + amount > abs(paid.amount):
        raise RuleViolation(
            "CRD-4",
            Message(
                gettext_noop("refunds of {entry} would exceed what it took ({quantity})"),
                entry=paid.id,
                quantity=paid.quantity,
            ),
        )
    return [
        new_entry(
            ctx,
            account=account,
            amount=-sign * amount,
            on=on,
            rule=rule,
            reason=Message(gettext_noop("refund {quantity} of {entry}"), quantity=quantity, entry=paid.id),
            refunds=paid.id,
        )
    ]


def post_cancellation(
    fee: CancellationFee, *, paid: Entry, ctx: Context, on: date, existing: Iterable[Entry] = ()
) -> list[Entry]:
    """Return the refund of a cancelled delivery to whatever paid for it (DEL-2 Product rule, DEL-4).

    The fee is what ``paid`` keeps; only the refund is posted, once per payment. A delivery not
    paid in advance (hours consumed as delivered, money invoiced later) has nothing to refund:
    post the fee itself with :func:`charge_fee`.
    """
    before = list(existing)
    if any(e.refunds == paid.id for e in before):
        raise RuleViolation(
            "CRD-4",
            Message(
                gettext_noop("the delivery paid by {entry} already had its cancellation posted"),
                entry=paid.id,
            ),
        )
    return refund(paid, fee.refund, rule=fee.rule, ctx=ctx, on=on, existing=before)


def charge_fee(
    fee: CancellationFee, *, account: Account, balance: Decimal, ctx: Context, on: date
) -> list[Entry]:
    """Return the entry taking ``fee.fee`` from ``account`` (a DEL-3 reschedule, or a DEL-2 fee on
    a delivery not paid in advance); none for a free one, refused below zero (CRD-2, HRS-2)."""
    amount = account.amount_of(fee.fee, field="fee", zero_ok=True)
    require_date(on, field="on")
    if not amount:
        return []
    if account.kind is AccountKind.MONEY:
        return [
            new_entry(
                ctx,
                account=account,
                amount=amount,
                on=on,
                rule=fee.rule,
                reason=_fee_reason(fee),
            )
        ]
    if balance < amount:
        rule = "CRD-2" if account.kind is AccountKind.CREDITS else NEVER_NEGATIVE[account.kind]
        raise RuleViolation(
            rule,
            Message(
                gettext_noop("{account} has {balance} left, the {rule} fee is {fee}"),
                account=account.label,
                balance=balance,
                rule=fee.rule,
                fee=fee.fee,
            ),
            field="fee",
        )
    return [new_entry(ctx, account=account, amount=-amount, on=on, rule=fee.rule, reason=_fee_reason(fee))]


def _fee_reason(fee: CancellationFee) -> Message:
    return Message(gettext_noop("fee {fee}: {why}"), fee=fee.fee, why=fee.reason)
