"""Writes for proactive deliveries: request (and pay), schedule, reschedule, cancel, deliver.

Each checks the caller's permission, reads what it needs, asks the domain (domain/deliveries.py,
domain/fees.py) and writes in one transaction: the delivery, its payment or refund in the ledger,
and one timeline event naming the rule that decided. A refusal writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

from babel.languages import get_official_languages
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Model

from unisupport import plainsql
from unisupport.accounts.models import EngineerProfile
from unisupport.accounts.permissions import (
    can_deliver,
    can_request_deliveries,
    can_schedule_deliveries,
    require,
)
from unisupport.accounts.roles import Role
from unisupport.accounts.scope import Scope
from unisupport.calendars.selectors import calendar_for_site
from unisupport.catalog.selectors import current_catalog
from unisupport.deliveries import deliverables, timeline
from unisupport.deliveries.engineers import check_engineer_available
from unisupport.deliveries.models import Delivery, DeliveryEvent, Registration
from unisupport.deliveries.notify import announce
from unisupport.deliveries.selectors import site_zone
from unisupport.domain import rules
from unisupport.domain.catalog import Service
from unisupport.domain.deliveries import (
    CancelledBy,
    DeliveryRequest,
    DeliveryState,
    Payment,
    bills_travel,
    booking,
    check_delivery_day,
    check_engineer,
    check_language,
    check_registration,
    check_transition,
)
from unisupport.domain.delivery_prices import agreed_unit_price, check_billable, money_cost
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.fees import (
    CancellationFee,
    Cost,
    customer_cancellation,
    is_best_effort,
    reschedule_fee,
    vendor_cancellation,
)
from unisupport.domain.ledger_commands import Consumption, Redemption
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Money
from unisupport.domain.workshops import check_subscription
from unisupport.ledger import services as ledger
from unisupport.ledger import spend_services as spending
from unisupport.ledger.order_facts import OrderFacts, order_facts
from unisupport.orders.models import OrderLine
from unisupport.orders.policy import current_policy
from unisupport.orders.selectors import has_active_subscription, priced_lines

REQUEST_REFUSAL = Message(
    gettext_noop("only the customer's support services administrator or the vendor request deliveries")
)
SCHEDULE_REFUSAL = Message(
    gettext_noop("only the vendor's CSAMs, schedulers and back office schedule deliveries")
)
DELIVER_REFUSAL = Message(gettext_noop("only the vendor's staff record a delivery as delivered"))

# The delivery service posts the payment of a request it has accepted: the requester's own
# permission is checked above (a customer may request, not post to the ledger at will).
PAYMENT_DESK = Scope(None, frozenset(), frozenset({Role.BACK_OFFICE}))

UNITS = {Payment.CREDITS: "credits", Payment.HOURS: "hours"}  # the allocation and money: the currency


def _deliverable(code: str) -> Service:
    record = current_catalog().service(code, field="service")
    if not record.is_requestable:
        raise InvalidInput(
            "service",
            Message(
                gettext_noop(
                    "{service} is not a proactive service or an enhanced solution: it is not requested"
                ),
                service=record.code,
            ),
        )
    return record


def _facts_of(fee: CancellationFee) -> dict[str, object]:
    return {k: v for k, v in fee.as_dict().items() if k != "rule"}


def _site_languages(country: str) -> tuple[str, ...]:
    return tuple(get_official_languages(country, de_facto=True))


@transaction.atomic
def request_delivery(
    *, scope: Scope, command: DeliveryRequest, at: dt.datetime, actor: User | None = None
) -> Delivery:
    """Return the delivery requested, its cost reserved on the paying account (CRD-1/CRD-2, HRS-1/HRS-2).

    DEL-1: a request later than 60 days before the order's end (the site's date) is accepted as
    best effort, and flagged so. DEL-8: in the site's language or English.
    """
    require(scope, can_request_deliveries, REQUEST_REFUSAL, field=None)
    # The cached facts (site, term, organisation); if the payment finds the order amended since
    # (another process's ORD-9 version, checked under the account's lock), they are read again below.
    facts = order_facts(number=command.order, cached=True)
    if not scope.sees(facts.order.organisation_id):
        raise InvalidInput("order", Message(gettext_noop("no order {order!r}"), order=command.order))
    country = facts.site(command.site)
    record = _deliverable(command.service)
    day = facts.open_on(facts.local_date(country, at))
    check_subscription(
        active=lambda: has_active_subscription(facts.order.organisation_id, on=day), service=record.code
    )
    languages = _site_languages(country)
    language = check_language(
        command.language or (languages[0] if languages else "en"), site_languages=languages
    )
    delivery = Delivery(
        organisation_id=facts.order.organisation_id,
        order=facts.order,
        site=country,
        service_id=record.code,
        quantity=command.quantity,
        pay=command.pay.value,
        unit=UNITS.get(command.pay, facts.version.currency),
        language=language,
        on_site=command.on_site,
        # DEL-5: on site, travel is billed unless the order sold the service as on-site (prepaid).
        travel_and_expenses=bills_travel(
            on_site=command.on_site,
            prepaid_on_site=command.on_site and _sold_on_site(facts, country=country, service=record.code),
        ),
        requested_at=at,
        requested_by=actor,
    )
    lead_days = current_policy().request_lead_days

    def requested(cost: Decimal, *, term_end: dt.date, rule: str) -> DeliveryEvent:
        # The delivery as its payment leaves it, and its first event (DEL-1 when best effort).
        delivery.cost = cost
        delivery.best_effort = is_best_effort(day, order_end=term_end, lead_days=lead_days)
        return timeline.event(
            delivery,
            kind="requested",
            at=at,
            actor=actor,
            rule="DEL-1" if delivery.best_effort else rule,
            cost=str(cost),
            unit=delivery.unit,
            best_effort=delivery.best_effort,
            language=language,
            on_site=command.on_site,
            travel_and_expenses="billed at cost (DEL-5)" if delivery.travel_and_expenses else None,
        )

    def chain(cost: Decimal, checked: OrderFacts) -> list[tuple[Model, str]]:
        # Written by the debit's own statement when the balance covers it (PostgreSQL): the hot
        # account stays locked for one round trip. ``checked`` are the facts the statement checks
        # (fresh ones after an amendment, ORD-9): DEL-1 is judged on their term.
        return [
            (delivery, "payment_id"),
            (requested(cost, term_end=checked.term.end, rule="CRD-1"), "delivery_id"),
        ]

    posted = _pay(
        command, facts=facts, cost=_money_cost(scope, command, facts, record), at=at, actor=actor, chain=chain
    )
    (entry,) = posted.entries
    if posted.chained:
        delivery.payment = entry
        return delivery
    if entry.order_version != facts.version.version:
        facts = order_facts(number=command.order)  # the version the payment was posted on
    event = requested(abs(entry.amount), term_end=facts.term.end, rule=posted.rule)
    delivery.payment = entry
    plainsql.insert([delivery])
    event.delivery = delivery
    plainsql.insert([event])
    return delivery


def _sold_on_site(facts: OrderFacts, *, country: str, service: str) -> bool:
    """Return whether the order's current version sells ``service`` at ``country`` as on-site (DEL-5)."""
    return OrderLine.objects.filter(
        site__order_version=facts.version, site__country=country, service_id=service, on_site=True
    ).exists()


