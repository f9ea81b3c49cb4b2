"""Reads of deliveries: one (with its timeline) or a list, scoped to what the caller sees."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet, Sum

from unisupport.accounts.scope import Scope, scoped
from unisupport.deliveries.models import Delivery
from unisupport.domain.deliveries import DeliveryState
from unisupport.domain.errors import NotFound
from unisupport.domain.messages import Message, gettext_noop

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
    scope: Scope, *, order: str | None = None, state: str | None = None, best_effort: bool | None = None
) -> QuerySet[Delivery]:
    """Return the deliveries ``scope`` sees, newest request first, optionally of one order or state."""
    rows = scoped(Delivery.objects.select_related("order"), scope).order_by("-requested_at", "-pk")
    if order:
        rows = rows.filter(order__number=order)
    if state:
        rows = rows.filter(state=state)
    if best_effort is not None:
        rows = rows.filter(best_effort=best_effort)
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
