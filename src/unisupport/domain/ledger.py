"""The entitlements ledger: pure functions that decide which entries to post (RULES.md §3–§7).

Each operation takes the account's current balance (or its entries), the facts of the request
and a :class:`Context` (who, when, which order version, why), and returns the entries to write,
or raises RuleViolation / InvalidInput. Nothing is mutated and nothing is written here: the
persistence layer locks the account, calls the function and writes the returned entries and the
new running balance in one transaction.

The vocabulary (Account, Entry, …) lives in :mod:`entries`, lot expiry in :mod:`expiry`, fee and
refund postings in :mod:`ledger_fees` and the audit in :mod:`ledger_verify`; they are re-exported
here so that callers import one module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from unisupport.domain.entries import (
    NEVER_NEGATIVE,
    Account,
    AccountKind,
    Context,
    CreditException,
    Entry,
    new_entry,
    transfer,
)
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.expiry import Lot, expire, lots, plan_debit, refuse_lapsed, usable_balance
from unisupport.domain.ledger_fees import charge, charge_fee, post_cancellation, refund
from unisupport.domain.ledger_spend import spend_allocation
from unisupport.domain.ledger_verify import Violation, verify
from unisupport.domain.lines import ended_by_termination
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Credits, Events, Hours, Money, Quantity
from unisupport.domain.rates import ExchangeRate, FeeKind
from unisupport.domain.term import Term, require_date

__all__ = [
    "Account",
    "AccountKind",
    "Context",
    "CreditException",
    "Entry",
    "Lot",
    "Term",
    "Violation",
    "available_lots",
    "balance",
    "balances",
    "charge",
    "charge_fee",
    "check_not_terminated",
    "compensate",
    "consume_hours",
    "exchange_credits",
    "expire",
    "grant",
    "lots",
    "post_cancellation",
    "redeem_credits",
    "refund",
    "refuse_lapsed",
    "spend_allocation",
    "take_event",
    "usable_balance",
    "verify",
]

_GRANT_RULE = {
    AccountKind.CREDITS: "CRD-1",
    AccountKind.HOURS: "HRS-1",
    AccountKind.ALLOCATION: "FLX-2",
    AccountKind.EVENTS: "EVT-1",  # the grants name the offering's own rule (EVT-1 or EVT-2)
}


def check_not_terminated(on: date, *, terminated_on: date | None, field: str = "on") -> date:
    """Return ``on`` unless the agreement was terminated before it, else raise ORD-2.

    ORD-2: when the foundational package ends early, every add-on of the agreement ends the same
    day; nothing (credits, hours, the allocation's services, fees) is posted for a later day.
    """
    require_date(on, field=field)
    if ended_by_termination(terminated_on=terminated_on, day=on):
        raise RuleViolation(
            "ORD-2",
            Message(
                gettext_noop(
                    "the agreement's foundational package ended on {terminated_on}, and every add-on "
                    "with it: nothing can be posted for {on}"
                ),
                terminated_on=terminated_on,
                on=on,
            ),
            field=field,
        )
    return on


def balance(entries: Iterable[Entry], *, account: Account | None = None) -> Decimal:
    """Return the sum of the entries of ``account`` (or of ``entries``, which must share one account)."""
    chosen = [e for e in entries if account is None or e.account == account]
    if account is None and len({e.account for e in chosen}) > 1:
        raise InvalidInput(
            "account", Message(gettext_noop("the entries belong to several accounts; name one"))
        )
    return sum((e.amount for e in chosen), Decimal(0))


def balances(entries: Iterable[Entry]) -> dict[Account, Decimal]:
    """Return the balance of every account that has entries."""
    result: dict[Account, Decimal] = {}
    for entry in entries:
        result[entry.account] = result.get(entry.account, Decimal(0)) + entry.amount
    return result


def _balance_of(value: Quantity, account: Account) -> Decimal:
    if isinstance(value, Money) or account.quantity(value.amount) != value:
        raise InvalidInput(
            "balance",
            Message(
                gettext_noop("a {kind} balance was expected, got {value!r}"), kind=account.kind, value=value
            ),
        )
    return value.amount


def grant(
    quantity: Quantity,
    *,
    account: Account,
    on: date,
    term: Term,
    ctx: Context,
    funded_by_allocation: bool = False,
    rule: str | None = None,
) -> list[Entry]:
    """Return the entry granting ``quantity`` (order import or amendment), with its last day of use.

    What the flexible allocation bought, and the allocation itself, lapse at the end of the
    contract year of ``on`` (FLX-2); the rest at the end of the term (ORD-5).
    """
    if account.kind is AccountKind.MONEY:
        raise InvalidInput("account", Message(gettext_noop("money is charged (charge), not granted")))
    amount = account.amount_of(quantity, field="quantity")
    term.require_within(on)
    yearly = funded_by_allocation or account.kind is AccountKind.ALLOCATION
    expires_on = term.contract_year(on).end if yearly else term.end
    chosen_rule = rule or ("FLX-2" if funded_by_allocation else _GRANT_RULE[account.kind])
    return [
        new_entry(
            ctx,
            account=account,
            amount=amount,
            on=on,
            rule=chosen_rule,
            reason=Message(
                gettext_noop("grant {quantity} usable until {expires_on}"),
                quantity=quantity,
                expires_on=expires_on,
            ),
            expires_on=expires_on,
        )
    ]


def redeem_credits(
    balance: Credits,
    cost: Credits,
    *,
    account: Account,
    on: date,
    term: Term,
    ctx: Context,
    exception: CreditException | None = None,
    delivery_on: date | None = None,
) -> list[Entry]:
    """Return the debit of ``cost`` credits (CRD-1), refused with CRD-2 when ``balance`` is short.

    A short balance is accepted only under a valid CRD-3 exception (active agreement, more than 90
    days of term left on its approval date, approved in writing before ``delivery_on``); the entry
    then records it, and is the only way below zero (CRD-4).
    """
    amount = account.amount_of(cost, field="cost")
    held = _balance_of(balance, account)
    term.require_within(on)
    if held >= amount:
        return [
            new_entry(
                ctx,
                account=account,
                amount=-amount,
                on=on,
                rule="CRD-1",
                reason=Message(gettext_noop("redeem {cost}"), cost=cost),
            )
        ]
    if exception is None:
        raise RuleViolation(
            "CRD-2",
            Message(
                gettext_noop(
                    "the {site} balance ({balance}) cannot cover {cost}: buy more credits before scheduling"
                ),
                site=account.site,
                balance=balance,
                cost=cost,
            ),
            field="quantity",
        )
    if delivery_on is None:
        raise InvalidInput(
            "delivery_on", Message(gettext_noop("the delivery date is needed to check a CRD-3 exception"))
        )
    exception.check(on=on, delivery_on=require_date(delivery_on, field="delivery_on"), term=term)
    if exception.credit_limit is not None and held - amount < -exception.credit_limit:
        raise RuleViolation(
            "CRD-3",
            Message(
                gettext_noop("the approved terms allow at most {limit} credits below zero"),
                limit=exception.credit_limit,
            ),
        )
    return [
        new_entry(
            ctx,
            account=account,
            amount=-amount,
            on=on,
            rule="CRD-3",
            reason=Message(
                gettext_noop("redeem {cost} under the terms approved by {approved_by} on {approved_on}"),
                cost=cost,
                approved_by=exception.approved_by,
                approved_on=exception.approved_on,
            ),
            exception=exception,
        )
    ]


def consume_hours(
    balance: Hours, hours: Hours, *, account: Account, on: date, term: Term, ctx: Context, rule: str = "HRS-1"
) -> list[Entry]:
    """Return the debit of ``hours`` from an hour block (HRS-1), refused with HRS-2 beyond the balance."""
    amount = account.amount_of(hours, field="hours")
    held = _balance_of(balance, account)
    term.require_within(on)
    if held < amount:
        raise RuleViolation(
            "HRS-2",
            Message(
                gettext_noop("the {service} block has {balance} left, {hours} asked: buy more hours first"),
                service=account.service,
                balance=balance,
                hours=hours,
            ),
            field="hours",
        )
    return [
        new_entry(
            ctx,
            account=account,
            amount=-amount,
            on=on,
            rule=rule,
            reason=Message(gettext_noop("consume {hours}"), hours=hours),
        )
    ]


def take_event(
    balance: Events, *, account: Account, on: date, term: Term, ctx: Context, rule: str
) -> list[Entry]:
    """Return the debit of one event for a booking (EVT-1, EVT-2: ``rule``), refused with ``rule``
    when every event the order bought is booked already."""
    one = Events(Decimal(1))
    amount = account.amount_of(one, field="events")
    held = _balance_of(balance, account)
    term.require_within(on)
    if held < amount:
        raise RuleViolation(
            rule,
            Message(
                gettext_noop("no {service} event left on the order ({balance}): buy more first"),
                service=account.service,
                balance=balance,
            ),
            field="order",
        )
    return [
        new_entry(
            ctx,
            account=account,
            amount=-amount,
            on=on,
            rule=rule,
            reason=Message(gettext_noop("book {events}"), events=one),
        )
    ]


def check_exchange_order(*, order: str, to_order: str) -> None:
    """Return None if credits of ``order`` may go to ``to_order``: only the same order (MC-6), else raise."""
    if to_order != order:
        raise RuleViolation(
            "MC-6",
            Message(
                gettext_noop(
                    "credits of {order} can be exchanged only between the sites of that order, "
                    "never with another order ({other})"
                ),
                order=order,
                other=to_order,
            ),
            field="to_order",
        )


def check_exchange_sites(*, source: str, target: str, host: str) -> None:
    """Return None if credits may move from site ``source`` to ``target`` of one order, else raise.

    MC-6: one of them is the host; and they are two sites.
    """
    if host not in (source, target):
        raise RuleViolation(
            "MC-6",
            Message(
                gettext_noop("an exchange is between the host ({host}) and a downstream site"), host=host
            ),
            field="to",
        )
    if source == target:
        raise InvalidInput(
            "to", Message(gettext_noop("the exchange needs two sites, got {site} twice"), site=source)
        )


def exchange_credits(
    debited: Credits,
    *,
    source: Account,
    target: Account,
    host_site: str,
    source_entries: Sequence[Entry],
    rate: ExchangeRate,
    on: date,
    term: Term,
    ctx: Context,
) -> list[Entry]:
    """Return the debit at ``source`` and the credit(s) at ``target`` of a cross-site exchange.

    MC-6: both sites are on one order and one of them is the host. MC-7: credited =
    round-half-up(debited × rate × (1 − fee %)) or minus a flat fee, per ``rate``. The credited
    credits keep the last day of use of the lots they came from (so an exchange never extends
    FLX-2); when the debit spans lots of several days the credit is split, by largest remainder,
    into one entry per day.
    """
    if source.kind is not AccountKind.CREDITS or target.kind is not AccountKind.CREDITS:
        raise InvalidInput(
            "account", Message(gettext_noop("only proactive credits are exchanged between sites (MC-6)"))
        )
    check_exchange_order(order=source.order, to_order=target.order)
    check_exchange_sites(source=source.site, target=target.site, host=host_site)
    if (rate.from_site, rate.to_site) != (source.site, target.site):
        raise InvalidInput(
            "rate",
            Message(
                gettext_noop("the rate is {rate_from}→{rate_to}, not {source}→{target}"),
                rate_from=rate.from_site,
                rate_to=rate.to_site,
                source=source.site,
                target=target.site,
            ),
        )
    term.require_within(on)
    if rate.effective_from > on:
        raise InvalidInput(
            "rate",
            Message(gettext_noop("the rate starts {start}, after {on}"), start=rate.effective_from, on=on),
        )
    amount = source.amount_of(debited, field="credits")
    if any(e.account != source for e in source_entries):
        raise InvalidInput(
            "source_entries",
            Message(gettext_noop("expected the entries of {account} only"), account=source.label),
        )
    held = usable_balance(source_entries, term=term, on=on)  # FLX-2, ORD-5: no lapsed lot
    if held < amount:
        refuse_lapsed(source_entries, amount, account=source, term=term, on=on)
        raise RuleViolation(
            "CRD-4",
            Message(
                gettext_noop("the {site} balance ({held} credits) cannot cover {debited}"),
                site=source.site,
                held=held,
                debited=debited,
            ),
            field="credits",
        )
    credited = rate.credited(debited)
    if credited.amount <= 0:
        raise RuleViolation(
            "MC-7",
            Message(
                gettext_noop("exchanging {debited} at {rate} with its fee would credit nothing"),
                debited=debited,
                rate=rate.rate,
            ),
        )
    fee = (
        Message(gettext_noop("{fee} %"), fee=rate.fee)
        if rate.fee_kind is FeeKind.PERCENT
        else Message(gettext_noop("{fee} credits"), fee=rate.fee)
    )
    reason = Message(
        gettext_noop("exchange {debited} {source}→{target} at {rate}, fee {fee}: {credited}"),
        debited=debited,
        source=source.site,
        target=target.site,
        rate=rate.rate,
        fee=fee,
        credited=credited,
    )
    parts = _split(credited.amount, plan_debit(source_entries, amount, term=term, on=on))
    credits = [
        new_entry(
            ctx,
            account=target,
            amount=part,
            on=on,
            rule="MC-7",
            reason=reason,
            exchange=rate,
            expires_on=expires_on,
        )
        for expires_on, part in parts
        if part
    ]
    debit = new_entry(ctx, account=source, amount=-amount, on=on, rule="MC-7", reason=reason, exchange=rate)
    return transfer(debit, credits)


def _split(total: Decimal, weights: list[tuple[date, Decimal]]) -> list[tuple[date, Decimal]]:
    """Return ``total`` whole credits split in proportion to ``weights`` (largest remainder)."""
    whole = sum(w for _, w in weights)
    shares = [(day, total * w / whole) for day, w in weights]
    floors = [(day, share.to_integral_value(rounding=ROUND_FLOOR)) for day, share in shares]
    left = int(total - sum(f for _, f in floors))
    # Earlier-expiring parts win ties: the order is already first-expiring first.
    order = sorted(range(len(shares)), key=lambda i: -(shares[i][1] - floors[i][1]))
    bump = set(order[:left])
    return [(day, f + (1 if i in bump else 0)) for i, (day, f) in enumerate(floors)]


def compensate(
    entry: Entry,
    *,
    reason: str,
    ctx: Context,
    on: date,
    balance: Decimal | None = None,
    existing: Iterable[Entry] = (),
) -> list[Entry]:
    """Return the entry that cancels ``entry`` (CRD-4: corrections are entries, never edits).

    ``existing`` (the account's entries) lets it refuse a second compensation of the same entry;
    ``balance`` lets it refuse a correction that would take the account below zero.
    """
    if not reason or not reason.strip():
        raise InvalidInput("reason", Message(gettext_noop("a correction says why (CRD-4)")))
    require_date(on, field="on")
    if any(e.compensates == entry.id for e in existing):
        raise RuleViolation(
            "CRD-4", Message(gettext_noop("entry {entry} is already compensated"), entry=entry.id)
        )
    rule = NEVER_NEGATIVE.get(entry.account.kind)
    if balance is not None and rule and balance - entry.amount < 0 and entry.exception is None:
        raise RuleViolation(
            rule,
            Message(
                gettext_noop("cancelling {quantity} would take {account} below zero"),
                quantity=entry.quantity,
                account=entry.account.label,
            ),
        )
    return [
        new_entry(
            ctx,
            account=entry.account,
            amount=-entry.amount,
            on=on,
            rule="CRD-4",
            reason=Message(
                gettext_noop("correction of {entry} ({rule}): {reason}"),
                entry=entry.id,
                rule=entry.rule,
                reason=reason,
            ),
            compensates=entry.id,
            exception=entry.exception,
        )
    ]


def available_lots(entries: Sequence[Entry], *, term: Term) -> list[Lot]:
    """Return the lots with something left, first-expiring first (for 'at risk of forfeiture')."""
    return [lot for lot in lots(entries, term=term) if lot.remaining > 0]
