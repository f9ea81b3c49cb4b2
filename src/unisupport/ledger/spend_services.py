"""Writes paying a delivery with the flexible allocation (FLX-2, FLX-5, FLX-6) or in money (CAT-1).

Both take a cost already priced in the order's currency (domain/delivery_prices.py decides it) and
post it like any debit: read the order, lock the one account, let the domain decide, write.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from unisupport.accounts.permissions import can_post_to_ledger, require
from unisupport.accounts.scope import Scope
from unisupport.domain import ledger
from unisupport.domain.catalog import Service
from unisupport.domain.entries import Account, AccountKind
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Money
from unisupport.ledger import locks, posting
from unisupport.ledger.models import LedgerAccount
from unisupport.ledger.order_facts import OrderFacts, order_facts, retry_if_stale
from unisupport.ledger.services import POSTING_REFUSAL, Posting, _service, _usable


def _priced(
    scope: Scope, order: str, site: str, service: str, cost: Money, *, at: datetime, on: date | None = None
) -> tuple[OrderFacts, str, Service, date, Money]:
    """Return what a posting of ``cost`` reads first: the order's facts, the site, the service, the
    day (the site's at ``at``, or ``on``, within the term) and the cost in the order's currency."""
    require(scope, can_post_to_ledger, POSTING_REFUSAL, field=None)
    facts = order_facts(number=order, cached=True)
    country = facts.site(site)
    record = _service(service)
    day = facts.within(on or facts.local_date(country, at))
    return facts, country, record, day, _in_currency(cost, facts.version.currency)


def _in_currency(cost: Money, currency: str) -> Money:
    if cost.currency != currency:
        raise InvalidInput(
            "cost",
            Message(
                gettext_noop("the order is in {currency}, the cost in {other}"),
                currency=currency,
                other=cost.currency,
            ),
        )
    return cost


@retry_if_stale
def spend_allocation(
    *,
    scope: Scope,
    order: str,
    site: str,
    service: str,
    cost: Money,
    at: datetime,
    actor: object = None,
    reason: str = "",
    on: date | None = None,
) -> Posting:
    """Return the debit of ``cost`` from the allocation assigned to ``service`` at ``site`` (FLX-2).

    Refused with FLX-5 when none was assigned to it at execution, with FLX-2 when what is left
    lapsed with its contract year, and with FLX-6 beyond what is left.
    """
    facts, country, record, day, cost = _priced(scope, order, site, service, cost, at=at, on=on)
    if not LedgerAccount.objects.filter(
        order=facts.order, site=country, kind=AccountKind.ALLOCATION.value, service=record.code
    ).exists():
        raise RuleViolation(
            "FLX-5",
            Message(
                gettext_noop(
                    "no part of the allocation was assigned to {service} at {site} at contract execution"
                ),
                service=record.code,
                site=country,
            ),
            field="pay",
        )
    account = Account(
        order=facts.number,
        site=country,
        kind=AccountKind.ALLOCATION,
        service=record.code,
        currency=facts.version.currency,
    )
    cause = f"allocation:{record.code}"

    def decide(row: LedgerAccount, locked: Account) -> posting.Decision:
        usable, history = _usable(row, locked, facts=facts, day=day)
        if history:
            ledger.refuse_lapsed(history, cost.amount, account=locked, term=facts.term, on=day)
        ctx = posting.context(facts, at=at, actor=actor, reason=reason, cause=cause)
        return ledger.spend_allocation(
            Money(usable, cost.currency), cost, account=locked, on=day, term=facts.term, ctx=ctx
        ), None

    covered = ledger.spend_allocation(
        cost,
        cost,
        account=account,
        on=day,
        term=facts.term,
        ctx=posting.context(facts, at=at, actor=actor, reason=reason, cause=cause),
    )
    return Posting(*posting.post_debit(facts, covered[0], decide=decide))


@retry_if_stale
def bill_service(
    *,
    scope: Scope,
    order: str,
    site: str,
    service: str,
    cost: Money,
    at: datetime,
    actor: object = None,
    reason: str = "",
    rule: str = "CAT-1",
) -> Posting:
    """Return the charge of ``cost`` for ``service`` to the money the order owes at ``site`` (CAT-1; an
    extra the rule ``rule`` prices, e.g. DEL-6's analysis resource)."""
    facts, country, record, day, cost = _priced(scope, order, site, service, cost, at=at)
    with transaction.atomic():
        row = locks.locked_account(facts, site=country, kind=AccountKind.MONEY)
        accounts = posting.keyed(facts, [row])
        (account,) = accounts
        ctx = posting.context(facts, at=at, actor=actor, reason=reason, cause=f"bill:{record.code}")
        entries = ledger.charge(cost, account=account, on=day, ctx=ctx, rule=rule)
        written = posting.write(entries, accounts=accounts)
    return Posting(written, rule)
