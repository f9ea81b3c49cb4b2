"""The ledger's vocabulary: accounts, immutable entries and the audit context of a posting.

Every change to what a customer has bought is an :class:`Entry` (CRD-4): never updated, never
deleted; a correction is another entry that compensates it. The operations that decide which
entries to write live in :mod:`unisupport.domain.ledger`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from unisupport.domain.countries import check_country
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Credits, Events, Hours, Money, Quantity, to_decimal
from unisupport.domain.rates import ExchangeRate
from unisupport.domain.term import Term, require_date

RULE_ID = re.compile(r"^[A-Z]{2,4}-[0-9]+$")


def require_aware(value: object, *, field: str) -> datetime:
    """Return ``value`` if it is a timezone-aware datetime, else raise InvalidInput."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidInput(
            field,
            Message(gettext_noop("expected a timezone-aware date and time, got {value!r}"), value=value),
        )
    return value


class AccountKind(StrEnum):
    """What an account counts."""

    CREDITS = "credits"  # proactive credits (CRD-*), whole numbers
    HOURS = "hours"  # an hour block of one service (HRS-*)
    ALLOCATION = "allocation"  # the flexible allocation (FLX-*), money of the order's currency
    MONEY = "money"  # money owed by the customer: fees, expenses
    EVENTS = "events"  # the events an MCS for Azure Events (Plus) line pays for (EVT-1, EVT-2)


# The rule that forbids a balance below zero, per kind (MONEY may go below zero: a credit note).
NEVER_NEGATIVE: dict[AccountKind, str] = {
    AccountKind.CREDITS: "CRD-4",
    AccountKind.HOURS: "HRS-2",
    AccountKind.ALLOCATION: "FLX-6",
    # Reading: no more events booked than the order's line bought; the offering's own rule is
    # named by the booking's verdict (EVT-1 or EVT-2), this is the ledger's safeguard.
    AccountKind.EVENTS: "EVT-1",
}

# The kinds counted in whole units, and the quantity type of each kind but money.
WHOLE_UNITS = (AccountKind.CREDITS, AccountKind.EVENTS)
_COUNTED: dict[AccountKind, type[Credits | Hours | Events]] = {
    AccountKind.CREDITS: Credits,
    AccountKind.HOURS: Hours,
    AccountKind.EVENTS: Events,
}


@dataclass(frozen=True, slots=True, order=True)
class Account:
    """One balance: an order, the country of one of its sites, a kind and, for hours, a service."""

    order: str
    site: str
    kind: AccountKind
    service: str | None = None
    currency: str | None = None  # ISO 4217, for ALLOCATION and MONEY only

    def __post_init__(self) -> None:
        if not self.order or not self.order.strip():
            raise InvalidInput("order", Message(gettext_noop("an order number is required")))
        object.__setattr__(self, "site", check_country(self.site, field="site"))
        object.__setattr__(self, "kind", AccountKind(self.kind))
        if self.kind is AccountKind.HOURS and not self.service:
            raise InvalidInput(
                "service", Message(gettext_noop("an hour block account names its service (HRS-1)"))
            )
        if self.kind is AccountKind.EVENTS and not self.service:
            raise InvalidInput(
                "service", Message(gettext_noop("an events account names its offering (EVT-1, EVT-2)"))
            )
        if self.kind is AccountKind.CREDITS and self.service is not None:
            raise InvalidInput(
                "service",
                Message(gettext_noop("proactive credits are one balance per site, not per service (CRD-1)")),
            )
        monetary = self.kind in (AccountKind.ALLOCATION, AccountKind.MONEY)
        if monetary:
            Money(Decimal(0), self.currency or "")  # validates the ISO 4217 code
        elif self.currency is not None:
            raise InvalidInput(
                "currency", Message(gettext_noop("a {kind} account has no currency"), kind=self.kind)
            )

    def quantity(self, amount: Decimal) -> Quantity:
        """Return ``amount`` typed for this account (Credits, Hours, Events or Money)."""
        counted = _COUNTED.get(self.kind)
        return counted(amount) if counted else Money(amount, self.currency or "")

    def amount_of(self, quantity: Quantity, *, field: str, zero_ok: bool = False) -> Decimal:
        """Return the Decimal of ``quantity`` once checked to be of this account's kind, positive and
        in its unit (whole credits, CRD-1; hundredths otherwise), else raise InvalidInput on ``field``."""
        if isinstance(quantity, Money):
            if (
                self.kind not in (AccountKind.ALLOCATION, AccountKind.MONEY)
                or quantity.currency != self.currency
            ):
                raise InvalidInput(
                    field,
                    Message(
                        gettext_noop("{quantity} cannot be posted to {account}"),
                        quantity=quantity,
                        account=self.label,
                    ),
                )
        elif _COUNTED.get(self.kind) is not type(quantity):
            raise InvalidInput(
                field,
                Message(
                    gettext_noop("{type} cannot be posted to a {kind} account"),
                    type=type(quantity).__name__,
                    kind=self.kind,
                ),
            )
        amount = quantity.amount
        if amount < 0 or (amount == 0 and not zero_ok):
            raise InvalidInput(field, Message(gettext_noop("must be positive, got {amount}"), amount=amount))
        if self.kind is AccountKind.CREDITS and amount != amount.to_integral_value():
            raise InvalidInput(
                field, Message(gettext_noop("credits are whole numbers (CRD-1), got {amount}"), amount=amount)
            )
        if self.kind is AccountKind.EVENTS and amount != amount.to_integral_value():
            raise InvalidInput(
                field, Message(gettext_noop("events are counted whole, got {amount}"), amount=amount)
            )
        if self.kind not in WHOLE_UNITS and amount.as_tuple().exponent < -2:  # type: ignore[operator]
            raise InvalidInput(
                field, Message(gettext_noop("at most two decimals, got {amount}"), amount=amount)
            )
        return amount

    @property
    def label(self) -> str:
        """Return a short human key such as ``ESO-1/FR/hours/developer-assistance``."""
        return "/".join(p for p in (self.order, self.site, self.kind.value, self.service) if p)