def _money_cost(scope: Scope, command: DeliveryRequest, facts: OrderFacts, record: Service) -> Money | None:
    """Return the cost in the order's currency of a request paid with the allocation or money, else None."""
    if command.pay not in (Payment.ALLOCATION, Payment.MONEY):
        if command.price is not None:
            raise InvalidInput(
                "price", Message(gettext_noop("a price is given only for the allocation or money"))
            )
        return None
    if command.pay is Payment.MONEY:
        check_billable(record)
    if command.price is not None and not can_schedule_deliveries(scope):
        raise InvalidInput("price", Message(gettext_noop("only the vendor quotes a price")))
    lines = priced_lines(facts.version, site=command.site, service=record.code).get(
        (command.site, record.code), []
    )
    return money_cost(
        service=record.code,
        site=command.site,
        quantity=command.quantity,
        agreed=agreed_unit_price(lines, currency=facts.version.currency),
        quoted=command.price,
        currency=facts.version.currency,
    )


def _pay(
    command: DeliveryRequest,
    *,
    facts: OrderFacts,
    cost: Money | None,
    at: dt.datetime,
    actor: User | None,
    chain: Callable[[Decimal, OrderFacts], list[tuple[Model, str]]] | None = None,
) -> ledger.Posting:
    reason = f"delivery request: {command.service}"
    if cost is not None:
        spend = spending.spend_allocation if command.pay is Payment.ALLOCATION else spending.bill_service
        return spend(
            scope=PAYMENT_DESK,
            order=facts.number,
            site=command.site,
            service=command.service,
            cost=cost,
            at=at,
            actor=actor,
            reason=reason,
        )
    if command.pay is Payment.HOURS:
        return ledger.consume_hours(
            scope=PAYMENT_DESK,
            command=Consumption.parse(
                order=facts.number,
                site=command.site,
                service=command.service,
                hours=command.quantity,
                reason=reason,
            ),
            at=at,
            actor=actor,
        )
    return ledger.redeem_credits(
        scope=PAYMENT_DESK,
        command=Redemption.parse(
            order=facts.number,
            site=command.site,
            service=command.service,
            quantity=command.quantity,
            reason=reason,
        ),
        at=at,
        actor=actor,
        chain=chain,
    )


