"""Writes for a workshop's registration terms and its cancellation below the minimum (DEL-4, DEL-7),
and for an on-demand assessment's setup assistance and analysis resource (DEL-6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction

from unisupport.accounts.permissions import can_schedule_deliveries, require
from unisupport.accounts.scope import Scope
from unisupport.deliveries.models import AssessmentWork, Delivery
from unisupport.deliveries.selectors import site_zone
from unisupport.deliveries.services import PAYMENT_DESK, SCHEDULE_REFUSAL, _locked, cancel_delivery
from unisupport.deliveries.timeline import record
from unisupport.domain.deliveries import CancelledBy, DeliveryState
from unisupport.domain.errors import InvalidInput
from unisupport.domain.fees import CancellationFee
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Money
from unisupport.domain.workshops import (
    ON_DEMAND_ASSESSMENT,
    Window,
    check_apart_from_setup,
    check_below_minimum,
    check_setup,
    check_terms,
    resource_window,
)
from unisupport.ledger import spend_services
from unisupport.ledger.order_facts import order_facts
from unisupport.ledger.posting import actor_name


@transaction.atomic
def set_workshop_terms(
    *,
    scope: Scope,
    delivery_id: int,
    minimum: int | None,
    deadline: dt.date | None,
    at: dt.datetime,
    capacity: int | None = None,
    actor: User | None = None,
) -> Delivery:
    """Return the workshop with its capacity and the minimum of registrations due by ``deadline``
    (DEL-4: below it, the vendor may cancel and return everything)."""
    require(scope, can_schedule_deliveries, SCHEDULE_REFUSAL, field=None)
    delivery = _locked(scope, delivery_id)
    if delivery.state not in (DeliveryState.REQUESTED.value, DeliveryState.SCHEDULED.value):
        raise InvalidInput("delivery", Message(gettext_noop("D-{id} is no longer open"), id=delivery.pk))
    check_terms(minimum=minimum, capacity=capacity, deadline=deadline, delivery_on=delivery.scheduled_on)
    delivery.minimum, delivery.registration_deadline, delivery.capacity = minimum, deadline, capacity
    delivery.save(update_fields=["minimum", "registration_deadline", "capacity"])
    record(
        delivery,
        kind="terms",
        at=at,
        actor=actor,
        rule="DEL-4",
        minimum=minimum,
        deadline=deadline,
        capacity=capacity,
    )
    return delivery


def cancel_below_minimum(
    *, scope: Scope, delivery_id: int, at: dt.datetime, actor: User | None = None
) -> tuple[Delivery, CancellationFee]:
    """Return the workshop cancelled by the vendor for too few registrations by its deadline, with
    everything returned (DEL-4); refused before the deadline or with the minimum reached."""
    require(scope, can_schedule_deliveries, SCHEDULE_REFUSAL, field=None)
    with transaction.atomic():
        delivery = _locked(scope, delivery_id)
        registered = delivery.registrations.count()
        today = at.astimezone(ZoneInfo(site_zone(delivery))).date()
        check_below_minimum(
            minimum=delivery.minimum,
            deadline=delivery.registration_deadline,
            registered=registered,
            today=today,
        )
        reason = f"minimum registrations not reached: {registered} of {delivery.minimum} by {delivery.registration_deadline}"
        return cancel_delivery(
            scope=scope, delivery_id=delivery_id, by=CancelledBy.VENDOR, at=at, reason=reason, actor=actor
        )


def _assessment(scope: Scope, delivery_id: int) -> Delivery:
    require(scope, can_schedule_deliveries, SCHEDULE_REFUSAL, field=None)
    delivery = _locked(scope, delivery_id)
    if delivery.service_id != ON_DEMAND_ASSESSMENT:
        raise InvalidInput(
            "delivery", Message(gettext_noop("D-{id} is not an on-demand assessment"), id=delivery.pk)
        )
    if delivery.state in (DeliveryState.CANCELLED.value, DeliveryState.REFUSED.value):
        raise InvalidInput("delivery", Message(gettext_noop("D-{id} is no longer open"), id=delivery.pk))
    return delivery


def _windows(delivery: Delivery, kind: str) -> list[Window]:
    return [Window(w.starts_at, w.ends_at) for w in delivery.assessment_work.filter(kind=kind)]


@transaction.atomic
def log_setup_assistance(
    *,
    scope: Scope,
    delivery_id: int,
    starts_at: dt.datetime,
    hours: Decimal,
    at: dt.datetime,
    actor: User | None = None,
) -> AssessmentWork:
    """Return the setup assistance given to an on-demand assessment, at most 2 hours in all (DEL-6)."""
    delivery = _assessment(scope, delivery_id)
    used = sum(
        (w.hours or Decimal(0) for w in delivery.assessment_work.filter(kind=AssessmentWork.SETUP)),
        Decimal(0),
    )
    check_setup(hours=hours, used=used)
    window = Window(starts_at, starts_at + dt.timedelta(hours=float(hours)))
    check_apart_from_setup(window, _windows(delivery, AssessmentWork.RESOURCE))  # nor the other way round
    work = AssessmentWork.objects.create(
        delivery=delivery,
        kind=AssessmentWork.SETUP,
        starts_at=window.start,
        ends_at=window.end,
        hours=hours,
        recorded_at=at,
        recorded_by=actor_name(actor),
    )
    record(
        delivery,
        kind="setup",
        at=at,
        actor=actor,
        rule="DEL-6",
        hours=str(hours),
        starts_at=starts_at.isoformat(),
    )
    return work


@transaction.atomic
def book_analysis_resource(
    *,
    scope: Scope,
    delivery_id: int,
    starts_at: dt.datetime,
    days: Decimal,
    on_site: bool,
    fee: Decimal,
    at: dt.datetime,
    actor: User | None = None,
) -> AssessmentWork:
    """Return the extra analysis resource booked for an on-demand assessment: on site up to 2 days or
    remote up to 1, never during the setup hours, its ``fee`` billed to what the order owes (DEL-6)."""
    delivery = _assessment(scope, delivery_id)
    window = resource_window(start=starts_at, days=days, on_site=on_site)
    check_apart_from_setup(window, _windows(delivery, AssessmentWork.SETUP))
    if fee <= 0:
        raise InvalidInput("fee", Message(gettext_noop("must be positive, got {amount}"), amount=fee))
    charged = spend_services.bill_service(
        scope=PAYMENT_DESK,
        order=delivery.order.number,
        site=delivery.site,
        service=delivery.service_id,
        cost=Money(fee, order_facts(number=delivery.order.number).version.currency),
        at=at,
        actor=actor,
        reason=f"D-{delivery.pk}: {'on-site' if on_site else 'remote'} analysis resource",
        rule="DEL-6",
    )
    work = AssessmentWork.objects.create(
        delivery=delivery,
        kind=AssessmentWork.RESOURCE,
        starts_at=window.start,
        ends_at=window.end,
        days=days,
        on_site=on_site,
        charge=charged.entries[0],
        recorded_at=at,
        recorded_by=actor_name(actor),
    )
    record(
        delivery,
        kind="analysis-resource",
        at=at,
        actor=actor,
        rule="DEL-6",
        days=str(days),
        on_site=on_site,
        fee=str(fee),
        starts_at=starts_at.isoformat(),
    )
    return work
