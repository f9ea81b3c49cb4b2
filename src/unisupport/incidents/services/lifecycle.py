"""What happens to an open incident: first response, severity changes, customer obligations, states."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from unisupport.accounts.permissions import can_follow_up_incidents, require
from unisupport.accounts.scope import Scope
from unisupport.catalog.selectors import current_catalog
from unisupport.domain.calendar import TWENTY_FOUR_SEVEN
from unisupport.domain.errors import InvalidInput
from unisupport.domain.incidents import (
    IncidentKind,
    IncidentState,
    TimelineKind,
    check_advisory_time,
    check_transition,
)
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Hours
from unisupport.domain.severity import DowngradeReason, check_severity_change, obligation_due, rebased_due
from unisupport.domain.sla import Severity, counts_until, response_target
from unisupport.incidents.models import AdvisoryTimeEntry, Incident, Milestone, MilestoneKind, MilestoneState
from unisupport.incidents.selectors import incident_for
from unisupport.incidents.services.common import (
    FOLLOW_UP_REFUSAL,
    actor_of,
    clock_of,
    record,
    refuse_if_closed,
    require_aware,
    require_worker,
    schedule_response_milestones,
    site_calendar,
    warning_instant,
)
from unisupport.incidents.services.customer_mail import tell_customer
from unisupport.incidents.services.reviews import move_rca2_due

FIRST_RESPONSE_CHANNELS = (
    "phone",
    "email",
)  # « contact initial, non automatisé par téléphone ou par e-mail »


def _locked(scope: Scope, incident_id: int) -> Incident:
    return incident_for(scope, incident_id=incident_id, for_update=True)


@transaction.atomic
def respond(
    *, scope: Scope, incident_id: int, channel: str, at: dt.datetime, automated: bool = False
) -> Incident:
    """Return the incident after a contact with the customer; the first non-automated one stops the clock."""
    at = require_aware(at)
    require_worker(scope)
    incident = _locked(scope, incident_id)
    refuse_if_closed(incident, Message(gettext_noop("respond")))
    if channel not in FIRST_RESPONSE_CHANNELS:
        raise InvalidInput(
            "channel",
            Message(
                gettext_noop("a first response is a contact by phone or e-mail, not {channel!r}"),
                channel=channel,
            ),
        )
    actor = actor_of(scope)
    if automated:
        record(
            incident,
            kind=TimelineKind.AUTOMATIC_ACKNOWLEDGEMENT,
            at=at,
            actor=actor,
            rule="SEV-2",
            channel=channel,
            note=gettext_noop("an automatic acknowledgement does not stop the response clock"),
        )
        return incident
    if incident.first_response_at is not None:
        record(incident, kind=TimelineKind.CONTACT, at=at, actor=actor, channel=channel)
        return incident
    if at < incident.opened_at:
        raise InvalidInput(
            "at", Message(gettext_noop("the first response cannot come before the incident was opened"))
        )
    incident.first_response_at = at
    incident.first_response_channel = channel
    if incident.response_met is None and incident.response_due_at is not None:
        # SEV-2/SEV-7: met when no more business time than the target elapsed (domain.sla.counts_until).
        incident.response_met = at <= (incident.response_counts_until or incident.response_due_at)
        incident.severity_at_due = incident.severity
    if incident.state == IncidentState.NEW:
        incident.state = IncidentState.IN_PROGRESS
    if incident.assigned_engineer is None and actor is not None:
        incident.assigned_engineer = actor
    incident.save()
    schedule_response_milestones(incident, warning_at=None)
    record(
        incident,
        kind=TimelineKind.FIRST_RESPONSE,
        at=at,
        actor=actor,
        rule="SEV-2",
        channel=channel,
        met=incident.response_met,
        due=incident.response_due_at,
    )
    tell_customer(incident, event="responded", at=at, channel=channel)
    return incident


@transaction.atomic
def change_severity(
    *,
    scope: Scope,
    incident_id: int,
    to: str,
    at: dt.datetime,
    reason: str | None = None,
    option_24x7: bool | None = None,
) -> Incident:
    """Return the incident after a severity change (SEV-8): a downgrade needs its reason; the clock carries on."""
    at = require_aware(at)
    require_worker(scope)
    incident = _locked(scope, incident_id)
    refuse_if_closed(incident, Message(gettext_noop("change its severity")))
    if incident.kind != IncidentKind.PROBLEM_RESOLUTION:
        raise InvalidInput("to", Message(gettext_noop("advisory requests have no severity target to change")))
    current = Severity(incident.severity)
    target_sev = Severity.parse(to, field="to")
    accepted = check_severity_change(
        current=current, target=target_sev, reason=reason, offering=incident.offering
    )
    keep_24x7 = incident.option_24x7 if option_24x7 is None else option_24x7
    keep_24x7 = keep_24x7 and target_sev is Severity.B
    catalog = current_catalog()
    new = response_target(
        offerings=incident.served_by,
        product=catalog.product(incident.product),
        severity=target_sev,
        option_24x7=keep_24x7,
        event_window_open=incident.event_id is not None,
        catalog=catalog,
    )
    old_due = incident.response_counts_until or incident.response_due_at
    pending = incident.first_response_at is None and incident.response_met is None
    already_due = old_due is not None and old_due <= at
    if pending and already_due:
        # SEV-8 Reading: a first response already due is judged against the severity in force
        # when it fell due; the breach stands.
        incident.response_met = False
        incident.severity_at_due = incident.severity
    old_clock = clock_of(incident)
    new_clock = clock_of(incident, new.clock)
    if pending and not already_due:
        incident.response_due_at, incident.elapsed_before = rebased_due(
            clock_started=incident.clock_started_at,
            changed_at=at,
            old_clock=old_clock,
            new_clock=new_clock,
            new_target=new.duration,
            elapsed_before=incident.elapsed_before,
        )
        due = incident.response_due_at
        # A target already used up is due now; any other counts until the business time runs out.
        incident.response_counts_until = due if due == at else counts_until(due, new_clock)
        incident.clock_started_at = at
    incident.severity = target_sev.value
    incident.option_24x7 = keep_24x7
    incident.target_minutes = new.minutes
    incident.clock = new.clock.value
    incident.offering = new.offering
    incident.rules = list(new.rules)
    incident.save()
    if pending and not already_due:
        assert incident.response_due_at is not None
        schedule_response_milestones(
            incident, warning_at=warning_instant(start=at, due=incident.response_due_at, clock=new_clock)
        )
    record(
        incident,
        kind=TimelineKind.SEVERITY_CHANGED,
        at=at,
        actor=actor_of(scope),
        rule="SEV-8",
        previous=current.value,
        severity=target_sev.value,
        reason=accepted.value if accepted else None,
        downgrade=accepted is not None,
        sev9_missed=(
            incident.timeline.filter(kind=TimelineKind.CUSTOMER_OBLIGATION_MISSED).exists()
            if accepted is DowngradeReason.OBLIGATION_MISSED
            else None
        ),
        due=incident.response_due_at,
        target_minutes=new.minutes,
        clock=new.clock.value,
        offering=new.offering,
    )
    tell_customer(incident, event="severity", at=at, previous=current.value, severity=target_sev.value)
    return incident


@transaction.atomic
def set_state(*, scope: Scope, incident_id: int, state: str, at: dt.datetime) -> Incident:
    """Return the incident moved to ``state`` (waiting on customer, in progress, …)."""
    at = require_aware(at)
    require_worker(scope)
    incident = _locked(scope, incident_id)
    try:
        target = IncidentState(state)
    except ValueError:
        raise InvalidInput("state", Message(gettext_noop("unknown state {state!r}"), state=state)) from None
    check_transition(IncidentState(incident.state), target)
    previous = incident.state
    incident.state = target
    if target is IncidentState.MITIGATED:
        incident.mitigated_at = at
        move_rca2_due(incident, mitigated_at=at, actor=actor_of(scope))
    if target is IncidentState.CLOSED:
        incident.closed_at = at
        Milestone.objects.filter(
            incident=incident,
            state=MilestoneState.PENDING,
            kind__in=[MilestoneKind.RESPONSE_WARNING, MilestoneKind.CUSTOMER_OBLIGATION],
        ).update(state=MilestoneState.CANCELLED)
    incident.save()
    record(incident, kind=TimelineKind.state(target), at=at, actor=actor_of(scope), previous=previous)
    if target in (IncidentState.MITIGATED, IncidentState.CLOSED):
        tell_customer(incident, event="mitigated" if target is IncidentState.MITIGATED else "closed", at=at)
    return incident


def mitigate(*, scope: Scope, incident_id: int, at: dt.datetime) -> Incident:
    """Return the incident marked mitigated."""
    return set_state(scope=scope, incident_id=incident_id, state=IncidentState.MITIGATED, at=at)


def close(*, scope: Scope, incident_id: int, at: dt.datetime) -> Incident:
    """Return the incident closed."""
    return set_state(scope=scope, incident_id=incident_id, state=IncidentState.CLOSED, at=at)


@transaction.atomic
def request_customer_action(*, scope: Scope, incident_id: int, at: dt.datetime, what: str = "") -> Milestone:
    """Return the SEV-9 milestone started by asking the customer (Sev B: change approval in 4 business hours; Sev C: a response in 24 h)."""
    at = require_aware(at)
    require_worker(scope)
    incident = _locked(scope, incident_id)
    refuse_if_closed(incident, Message(gettext_noop("ask the customer")))
    kind, due = obligation_due(
        severity=Severity(incident.severity),
        requested_at=at,
        calendar=site_calendar(country=incident.site_country, timezone=incident.site_timezone),
        continuous=TWENTY_FOUR_SEVEN,
    )
    milestone = Milestone.objects.create(
        organisation_id=incident.organisation_id,
        incident=incident,
        kind=MilestoneKind.CUSTOMER_OBLIGATION,
        due_at=due,
        # requested_at: a calendar change recomputes a business-hours obligation from it (SEV-7).
        data={
            "obligation": kind,
            "what": what,
            "severity": incident.severity,
            "requested_at": at.isoformat(),
        },
    )
    if incident.state != IncidentState.WAITING_ON_CUSTOMER:
        incident.state = IncidentState.WAITING_ON_CUSTOMER
        incident.save(update_fields=["state"])
    record(
        incident,
        kind=TimelineKind.CUSTOMER_ACTION_REQUESTED,
        at=at,
        actor=actor_of(scope),
        rule="SEV-9",
        obligation=kind,
        due=due,
        what=what,
    )
    tell_customer(incident, event="asked", at=at, what=what, due=due)
    return milestone


@transaction.atomic
def fulfil_customer_action(*, scope: Scope, incident_id: int, at: dt.datetime) -> Incident:
    """Return the incident after the customer answered: pending SEV-9 milestones are settled."""
    at = require_aware(at)
    require(scope, can_follow_up_incidents, FOLLOW_UP_REFUSAL)
    incident = _locked(scope, incident_id)
    pending = Milestone.objects.filter(
        incident=incident, kind=MilestoneKind.CUSTOMER_OBLIGATION, state=MilestoneState.PENDING
    )
    waiting = list(pending)
    if not waiting and incident.state != IncidentState.WAITING_ON_CUSTOMER:
        return incident  # nothing was asked: an answer (or a retry of one) records nothing
    on_time = [m.pk for m in waiting if m.due_at >= at]
    pending.update(state=MilestoneState.DONE, processed_at=at)
    if incident.state == IncidentState.WAITING_ON_CUSTOMER:
        incident.state = IncidentState.IN_PROGRESS
        incident.save(update_fields=["state"])
    record(
        incident,
        kind=TimelineKind.CUSTOMER_ACTION_RECEIVED,
        at=at,
        actor=actor_of(scope),
        rule="SEV-9",
        on_time=bool(on_time),
    )
    return incident


@transaction.atomic
def log_advisory_time(
    *, scope: Scope, incident_id: int, hours: Decimal, at: dt.datetime, note: str = ""
) -> AdvisoryTimeEntry:
    """Return a new advisory time entry; refused past 6 hours per incident (HRS-3)."""
    at = require_aware(at)
    require_worker(scope)
    incident = _locked(scope, incident_id)
    if incident.kind != IncidentKind.ADVISORY:
        raise InvalidInput(
            "incident",
            Message(
                gettext_noop("incident #{id} is a problem-resolution request, not advisory support"),
                id=incident.pk,
            ),
        )
    logged = incident.advisory_time.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    check_advisory_time(logged=Hours(logged), adding=Hours(hours))
    entry = AdvisoryTimeEntry.objects.create(
        organisation_id=incident.organisation_id,
        incident=incident,
        hours=hours,
        at=at,
        actor=actor_of(scope),
        note=note,
    )
    record(
        incident,
        kind=TimelineKind.ADVISORY_TIME,
        at=at,
        actor=actor_of(scope),
        rule="HRS-3",
        hours=str(hours),
        total=str(logged + hours),
    )
    return entry
