"""Spending the flexible allocation on a service it was assigned to (FLX-2, FLX-5, FLX-6).

The allocation is money of the order's currency, assigned per service and site at contract
execution (FLX-5) and granted per contract year (FLX-2). A delivery paid with it is a debit of
that service's assignment at that site, never below zero.
"""

from __future__ import annotations

from datetime import date

from unisupport.domain.entries import NEVER_NEGATIVE, Account, AccountKind, Context, Entry, new_entry
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Money
from unisupport.domain.term import Term


def spend_allocation(
    balance: Money, cost: Money, *, account: Account, on: date, term: Term, ctx: Context
) -> list[Entry]:
    """Return the debit of ``cost`` from the allocation assigned to the account's service (FLX-2),
    refused when ``balance`` is short: never more than was assigned (FLX-6)."""
    if account.kind is not AccountKind.ALLOCATION:
        raise InvalidInput(
            "account",
            Message(gettext_noop("only allocation accounts are spent, not {kind}"), kind=account.kind),
        )
    amount = account.amount_of(cost, field="cost")
    term.require_within(on)
    if balance.amount < amount:
        raise RuleViolation(
            NEVER_NEGATIVE[AccountKind.ALLOCATION],
            Message(
                gettext_noop(
                    "the allocation assigned to {service} at {site} has {balance} left, {cost} asked: "
                    "it never pays more than was assigned"
                ),
                service=account.service,
                site=account.site,
                balance=balance,
                cost=cost,
            ),
            field="pay",
        )
    return [
        new_entry(
            ctx,
            account=account,
            amount=-amount,
            on=on,
            rule="FLX-2",
            reason=Message(gettext_noop("spend {cost} of the allocation"), cost=cost),
        )
    ]
