"""The flexible allocation at contract execution, as entries (FLX-1, FLX-2, FLX-3, FLX-5, FLX-6, FLX-7).

Pure: it builds domain entries from plain values. The allocation is granted per contract year
(FLX-2) to a pool account at the host site; at execution each assignment moves its part from the
pool to an account of its own (site and service), usable until the end of that contract year; what
is left in the pool was not assigned at execution and is forfeited at once (FLX-5).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from unisupport.domain import ledger
from unisupport.domain.entries import Account, Context, Entry, new_entry, transfer
from unisupport.domain.errors import RuleViolation
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Money
from unisupport.domain.policy import Policy
from unisupport.domain.service_codes import CUSTOM_PROACTIVE
from unisupport.domain.term import Term


@dataclass(frozen=True, slots=True)
class Assignment:
    """A part of the allocation applied to a service at a site (its account names both)."""

    account: Account
    amount: Decimal
    eligible: bool  # FLX-3: the catalog lets the allocation pay for this service


def custom_proactive_cap(
    *, amount: Decimal, currency: str, usd_rate: Decimal | None, policy: Policy
) -> Decimal:
    """Return the most that an allocation of ``amount`` may give custom proactive services (FLX-1).

    The greater of the policy's share of the allocation and its USD floor, never more than the
    allocation. FLX-1 *Reading*: the source's "$" is USD; an order in another currency converts
    the floor with its ``usd_rate`` (units of the order's currency per USD).
    """
    floor = policy.custom_proactive_floor_usd * (usd_rate if currency != "USD" and usd_rate else 1)
    return min(amount, max(amount * policy.custom_proactive_share, floor))


def custom_proactive_room(
    *, cap: Decimal, given: Iterable[tuple[date, Decimal]], term: Term, on: date
) -> Decimal:
    """Return how much more the allocation may give custom proactive services in the contract year of ``on`` (FLX-1).

    The allocation is granted per contract year (FLX-2), so FLX-1's ``cap`` (:func:`custom_proactive_cap`)
    holds for each year against that year's grants alone: ``given`` are the amounts custom proactive
    services received, each with its last day of use, which names its contract year.
    """
    year = term.contract_year(on)
    received = sum(
        (amount for last_day, amount in given if year.contains(min(last_day, term.end))), Decimal(0)
    )
    return max(Decimal(0), cap - received)


def check_assignments(
    *,
    amount: Decimal,
    assignments: Sequence[Assignment],
    list_price: Decimal | None,
    policy: Policy,
    usd_rate: Decimal | None,
) -> None:
    """Return None if the allocation and its assignments keep FLX-1, FLX-3, FLX-6 and FLX-7, else raise."""
    currency = assignments[0].account.currency if assignments else ""
    if list_price is None:
        raise RuleViolation(
            "FLX-7",
            Message(
                gettext_noop("the allocation ({amount}) exceeds the foundational list price (None)"),
                amount=Money(amount, currency) if currency else amount,
            ),
        )
    if amount > list_price:
        raise RuleViolation(
            "FLX-7",
            Message(
                gettext_noop("the allocation ({amount}) exceeds the foundational list price ({list_price})"),
                amount=Money(amount, currency) if currency else amount,
                list_price=Money(list_price, currency) if currency else list_price,
            ),
        )
    for part in assignments:
        if not part.eligible:
            raise RuleViolation(
                "FLX-3",
                Message(
                    gettext_noop("the allocation cannot pay for {service}"), service=part.account.service
                ),
            )
    assigned = sum((a.amount for a in assignments), Decimal(0))
    if assigned > amount:
        raise RuleViolation(
            "FLX-6",
            Message(
                gettext_noop("the assignments ({assigned}) exceed the allocation ({amount})"),
                assigned=assigned,
                amount=amount,
            ),
        )
    custom = sum((a.amount for a in assignments if a.account.service == CUSTOM_PROACTIVE), Decimal(0))
    limit = custom_proactive_cap(amount=amount, currency=currency or "", usd_rate=usd_rate, policy=policy)
    if custom > limit:
        raise RuleViolation(
            "FLX-1",
            Message(
                gettext_noop("custom proactive may take at most {limit}, the assignments give {custom}"),
                limit=limit,
                custom=custom,
            ),
        )


def execution_entries(
    *, pool: Account, amount: Decimal, assignments: Sequence[Assignment], term: Term, ctx: Context
) -> list[Entry]:
    """Return, for every contract year, the pool's grant, each assignment and the FLX-5 forfeiture."""
    currency = pool.currency or ""
    entries: list[Entry] = []
    for year in term.contract_years():
        (granted,) = ledger.grant(Money(amount, currency), account=pool, on=year.start, term=term, ctx=ctx)
        entries.append(granted)
        for part in assignments:
            (credit,) = ledger.grant(
                Money(part.amount, currency),
                account=part.account,
                on=year.start,
                term=term,
                ctx=ctx,
                funded_by_allocation=True,
            )
            assigned = new_entry(
                ctx,
                account=pool,
                amount=-part.amount,
                on=year.start,
                rule="FLX-5",
                reason=Message(
                    gettext_noop("assigned at execution to {service} at {site}"),
                    service=part.account.service,
                    site=part.account.site,
                ),
            )
            entries.extend(transfer(assigned, [credit]))
        left = amount - sum((a.amount for a in assignments), Decimal(0))
        if left > 0:
            entries.append(
                new_entry(
                    ctx,
                    account=pool,
                    amount=-left,
                    on=year.start,
                    rule="FLX-5",
                    reason=Message(
                        gettext_noop("forfeit {quantity}: {why}"),
                        quantity=Money(left, currency),
                        why=Message(gettext_noop("not assigned at contract execution")),
                    ),
                    forfeits=granted.id,
                )
            )
    return entries
