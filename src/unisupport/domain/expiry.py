"""What expires when (ORD-5, FLX-2, ORD-2): lots replayed from an account's entries.

Every positive entry of an account is a *lot* with a last day of use: the end of the order's
term (ORD-5) or, for what the flexible allocation bought, the end of its contract year (FLX-2).
Debits consume the lots that expire first (first-expiring, first-out) so the customer never
loses what they could have used, but only lots still usable on the debit's day: a lot past its
last day is never spent, whether or not its forfeiture was posted yet (FLX-2, ORD-5); a refund or a correction of a debit puts the amount back into
the lots that debit took it from. :func:`expire` forfeits what is left of the lots past their
day, as entries linked to their lot, so running it twice writes nothing more.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from unisupport.domain.entries import Account, AccountKind, Context, Entry, new_entry
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import plain
from unisupport.domain.term import Term, require_date

ZERO = Decimal(0)
# Forfeiture ids derive from the lot and what it already lost, so that two runs racing past the
# persistence lock would collide on the entry's primary key instead of forfeiting twice.
_FORFEIT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:unisupport:ledger:forfeit")


@dataclass(frozen=True, slots=True)
class Lot:
    """What is left of one positive entry, and the last day it can be used."""

    entry_id: str
    expires_on: date
    granted: Decimal
    remaining: Decimal
    forfeited: Decimal
    allocation: bool  # bought with the flexible allocation (FLX-2)


@dataclass(slots=True)
class _Lot:
    entry_id: str
    expires_on: date
    granted: Decimal
    remaining: Decimal
    allocation: bool
    order: int
    forfeited: Decimal = ZERO


@dataclass(slots=True)
class Replay:
    """The state of an account's lots after its entries, in the order they were written."""

    lots: dict[str, _Lot] = field(default_factory=dict)
    debt: Decimal = ZERO  # below zero under a CRD-3 exception: later credits pay it first
    consumed: dict[str, list[tuple[str | None, Decimal]]] = field(default_factory=dict)

    def open_lots(self, *, on: date | None = None) -> list[_Lot]:
        """Return the lots with something left (and still usable ``on``, if given), first-expiring first."""
        return sorted(
            (lot for lot in self.lots.values() if lot.remaining > 0 and (on is None or lot.expires_on >= on)),
            key=lambda lot: (lot.expires_on, lot.order),
        )

    def usable(self, on: date) -> Decimal:
        """Return what the lots usable ``on`` hold, less any debt (FLX-2, ORD-5: lapsed lots excluded)."""
        return sum((lot.remaining for lot in self.open_lots(on=on)), ZERO) - self.debt

    def take(
        self, amount: Decimal, *, on: date | None = None, first: str | None = None
    ) -> list[tuple[str | None, Decimal]]:
        """Return where ``amount`` is taken from (lot ids; None for debt), updating the lots.

        Only lots still usable ``on`` (FLX-2, ORD-5); ``first``, the lot a correction reverses, in any case.
        """
        taken: list[tuple[str | None, Decimal]] = []
        candidates = self.open_lots(on=on)
        if first is not None and first in self.lots:
            candidates = [self.lots[first], *(lot for lot in candidates if lot.entry_id != first)]
        for lot in candidates:
            if amount <= 0:
                break
            part = min(amount, lot.remaining)
            if part > 0:
                lot.remaining -= part
                amount -= part
                taken.append((lot.entry_id, part))
        if amount > 0:
            self.debt += amount
            taken.append((None, amount))
        return taken

    def put_back(self, amount: Decimal, into: str) -> Decimal:
        """Return what is left of ``amount`` after restoring the lots debit ``into`` took, newest first."""
        parts = self.consumed.get(into, [])
        for index in range(len(parts) - 1, -1, -1):
            lot_id, used = parts[index]
            if amount <= 0:
                break
            if lot_id is None:
                continue  # the overdraft part was repaid before restoring (see replay)
            part = min(amount, used)
            parts[index] = (lot_id, used - part)
            self.lots[lot_id].remaining += part
            amount -= part
        return amount


def replay(entries: Iterable[Entry], *, term: Term) -> Replay:
    """Return the lots of one account's ``entries`` (given in the order they were written)."""
    state = Replay()
    for position, entry in enumerate(entries):
        if entry.amount > 0:
            amount = entry.amount
            # A CRD-3 overdraft is repaid before anything is kept, so that no lot (which could
            # later be forfeited) coexists with a debt: lots with something left imply no debt.
            paid = min(amount, state.debt)
            state.debt -= paid
            amount -= paid
            source = entry.compensates or entry.refunds
            if source is not None and amount > 0:
                amount = state.put_back(amount, source)
            if amount > 0:
                expires = min(entry.expires_on or term.end, term.end)
                allocation = entry.rule == "FLX-2" or expires < term.end
                state.lots[entry.id] = _Lot(entry.id, expires, amount, amount, allocation, position)
        else:
            amount = -entry.amount
            if entry.forfeits is not None and entry.forfeits in state.lots:
                lot = state.lots[entry.forfeits]
                part = min(amount, lot.remaining)
                lot.remaining -= part
                lot.forfeited += part
                amount -= part
            first = entry.compensates if entry.compensates in state.lots else None
            taken = state.take(amount, on=entry.effective_on, first=first) if amount > 0 else []
            state.consumed[entry.id] = taken
    return state


