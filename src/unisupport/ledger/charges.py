"""Money charged to what an order owes for work a rule bills (EVT-3 a scenario change's fee, MCS-9
work done before signature): one entry on the order's money account, in its currency."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction

from unisupport.domain import ledger as dom
from unisupport.domain.ledger_fees import charge
from unisupport.domain.money import Money
from unisupport.ledger import locks, posting
from unisupport.ledger.models import LedgerEntry
from unisupport.ledger.order_facts import order_facts


def charge_work(
    *,
    order: str,
    amount: Decimal,
    rule: str,
    at: datetime,
    cause: str,
    site: str | None = None,
    actor: object = None,
    reason: str = "",
) -> list[LedgerEntry]:
    """Return the entry adding ``amount`` (the order's currency) to what ``order`` owes under ``rule``.

    The caller has checked who may bill it; ``site`` defaults to the host site (else the first).
    Dated today at the site, or the term's first day when billed before the term begins.
    """
    facts = order_facts(number=order)
    where = site or (facts.host if facts.host in facts.sites else min(facts.sites))
    on = facts.open_on(min(max(facts.local_date(where, at), facts.term.start), facts.term.end))
    ctx = posting.context(facts, at=at, actor=actor or None, reason=reason, cause=cause)
    with transaction.atomic():
        row = locks.locked_account(facts, site=where, kind=dom.AccountKind.MONEY)
        accounts = posting.keyed(facts, [row])
        (account,) = accounts
        money = Money(amount, facts.version.currency)
        return posting.write(charge(money, account=account, on=on, ctx=ctx, rule=rule), accounts=accounts)
