"""The events an MCS for Azure Events (Plus) line pays for, as an entitlement of the ledger
(EVT-1, EVT-2): a booking takes one, a cancellation before the first covered day returns it; the
fee of an approved scenario change is billed (EVT-3).

The orders app announces both (orders.events.event_booked / event_returned) from inside its own
transaction, after its permission and booking checks; the ledger writes the entries, so a refusal
here undoes the booking.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction

from unisupport.domain import ledger as dom
from unisupport.domain.events import LIMITS
from unisupport.domain.fees import CancellationFee
from unisupport.domain.ledger_fees import post_cancellation
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Events
from unisupport.ledger import locks, posting
from unisupport.ledger.charges import charge_work
from unisupport.ledger.models import LedgerEntry
from unisupport.ledger.order_facts import order_facts
from unisupport.orders.models import EventCoverage

RETURNED = gettext_noop("the event was cancelled before its first day: it is the order's again")


def _cause(event: EventCoverage) -> str:
    return f"event:E-{event.pk}"


def take_event(
    sender: object, *, event: EventCoverage, site: str, at: datetime, actor: object = None, **_: object
) -> LedgerEntry:
    """Return the entry taking one event of the booking's offering from the order (EVT-1, EVT-2)."""
    facts = order_facts(number=event.order.number)
    rule = LIMITS[event.service_id].rule
    # Booked before the term begins (an event planned ahead): dated on the term's first day.
    on = facts.open_on(max(facts.local_date(site, at), facts.term.start))
    ctx = posting.context(facts, at=at, actor=actor or None, cause=_cause(event))
    with transaction.atomic():
        row = locks.locked_account(facts, site=site, kind=dom.AccountKind.EVENTS, service=event.service_id)
        accounts = posting.keyed(facts, [row])
        (account,) = accounts
        entries = dom.take_event(
            Events(row.balance), account=account, on=on, term=facts.term, ctx=ctx, rule=rule
        )
        (written,) = posting.write(entries, accounts=accounts)
    return written


def return_event(
    sender: object, *, event: EventCoverage, at: datetime, actor: object = None, **_: object
) -> list[LedgerEntry]:
    """Return the entry giving back the event a booking took (none when it took none)."""
    taken = LedgerEntry.objects.select_related("account").filter(cause=_cause(event), amount__lt=0).first()
    if taken is None:
        return []
    facts = order_facts(number=event.order.number)
    on = facts.open_on(max(facts.local_date(taken.account.site, at), facts.term.start))
    rule = LIMITS[event.service_id].rule
    with transaction.atomic():
        locked = posting.lock_entry(facts, taken)
        fee = CancellationFee(None, 0, Events(Decimal(0)), Events(Decimal(1)), rule, Message(RETURNED))
        ctx = posting.context(facts, at=at, actor=actor or None, cause=f"{_cause(event)}:returned")
        entries = post_cancellation(fee, paid=locked.entry, ctx=ctx, on=on, existing=locked.entries)
        return posting.write(entries, accounts=locked.accounts)


def charge_scenario_fee(
    sender: object, *, event: EventCoverage, amount: Decimal, at: datetime, actor: object = None, **_: object
) -> list[LedgerEntry]:
    """Return the entry billing the fee of an approved scenario change to what the order owes (EVT-3)."""
    taken = LedgerEntry.objects.select_related("account").filter(cause=_cause(event), amount__lt=0).first()
    return charge_work(
        order=event.order.number,
        amount=amount,
        rule="EVT-3",
        at=at,
        cause=f"{_cause(event)}:scenario-fee",
        site=taken.account.site if taken else None,
        actor=actor,
    )