def _locked(scope: Scope, delivery_id: int) -> Delivery:
    found = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("order", "payment")
        .filter(pk=delivery_id)
        .first()
    )
    if found is None or not scope.sees(found.organisation_id):
        raise NotFound(Message(gettext_noop("no delivery D-{id}"), id=delivery_id), field="delivery")
    return found


def _day_allowed(delivery: Delivery, day: dt.date) -> dt.date:
    facts = order_facts(number=delivery.order.number)
    site = facts.sites[delivery.site]
    calendar = calendar_for_site(country=delivery.site, timezone=site.timezone or None)
    return check_delivery_day(day, term=facts.term, calendar=calendar)


def _check_engineer(
    delivery: Delivery, engineer: User, *, on: dt.date, start: dt.time | None, hours: Decimal | None
) -> None:
    """Refuse an engineer without the service or the language, already booked, away or whose own site
    does not work then (DEL-4, DEL-8)."""
    profile = EngineerProfile.objects.select_related("user").filter(user=engineer).first()
    others = (
        Delivery.objects.select_related("order")
        .filter(
            engineer=engineer,
            state=DeliveryState.SCHEDULED.value,
            scheduled_on__range=(on - dt.timedelta(days=1), on + dt.timedelta(days=1)),
        )
        .exclude(pk=delivery.pk)
    )
    check_engineer(
        name=engineer.get_username(),
        skills=profile.services if profile else (),
        languages=profile.languages if profile else (),
        service=delivery.service_id,
        language=delivery.language,
        wanted=booking(on, start=start, hours=hours, zone=site_zone(delivery)),
        booked=[
            booking(d.scheduled_on, start=d.start, hours=d.hours, zone=site_zone(d))
            for d in others
            if d.scheduled_on is not None
        ],
    )
    if profile is not None:  # (without one, check_engineer has refused them: no skills, DEL-4)
        check_engineer_available(profile, on=on)


@transaction.atomic
def schedule_delivery(
    *,
    scope: Scope,
    delivery_id: int,
    on: dt.date,
    at: dt.datetime,
    start: dt.time | None = None,
    hours: Decimal | None = None,
    engineer: User | None = None,
    actor: User | None = None,
) -> Delivery:
    """Return the delivery scheduled on the site's date ``on``: within the term (ORD-1), on a business
    day of the site (SEV-7's calendar), as resources allow (DEL-4)."""
    require(scope, can_schedule_deliveries, SCHEDULE_REFUSAL, field=None)
    delivery = _locked(scope, delivery_id)
    if delivery.state == DeliveryState.SCHEDULED:
        raise InvalidInput(
            "delivery", Message(gettext_noop("D-{id} is already scheduled: reschedule it"), id=delivery.pk)
        )
    check_transition(DeliveryState(delivery.state), DeliveryState.SCHEDULED)
    delivery.scheduled_on = _day_allowed(delivery, on)
    if engineer is not None:
        _check_engineer(delivery, engineer, on=on, start=start, hours=hours)
    delivery.start, delivery.hours, delivery.engineer = start, hours, engineer
    delivery.state = DeliveryState.SCHEDULED.value
    delivery.save()
    timeline.record(
        delivery,
        kind="scheduled",
        at=at,
        actor=actor,
        rule="DEL-4",
        on=on,
        start=start,
        hours=None if hours is None else str(hours),
        engineer=engineer.get_username() if engineer else None,
    )
    announce(delivery, kind="scheduled", at=at)
    return delivery


