"""Exchanging a service bought with the flexible allocation for another of equal value (FLX-4, DEL-9).

The value moves from one assignment account of the allocation to another at the same site; it
keeps the last day of use of what it came from (an exchange never extends FLX-2). The service
delivery manager must agree (DEL-9), the new service must be eligible (FLX-3, DEL-9), and custom
proactive services stay within their FLX-1 share.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from unisupport.domain.entries import Account, AccountKind, Context, Entry, new_entry, transfer
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.expiry import plan_debit, refuse_lapsed, usable_balance
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Money
from unisupport.domain.service_codes import CUSTOM_PROACTIVE
from unisupport.domain.term import Term


def exchange_service(
    amount: Decimal,
    *,
    source: Account,
    target: Account,
    source_entries: Sequence[Entry],
    approved_by: str,
    eligible: bool,
    custom_room: Decimal | None,
    on: date,
    term: Term,
    ctx: Context,
) -> list[Entry]:
    """Return the debit of ``source`` and the credit(s) of ``target`` moving ``amount`` between two services.

    ``custom_room`` is what FLX-1 still allows custom proactive services to receive (None when
    ``target`` is not custom proactive).
    """
    if source.kind is not AccountKind.ALLOCATION or target.kind is not AccountKind.ALLOCATION:
        raise InvalidInput(
            "account",
            Message(
                gettext_noop("only services bought with the flexible allocation are exchanged here (FLX-4)")
            ),
        )
    if (source.order, source.site) != (target.order, target.site):
        raise InvalidInput("to_service", Message(gettext_noop("an exchange stays on one order and one site")))
    if source.service is None or target.service is None or source.service == target.service:
        raise InvalidInput("to_service", Message(gettext_noop("the exchange needs two different services")))
    if not approved_by.strip():
        raise RuleViolation(
            "DEL-9",
            Message(
                gettext_noop(
                    "exchanging an ordered service needs the service delivery manager's agreement: "
                    "name who approved it"
                )
            ),
            field="approved_by",
        )
    if not eligible:
        raise RuleViolation(
            "DEL-9",
            Message(
                gettext_noop(
                    "{service} is not eligible for an exchange with the flexible allocation (FLX-3: not for "
                    "success or service delivery management)"
                ),
                service=target.service,
            ),
            field="to_service",
        )
    if amount <= 0:
        raise InvalidInput(
            "amount", Message(gettext_noop("must be greater than zero, got {amount}"), amount=amount)
        )
    term.require_within(on)
    held = usable_balance(source_entries, term=term, on=on)  # FLX-2: not what lapsed with its year
    if held < amount:
        refuse_lapsed(source_entries, amount, account=source, term=term, on=on)
        raise RuleViolation(
            "FLX-4",
            Message(
                gettext_noop("the {service} assignment holds {held}; it cannot give {amount}"),
                service=source.service,
                held=Money(held, source.currency or ""),
                amount=Money(amount, source.currency or ""),
            ),
            field="amount",
        )
    if target.service == CUSTOM_PROACTIVE and custom_room is not None and amount > custom_room:
        raise RuleViolation(
            "FLX-1",
            Message(
                gettext_noop("custom proactive services may receive only {room} more from the allocation"),
                room=Money(custom_room, target.currency or ""),
            ),
            field="amount",
        )
    reason = Message(
        gettext_noop("exchange of {amount}: {source} → {target}, approved by {approved_by}"),
        amount=Money(amount, source.currency or ""),
        source=source.service,
        target=target.service,
        approved_by=approved_by,
    )
    credits = [
        new_entry(ctx, account=target, amount=part, on=on, rule="FLX-4", reason=reason, expires_on=expires)
        for expires, part in plan_debit(source_entries, amount, term=term, on=on)
        if part
    ]
    debit = new_entry(ctx, account=source, amount=-amount, on=on, rule="FLX-4", reason=reason)
    return transfer(debit, credits)
