"""Reads of deliveries: one (with its timeline) or a list, scoped to what the caller sees."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet, Sum

from unisupport.accounts.permissions import can_audit_ledger, require
from unisupport.accounts.scope import Scope, scoped
from unisupport.deliveries.models import Delivery
from unisupport.domain.countries import default_timezone
from unisupport.domain.deliveries import DeliveryState, Payment
from unisupport.domain.delivery_prices import paid
from unisupport.domain.errors import NotFound
from unisupport.domain.fees import Cost, customer_cancellation, free_until
from unisupport.domain.messages import Message, gettext_noop
from unisupport.ledger.models import LedgerEntry

OPEN_STATES = (DeliveryState.REQUESTED.value, DeliveryState.SCHEDULED.value)


def delivery_for(scope: Scope, *, delivery_id: int) -> Delivery:
    """Return delivery ``delivery_id`` with its timeline if ``scope`` sees it, else raise NotFound."""
    found = (
        scoped(Delivery.objects.select_related("order", "payment", "engineer"), scope)
        .prefetch_related("timeline")
        .filter(pk=delivery_id)
        .first()
    )
    if found is None:
        raise NotFound(Message(gettext_noop("no delivery D-{id}"), id=delivery_id), field="delivery")
    return found


def deliveries_for(
    scope: Scope,
    *,
    order: str | None = None,
    state: str | None = None,
    best_effort: bool | None = None,
    after: int | None = None,
    states: Collection[str] = (),
    customer: int | None = None,
    customer_name: str | None = None,
    site: str | None = None,
) -> QuerySet[Delivery]:
    """Return the deliveries ``scope`` sees, newest request first, optionally of one customer, order, site or state;
    ``after`` (a delivery's id, the last of the page before) continues the list past it (a keyset:
    the same cost on page 1 and on page 1,000)."""
    rows = scoped(Delivery.objects.select_related("order", "organisation"), scope).order_by(
        "-requested_at", "-pk"
    )
    if after is not None:
        last = Delivery.objects.filter(pk=after).values_list("requested_at", flat=True).first()
        if last is None:
            raise NotFound(Message(gettext_noop("no delivery D-{id}"), id=after), field="after")
        rows = rows.filter(Q(requested_at__lt=last) | Q(requested_at=last, pk__lt=after))
    if order:
        rows = rows.filter(order__number=order)
    if state:
        rows = rows.filter(state=state)
    if states:
        rows = rows.filter(state__in=list(states))
    if best_effort is not None:
        rows = rows.filter(best_effort=best_effort)
    if customer is not None:
        rows = rows.filter(organisation_id=customer)
    if customer_name:
        rows = rows.filter(organisation__name__iexact=customer_name.strip())
    if site:
        rows = rows.filter(site=site.upper())
    return rows


def reserved_by_account(scope: Scope, *, order: str) -> dict[int, Decimal]:
    """Return, per ledger account of ``order``, what open delivery requests hold of it (paid, not delivered)."""
    held: dict[int, Decimal] = defaultdict(Decimal)
    rows = (
        deliveries_for(scope, order=order)
        .filter(state__in=OPEN_STATES)
        .values("payment__account_id")
        .annotate(total=Sum("cost"))
    )
    for row in rows:
        held[row["payment__account_id"]] += row["total"]
    return dict(held)


def cancellation_preview(delivery: Delivery, *, at: dt.datetime) -> dict[str, object] | None:
    """Return what cancelling ``delivery`` at ``at`` would cost and until when it is free (DEL-2), for an
    open delivery; None for one delivered or cancelled. Rescheduling follows DEL-3: free the first time."""
    if delivery.state not in OPEN_STATES:
        return None
    cost: Cost = paid(delivery.pay, delivery.cost, delivery.unit)
    day = at.astimezone(ZoneInfo(site_zone(delivery))).date()
    fee = customer_cancellation(cost, delivery=delivery.scheduled_on, on=day)
    free = free_until(delivery.scheduled_on) if delivery.scheduled_on else None
    return {
        "cancel_now": {k: v for k, v in fee.as_dict().items() if k != "days_before"},
        "free_until": free.isoformat() if free else None,
        "next_reschedule_free": delivery.reschedules == 0,  # DEL-3
    }


def site_zone(delivery: Delivery) -> str:
    """Return the time zone of the delivering site (its order's current version's, else its country's)."""
    from unisupport.orders.models import Site

    zone = (
        Site.objects.filter(
            order_version__order=delivery.order,
            order_version__version=delivery.order.current_version,
            country=delivery.site,
        )
        .values_list("timezone", flat=True)
        .first()
    )
    return zone or default_timezone(delivery.site)


def verify_deliveries(scope: Scope) -> list[dict[str, object]]:
    """Return what is wrong between the deliveries and the ledger entries that pay for them (an audit).

    Every delivery's payment is a debit of its cost (DEL-2 Product rule: the reservation); an open or
    delivered one has no refund; a cancelled or refused one has at most one, the refund its timeline recorded.
    """
    require(
        scope, can_audit_ledger, Message(gettext_noop("only the vendor's staff audit the ledger")), field=None
    )
    refunds: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    for refunded, amount in LedgerEntry.objects.filter(refunds__isnull=False, refunds__gt="").values_list(
        "refunds", "amount"
    ):
        refunds[refunded] += amount
        counts[refunded] += 1
    rows = Delivery.objects.select_related("payment").prefetch_related("timeline").order_by("pk")
    return [
        {"delivery": d.pk, "rule": rule, "message": message}
        for d in rows.iterator(chunk_size=2000)
        for rule, message in _problems(
            d, refunds=refunds.get(d.payment.uid), count=counts.get(d.payment.uid, 0)
        )
    ]


def _problems(delivery: Delivery, *, refunds: Decimal | None, count: int) -> list[tuple[str, str]]:
    found = []
    # A debit of credits, hours or allocation; a charge of money (what the customer owes).
    expected = delivery.cost if delivery.pay == Payment.MONEY.value else -delivery.cost
    if delivery.payment.amount != expected:
        found.append(
            (
                "DEL-2",
                f"its payment {delivery.payment.uid} is {delivery.payment.amount}, not {expected}",
            )
        )
    ended = (DeliveryState.CANCELLED.value, DeliveryState.REFUSED.value)
    if delivery.state not in ended:
        if count:
            found.append(("DEL-2", f"a {delivery.state} delivery has a refund of {refunds}"))
        return found
    if count > 1:
        found.append(("CRD-4", f"refunded {count} times"))
    recorded = next((e.data.get("refund") for e in delivery.timeline.all() if e.kind in ended), None)
    held = abs(refunds or Decimal(0))
    if recorded is not None and Decimal(str(recorded)) != held:
        found.append(("DEL-2", f"its timeline says {recorded} was refunded; the ledger holds {held}"))
    return found
