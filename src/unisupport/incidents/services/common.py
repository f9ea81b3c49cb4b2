"""Shared pieces of the incident services: the timeline, clocks, permissions."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from unisupport.accounts.permissions import can_work_incidents, require
from unisupport.accounts.scope import Scope
from unisupport.calendars.instants import utc_iso
from unisupport.domain.calendar import BusinessCalendar, Clock
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.incidents import TimelineKind
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.sla import clock_for
from unisupport.incidents.models import Incident, Milestone, MilestoneKind, MilestoneState, TimelineEvent


def require_aware(at: dt.datetime, field: str = "at") -> dt.datetime:
    """Return ``at`` in UTC, or raise InvalidInput if it is naive."""
    if not isinstance(at, dt.datetime) or at.utcoffset() is None:
        raise InvalidInput(
            field,
            Message(
                gettext_noop("expected a date and time with its UTC offset (e.g. 2026-12-24T16:00:00+01:00)")
            ),
        )
    return at.astimezone(dt.UTC)


FOLLOW_UP_REFUSAL = Message(
    gettext_noop(
        "only the customer's reactive contacts and administrators, and the vendor's staff, act on incidents"
    )
)


def require_worker(scope: Scope) -> None:
    """Raise Forbidden unless ``scope`` is vendor staff who work incidents."""
    working = gettext_noop(
        "only the vendor's support engineers, incident managers, CSAMs and back office work incidents"
    )
    require(scope, can_work_incidents, Message(working))


def actor_of(scope: Scope) -> User | None:
    """Return the user behind ``scope`` (None for the operator's CLI and the worker)."""
    return User.objects.filter(pk=scope.user_id).first() if scope.user_id else None


def site_calendar(*, country: str, timezone: str) -> BusinessCalendar:
    """Return the business calendar of a support site, with the back office's closures."""
    from unisupport.calendars.selectors import calendar_for_site

    return calendar_for_site(country=country, timezone=timezone)


def clock_of(incident: Incident, kind: str | None = None) -> Clock:
    """Return the clock the incident's response target runs on (SEV-7)."""
    return clock_for(
        kind or incident.clock,
        lambda: site_calendar(country=incident.site_country, timezone=incident.site_timezone),
    )


def record(
    incident: Incident,
    *,
    kind: TimelineKind,
    at: dt.datetime,
    actor: User | None,
    rule: str = "",
    **data: object,
) -> TimelineEvent:
    """Return a new timeline event of ``incident`` (never edited afterwards)."""
    event = timeline_event(incident, kind=kind, at=at, actor=actor, rule=rule, **data)
    event.save()
    return event


def timeline_event(
    incident: Incident,
    *,
    kind: TimelineKind,
    at: dt.datetime,
    actor: User | None,
    rule: str = "",
    **data: object,
) -> TimelineEvent:
    """Return a timeline event of ``incident``, not saved yet (to write several in one statement)."""
    return TimelineEvent(
        organisation_id=incident.organisation_id,
        incident=incident,
        at=at,
        kind=kind,
        actor=actor,
        actor_name=actor.get_username() if actor else "system",
        rule=rule,
        data=_jsonable(data),
    )


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        return utc_iso(value)
    return value


def schedule_response_milestones(incident: Incident, *, warning_at: dt.datetime | None) -> None:
    """Cancel the pending response milestones and queue the current ones (75 % warning, breach)."""
    Milestone.objects.filter(
        incident=incident,
        state=MilestoneState.PENDING,
        kind__in=[MilestoneKind.RESPONSE_WARNING, MilestoneKind.RESPONSE_BREACH],
    ).update(state=MilestoneState.CANCELLED)
    Milestone.objects.bulk_create(response_milestones(incident, warning_at=warning_at))


def response_milestones(incident: Incident, *, warning_at: dt.datetime | None) -> list[Milestone]:
    """Return the response milestones ``incident`` needs now (breach, 75 % warning), not saved yet."""
    if (
        incident.first_response_at is not None
        or incident.response_met is not None
        or incident.response_due_at is None
    ):
        return []
    rows = [
        Milestone(
            organisation_id=incident.organisation_id,
            incident=incident,
            kind=MilestoneKind.RESPONSE_BREACH,
            # SEV-2/SEV-7: late once more business time than the target has elapsed, not at the due instant.
            due_at=incident.response_counts_until or incident.response_due_at,
            data={"severity": incident.severity},
        )
    ]
    if warning_at is not None and warning_at < incident.response_due_at:
        rows.append(
            Milestone(
                organisation_id=incident.organisation_id,
                incident=incident,
                kind=MilestoneKind.RESPONSE_WARNING,
                due_at=warning_at,
                data={"severity": incident.severity},
            )
        )
    return rows


def warning_instant(*, start: dt.datetime, due: dt.datetime, clock: Clock) -> dt.datetime:
    """Return when 75 % of the time from ``start`` to ``due`` has elapsed on ``clock``."""
    total = clock.business_time_between(start, due)
    return clock.add_business_time(start, total * 3 / 4)


def refuse_if_closed(incident: Incident, action: Message) -> None:
    """Raise InvalidInput when ``incident`` is closed (nothing changes a closed incident but an RCA)."""
    if incident.state == "closed":
        raise InvalidInput(
            "state",
            Message(gettext_noop("incident #{id} is closed: cannot {action}"), id=incident.pk, action=action),
        )


def refuse(rule: str, message: str, field: str | None = None) -> RuleViolation:
    """Return a RuleViolation to raise."""
    return RuleViolation(rule, message, field=field)
