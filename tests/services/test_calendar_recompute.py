"""SEV-7: a calendar change moves the clocks already running on it; `calendar recompute` re-judges."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.incident_support import OPERATOR
from tests.incident_support import vm_incident as open_
from unisupport.calendars.models import CalendarClosure, ExtraWorkingDay
from unisupport.incidents import services
from unisupport.incidents.models import Milestone
from unisupport.incidents.selectors import incident_for
from unisupport.incidents.services.recompute import rejudge_responses

pytestmark = pytest.mark.django_db


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_sev7_a_closure_added_moves_the_due_time_of_a_running_clock(demo_orders):
    """SEV-7: a Sev C opened Monday 2026-12-07 16:00 in France is due Tuesday 11:30; closing Tuesday
    8 December moves it to Wednesday 11:30, with its milestones, and the timeline says why."""
    incident = open_(at=at("2026-12-07T16:00:00+01:00"))
    assert incident.response_due_at == at("2026-12-08T11:30:00+01:00")
    CalendarClosure.objects.create(country="FR", start=dt.date(2026, 12, 8), reason="Strike")
    moved = incident_for(OPERATOR, incident_id=incident.pk)
    assert moved.response_due_at == at("2026-12-09T11:30:00+01:00")
    assert moved.response_counts_until == at("2026-12-09T11:30:00+01:00")
    breach = Milestone.objects.get(incident=incident, kind="response-breach", state="pending")
    assert breach.due_at == at("2026-12-09T11:30:00+01:00")
    warning = Milestone.objects.get(incident=incident, kind="response-warning", state="pending")
    assert warning.due_at == at("2026-12-09T10:30:00+01:00")  # 3 h of 4: Monday 1.5 h, Wednesday 1.5 h
    event = moved.timeline.get(kind="due-recomputed")
    assert event.rule == "SEV-7"
    assert (event.data["previous"], event.data["due"]) == ("2026-12-08T10:30:00Z", "2026-12-09T10:30:00Z")
    assert event.data["change"] == "closure set: FR 2026-12-08: Strike"


def test_sev7_removing_the_closure_or_an_extra_working_day_moves_it_back_and_others_stay(demo_orders):
    incident = open_(at=at("2026-12-07T16:00:00+01:00"))
    germany = open_(site_country="DE", at=at("2026-12-07T16:00:00+01:00"))
    closure = CalendarClosure.objects.create(country="FR", start=dt.date(2026, 12, 8), reason="Strike")
    closure.delete()
    assert incident_for(OPERATOR, incident_id=incident.pk).response_due_at == at("2026-12-08T11:30:00+01:00")
    assert not incident_for(OPERATOR, incident_id=germany.pk).timeline.filter(kind="due-recomputed").exists()
    # An incident opened on Friday evening: working on Saturday brings it forward.
    friday = open_(at=at("2026-12-11T16:00:00+01:00"))
    assert friday.response_due_at == at("2026-12-14T11:30:00+01:00")
    ExtraWorkingDay.objects.create(country="FR", day=dt.date(2026, 12, 12), reason="Inventory")
    assert incident_for(OPERATOR, incident_id=friday.pk).response_due_at == at("2026-12-12T11:30:00+01:00")


def test_sev7_a_response_already_given_is_rejudged_only_when_asked(demo_orders):
    """SEV-2, SEV-7: a response on Wednesday 10:00 was late against Tuesday 11:30; a closure entered
    afterwards for Tuesday makes it on time once `calendar recompute --since` is run."""
    incident = open_(at=at("2026-12-07T16:00:00+01:00"))
    services.respond(
        scope=OPERATOR, incident_id=incident.pk, channel="phone", at=at("2026-12-09T10:00:00+01:00")
    )
    assert incident_for(OPERATOR, incident_id=incident.pk).response_met is False
    CalendarClosure.objects.create(country="FR", start=dt.date(2026, 12, 8), reason="Strike")
    assert incident_for(OPERATOR, incident_id=incident.pk).response_met is False  # not re-judged by itself
    (changed,) = rejudge_responses(since=dt.date(2026, 12, 1), at=at("2026-12-10T09:00:00+01:00"))
    assert changed.pk == incident.pk
    judged = incident_for(OPERATOR, incident_id=incident.pk)
    assert judged.response_met is True
    event = judged.timeline.get(kind="due-recomputed")
    assert (event.data["previous_met"], event.data["met"]) == (False, True)
    assert rejudge_responses(since=dt.date(2026, 12, 1), at=at("2026-12-10T09:00:00+01:00")) == []


def test_sev9_a_sev_b_change_approval_moves_with_the_calendar(demo_orders):
    """SEV-9, SEV-7: asked Monday 16:00 for a change approval (4 business hours), due Tuesday 11:30;
    closing Tuesday moves it to Wednesday 11:30."""
    incident = open_(severity="B", product="Exchange Online", at=at("2026-12-07T15:00:00+01:00"))
    services.respond(
        scope=OPERATOR, incident_id=incident.pk, channel="phone", at=at("2026-12-07T15:30:00+01:00")
    )
    asked = services.request_customer_action(
        scope=OPERATOR, incident_id=incident.pk, what="approve the change", at=at("2026-12-07T16:00:00+01:00")
    )
    assert asked.due_at == at("2026-12-08T11:30:00+01:00")
    CalendarClosure.objects.create(country="FR", start=dt.date(2026, 12, 8), reason="Strike")
    asked.refresh_from_db()
    assert asked.due_at == at("2026-12-09T11:30:00+01:00")
    event = incident.timeline.get(kind="due-recomputed")
    assert (event.rule, event.data["obligation"]) == ("SEV-9", "change-approval")


def test_calendar_recompute_since_on_the_command_line(demo_orders):
    """SEV-7: `unisupport calendar recompute --since DATE --json` lists the responses judged anew."""
    from tests.interfaces.clirunner import unisupport

    incident = open_(at=at("2026-12-07T16:00:00+01:00"))
    services.respond(
        scope=OPERATOR, incident_id=incident.pk, channel="phone", at=at("2026-12-09T10:00:00+01:00")
    )
    CalendarClosure.objects.create(country="FR", start=dt.date(2026, 12, 8), reason="Strike")
    run = unisupport("calendar", "recompute", "--since", "2026-12-01", "--country", "FR", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json() == {
        "rejudged": [
            {
                "id": incident.pk,
                "due": "2026-12-09T10:30:00Z",
                "counts_until": "2026-12-09T10:30:00Z",
                "met": True,
            }
        ],
        "rule": "SEV-7",
    }


def test_sev7_shorter_friday_hours_move_a_clock_running_on_friday(demo_orders):
    """SEV-7 with Annexe A note 5: Friday 09:00-16:00 in France moves a Sev C opened Friday 15:00 Paris
    (due Monday 10:30 with a 17:30 closing) to Monday 12:00."""
    from unisupport.calendars.services import set_hours

    incident = open_(at=at("2026-12-11T15:00:00+01:00"))
    assert incident.response_due_at == at("2026-12-14T10:30:00+01:00")
    set_hours(scope=OPERATOR, country="FR", weekday=4, hours=(dt.time(9), dt.time(16)))
    assert incident_for(OPERATOR, incident_id=incident.pk).response_due_at == at("2026-12-14T12:00:00+01:00")


def test_sev2_sev7_closing_the_next_opening_day_moves_until_when_a_response_counts(demo_orders):
    """SEV-2, SEV-7: due Friday 17:30, counting until Monday 09:00; closing Monday moves the latter
    to Tuesday 09:00, and the breach with it, though the due instant stays."""
    incident = open_(at=at("2026-12-18T13:30:00+01:00"))
    assert incident.response_counts_until == at("2026-12-21T09:00:00+01:00")
    CalendarClosure.objects.create(country="FR", start=dt.date(2026, 12, 21), reason="Strike")
    moved = incident_for(OPERATOR, incident_id=incident.pk)
    assert moved.response_due_at == at("2026-12-18T17:30:00+01:00")
    assert moved.response_counts_until == at("2026-12-22T09:00:00+01:00")
    breach = Milestone.objects.get(incident=incident, kind="response-breach", state="pending")
    assert breach.due_at == at("2026-12-22T09:00:00+01:00")
