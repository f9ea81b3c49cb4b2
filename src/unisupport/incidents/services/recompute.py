"""A calendar change moves the clocks already running on it (SEV-7).

Adding or removing a closure or an extra working day, or changing a country's hours, changes how
much business time lies between two instants at that country's sites. Every open incident whose
first-response clock runs on those business hours gets its due time, the instant until which a
response counts, its pending milestones (75 % warning, breach, a Sev B's SEV-9 change approval)
recomputed in the change's transaction, each with a timeline event citing SEV-7 and the change.
A response already given is not re-judged unless asked (:func:`rejudge_responses`).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete

from unisupport.domain.calendar import BusinessCalendar
from unisupport.domain.incidents import TimelineKind
from unisupport.domain.severity import CHANGE_APPROVAL_WINDOW
from unisupport.domain.sla import ClockKind, counts_until
from unisupport.incidents.models import Incident, Milestone, MilestoneKind, MilestoneState
from unisupport.incidents.services.common import record, require_aware, site_calendar, warning_instant

# The widest offset between a site's date and UTC: a window this much wider in UTC holds every
# instant of the changed local days, whatever the site's time zone.
_ANY_ZONE = dt.timedelta(hours=14)


@transaction.atomic
def recompute_clocks(
    *, country: str, days: tuple[dt.date, dt.date] | None, at: dt.datetime, change: str
) -> list[Incident]:
    """Return the open incidents of ``country``'s sites whose business-hours clocks a calendar change moved.

    ``days`` (first, last) are the local days the change touches, None for all of them (a change of
    hours). Only incidents whose running clock or pending SEV-9 milestone spans those days are
    read; each whose due time or milestones actually moved is written and told on its timeline.
    """
    at = require_aware(at)
    running = Q(clock=ClockKind.BUSINESS.value, response_met__isnull=True)
    waiting = Q(milestones__kind=MilestoneKind.CUSTOMER_OBLIGATION, milestones__state=MilestoneState.PENDING)
    if days is not None:
        start = dt.datetime.combine(days[0], dt.time(0), tzinfo=dt.UTC) - _ANY_ZONE
        end = dt.datetime.combine(days[1] + dt.timedelta(days=1), dt.time(0), tzinfo=dt.UTC) + _ANY_ZONE
        running &= Q(clock_started_at__lt=end, response_counts_until__gte=start)
        waiting &= Q(milestones__due_at__gte=start)
    # Found first (the join on milestones can repeat an incident), then locked: PostgreSQL refuses
    # FOR UPDATE with DISTINCT.
    found = (
        Incident.objects.filter(running | waiting, site_country=country.upper(), closed_at__isnull=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    moved = []
    for incident in Incident.objects.select_for_update().filter(pk__in=list(found)).order_by("pk"):
        calendar = site_calendar(country=incident.site_country, timezone=incident.site_timezone)
        if _move_response(incident, calendar, at=at, change=change) | _move_obligations(
            incident, calendar, at=at, change=change
        ):
            moved.append(incident)
    return moved


def _response_due(incident: Incident, calendar: BusinessCalendar) -> dt.datetime:
    # What is left of the target after the time used before the last SEV-8 change runs from it.
    target = dt.timedelta(minutes=incident.target_minutes or 0)
    return calendar.add_business_time(incident.clock_started_at, target - incident.elapsed_before)


def _move_response(incident: Incident, calendar: BusinessCalendar, *, at: dt.datetime, change: str) -> bool:
    if incident.response_met is not None or incident.first_response_at is not None:
        return False
    due = _response_due(incident, calendar)
    until = counts_until(due, calendar)  # a closure on the next opening day moves only this
    if (due, until) == (incident.response_due_at, incident.response_counts_until):
        return False
    previous = incident.response_due_at
    incident.response_due_at, incident.response_counts_until = due, until
    incident.save(update_fields=["response_due_at", "response_counts_until"])
    pending = Milestone.objects.filter(incident=incident, state=MilestoneState.PENDING)
    pending.filter(kind=MilestoneKind.RESPONSE_BREACH).update(due_at=incident.response_counts_until)
    warning = warning_instant(start=incident.clock_started_at, due=due, clock=calendar)
    pending.filter(kind=MilestoneKind.RESPONSE_WARNING).update(due_at=warning)
    record(
        incident,
        kind=TimelineKind.DUE_RECOMPUTED,
        at=at,
        actor=None,
        rule="SEV-7",
        previous=previous,
        due=due,
        counts_until=until,
        change=change,
    )
    return True


def _move_obligations(
    incident: Incident, calendar: BusinessCalendar, *, at: dt.datetime, change: str
) -> bool:
    # Only a Sev B's change approval runs on business hours (SEV-9); its request instant is kept.
    moved = False
    for milestone in Milestone.objects.filter(
        incident=incident,
        kind=MilestoneKind.CUSTOMER_OBLIGATION,
        state=MilestoneState.PENDING,
        data__obligation="change-approval",
    ):
        requested = milestone.data.get("requested_at")
        if not requested:
            continue
        due = calendar.add_business_time(dt.datetime.fromisoformat(requested), CHANGE_APPROVAL_WINDOW)
        if due == milestone.due_at:
            continue
        previous, milestone.due_at = milestone.due_at, due
        milestone.save(update_fields=["due_at"])
        record(
            incident,
            kind=TimelineKind.DUE_RECOMPUTED,
            at=at,
            actor=None,
            rule="SEV-9",
            obligation="change-approval",
            previous=previous,
            due=due,
            change=change,
        )
        moved = True
    return moved


@transaction.atomic
def rejudge_responses(*, since: dt.date, at: dt.datetime, country: str | None = None) -> list[Incident]:
    """Return the incidents whose first response, given on or after ``since``, the current calendars judge anew.

    For `calendar recompute --since`: a calendar corrected after the fact (a closure entered late)
    changes whether a response already given met its business-hours target (SEV-2, SEV-7).
    """
    at = require_aware(at)
    rows = Incident.objects.select_for_update().filter(
        clock=ClockKind.BUSINESS.value,
        first_response_at__gte=dt.datetime.combine(since, dt.time(0), tzinfo=dt.UTC) - _ANY_ZONE,
        response_met__isnull=False,
    )
    if country:
        rows = rows.filter(site_country=country.upper())
    changed = []
    for incident in rows.order_by("pk"):
        assert incident.first_response_at is not None  # filtered above
        calendar = site_calendar(country=incident.site_country, timezone=incident.site_timezone)
        if incident.first_response_at.astimezone(calendar.zone).date() < since:
            continue  # the UTC window above is a day wider than the site's dates
        due = _response_due(incident, calendar)
        until = counts_until(due, calendar)
        met = incident.first_response_at <= until
        if (due, until, met) == (
            incident.response_due_at,
            incident.response_counts_until,
            incident.response_met,
        ):
            continue
        previous = (incident.response_due_at, incident.response_met)
        incident.response_due_at, incident.response_counts_until, incident.response_met = due, until, met
        incident.save(update_fields=["response_due_at", "response_counts_until", "response_met"])
        record(
            incident,
            kind=TimelineKind.DUE_RECOMPUTED,
            at=at,
            actor=None,
            rule="SEV-7",
            previous=previous[0],
            due=due,
            previous_met=previous[1],
            met=met,
            change=f"recompute since {since}",
        )
        changed.append(incident)
    return changed


# What a change is called on the timeline (stored in English, as every recorded fact).
_CHANGES = {
    "CalendarClosure": "closure",
    "ExtraWorkingDay": "extra working day",
    "CountryCalendar": "country hours",
    "WeekdayHours": "weekday hours",
}


def on_calendar_row_changed(sender: type, instance: object, **kwargs: object) -> None:
    """Recompute the clocks a saved or deleted calendar row moves (connected in incidents/apps.py).

    Whatever wrote the row — the CLI, the admin, a service — the clocks move in its transaction.
    The change happens now: like the row's own timestamps, the instant is read here, at the edge.
    """
    from unisupport import clock

    country = str(getattr(instance, "country", "") or "")
    if not country:
        return
    days: tuple[dt.date, dt.date] | None = None
    if isinstance(getattr(instance, "start", None), dt.date):  # a closure, one day or a range
        start = instance.start  # type: ignore[attr-defined]
        days = (start, getattr(instance, "end", None) or start)
    elif isinstance(getattr(instance, "day", None), dt.date):  # an extra working day
        days = (instance.day, instance.day)  # type: ignore[attr-defined]
    what = _CHANGES.get(sender.__name__, sender.__name__)
    done = "removed" if kwargs.get("signal") is post_delete else "set"
    recompute_clocks(country=country, days=days, at=clock.now(), change=f"{what} {done}: {instance}")