def lots(entries: Iterable[Entry], *, term: Term) -> list[Lot]:
    """Return every lot of one account's ``entries``, first-expiring first."""
    state = replay(entries, term=term)
    ordered = sorted(state.lots.values(), key=lambda lot: (lot.expires_on, lot.order))
    return [Lot(x.entry_id, x.expires_on, x.granted, x.remaining, x.forfeited, x.allocation) for x in ordered]


def plan_debit(
    entries: Sequence[Entry], amount: Decimal, *, term: Term, on: date
) -> list[tuple[date, Decimal]]:
    """Return how a debit of ``amount`` on ``on`` would split by lot expiry (first-expiring first,
    lots still usable ``on`` only: FLX-2, ORD-5), without posting."""
    state = replay(entries, term=term)
    by_expiry: dict[date, Decimal] = {}
    for lot_id, part in state.take(amount, on=on):
        expires = state.lots[lot_id].expires_on if lot_id is not None else term.end
        by_expiry[expires] = by_expiry.get(expires, ZERO) + part
    return sorted(by_expiry.items())


def usable_balance(entries: Iterable[Entry], *, term: Term, on: date) -> Decimal:
    """Return what one account's ``entries`` hold that can still be used ``on`` (FLX-2, ORD-5).

    A lot past its last day is never spent, whether or not :func:`expire` has forfeited it yet.
    """
    return replay(entries, term=term).usable(require_date(on, field="on"))


def refuse_lapsed(
    entries: Sequence[Entry], amount: Decimal, *, account: Account, term: Term, on: date
) -> None:
    """Return None unless ``amount`` is more than the lots usable ``on`` hold while lapsed lots, not
    yet forfeited, make the balance look larger: then raise FLX-2 (what the allocation bought lapses
    at the end of its contract year) or ORD-5 (the rest at the end of the term), saying what is usable
    and what lapsed when, instead of a bare "balance too short"."""
    state = replay(entries, term=term)
    usable = state.usable(on)
    lapsed = [lot for lot in state.open_lots() if lot.expires_on < on]
    if usable >= amount or not lapsed:
        return
    last = max(lapsed, key=lambda lot: lot.expires_on)
    raise RuleViolation(
        "FLX-2" if last.allocation else "ORD-5",
        Message(
            gettext_noop(
                "{account} holds {usable} usable on {on}: {lapsed} lapsed after {day} and can no longer be used"
            ),
            account=account.label,
            usable=account.quantity(plain(max(usable, ZERO))),
            on=on,
            lapsed=account.quantity(plain(sum((lot.remaining for lot in lapsed), ZERO))),
            day=last.expires_on,
        ),
        field="amount",
    )


def expire(
    entries: Sequence[Entry],
    *,
    account: Account,
    term: Term,
    on: date,
    ctx: Context,
    terminated_on: date | None = None,
) -> list[Entry]:
    """Return the forfeiture entries due on ``on`` for ``account`` (none if already written).

    ``term`` is the order's term; ``terminated_on`` the day the foundational package ended early,
    taking every add-on with it, without prorated refund (ORD-2).
    """
    require_date(on, field="on")
    if terminated_on is not None:
        require_date(terminated_on, field="terminated_on")
    if account.kind is AccountKind.MONEY:
        return []  # money owed never lapses
    own = [e for e in entries if e.account == account]
    if len(own) != len(entries):
        raise InvalidInput(
            "entries",
            Message(gettext_noop("expire takes the entries of {account} only"), account=account.label),
        )
    state = replay(own, term=term)
    result: list[Entry] = []
    for lot in state.open_lots():
        natural = min(lot.expires_on, term.end)
        last_day = natural if terminated_on is None else min(natural, terminated_on)
        if on <= last_day:
            continue
        if last_day < natural:
            rule, why = (
                "ORD-2",
                Message(gettext_noop("the foundational package ended on {day}"), day=terminated_on),
            )
        elif lot.allocation:
            rule, why = (
                "FLX-2",
                Message(
                    gettext_noop("bought with the flexible allocation for the contract year ending {day}"),
                    day=last_day,
                ),
            )
        else:
            rule, why = (
                "ORD-5",
                Message(gettext_noop("not used by the end of the order's term ({day})"), day=last_day),
            )
        key = f"{lot.entry_id}:{lot.forfeited}"
        result.append(
            new_entry(
                ctx,
                id=str(uuid.uuid5(_FORFEIT_NAMESPACE, key)),
                account=account,
                amount=-lot.remaining,
                on=last_day + timedelta(days=1),
                rule=rule,
                reason=Message(
                    gettext_noop("forfeit {quantity}: {why}"),
                    quantity=account.quantity(lot.remaining),
                    why=why,
                ),
                forfeits=lot.entry_id,
            )
        )
    return result
