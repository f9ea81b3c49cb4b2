"""Writes to the ledger: redeem, exchange, consume, cancel, correct, expire (RULES.md §4–§7).

Each function reads the order and the data it needs, then in one transaction locks the accounts
(:func:`posting.lock`), calls the domain operation with the locked balances and writes what it
returns. A refusal (RuleViolation) or bad input (InvalidInput) raises before anything is written,
and the transaction rolls back whatever it had started. Grants on order import are in
:mod:`unisupport.ledger.grants`, the rates import in :mod:`unisupport.ledger.rate_services`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from unisupport.accounts.permissions import can_manage_orders, can_post_to_ledger, require
from unisupport.accounts.scope import Scope
from unisupport.calendars.selectors import calendar_for_site
from unisupport.catalog.selectors import current_catalog
from unisupport.domain import entries as dom
from unisupport.domain import ledger
from unisupport.domain.catalog import Service
from unisupport.domain.entries import Account, AccountKind
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.fees import CancellationFee, Cost, cancellation_fee
from unisupport.domain.hours import check_delivery_day
from unisupport.domain.ledger_commands import Consumption, Redemption, number
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Credits, Hours, Money, plain
from unisupport.domain.rates import RateCard, exchange_rate_in_force, rate_card_in_force, redemption_cost
from unisupport.domain.service_codes import UER
from unisupport.ledger import locks, posting, sql
from unisupport.ledger.convert import domain_account, domain_exception
from unisupport.ledger.grants import post_grants_for
from unisupport.ledger.models import CreditException, LedgerAccount, LedgerEntry
from unisupport.ledger.order_facts import OrderFacts, order_facts, retry_if_stale
from unisupport.ledger.selectors import exchange_rates, rate_cards

__all__ = [
    "Posting",
    "cancel_delivery",
    "charge_cancellation",
    "charge_payment_fee",
    "compensate_entry",
    "consume_hours",
    "exchange_credits",
    "expire_all",
    "post_cancellation",
    "post_grants_for",
    "record_credit_exception",
    "redeem_credits",
    "refund_payment",
]


@dataclass(frozen=True, slots=True)
class Posting:
    """What an operation wrote: its entries (each with the balance after it) and the rule that decided."""

    entries: list[LedgerEntry]
    rule: str
    chained: bool = False  # the rows the caller chained were written with the debit (sql.Chain)

    @property
    def ids(self) -> list[str]:
        """Return the ids of the entries written."""
        return [e.uid for e in self.entries]


# Who posts: the services check it themselves (accounts.permissions); the API answers 403 with it.
POSTING_REFUSAL = Message(gettext_noop("only the vendor's staff post to the ledger"))


def _service(code: object, *, field: str = "service") -> Service:
    return current_catalog().service(str(code or ""), field=field)


def _card_in_force(site: str, service: str, on: date, *, cached: bool) -> RateCard:
    """Return the rate card of ``site`` in force ``on`` with ``service``'s rate (CRD-1).

    Read alone (from this process's cache if ``cached``); only when there is none, all of the site's
    cards, for the domain's error to say why (none imported, or the first starts later).
    """
    read = sql.cached_rate_card if cached else sql.rate_card
    found = read(site=site, service=service, on=on)
    return found or rate_card_in_force(rate_cards(site=site), site=site, on=on)


def _usable(
    row: LedgerAccount, account: Account, *, facts: OrderFacts, day: date
) -> tuple[Decimal, list[dom.Entry]]:
    """Return what the locked account holds that can be spent on ``day``, and its entries if they were read.

    Its running balance, unless one of its lots lapsed before ``day`` (an entry's last day of use):
    then the domain replays its entries, as a lapsed lot is never spent (FLX-2, ORD-5).
    """
    if not sql.has_lapsed_lot(row.pk, day):
        return plain(row.balance), []
    entries = posting.entries_of(row, account)
    return plain(ledger.usable_balance(entries, term=facts.term, on=day)), entries


def _exception_for(facts: OrderFacts, site: str, *, on: date) -> CreditException | None:
    """Return the latest CRD-3 approval recorded for the order (this site, or every site) by ``on``."""
    return (
        CreditException.objects.filter(order=facts.order, approved_at__date__lte=on)
        .filter(Q(site=site) | Q(site=""))
        .order_by("-approved_at", "-pk")
        .first()
    )


@retry_if_stale
def redeem_credits(
    *,
    scope: Scope,
    command: Redemption,
    at: datetime,
    actor: object = None,
    chain: Callable[[Decimal, OrderFacts], sql.Chain] | None = None,
) -> Posting:
    """Return the debit of the command's quantity of its service at the rate card in force on its day (CRD-1).

    Refused with CRD-2 when the site's balance is short, unless a CRD-3 approval recorded before
    the delivery day (default: the redemption's) allows it. ``chain(cost, facts)`` builds rows that the
    one-statement debit writes with it (a delivery and its event); ``Posting.chained`` says if it did.
    """
    require(scope, can_post_to_ledger, POSTING_REFUSAL, field=None)
    order, quantity, reason = command.order, command.quantity, command.reason
    facts = order_facts(number=order, cached=True)
    country = facts.site(command.site)
    record = _service(command.service)
    day = facts.within(command.on or facts.local_date(country, at))
    whole_units = record.unit != "hours"
    card = _card_in_force(country, record.code, day, cached=True)
    cost = redemption_cost(card, service=record.code, quantity=quantity, whole_units=whole_units)
    units = quantity.normalize()
    cause = f"redeem:{record.code}×{units:f}"
    # CRD-2 turns on the balance alone: whenever it covers the cost, the domain's answer is this
    # debit, which one statement writes if the balance still covers it when the row is locked.
    covered = ledger.redeem_credits(
        cost,
        cost,
        account=Account(order=facts.number, site=country, kind=AccountKind.CREDITS),
        on=day,
        term=facts.term,
        ctx=posting.context(facts, at=at, actor=actor, reason=reason, cause=cause),
    )
    used = sql.RateUsed(country, record.code, day, card.rate(record.code))

    priced: list[Credits] = []

    def reprice() -> None:
        # The rate read afresh: the cached one may be why the statement wrote nothing.
        fresh = _card_in_force(country, record.code, day, cached=False)
        priced.append(redemption_cost(fresh, service=record.code, quantity=quantity, whole_units=whole_units))

    def decide(row: LedgerAccount, account: Account) -> posting.Decision:
        (price,) = priced
        usable, history = _usable(row, account, facts=facts, day=day)
        # Only a short balance needs a CRD-3 approval: the domain decides, this spares the query.
        approval = _exception_for(facts, country, on=day) if usable < price.amount else None
        if approval is None and history:
            ledger.refuse_lapsed(history, price.amount, account=account, term=facts.term, on=day)
        entries = ledger.redeem_credits(
            Credits(usable),
            price,
            account=account,
            on=day,
            term=facts.term,
            ctx=posting.context(facts, at=at, actor=actor, reason=reason, cause=cause),
            exception=None if approval is None else domain_exception(approval),
            delivery_on=command.delivery_on or day,
        )
        return entries, approval

    rows = chain(cost.amount, facts) if chain is not None else ()
    return Posting(
        *posting.post_debit(facts, covered[0], decide=decide, rate=used, before_lock=reprice, chain=rows)
    )


def exchange_credits(
    *,
    scope: Scope,
    order: str,
    from_site: str,
    to_site: str,
    credits: object,
    at: datetime,
    actor: object = None,
    on: date | None = None,
    to_order: str | None = None,
    reason: str = "",
) -> tuple[Posting, Credits, Credits]:
    """Return the exchange posted and the credits debited at ``from_site`` and credited at ``to_site``.

    MC-6: only between the host and a downstream site of one order (``to_order``, when given, must be
    the same order). MC-7: at the exchange rate and fee in force on ``on``, rounded half up.
    """
    require(scope, can_post_to_ledger, POSTING_REFUSAL, field=None)
    facts = order_facts(number=order)
    if to_order is not None:
        ledger.check_exchange_order(order=facts.number, to_order=str(to_order).strip())
    source_site = facts.site(from_site, field="from")
    target_site = facts.site(to_site, field="to")
    ledger.check_exchange_sites(source=source_site, target=target_site, host=facts.host)
    day = facts.within(on or facts.local_date(source_site, at))
    amount = number(credits, field="credits")
    rate = exchange_rate_in_force(
        exchange_rates(from_site=source_site, to_site=target_site),
        from_site=source_site,
        to_site=target_site,
        on=day,
    )
    with transaction.atomic():
        rows = locks.lock(
            [
                locks.account_row(facts, site=source_site, kind=AccountKind.CREDITS),
                locks.account_row(facts, site=target_site, kind=AccountKind.CREDITS),
            ]
        )
        accounts = posting.keyed(facts, rows)
        source, target = (next(a for a in accounts if a.site == s) for s in (source_site, target_site))
        entries = ledger.exchange_credits(
            Credits(amount),
            source=source,
            target=target,
            host_site=facts.host,
            source_entries=posting.entries_of(accounts[source], source),
            rate=rate,
            on=day,
            term=facts.term,
            ctx=posting.context(
                facts, at=at, actor=actor, reason=reason, cause=f"exchange:{source_site}->{target_site}"
            ),
        )
        written = posting.write(entries, accounts=accounts)
    credited = sum((e.amount for e in entries if e.amount > 0), Decimal(0))
    return Posting(written, "MC-7"), Credits(amount), Credits(credited)


@retry_if_stale
def consume_hours(*, scope: Scope, command: Consumption, at: datetime, actor: object = None) -> Posting:
    """Return the debit of the command's hours from the site's block of its service (HRS-1), never below zero (HRS-2)."""
    require(scope, can_post_to_ledger, POSTING_REFUSAL, field=None)
    reason = command.reason
    facts = order_facts(number=command.order, cached=True)
    country = facts.site(command.site)
    record = _service(command.service)
    # UER's included success-management hours are an hours account too (UER-2).
    if not record.hour_block and record.code != UER:
        raise InvalidInput(
            "service",
            Message(gettext_noop("{service} is not bought as a block of hours (HRS-1)"), service=record.code),
        )
    rule = "UER-2" if record.code == UER else "HRS-1"
    day = facts.within(command.on or facts.local_date(country, at))
    amount = command.hours
    timezone = facts.sites[country].timezone
    check_delivery_day(
        service=record.code,
        site=country,
        day=day,
        timezone=timezone,
        site_calendar=lambda: calendar_for_site(country=country, timezone=timezone),
    )
    # HRS-2 turns on the balance alone: whenever it covers the hours, the domain's answer is this debit.
    covered = ledger.consume_hours(
        Hours(amount),
        Hours(amount),
        account=Account(order=facts.number, site=country, kind=AccountKind.HOURS, service=record.code),
        on=day,
        term=facts.term,
        ctx=posting.context(facts, at=at, actor=actor, reason=reason, cause=f"consume:{record.code}"),
        rule=rule,
    )

    def decide(row: LedgerAccount, account: Account) -> posting.Decision:
        ctx = posting.context(facts, at=at, actor=actor, reason=reason, cause=f"consume:{record.code}")
        usable, history = _usable(row, account, facts=facts, day=day)
        if history:
            ledger.refuse_lapsed(history, amount, account=account, term=facts.term, on=day)
        return ledger.consume_hours(
            Hours(usable), Hours(amount), account=account, on=day, term=facts.term, ctx=ctx, rule=rule
        ), None

    return Posting(*posting.post_debit(facts, covered[0], decide=decide))


def _entry(uid: object, *, field: str = "entry") -> LedgerEntry:
    try:
        return LedgerEntry.objects.select_related("account", "account__order").get(uid=str(uid or "").strip())
    except LedgerEntry.DoesNotExist:
        raise InvalidInput(field, Message(gettext_noop("no ledger entry {uid!r}"), uid=uid)) from None


def post_cancellation(
    *, scope: Scope, entry: str, delivery: date, at: datetime, actor: object = None, on: date | None = None
) -> tuple[CancellationFee, Posting]:
    """Return the DEL-2 decision for cancelling the delivery ``entry`` paid, and the refund posted
    back to whatever paid (DEL-2 Product rule); ``on`` defaults to today at the site."""
    return refund_payment(
        scope=scope,
        entry=entry,
        decide=lambda cost, day: cancellation_fee(cost, delivery=delivery, on=day),
        at=at,
        actor=actor,
        on=on,
    )


def refund_payment(
    *,
    scope: Scope,
    entry: str,
    decide: Callable[[Cost, date], CancellationFee],
    at: datetime,
    actor: object = None,
    on: date | None = None,
    cause: str | None = None,
) -> tuple[CancellationFee, Posting]:
    """Return the fee decided for the payment ``entry`` and the refund of the rest posted to whatever paid.

    ``decide(cost, day)`` is the domain's decision (DEL-2 by notice, DEL-3, DEL-4's full refund);
    the refund is posted once per payment (CRD-4), on ``on`` or today at the site.
    """
    require(scope, can_post_to_ledger, POSTING_REFUSAL, field=None)
    paid_row = _entry(entry)
    facts = order_facts(number=paid_row.account.order.number)
    day = facts.open_on(on or facts.local_date(paid_row.account.site, at))
    with transaction.atomic():
        locked = posting.lock_entry(facts, paid_row)
        paid = locked.entry
        fee = decide(paid.account.quantity(abs(paid.amount)), day)
        ctx = posting.context(facts, at=at, actor=actor, cause=cause or f"cancel:{paid.id}")
        entries = ledger.post_cancellation(fee, paid=paid, ctx=ctx, on=day, existing=locked.entries)
        written = posting.write(entries, accounts=locked.accounts)
    return fee, Posting(written, fee.rule)


def charge_payment_fee(
    *,
    scope: Scope,
    entry: str,
    decide: Callable[[Cost, date], CancellationFee],
    at: datetime,
    actor: object = None,
    cause: str | None = None,
) -> tuple[CancellationFee, Posting]:
    """Return the fee decided for moving what ``entry`` paid for, taken from the same account (DEL-2
    Product rule): a charged reschedule (DEL-3) keeps its payment and pays the fee on top."""
    require(scope, can_post_to_ledger, POSTING_REFUSAL, field=None)
    paid_row = _entry(entry)
    facts = order_facts(number=paid_row.account.order.number)
    day = facts.open_on(facts.local_date(paid_row.account.site, at))
    with transaction.atomic():
        locked = posting.lock_entry(facts, paid_row)
        paid = locked.entry
        fee = decide(paid.account.quantity(abs(paid.amount)), day)
        ctx = posting.context(facts, at=at, actor=actor, cause=cause or f"fee:{paid.id}")
        entries = ledger.charge_fee(fee, account=paid.account, balance=locked.row.balance, ctx=ctx, on=day)
        written = posting.write(entries, accounts=locked.accounts)
    return fee, Posting(written, fee.rule)


def charge_cancellation(
    *,
    scope: Scope,
    order: str,
    site: str,
    cost: object,
    delivery: date,
    at: datetime,
    actor: object = None,
    on: date | None = None,
) -> tuple[CancellationFee, Posting]:
    """Return the DEL-2 decision for a delivery paid in money after the fact, and the fee charged to the
    money owed by the order at ``site`` (DEL-2 Product rule)."""
    require(scope, can_post_to_ledger, POSTING_REFUSAL, field=None)
    facts = order_facts(number=order)
    country = facts.site(site)
    day = facts.open_on(on or facts.local_date(country, at))
    money = Money(number(cost, field="cost"), facts.version.currency)
    fee = cancellation_fee(money, delivery=delivery, on=day)
    with transaction.atomic():
        (row,) = locks.lock([locks.account_row(facts, site=country, kind=AccountKind.MONEY)])
        accounts = posting.keyed(facts, [row])
        (account,) = accounts
        ctx = posting.context(facts, at=at, actor=actor, cause=f"cancel:delivery {delivery}")
        entries = ledger.charge_fee(fee, account=account, balance=row.balance, ctx=ctx, on=day)
        written = posting.write(entries, accounts=accounts)
    return fee, Posting(written, fee.rule)


def cancel_delivery(
    *,
    scope: Scope,
    delivery: date,
    entry: str | None = None,
    cost: object = None,
    currency: str = "USD",
    order: str | None = None,
    site: str | None = None,
    at: datetime,
    actor: object = None,
    on: date | None = None,
) -> tuple[CancellationFee, Posting | None]:
    """Return the DEL-2 decision for cancelling a delivery: refunded to the ``entry`` that paid, charged to
    the money ``order`` owes at ``site`` for a ``cost`` not paid in advance, or (``cost`` alone) a quote."""
    require(scope, can_post_to_ledger, POSTING_REFUSAL, field=None)
    if entry and cost is not None:
        raise InvalidInput(
            "cost", Message(gettext_noop("give the entry that paid for the delivery, or its cost, not both"))
        )
    if entry:
        return post_cancellation(scope=scope, entry=entry, delivery=delivery, at=at, actor=actor, on=on)
    if cost is None:
        raise InvalidInput(
            "cost", Message(gettext_noop("the service's cost (or the entry that paid for it) is required"))
        )
    if order or site:
        if not (order and site):
            raise InvalidInput(
                "site" if order else "order",
                Message(gettext_noop("a fee is charged to an order's site: give both")),
            )
        return charge_cancellation(
            scope=scope, order=order, site=site, cost=cost, delivery=delivery, at=at, actor=actor, on=on
        )
    try:
        money = Money(number(cost, field="cost"), currency.strip().upper())
    except ValueError as exc:
        raise InvalidInput("currency", str(exc).removeprefix("currency: ")) from None
    # A quote belongs to no site: its date is the UTC one unless the caller gives it.
    return cancellation_fee(money, delivery=delivery, on=on or dom.require_aware(at, field="at").date()), None


def compensate_entry(
    *, scope: Scope, entry: str, reason: str, at: datetime, actor: object = None, on: date | None = None
) -> Posting:
    """Return the entry that cancels ``entry`` (CRD-4: a correction is an entry, never an edit)."""
    require(scope, can_manage_orders, POSTING_REFUSAL, field=None)
    wrong = _entry(entry)
    facts = order_facts(number=wrong.account.order.number)
    day = on or facts.local_date(wrong.account.site, at)
    with transaction.atomic():
        locked = posting.lock_entry(facts, wrong)
        target = locked.entry
        ctx = posting.context(facts, at=at, actor=actor, cause=f"correct:{target.id}")
        entries = ledger.compensate(
            target, reason=reason, ctx=ctx, on=day, balance=locked.row.balance, existing=locked.entries
        )
        written = posting.write(entries, accounts=locked.accounts, credit_exception=wrong.credit_exception)
    return Posting(written, "CRD-4")


def record_credit_exception(
    *,
    scope: Scope,
    order: str,
    approved_by: str,
    approved_at: datetime,
    terms: str,
    site: str = "",
    in_writing: bool = True,
    reference: str = "",
    credit_limit: object = None,
    actor: object = None,
) -> CreditException:
    """Return the CRD-3 approval recorded for ``order`` (checked again, against the term, when used)."""
    require(scope, can_manage_orders, POSTING_REFUSAL, field=None)
    facts = order_facts(number=order)
    country = facts.site(site) if site else ""
    limit = None if credit_limit in (None, "") else number(credit_limit, field="credit_limit")
    dom.CreditException(
        approved_by, approved_at, terms, in_writing, True, limit, reference
    )  # checks the fields
    if not in_writing:
        raise RuleViolation(
            "CRD-3", Message(gettext_noop("the exception must be approved in writing")), field="in_writing"
        )
    return CreditException.objects.create(
        organisation_id=facts.order.organisation_id,
        order=facts.order,
        site=country,
        approved_by=approved_by.strip(),
        approved_at=approved_at,
        terms=terms.strip(),
        in_writing=in_writing,
        reference=reference.strip(),
        credit_limit=limit,
        recorded_by=posting.actor_name(actor),
    )


def expire_all(*, scope: Scope, on: date | None, at: datetime, actor: object = None) -> list[LedgerEntry]:
    """Return the forfeitures posted for what was not used by its last day before ``on`` (ORD-5, FLX-2),
    or before the agreement's termination (ORD-2).

    ``on`` None: each account's own day, the date at its site at ``at`` (the worker's daily pass:
    nothing is forfeited while it is still its last day where it is used). Safe to run twice: the
    domain replays each account's lots and forfeits only what is left, and a forfeiture's id derives
    from its lot, so two racing runs collide instead of forfeiting twice.
    """
    require(scope, can_manage_orders, POSTING_REFUSAL, field=None)
    # The latest date anywhere at ``at`` (UTC+14) bounds every site's own.
    bound = on or (dom.require_aware(at, field="at").astimezone(UTC) + timedelta(hours=14)).date()
    due = (
        LedgerAccount.objects.exclude(kind=AccountKind.MONEY.value)
        .filter(
            Q(entries__expires_on__lt=bound) | Q(order__agreement__terminated_on__lt=bound), balance__gt=0
        )
        .values_list("pk", "order__number", "site")
        .distinct()
        .order_by("pk")
    )
    written: list[LedgerEntry] = []
    facts_of: dict[str, OrderFacts] = {}
    for pk, order_number, site in list(due):
        facts = facts_of.get(order_number) or facts_of.setdefault(
            order_number, order_facts(number=order_number)
        )
        # A site an amendment removed has no time zone left: its UTC date.
        day = on or (facts.local_date(site, at) if site in facts.sites else at.astimezone(UTC).date())
        with transaction.atomic():
            (row,) = locks.lock([LedgerAccount(pk=pk)])
            account = domain_account(row, order_number=order_number)
            ctx = posting.context(facts, at=at, actor=actor, cause=f"expire:{day}")
            entries = ledger.expire(
                posting.entries_of(row, account),
                account=account,
                term=facts.term,
                on=day,
                ctx=ctx,
                terminated_on=facts.terminated_on,  # ORD-2
            )
            written += posting.write(entries, accounts={account: row})
    return written
