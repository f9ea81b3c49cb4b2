"""Writes booking an event under MCS for Azure Events (Plus): the verdict first (EVT-1..EVT-6,
domain/event_booking.py), then the booking, or nothing when a rule refuses it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from unisupport.accounts.permissions import can_book_events, can_manage_orders, require
from unisupport.accounts.scope import Scope
from unisupport.catalog.selectors import current_catalog
from unisupport.domain.countries import default_timezone
from unisupport.domain.errors import InvalidInput, NotFound, RuleViolation
from unisupport.domain.event_booking import BookingVerdict, Finding, judge_booking
from unisupport.domain.events import LIMITS
from unisupport.domain.lines import SERVING_STATUSES
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.sla import response_matrix
from unisupport.orders.events import event_booked, event_fee_charged, event_returned
from unisupport.orders.models import EventCoverage, Order, OrderLine

NAME_LENGTH = EventCoverage._meta.get_field("name").max_length or 200

APPROVAL_REFUSAL = Message(gettext_noop("only the vendor's CSAMs and back office decide on a booking"))
BOOKING_REFUSAL = Message(
    gettext_noop("only the customer's support services administrator or the CSAM book an event")
)


@transaction.atomic
def book_event(
    *,
    scope: Scope,
    order: str,
    name: str,
    days: Sequence[dt.date],
    products: Sequence[str],
    at: dt.datetime,
    scenario: str = "",
    contacts: str = "",
    chat_bridge: str = "",
    actor: str = "",
    dry_run: bool = False,
) -> tuple[BookingVerdict, EventCoverage | None]:
    """Return the verdict on booking the event, and the booking when no rule refused it (nothing is
    written otherwise, nor with ``dry_run``: the verdict explained before booking). Less than six
    weeks' notice is accepted pending the vendor's approval (EVT-4)."""
    require(scope, can_book_events, BOOKING_REFUSAL, field=None)
    found = Order.objects.select_related("agreement").filter(number=str(order or "").strip()).first()
    if found is None or not scope.sees(found.organisation_id):
        raise InvalidInput("order", Message(gettext_noop("no order {order!r}"), order=order))
    if not str(name or "").strip():
        raise InvalidInput("name", Message(gettext_noop("the event's name is required")))
    if len(name.strip()) > NAME_LENGTH:
        raise InvalidInput(
            "name",
            Message(
                gettext_noop("at most {limit} characters, got {count}"), limit=NAME_LENGTH, count=len(name)
            ),
        )
    catalog = current_catalog()
    scoped = [catalog.product(str(p).strip(), field="product") for p in products]
    line = (
        OrderLine.objects.select_related("site")
        .filter(
            site__order_version__order=found,
            site__order_version__version=found.current_version,
            service_id__in=list(LIMITS),
            status__in=[s.value for s in SERVING_STATUSES],
        )
        .order_by("-service_id")  # Plus first, when an order holds both
        .first()
    )
    current = found.versions.get(version=found.current_version)
    zone = (line.site.timezone if line else "") or default_timezone(found.agreement.host_country)
    today = at.astimezone(ZoneInfo(zone)).date()
    service = line.service_id if line else ""
    if line is None:
        verdict = BookingVerdict(
            days=tuple(sorted(set(days))),
            rules=("EVT-1", "EVT-2"),
            errors=(
                Finding(
                    "EVT-1",
                    Message(
                        gettext_noop(
                            "order {order} holds no MCS for Azure Events line that serves (ORD-8 accepts one)"
                        ),
                        order=found.number,
                    ),
                ),
            ),
        )
        return verdict, None
    verdict = judge_booking(
        service=service,
        days=days,
        products=scoped,
        excluded=response_matrix().exclusions["EVT-5"],
        today=today,
        bought=int(line.quantity),
        booked=EventCoverage.objects.filter(
            order=found, service_id=service, cancelled_at__isnull=True
        ).count(),
        term=(current.start, current.end),
    )
    if not verdict.accepted or dry_run:
        return verdict, None
    row = EventCoverage.objects.create(
        organisation_id=found.organisation_id,
        order=found,
        service_id=service,
        name=name.strip(),
        scenario=scenario.strip(),
        days=[d.isoformat() for d in verdict.days],
        timezone=zone,
        products=[p.name for p in scoped],
        contacts=contacts.strip(),
        chat_bridge=chat_bridge.strip(),
        needs_vendor_approval=verdict.needs_vendor_approval,
        booked_at=at,
        booked_by=actor,
    )
    # The ledger takes one of the events the line bought (EVT-1, EVT-2), in this transaction.
    event_booked.send(EventCoverage, event=row, site=line.site.country, at=at, actor=actor)
    return verdict, row


def _booking(scope: Scope, event_id: int) -> EventCoverage:
    found = EventCoverage.objects.select_for_update().filter(pk=event_id).first()
    if found is None or not scope.sees(found.organisation_id):
        raise NotFound(Message(gettext_noop("no event E-{id}"), id=event_id), field="event")
    if found.cancelled_at is not None:
        raise InvalidInput("event", Message(gettext_noop("E-{id} is cancelled"), id=event_id))
    return found


@transaction.atomic
def approve_event(
    *, scope: Scope, event_id: int, at: dt.datetime, reduced_scope: str = "", actor: str = ""
) -> EventCoverage:
    """Return the booking the vendor approved despite its short notice, with the resilience scope it
    kept if reduced (EVT-4)."""
    require(scope, can_manage_orders, APPROVAL_REFUSAL, field=None)
    found = _booking(scope, event_id)
    if not found.needs_vendor_approval:
        raise InvalidInput("event", Message(gettext_noop("E-{id} awaits no approval"), id=event_id))
    found.needs_vendor_approval, found.approved_at, found.approved_by = False, at, actor
    found.reduced_scope = reduced_scope.strip()
    found.save(update_fields=["needs_vendor_approval", "approved_at", "approved_by", "reduced_scope"])
    return found


@transaction.atomic
def cancel_event(
    *, scope: Scope, event_id: int, by: str, reason: str, at: dt.datetime, actor: str = ""
) -> EventCoverage:
    """Return the booking cancelled: by the customer before its first covered day (the event it used
    is the order's again), or by the vendor when the customer did not provide resources or answers
    (EVT-8, with the reason)."""
    require(scope, can_book_events, BOOKING_REFUSAL, field=None)
    if by not in ("customer", "vendor"):
        raise InvalidInput(
            "by", Message(gettext_noop("expected customer or vendor, got {value!r}"), value=by)
        )
    found = _booking(scope, event_id)
    today = at.astimezone(ZoneInfo(found.timezone)).date()
    first, last = dt.date.fromisoformat(found.days[0]), dt.date.fromisoformat(found.days[-1])
    if by == "vendor":
        require(scope, can_manage_orders, APPROVAL_REFUSAL, field=None)
        if not reason.strip():
            raise InvalidInput(
                "reason", Message(gettext_noop("say what the customer did not provide (EVT-8)"))
            )
        if today > last:
            raise RuleViolation("EVT-8", Message(gettext_noop("E-{id} is over"), id=event_id), field="event")
    elif today >= first:
        raise RuleViolation(
            "EVT-1",
            Message(
                gettext_noop("E-{id} began on {day}: it is no longer cancelled by the customer"),
                id=event_id,
                day=first,
            ),
            field="event",
        )
    found.cancelled_at, found.cancelled_by, found.cancel_reason = at, by, reason.strip()
    found.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    if by == "customer":
        # Cancelled before its first day: the event is the order's again. Reading: one the vendor
        # cancels under EVT-8 (resources or answers not provided) stays used.
        event_returned.send(EventCoverage, event=found, at=at, actor=actor)
    return found


@transaction.atomic
def ask_scenario_change(
    *, scope: Scope, event_id: int, scenario: str, at: dt.datetime, actor: str = ""
) -> EventCoverage:
    """Return the booking with a change of its scenario asked for: it needs the vendor's approval (EVT-3)."""
    require(scope, can_book_events, BOOKING_REFUSAL, field=None)
    found = _booking(scope, event_id)
    if not scenario.strip():
        raise InvalidInput("scenario", Message(gettext_noop("describe the new scenario (EVT-3)")))
    if found.scenario_change:
        raise InvalidInput(
            "event", Message(gettext_noop("E-{id} has a scenario change awaiting the vendor"), id=event_id)
        )
    found.scenario_change, found.scenario_change_asked_at, found.scenario_change_asked_by = (
        scenario.strip(),
        at,
        actor,
    )
    found.save(update_fields=["scenario_change", "scenario_change_asked_at", "scenario_change_asked_by"])
    return found


@transaction.atomic
def decide_scenario_change(
    *,
    scope: Scope,
    event_id: int,
    approve: bool,
    at: dt.datetime,
    fee: Decimal | None = None,
    new_assessment: bool = False,
    reason: str = "",
    actor: str = "",
) -> EventCoverage:
    """Return the booking after the vendor's decision on its scenario change (EVT-3): approved, the new
    scenario replaces the old, with the fee it may carry and whether a new assessment is needed;
    refused, with the reason. Each decision is kept on the booking."""
    require(scope, can_manage_orders, APPROVAL_REFUSAL, field=None)
    found = _booking(scope, event_id)
    if not found.scenario_change:
        raise InvalidInput(
            "event", Message(gettext_noop("E-{id} has no scenario change to decide"), id=event_id)
        )
    if fee is not None and fee < 0:
        raise InvalidInput("fee", Message(gettext_noop("must be zero or more, got {amount}"), amount=fee))
    if not approve and not reason.strip():
        raise InvalidInput("reason", Message(gettext_noop("say why the change is refused")))
    decision = {
        "at": at.isoformat(),
        "by": actor,
        "asked": found.scenario_change,
        "approved": approve,
        "previous": found.scenario,
        "fee": None if fee is None else str(fee),
        "new_assessment": new_assessment,
        "reason": reason.strip(),
        "rule": "EVT-3",
    }
    if approve:
        found.scenario = found.scenario_change
    found.scenario_changes = [*found.scenario_changes, decision]
    found.scenario_change, found.scenario_change_asked_at, found.scenario_change_asked_by = "", None, ""
    found.save()
    if approve and fee:  # billed to what the order owes, in the order's currency (EVT-3)
        event_fee_charged.send(EventCoverage, event=found, amount=fee, at=at, actor=actor)
    return found