@dataclass(frozen=True, slots=True)
class Context:
    """Who posts, when, under which order version and why: the audit part of every entry."""

    actor: str
    at: datetime  # aware; when the posting is made (the caller's clock, never read here)
    order_version: int
    reason: str = ""
    cause: str | None = None  # what caused it, e.g. "delivery:D-42" or "import:orders.yaml"

    def __post_init__(self) -> None:
        if not self.actor or not self.actor.strip():
            raise InvalidInput("actor", Message(gettext_noop("who posts is required")))
        require_aware(self.at, field="at")
        if (
            isinstance(self.order_version, bool)
            or not isinstance(self.order_version, int)
            or self.order_version < 1
        ):
            raise InvalidInput(
                "order_version",
                Message(
                    gettext_noop("expected a version number ≥ 1, got {version!r}"), version=self.order_version
                ),
            )


@dataclass(frozen=True, slots=True)
class CreditException:
    """A CRD-3 approval: different payment terms that let a service be scheduled on too few credits."""

    approved_by: str
    approved_at: datetime  # aware; its own local date is the approval date
    terms: str
    in_writing: bool = True
    agreement_active: bool = True
    credit_limit: Decimal | None = None  # how far below zero it allows; None: the terms set none
    reference: str = ""  # the written approval (document or mail reference)

    def __post_init__(self) -> None:
        if not self.approved_by.strip():
            raise InvalidInput(
                "exception.approved_by",
                Message(gettext_noop("who approved the exception is required (CRD-3)")),
            )
        require_aware(self.approved_at, field="exception.approved_at")
        if not self.terms.strip():
            raise InvalidInput(
                "exception.terms", Message(gettext_noop("the approved payment terms are required (CRD-3)"))
            )
        if self.credit_limit is not None:
            limit = to_decimal(self.credit_limit, field="exception.credit_limit")
            if limit < 0:
                raise InvalidInput("exception.credit_limit", Message(gettext_noop("must be zero or more")))
            object.__setattr__(self, "credit_limit", limit)

    @property
    def approved_on(self) -> date:
        """Return the approval date (in the zone the approval was recorded in)."""
        return self.approved_at.date()

    def check(self, *, on: date, delivery_on: date, term: Term) -> None:
        """Return None if the exception allows scheduling on ``on``, else raise RuleViolation CRD-3."""
        approved = self.approved_on
        if not self.in_writing:
            raise RuleViolation("CRD-3", Message(gettext_noop("the exception must be approved in writing")))
        if not self.agreement_active or not term.contains(approved):
            raise RuleViolation(
                "CRD-3",
                Message(
                    gettext_noop("the agreement was not active on the approval date {approved}"),
                    approved=approved,
                ),
            )
        if term.days_left(approved) <= 90:
            raise RuleViolation(
                "CRD-3",
                Message(
                    gettext_noop(
                        "only {days} days of term were left on {approved}; more than 90 are required"
                    ),
                    days=term.days_left(approved),
                    approved=approved,
                ),
            )
        if approved > on:
            raise RuleViolation(
                "CRD-3",
                Message(
                    gettext_noop("the exception approved on {approved} did not exist yet on {on}"),
                    approved=approved,
                    on=on,
                ),
            )
        if approved >= delivery_on:
            raise RuleViolation(
                "CRD-3",
                Message(
                    gettext_noop(
                        "the exception must be approved before delivery ({delivery_on}), not on {approved}"
                    ),
                    delivery_on=delivery_on,
                    approved=approved,
                ),
            )


