"""Opening an incident: coverage, the response target and its due time, escalation, milestones."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import transaction

from unisupport import plainsql
from unisupport.accounts.permissions import can_open_incidents, require
from unisupport.accounts.scope import Scope
from unisupport.calendars.sla import due_on_offerings, order_and_offerings
from unisupport.catalog.selectors import current_catalog
from unisupport.domain.incident_commands import OpenIncident
from unisupport.domain.incidents import (
    IncidentKind,
    TimelineKind,
    check_channel,
    coverage,
    escalation,
)
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.service_codes import PLATFORM_TIERS
from unisupport.domain.sla import counts_until, response_matrix
from unisupport.incidents.models import Incident, Milestone, TimelineEvent
from unisupport.incidents.notify import queue_immediate
from unisupport.incidents.services.common import (
    actor_of,
    require_aware,
    response_milestones,
    timeline_event,
    warning_instant,
)
from unisupport.incidents.services.escalation import assign_from_rosters, escalation_events, senior_management
from unisupport.incidents.services.sql import write_opening
from unisupport.orders.selectors import enrolled_subscriptions, event_at

E = TypeVar("E", bound=StrEnum)


def open_incident(
    *,
    scope: Scope,
    command: OpenIncident,
    at: dt.datetime,
    actor: User | None = None,
) -> Incident:
    """Return a new incident with its agreed severity, response target, due time and escalation.

    ``actor`` is the scope's user when the caller has it already (the API's authenticated user),
    to save reading it again. The incident returned carries the timeline just written
    (``incident.timeline.all()`` reads no more), so that presenting it costs no query.
    """
    at = require_aware(at)
    if actor is not None and actor.pk != scope.user_id:
        raise ValueError("actor must be the scope's own user")
    opening = gettext_noop(
        "incidents are opened by the customer's reactive contacts and administrators, or by support staff"
    )
    require(scope, can_open_incidents, Message(opening))
    # The order (in the caller's scope) and what is in force at its site, read together; the same
    # offerings, and the same refusals (site, ORD-1), as `sla due --order` (calendars/sla.py).
    order, offered = order_and_offerings(
        scope=scope, number=command.order_number, site=command.site_country, at=at, field="at"
    )
    sev, proposed, kind_, channel_ = (
        command.severity,
        command.proposed_severity,
        command.kind,
        command.channel,
    )
    catalog = current_catalog()
    product_ = catalog.product(command.product)
    check_channel(kind=kind_, channel=channel_, offerings=offered.codes)
    covered = coverage(
        active=offered.codes,
        language=command.language,
        channel=channel_,
        source_portal=command.source_portal,
        description=command.description,
        catalog=catalog,
        subscription=command.subscription,
        enrolled=enrolled_subscriptions(order) if set(PLATFORM_TIERS) & set(offered.codes) else frozenset(),
    )
    site = offered.site
    if actor is None:
        actor = actor_of(scope)
    incident = Incident(
        organisation=order.organisation,
        order=order,
        site_country=site.country,
        site_timezone=site.timezone,
        product=product_.name,
        title=command.title,
        description=command.description,
        kind=kind_,
        channel=channel_,
        source_portal=command.source_portal,
        subscription=command.subscription,
        language=command.language,
        proposed_severity=proposed,
        severity=sev,
        option_24x7=command.option_24x7,
        production_impact=command.production_impact,
        contacts=list(command.contacts),
        callback_phone=command.callback_phone,
        callback_email=command.callback_email,
        opened_at=at,
        clock_started_at=at,
        served_by=sorted(covered.offerings),
        excluded=[e.as_dict() for e in covered.excluded],
        opened_by=actor,
    )
    due = None
    assigned: list[tuple[TimelineKind, str, User | None]] = []
    if kind_ is IncidentKind.PROBLEM_RESOLUTION:
        due = due_on_offerings(
            offered=offered,
            serving=covered.offerings,
            opened=at,
            severity=sev,
            product=product_,
            option_24x7=command.option_24x7,
        )
        incident.target_minutes = due.target.minutes
        incident.clock = due.target.clock.value
        incident.offering = due.target.offering
        incident.rules = list(due.target.rules)
        incident.response_due_at = due.due
        incident.response_counts_until = counts_until(due.due, due.clock)
        # SEV-10 Reading: an offering whose incident management is not delivered in the language
        # keeps its target (above) but escalates nothing; the escalation says so, naming SEV-10.
        esc = escalation(
            severity=sev, offerings=covered.managed, product=product_, option_24x7=command.option_24x7
        )
        incident.escalation = esc.as_dict()
        if covered.limited:
            incident.escalation["management_limited"] = [e.as_dict() for e in covered.limited]
        if covered.offerings & response_matrix().event_offerings:
            incident.event = event_at(order=order, at=at)
        assigned = assign_from_rosters(incident)
    events = [
        timeline_event(
            incident,
            kind=TimelineKind.OPENED,
            at=at,
            actor=actor,
            rule="SEV-1",
            channel=channel_.value,
            source_portal=command.source_portal,
            proposed_severity=proposed.value,
            severity=sev.value,
            product=product_.name,
            site=site.country,
        )
    ]
    events += [
        timeline_event(
            incident,
            kind=TimelineKind.OFFERING_EXCLUDED,
            at=at,
            actor=None,
            rule=excluded.rule,
            offering=excluded.offering,
            reason=excluded.reason,
        )
        for excluded in covered.excluded
    ]
    milestones: list[Milestone] = []
    notify: list[str] | None = None  # the senior management list, when INC-2 notifies it
    if due is not None:
        events.append(
            timeline_event(
                incident,
                kind=TimelineKind.TARGET_SET,
                at=at,
                actor=None,
                rule=due.target.rules[0],
                **due.target.as_dict(),
                due=due.due,
            )
        )
        if incident.escalation.get("rules") and incident.escalation.get("senior_management_notification"):
            notify = senior_management(incident.served_by)
        events += escalation_events(incident, at=at, assigned=assigned, notified=notify)
        # A new incident has no milestone to cancel: only the ones to queue.
        milestones = response_milestones(
            incident, warning_at=warning_instant(start=at, due=due.due, clock=due.clock)
        )
    # Everything above only read. The writes are one transaction: on PostgreSQL one statement
    # (no BEGIN and COMMIT to wait for), with the INC-2 e-mails in the same transaction.
    if notify is None:
        write_opening(incident, events, milestones)
    else:
        with transaction.atomic():
            write_opening(incident, events, milestones)
            queue_immediate(incident, kind="senior-management", recipients=notify, at=at)
    _keep_timeline(incident, events)
    return incident


def _keep_timeline(incident: Incident, events: list[TimelineEvent]) -> None:
    # incident.timeline.all() answers from the rows just written (ordered by instant and key).
    plainsql.keep_prefetched(incident, "timeline", events)