@transaction.atomic
def reschedule_delivery(
    *, scope: Scope, delivery_id: int, on: dt.date, at: dt.datetime, actor: User | None = None
) -> tuple[Delivery, CancellationFee]:
    """Return the delivery moved to ``on`` and the fee: the first move is free (DEL-3), later ones pay
    DEL-2's fee from the account that paid (DEL-2 Product rule); the payment stays reserved."""
    delivery = _locked(scope, delivery_id)
    _require_party(scope, delivery)
    if delivery.state != DeliveryState.SCHEDULED or delivery.scheduled_on is None:
        raise InvalidInput(
            "delivery", Message(gettext_noop("D-{id} is not scheduled: schedule it first"), id=delivery.pk)
        )
    previous = delivery.scheduled_on
    _day_allowed(delivery, on)
    if delivery.engineer is not None:
        _check_engineer(delivery, delivery.engineer, on=on, start=delivery.start, hours=delivery.hours)
    fee, _ = ledger.charge_payment_fee(
        scope=PAYMENT_DESK,
        entry=delivery.payment.uid,
        decide=lambda cost, day: reschedule_fee(
            cost, delivery=previous, on=day, previous_reschedules=delivery.reschedules
        ),
        at=at,
        actor=actor,
        cause=f"delivery:D-{delivery.pk}:reschedule",
    )
    delivery.scheduled_on, delivery.reschedules = on, delivery.reschedules + 1
    delivery.save(update_fields=["scheduled_on", "reschedules"])
    announce(delivery, kind="rescheduled", at=at, fee=fee)
    timeline.record(
        delivery,
        kind="rescheduled",
        at=at,
        actor=actor,
        rule=fee.rule,
        previous=previous,
        on=on,
        **_facts_of(fee),
    )
    return delivery, fee


def _require_party(scope: Scope, delivery: Delivery) -> None:
    # The customer's administrator acts on their own organisation's deliveries; the vendor on any.
    if not can_schedule_deliveries(scope):
        require(scope, can_request_deliveries, REQUEST_REFUSAL, field=None)


@transaction.atomic
def cancel_delivery(
    *,
    scope: Scope,
    delivery_id: int,
    by: CancelledBy,
    at: dt.datetime,
    reason: str = "",
    actor: User | None = None,
) -> tuple[Delivery, CancellationFee]:
    """Return the delivery cancelled and the fee kept: DEL-2 by notice for the customer (nothing before
    it is scheduled), everything returned when the vendor cancels (DEL-4); the rest is refunded."""
    delivery = _locked(scope, delivery_id)
    if by is CancelledBy.VENDOR:
        require(scope, can_schedule_deliveries, SCHEDULE_REFUSAL, field=None)
    else:
        _require_party(scope, delivery)
    check_transition(DeliveryState(delivery.state), DeliveryState.CANCELLED)
    fee, _ = ledger.refund_payment(
        scope=PAYMENT_DESK,
        entry=delivery.payment.uid,
        decide=_cancellation(delivery, by),
        at=at,
        actor=actor,
        cause=f"delivery:D-{delivery.pk}:cancel",
    )
    delivery.state, delivery.cancelled_by, delivery.reason = DeliveryState.CANCELLED.value, by.value, reason
    delivery.save(update_fields=["state", "cancelled_by", "reason"])
    announce(delivery, kind="cancelled", at=at, fee=fee)
    timeline.record(
        delivery,
        kind="cancelled",
        at=at,
        actor=actor,
        rule=fee.rule,
        by=by.value,
        reason=reason,
        **_facts_of(fee),
    )
    return delivery, fee