@dataclass(frozen=True, slots=True)
class Entry:
    """One immutable change to one account (CRD-4); a positive amount raises the balance."""

    id: str
    account: Account
    amount: Decimal
    posted_at: datetime  # aware
    effective_on: date
    actor: str
    reason: str  # English, the audit text; a Message when the portal can translate it
    rule: str  # the RULES.md ID that decided it
    order_version: int
    cause: str | None = None
    compensates: str | None = None  # id of the entry this one corrects (CRD-4)
    refunds: str | None = None  # id of the debit this one partly returns (DEL-2..4)
    forfeits: str | None = None  # id of the lot (positive entry) this one expires (ORD-5, FLX-2)
    linked: str | None = None  # the other half of a two-sided posting (MC-7 exchange)
    expires_on: date | None = None  # for a positive entry: the last day it can be used
    exception: CreditException | None = None  # the CRD-3 approval it was posted under
    exchange: ExchangeRate | None = None  # the MC-7 rate and fee applied

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidInput("id", Message(gettext_noop("an entry needs an id")))
        amount = to_decimal(self.amount, field="amount")
        object.__setattr__(self, "amount", amount)
        if not amount:
            raise InvalidInput("amount", Message(gettext_noop("an entry of zero changes nothing")))
        if self.account.kind is AccountKind.CREDITS and amount != amount.to_integral_value():
            raise InvalidInput(
                "amount",
                Message(
                    gettext_noop("credits are posted in whole numbers (CRD-1), got {amount}"), amount=amount
                ),
            )
        if self.account.kind is not AccountKind.CREDITS and amount.as_tuple().exponent < -2:  # type: ignore[operator]
            raise InvalidInput(
                "amount", Message(gettext_noop("at most two decimals, got {amount}"), amount=amount)
            )
        require_aware(self.posted_at, field="posted_at")
        require_date(self.effective_on, field="effective_on")
        if self.expires_on is not None:
            require_date(self.expires_on, field="expires_on")
        if not RULE_ID.match(self.rule or ""):
            raise InvalidInput(
                "rule",
                Message(
                    gettext_noop("every entry names its rule ID (e.g. CRD-1), got {rule!r}"), rule=self.rule
                ),
            )
        if not self.actor:
            raise InvalidInput("actor", Message(gettext_noop("every entry names who posted it")))

    @property
    def quantity(self) -> Quantity:
        """Return the amount typed for the account's kind."""
        return self.account.quantity(self.amount)

    @property
    def credits(self) -> Credits:
        """Return the amount as Credits (TypeError for another kind)."""
        return self._typed(AccountKind.CREDITS)  # type: ignore[return-value]

    @property
    def hours(self) -> Hours:
        """Return the amount as Hours (TypeError for another kind)."""
        return self._typed(AccountKind.HOURS)  # type: ignore[return-value]

    @property
    def money(self) -> Money:
        """Return the amount as Money (TypeError unless an allocation or money account)."""
        if self.account.kind not in (AccountKind.ALLOCATION, AccountKind.MONEY):
            raise TypeError(f"a {self.account.kind} entry is not money")
        return self.quantity  # type: ignore[return-value]

    def _typed(self, kind: AccountKind) -> Quantity:
        if self.account.kind is not kind:
            raise TypeError(f"a {self.account.kind} entry is not {kind}")
        return self.quantity


def _with_note(reason: str, note: str) -> str:
    """Return the operation's own account of what it did, then the caller's why (if any).

    A translatable reason (a Message) stays one, with the caller's words as they were typed.
    """
    if not note:
        return reason
    if isinstance(reason, Message):
        return Message(gettext_noop("{reason} — {note}"), reason=reason, note=note)
    return f"{reason} — {note}"


def new_entry(
    ctx: Context,
    *,
    account: Account,
    amount: Decimal,
    on: date,
    rule: str,
    reason: str,
    id: str | None = None,
    **links: Any,
) -> Entry:
    """Return an entry of ``account`` stamped with the context's actor, instant and order version."""
    return Entry(
        id=id or str(uuid.uuid4()),
        account=account,
        amount=amount,
        posted_at=ctx.at,
        effective_on=on,
        actor=ctx.actor,
        reason=_with_note(reason, ctx.reason),
        rule=rule,
        order_version=ctx.order_version,
        cause=links.pop("cause", ctx.cause),
        **links,
    )


def transfer(debit: Entry, credits: Sequence[Entry]) -> list[Entry]:
    """Return a two-sided posting: ``debit``, linked to the first of ``credits``, then each credit linked back.

    The value leaving one account and arriving in another is written as such a pair (MC-7's
    exchange between sites, FLX-4's exchange of services, FLX-5's assignment at execution), so that
    either half leads to the other.
    """
    if not credits:
        raise ValueError("a transfer credits at least one entry")
    return [replace(debit, linked=credits[0].id), *(replace(credit, linked=debit.id) for credit in credits)]
