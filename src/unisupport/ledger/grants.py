"""Grants on order import: credits (CRD-1), hour blocks (HRS-1) and the flexible allocation (FLX-*).

The order import announces each version it writes (orders.events.version_bought) in its own
transaction, and :func:`grant_on_purchase` calls :func:`post_grants_for` for it.
It compares what the version buys with what the ledger already granted for the order (the entries
whose cause is ``order:…``) and posts the difference: everything at execution, and for an
amendment (ORD-9) the quantities it adds or takes back. Running it again posts nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from unisupport.catalog.models import ServiceRecord
from unisupport.domain import ledger
from unisupport.domain.allocation import Assignment, check_assignments, execution_entries
from unisupport.domain.entries import NEVER_NEGATIVE, Account, AccountKind, Context, Entry, new_entry
from unisupport.domain.errors import RuleViolation
from unisupport.domain.events import LIMITS as EVENT_LIMITS
from unisupport.domain.lines import SERVING_STATUSES
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Money, plain
from unisupport.domain.service_codes import FOUNDATIONAL, UER
from unisupport.domain.term import Term
from unisupport.ledger import locks, posting
from unisupport.ledger.models import LedgerAccount, LedgerEntry
from unisupport.ledger.order_facts import OrderFacts
from unisupport.orders.models import OrderLine, OrderVersion
from unisupport.orders.policy import current_policy

CREDITS_SERVICE = "proactive-credits"
CAUSE = "order:"
# ORD-8 (domain.lines.SERVING_STATUSES): a line awaiting the vendor's acceptance (or refused) grants nothing yet.
GRANTED_STATUSES = tuple(s.value for s in SERVING_STATUSES)

Key = tuple[str, AccountKind, str | None]
# The rule of a grant whose account's kind does not say it: events, UER's included hours.
GRANT_RULES = {code: limits.rule for code, limits in EVENT_LIMITS.items()} | {UER: "UER-2"}


def _facts(version: OrderVersion) -> OrderFacts:
    sites = {s.country: s for s in version.sites.all()}
    return OrderFacts(version.order, version, Term(version.start, version.end), sites)


def _granted(row: LedgerAccount, *, year: tuple[date, date] | None = None) -> Decimal:
    """Return what the orders granted (net of amendments) on ``row``, within a contract year if given."""
    entries = LedgerEntry.objects.filter(account=row, cause__startswith=CAUSE)
    if year is not None:
        entries = entries.filter(effective_on__range=year)
    return entries.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _take_back(balance: Decimal, account: Account, amount: Decimal, *, ctx: Context, on: date) -> Entry:
    """Return the entry an amendment posts to take ``amount`` back (ORD-9), never below zero."""
    quantity = account.quantity(plain(amount))
    if balance < amount:
        raise RuleViolation(
            NEVER_NEGATIVE[account.kind],
            Message(
                gettext_noop(
                    "amendment v{version} takes back {quantity} from {account}, which has only {left} left"
                ),
                version=ctx.order_version,
                quantity=quantity,
                account=account.label,
                left=account.quantity(balance),
            ),
        )
    return new_entry(
        ctx,
        account=account,
        amount=-amount,
        on=on,
        rule="ORD-9",
        reason=Message(gettext_noop("amendment takes back {quantity}"), quantity=quantity),
    )


def _wanted(version: OrderVersion) -> dict[Key, Decimal]:
    """Return the credits, hours and events ``version`` buys, per site (and service for hours and events)."""
    hour_blocks = set(ServiceRecord.objects.filter(hour_block=True).values_list("code", flat=True))
    wanted: dict[Key, Decimal] = defaultdict(Decimal)
    lines = OrderLine.objects.filter(site__order_version=version, status__in=GRANTED_STATUSES)
    for line in lines.select_related("site"):
        if line.service_id == CREDITS_SERVICE:
            wanted[(line.site.country, AccountKind.CREDITS, None)] += line.quantity
        elif line.service_id in hour_blocks:
            wanted[(line.site.country, AccountKind.HOURS, line.service_id)] += line.quantity
        elif line.service_id == UER:  # its included success-management hours (UER-2, a policy number)
            wanted[(line.site.country, AccountKind.HOURS, UER)] = (
                current_policy().uer_success_management_hours
            )
        elif line.service_id in EVENT_LIMITS:  # the events the line pays for (EVT-1, EVT-2)
            wanted[(line.site.country, AccountKind.EVENTS, line.service_id)] += line.quantity
    return wanted


def grant_on_purchase(
    sender: object, *, version: OrderVersion, at: datetime, actor: object = None, **_: object
) -> None:
    """Post the grants of ``version`` when the orders app announces it (orders.events.version_bought)."""
    post_grants_for(version=version, at=at, actor=actor)


def post_grants_for(*, version: OrderVersion, at: datetime, actor: object = None) -> list[LedgerEntry]:
    """Return the entries granting what ``version`` bought that the ledger does not hold yet.

    An amendment's changes take effect on the order's date at ``at`` (within the term).
    """
    facts = _facts(version)
    order = version.order
    ctx = posting.context(facts, at=at, actor=actor, cause=f"{CAUSE}{order.number}:v{version.version}")
    executed = LedgerEntry.objects.filter(account__order=order, cause__startswith=CAUSE).exists()
    # The host site's date; an order for downstream sites only takes its first site's.
    local = facts.host if facts.host in facts.sites else min(facts.sites)
    today = min(max(facts.local_date(local, at), facts.term.start), facts.term.end)
    on = today if executed else facts.term.start
    with transaction.atomic():
        wanted = _wanted(version)
        for row in LedgerAccount.objects.filter(order=order, kind__in=["credits", "hours", "events"]):
            wanted.setdefault((row.site, AccountKind(row.kind), row.service or None), Decimal(0))
        rows = {
            key: locks.account_row(facts, site=key[0], kind=key[1], service=key[2]) for key in sorted(wanted)
        }
        locked = {r.pk: r for r in locks.lock(rows.values())}
        accounts = posting.keyed(facts, locked.values())
        entries: list[Entry] = []
        for (site, kind, service), amount in sorted(wanted.items()):
            row = locked[rows[(site, kind, service)].pk]
            account = Account(order.number, site, kind, service)
            difference = amount - _granted(row)
            if difference > 0:
                quantity = account.quantity(plain(difference))
                rule = GRANT_RULES.get(service or "") if kind is not AccountKind.CREDITS else None
                entries += ledger.grant(quantity, account=account, on=on, term=facts.term, ctx=ctx, rule=rule)
            elif difference < 0:
                entries.append(_take_back(row.balance, account, -difference, ctx=ctx, on=on))
        written = posting.write(entries, accounts=accounts)
        return written + _post_allocation(facts, ctx=ctx, today=today)


def _post_allocation(facts: OrderFacts, *, ctx: Context, today: date) -> list[LedgerEntry]:
    """Return the allocation's entries: all of them at execution, the assignments' changes after."""
    from unisupport.orders.policy import current_policy

    version = facts.version
    allocation = getattr(version, "allocation", None)
    existing = LedgerAccount.objects.filter(order=facts.order, kind=AccountKind.ALLOCATION.value)
    if allocation is None and not existing.exists():
        return []
    executed = LedgerEntry.objects.filter(account__in=existing, cause__startswith=CAUSE).exists()
    parts: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    if allocation is not None:
        for a in allocation.assignments.select_related("site"):
            parts[(a.site.country, a.service_id)] += a.amount
    for row in existing.exclude(service=""):
        parts.setdefault((row.site, row.service), Decimal(0))
    rows = {
        key: locks.account_row(facts, site=key[0], kind=AccountKind.ALLOCATION, service=key[1])
        for key in sorted(parts)
    }
    pool_row = locks.account_row(facts, site=facts.host, kind=AccountKind.ALLOCATION)
    locked = {r.pk: r for r in locks.lock([pool_row, *rows.values()])}
    accounts = posting.keyed(facts, locked.values())
    eligible = set(ServiceRecord.objects.filter(allocation_eligible=True).values_list("code", flat=True))
    currency = pool_row.currency
    assignments = [
        Assignment(
            Account(facts.number, site, AccountKind.ALLOCATION, service, currency),
            amount,
            service in eligible,
        )
        for (site, service), amount in sorted(parts.items())
    ]
    if not executed and allocation is not None:
        foundational = OrderLine.objects.filter(
            site__order_version=version, site__country=facts.host, service_id=FOUNDATIONAL
        ).first()
        check_assignments(
            amount=allocation.amount,
            assignments=assignments,
            list_price=None if foundational is None else (foundational.list_price or foundational.price),
            policy=current_policy(),
            usd_rate=version.usd_rate,
        )
        pool = Account(facts.number, facts.host, AccountKind.ALLOCATION, None, currency)
        entries = execution_entries(
            pool=pool, amount=allocation.amount, assignments=assignments, term=facts.term, ctx=ctx
        )
        return posting.write(entries, accounts=accounts)
    # An amendment after execution: each assignment moves by the difference, for the contract years
    # not over yet; the pool is not touched (FLX-5: what was not assigned at execution is lost).
    entries = []
    for part in assignments:
        row = locked[rows[(part.account.site, part.account.service or "")].pk]
        balance = row.balance
        for year in facts.term.contract_years():
            if year.end < today:
                continue
            on = max(year.start, today)
            difference = part.amount - _granted(row, year=(year.start, year.end))
            if difference > 0:
                entries += ledger.grant(
                    Money(difference, currency),
                    account=part.account,
                    on=on,
                    term=facts.term,
                    ctx=ctx,
                    funded_by_allocation=True,
                )
                balance += difference
            elif difference < 0:
                entries.append(_take_back(balance, part.account, -difference, ctx=ctx, on=on))
                balance += difference
    return posting.write(entries, accounts=accounts)