@transaction.atomic
def refuse_delivery(
    *,
    scope: Scope,
    delivery_id: int,
    rule: str,
    reason: str,
    at: dt.datetime,
    actor: User | None = None,
) -> tuple[Delivery, CancellationFee]:
    """Return the request refused by the vendor under ``rule`` (e.g. DEL-4: no resource; MC-11: not
    deliverable at that site), with everything paid returned; only a request not yet scheduled."""
    require(scope, can_schedule_deliveries, SCHEDULE_REFUSAL, field=None)
    cited = rules.rule(rule).id
    if not str(reason or "").strip():
        raise InvalidInput("reason", Message(gettext_noop("say why the request is refused")))
    delivery = _locked(scope, delivery_id)
    check_transition(DeliveryState(delivery.state), DeliveryState.REFUSED)
    fee, _ = ledger.refund_payment(
        scope=PAYMENT_DESK,
        entry=delivery.payment.uid,
        decide=lambda cost, day: vendor_cancellation(cost),
        at=at,
        actor=actor,
        cause=f"delivery:D-{delivery.pk}:refuse",
    )
    delivery.state, delivery.refusal_rule, delivery.reason = (
        DeliveryState.REFUSED.value,
        cited,
        reason.strip(),
    )
    delivery.save(update_fields=["state", "refusal_rule", "reason"])
    announce(delivery, kind="refused", at=at, fee=fee)
    timeline.record(
        delivery, kind="refused", at=at, actor=actor, rule=cited, reason=delivery.reason, **_facts_of(fee)
    )
    return delivery, fee


def _cancellation(delivery: Delivery, by: CancelledBy) -> Callable[[Cost, dt.date], CancellationFee]:
    if by is CancelledBy.VENDOR:
        return lambda cost, day: vendor_cancellation(cost)
    scheduled = delivery.scheduled_on
    return lambda cost, day: customer_cancellation(cost, delivery=scheduled, on=day)


@transaction.atomic
def deliver(
    *,
    scope: Scope,
    delivery_id: int,
    at: dt.datetime,
    actor: User | None = None,
    files: Sequence[deliverables.Upload] = (),
) -> Delivery:
    """Return the delivery delivered: its payment, reserved at the request, is what it consumed; the
    ``files`` it leaves (recordings, reports) are its deliverables (DEL-7)."""
    require(scope, can_deliver, DELIVER_REFUSAL, field=None)
    accepted = deliverables.checked(files)  # a bad file refuses the delivery before anything is written
    delivery = _locked(scope, delivery_id)
    check_transition(DeliveryState(delivery.state), DeliveryState.DELIVERED)
    delivery.state, delivery.delivered_at = DeliveryState.DELIVERED.value, at
    delivery.save(update_fields=["state", "delivered_at"])
    stored = deliverables.attach(delivery, accepted, at=at, actor=actor)
    timeline.record(
        delivery,
        kind="delivered",
        at=at,
        actor=actor,
        rule=delivery.payment.rule,
        **({"files": [d.name for d in stored]} if stored else {}),
    )
    announce(delivery, kind="delivered", at=at)
    return delivery


@transaction.atomic
def register_participant(
    *,
    scope: Scope,
    delivery_id: int,
    name: str,
    email: str,
    consents_recording: bool,
    consents_name_visible: bool,
    at: dt.datetime,
    actor: User | None = None,
) -> Registration:
    """Return the participant registered for a workshop: with both consents, within the participants
    paid for (DEL-7); a second registration of the same e-mail is refused."""
    delivery = _locked(scope, delivery_id)
    _require_party(scope, delivery)
    if delivery.state not in (DeliveryState.REQUESTED.value, DeliveryState.SCHEDULED.value):
        raise InvalidInput("delivery", Message(gettext_noop("D-{id} is no longer open"), id=delivery.pk))
    if not str(name or "").strip():
        raise InvalidInput("name", Message(gettext_noop("the participant's name is required")))
    address = str(email or "").strip().lower()
    if "@" not in address:
        raise InvalidInput(
            "email", Message(gettext_noop("expected an e-mail address, got {value!r}"), value=email)
        )
    record = current_catalog().service(delivery.service_id, field="service")
    paid = int(delivery.quantity)
    check_registration(
        unit=record.unit,
        paid_participants=min(paid, delivery.capacity) if delivery.capacity else paid,
        registered=delivery.registrations.count(),
        consents_recording=consents_recording,
        consents_name_visible=consents_name_visible,
    )
    if delivery.registrations.filter(email=address).exists():
        raise InvalidInput("email", Message(gettext_noop("{email} is already registered"), email=address))
    registration = Registration.objects.create(
        delivery=delivery, name=name.strip(), email=address, consented_at=at
    )
    timeline.record(delivery, kind="registered", at=at, actor=actor, rule="DEL-7", participant=address)
    return registration
