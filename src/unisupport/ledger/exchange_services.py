"""Writes for exchanging a service bought with the flexible allocation (FLX-4, DEL-9)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from unisupport.accounts.permissions import can_manage_orders, require
from unisupport.accounts.scope import Scope
from unisupport.domain.allocation import custom_proactive_cap, custom_proactive_room
from unisupport.domain.catalog import Category
from unisupport.domain.entries import AccountKind
from unisupport.domain.errors import InvalidInput
from unisupport.domain.ledger_commands import number
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.service_codes import CUSTOM_PROACTIVE
from unisupport.domain.service_exchange import exchange_service
from unisupport.ledger import locks, posting
from unisupport.ledger.models import LedgerAccount, LedgerEntry
from unisupport.ledger.order_facts import OrderFacts, order_facts
from unisupport.ledger.services import POSTING_REFUSAL, Posting, _service
from unisupport.orders.policy import current_policy


def _custom_room(facts: OrderFacts, *, on: date) -> Decimal:
    """Return how much more FLX-1 lets the allocation give custom proactive services on this order,
    in the contract year of ``on`` (the domain decides: the cap holds per year)."""
    allocation = getattr(facts.version, "allocation", None)
    if allocation is None:
        return Decimal(0)
    cap = custom_proactive_cap(
        amount=allocation.amount,
        currency=facts.version.currency,
        usd_rate=facts.version.usd_rate,
        policy=current_policy(),
    )
    given = LedgerEntry.objects.filter(
        account__order=facts.order,
        account__kind="allocation",
        account__service=CUSTOM_PROACTIVE,
        amount__gt=0,
    ).values_list("expires_on", "effective_on", "amount")
    return custom_proactive_room(
        cap=cap,
        given=((expires_on or effective_on, amount) for expires_on, effective_on, amount in given),
        term=facts.term,
        on=on,
    )


def exchange_allocated_service(
    *,
    scope: Scope,
    order: str,
    site: str,
    from_service: str,
    to_service: str,
    amount: object,
    approved_by: str,
    at: datetime,
    actor: object = None,
    on: date | None = None,
    reason: str = "",
) -> Posting:
    """Return the posting moving ``amount`` of the allocation from one service to another of equal value."""
    require(scope, can_manage_orders, POSTING_REFUSAL, field=None)
    facts = order_facts(number=order)
    country = facts.site(site)
    source_record = _service(from_service, field="from_service")
    target_record = _service(to_service, field="to_service")
    eligible = (
        target_record.allocation_eligible and target_record.category != Category.SUCCESS_MANAGEMENT.value
    )
    value = number(amount, field="amount")
    day = facts.within(on or facts.local_date(country, at))
    if not LedgerAccount.objects.filter(
        order=facts.order, site=country, kind="allocation", service=source_record.code
    ).exists():
        raise InvalidInput(
            "from_service",
            Message(
                gettext_noop("the allocation bought no {service} at {site}"),
                service=source_record.code,
                site=country,
            ),
        )
    with transaction.atomic():
        rows = locks.lock(
            [
                locks.account_row(
                    facts, site=country, kind=AccountKind.ALLOCATION, service=source_record.code
                ),
                locks.account_row(
                    facts, site=country, kind=AccountKind.ALLOCATION, service=target_record.code
                ),
            ]
        )
        accounts = posting.keyed(facts, rows)
        source = next(a for a in accounts if a.service == source_record.code)
        target = next(a for a in accounts if a.service == target_record.code)
        entries = exchange_service(
            value,
            source=source,
            target=target,
            source_entries=posting.entries_of(accounts[source], source),
            approved_by=approved_by,
            eligible=eligible,
            custom_room=_custom_room(facts, on=day) if target_record.code == CUSTOM_PROACTIVE else None,
            on=day,
            term=facts.term,
            ctx=posting.context(
                facts, at=at, actor=actor, reason=reason, cause=f"service-exchange:{source_record.code}"
            ),
        )
        written = posting.write(entries, accounts=accounts)
    return Posting(written, "FLX-4")
