"""Opening an incident: coverage, the response target and its due time, escalation, milestones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import TypeVar

from django.db import transaction

from unisupport.accounts.scope import Scope
from unisupport.catalog.selectors import current_catalog
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.incidents import (
    EVENTS,
    Channel,
    IncidentKind,
    check_channel,
    coverage,
    escalation,
)
from unisupport.domain.sla import Severity, due_at, response_target
from unisupport.incidents.models import Incident, RosterEntry, RosterRole
from unisupport.incidents.notify import queue_immediate
from unisupport.incidents.services.common import (
    OPENERS,
    Forbidden,
    actor_of,
    clock_of,
    record,
    require_aware,
    schedule_response_milestones,
    warning_instant,
)
from unisupport.orders.models import Order, Site
from unisupport.orders.selectors import event_at, offerings_at, order_for

E = TypeVar("E", bound=StrEnum)


def _enum(kind: type[E], value: object, field: str) -> E:
    try:
        return kind(str(value).strip().lower())
    except ValueError:
        choices = ", ".join(k.value for k in kind)
        raise InvalidInput(field, f"unknown {field} {value!r} (expected one of: {choices})") from None


@transaction.atomic
def open_incident(
    *,
    scope: Scope,
    order_number: str,
    site_country: str,
    severity: str,
    product: str,
    channel: str,
    title: str,
    at: dt.datetime,
    description: str = "",
    kind: str = IncidentKind.PROBLEM_RESOLUTION,
    option_24x7: bool = False,
    language: str = "en",
    source_portal: str = "",
    proposed_severity: str | None = None,
    production_impact: bool = True,
    contacts: Sequence[str] = (),
) -> Incident:
    """Return a new incident with its agreed severity, response target, due time and escalation."""
    at = require_aware(at)
    if not scope.has(*OPENERS):
        raise Forbidden(
            "incidents are opened by the customer's reactive contacts and administrators, or by support staff"
        )
    if not title.strip():
        raise InvalidInput("title", "an incident needs a title")
    try:
        order = order_for(scope, number=order_number)
    except Order.DoesNotExist:
        raise InvalidInput("order", f"no order {order_number!r}") from None
    sev = Severity.parse(severity)
    proposed = Severity.parse(proposed_severity or sev, field="proposed_severity")
    kind_ = _enum(IncidentKind, kind, "kind")
    channel_ = _enum(Channel, channel, "channel")
    catalog = current_catalog()
    product_ = catalog.product(product)
    try:
        offered = offerings_at(order=order, site_country=site_country, at=at)
    except Site.DoesNotExist:
        raise InvalidInput("site", f"order {order.number} has no site in {site_country.upper()!r}") from None
    if not offered.codes:
        # The same decision as `sla due --order` (calendars/sla.py): no active foundational, no target.
        raise RuleViolation(
            "ORD-1",
            f"no foundational package is active on agreement {order.agreement.code} on {at.date()}: "
            "reactive support needs one (and ends with it, ORD-2)",
            field="at",
        )
    check_channel(kind=kind_, channel=channel_, offerings=offered.codes)
    covered = coverage(
        active=offered.codes,
        language=language,
        channel=channel_,
        source_portal=source_portal,
        description=description,
        catalog=catalog,
    )
    site = offered.site
    incident = Incident(
        organisation_id=order.organisation_id,
        order=order,
        site_country=site.country,
        site_timezone=site.timezone,
        product=product_.name,
        title=title.strip(),
        description=description,
        kind=kind_,
        channel=channel_,
        source_portal=source_portal,
        language=language.strip().lower(),
        proposed_severity=proposed,
        severity=sev,
        option_24x7=option_24x7,
        production_impact=production_impact,
        contacts=list(contacts),
        opened_at=at,
        clock_started_at=at,
        served_by=sorted(covered.offerings),
        excluded=[e.as_dict() for e in covered.excluded],
        opened_by=actor_of(scope),
    )
    target = None
    if kind_ is IncidentKind.PROBLEM_RESOLUTION:
        target = response_target(
            offerings=covered.offerings,
            product=product_,
            severity=sev,
            option_24x7=option_24x7,
            event_window_open=offered.event_window_open,
            catalog=catalog,
        )
        incident.target_minutes = target.minutes
        incident.clock = target.clock.value
        incident.offering = target.offering
        incident.rules = list(target.rules)
        clock = clock_of(incident, target.clock.value)
        incident.response_due_at = due_at(at, target, clock)
        esc = escalation(severity=sev, offerings=covered.offerings, product=product_, option_24x7=option_24x7)
        incident.escalation = esc.as_dict()
        if covered.offerings & set(EVENTS):
            incident.event = event_at(order=order, at=at)
    incident.save()
    actor = actor_of(scope)
    record(
        incident,
        kind="opened",
        at=at,
        actor=actor,
        rule="SEV-1",
        channel=channel_.value,
        source_portal=source_portal,
        proposed_severity=proposed.value,
        severity=sev.value,
        product=product_.name,
        site=site.country,
    )
    for excluded in covered.excluded:
        record(
            incident,
            kind="offering-excluded",
            at=at,
            actor=None,
            rule=excluded.rule,
            offering=excluded.offering,
            reason=excluded.reason,
        )
    if target is not None:
        record(
            incident,
            kind="target-set",
            at=at,
            actor=None,
            rule=target.rules[0],
            **target.as_dict(),
            due=incident.response_due_at,
        )
        _escalate(incident, at=at)
        assert incident.response_due_at is not None
        schedule_response_milestones(
            incident,
            warning_at=warning_instant(start=at, due=incident.response_due_at, clock=clock),
        )
    return incident


def _on_roster(role: RosterRole) -> RosterEntry | None:
    return (
        RosterEntry.objects.filter(role=role, active=True)
        .select_related("user")
        .order_by("priority", "pk")
        .first()
    )


def _escalate(incident: Incident, *, at: dt.datetime) -> None:
    """Record and act on the escalation the severity starts by itself (INC-2..INC-5, INC-9)."""
    flags = incident.escalation
    if not flags.get("rules"):
        return
    record(incident, kind="escalation", at=at, actor=None, rule=flags["rules"][0], **flags)
    # (flag, roster, the incident's field, timeline kind, rule)
    for flag, role, field, kind, rule in (
        ("senior_incident_manager", RosterRole.SENIOR_INCIDENT_MANAGER, "incident_manager", "incident-manager-assigned", "INC-4"),
        ("critical_situation_resource", RosterRole.CRITICAL_SITUATION, "critical_situation_resource", "critical-situation-resource", "INC-2"),
    ):  # fmt: skip
        if not flags.get(flag):
            continue
        entry = _on_roster(role)
        if entry is not None:
            setattr(incident, field, entry.user)
        record(
            incident,
            kind=kind,
            at=at,
            actor=None,
            rule=rule,
            user=entry.user.get_username() if entry else None,
        )
    if flags.get("senior_management_notification"):
        recipients = [
            e.user.email
            for e in RosterEntry.objects.filter(
                role=RosterRole.SENIOR_MANAGEMENT, active=True
            ).select_related("user")
            if e.user.email
        ]
        queue_immediate(incident, kind="senior-management", recipients=recipients, at=at)
        record(
            incident,
            kind="senior-management-notified",
            at=at,
            actor=None,
            rule="INC-2",
            recipients=recipients,
        )
    incident.save(update_fields=["incident_manager", "critical_situation_resource"])
