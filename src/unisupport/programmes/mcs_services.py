"""Writes of MCS for Azure Platform (Plus): monitoring scenarios and fired monitors (MCS-3), service
improvement plans (MCS-4), enrolled subscriptions (MCS-6), MSCIR work
before signature (MCS-9). Outage declarations are in programmes/outages.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from unisupport.accounts.permissions import (
    can_manage_orders,
    can_manage_programmes,
    can_run_programmes,
    require,
)
from unisupport.accounts.scope import Scope
from unisupport.domain.errors import InvalidInput, NotFound, RuleViolation
from unisupport.domain.incidents import IncidentState
from unisupport.domain.mcs import check_new_scenario, check_pre_signature, check_sip, require_platform
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.texts import clean_text
from unisupport.incidents.models import Incident
from unisupport.ledger.charges import charge_work
from unisupport.ledger.models import LedgerEntry
from unisupport.orders.models import EnrolledSubscription, Order, OrderVersion
from unisupport.orders.selectors import host_zone
from unisupport.programmes import notify
from unisupport.programmes.models import (
    ImprovementPlan,
    MonitorAlert,
    MonitoringScenario,
    PreSignatureAuthorisation,
)
from unisupport.programmes.services import MANAGER_REFUSAL, RUNNER_REFUSAL, serving_offerings

TEXT_LIMIT = 200


def _text(value: object, *, field: str, required: bool = False, limit: int = TEXT_LIMIT) -> str:
    return clean_text(value, field=field, limit=limit, required=required)


def locked_order(scope: Scope, number: object) -> tuple[Order, OrderVersion]:
    """Return the order ``number`` (under a row lock, so that two requests count one after the other)
    and its current version, or raise InvalidInput naming ``order``."""
    found = Order.objects.select_for_update().filter(number=str(number or "").strip()).first()
    if found is None or not scope.sees(found.organisation_id):
        raise InvalidInput("order", Message(gettext_noop("no order {order!r}"), order=number))
    return found, found.versions.get(version=found.current_version)


@transaction.atomic
def add_scenario(
    *,
    scope: Scope,
    order: str,
    name: str,
    at: dt.datetime,
    monitors: str = "",
    thresholds: str = "",
    actor: str = "",
) -> MonitoringScenario:
    """Return the monitoring scenario agreed on an MCS Plus order; the 8th is refused (MCS-3)."""
    require(scope, can_manage_programmes, MANAGER_REFUSAL, field=None)
    found, version = locked_order(scope, order)
    title = _text(name, field="name", required=True)
    check_new_scenario(
        offerings=serving_offerings(version),
        existing=MonitoringScenario.objects.filter(order=found).count(),
    )
    return MonitoringScenario.objects.create(
        organisation_id=found.organisation_id,
        order=found,
        name=title,
        monitors=_text(monitors, field="monitors", limit=4000),
        thresholds=_text(thresholds, field="thresholds", limit=4000),
        created_at=at,
        created_by=actor,
    )


@transaction.atomic
def record_fired_monitor(
    *, scope: Scope, scenario_id: int, at: dt.datetime, summary: str = "", actor: str = ""
) -> MonitorAlert:
    """Return the fired monitor recorded: linked to the order's open incident, or, with none open, the
    customer asked (by e-mail, once) to open one (MCS-3)."""
    require(scope, can_manage_programmes, MANAGER_REFUSAL, field=None)
    scenario = MonitoringScenario.objects.select_related("order").filter(pk=scenario_id).first()
    if scenario is None:
        raise NotFound(
            Message(gettext_noop("no monitoring scenario S-{id}"), id=scenario_id), field="scenario"
        )
    told = _text(summary, field="summary", limit=500)
    incident = (
        Incident.objects.filter(order=scenario.order)
        .exclude(state=IncidentState.CLOSED)
        .order_by("-opened_at")
        .first()
    )
    alert = MonitorAlert.objects.create(
        organisation_id=scenario.organisation_id,
        scenario=scenario,
        fired_at=at,
        summary=told,
        incident=incident,
        customer_asked_at=None if incident else at,
        recorded_by=actor,
    )
    if incident is None:
        notify.ask_for_incident(alert, at=at)
    return alert


@transaction.atomic
def request_sip(
    *, scope: Scope, order: str, at: dt.datetime, topic: str = "", actor: str = ""
) -> ImprovementPlan:
    """Return the service improvement plan requested; a third within 12 months is refused with
    MCS-4, naming the day the next one becomes possible."""
    require(scope, can_run_programmes, RUNNER_REFUSAL, field=None)
    found, version = locked_order(scope, order)
    on = at.astimezone(_zone(version)).date()
    check_sip(
        offerings=serving_offerings(version),
        requested=list(ImprovementPlan.objects.filter(order=found).values_list("requested_on", flat=True)),
        on=on,
        term=(version.start, version.end),
    )
    return ImprovementPlan.objects.create(
        organisation_id=found.organisation_id,
        order=found,
        requested_on=on,
        requested_at=at,
        requested_by=actor,
        topic=_text(topic, field="topic", limit=300),
    )


def _zone(version: OrderVersion) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(host_zone(version))


@transaction.atomic
def enrol_subscription(
    *,
    scope: Scope,
    order: str,
    subscription: str,
    at: dt.datetime,
    name: str = "",
    region: str = "",
    actor: str = "",
) -> EnrolledSubscription:
    """Return the subscription enrolled on an MCS for Azure Platform order: only enrolled ones are
    prioritised under MCS (MCS-6)."""
    require(scope, can_manage_orders, MANAGER_REFUSAL, field=None)
    found, version = locked_order(scope, order)
    require_platform(serving_offerings(version), rule="MCS-6")
    code = _text(subscription, field="subscription", required=True, limit=64).lower()
    row, _ = EnrolledSubscription.objects.update_or_create(
        order=found,
        subscription_id=code,
        defaults={
            "organisation_id": found.organisation_id,
            "name": _text(name, field="name"),
            "region": _text(region, field="region", limit=60).lower(),
            "enrolled_at": at,
            "enrolled_by": actor,
        },
    )
    return row


@transaction.atomic
def authorise_before_signature(
    *,
    scope: Scope,
    order: str,
    authorised_by: str,
    started_on: dt.date,
    at: dt.datetime,
    note: str = "",
    actor: str = "",
) -> PreSignatureAuthorisation:
    """Return the customer's authorisation, recorded, to start MSCIR before its contract is signed (MCS-9)."""
    require(scope, can_manage_programmes, MANAGER_REFUSAL, field=None)
    found, version = locked_order(scope, order)
    who = _text(authorised_by, field="authorised_by", required=True)
    check_pre_signature(
        offerings=serving_offerings(version), started_on=started_on, executed_on=version.signed
    )
    return PreSignatureAuthorisation.objects.create(
        organisation_id=found.organisation_id,
        order=found,
        authorised_by=who,
        authorised_at=at,
        recorded_by=actor,
        note=_text(note, field="note", limit=2000),
    )


@transaction.atomic
def bill_before_signature(
    *, scope: Scope, order: str, amount: Decimal, at: dt.datetime, note: str = "", actor: str = ""
) -> list[LedgerEntry]:
    """Return the entry billing MSCIR work done before signature to what the order owes (MCS-9);
    refused without the customer's recorded authorisation."""
    require(scope, can_manage_programmes, MANAGER_REFUSAL, field=None)
    found, _ = locked_order(scope, order)
    if not PreSignatureAuthorisation.objects.filter(order=found).exists():
        raise RuleViolation(
            "MCS-9",
            Message(gettext_noop("no authorisation of the customer to start before signature is recorded")),
            field="order",
        )
    if amount <= 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidInput("amount", Message(gettext_noop("a positive amount with at most two decimals")))
    return charge_work(
        order=found.number,
        amount=amount,
        rule="MCS-9",
        at=at,
        cause=f"mscir-before-signature:{found.number}:{at.isoformat()}",
        actor=actor,
        reason=_text(note, field="note", limit=500),
    )
