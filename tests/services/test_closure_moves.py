"""SEV-7: a closure the back office adds shows the open incidents it moves — previewed (nothing kept) or added."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.incident_support import OPERATOR
from tests.incident_support import vm_incident as open_
from tests.interfaces.portal_support import signed_in
from unisupport.calendars.models import CalendarClosure
from unisupport.calendars.selectors import calendar_for_site
from unisupport.incidents.models import Incident
from unisupport.incidents.services.closures import add_closure_with_moves

pytestmark = pytest.mark.django_db

MONDAY_4PM_PARIS = dt.datetime.fromisoformat("2026-12-07T16:00:00+01:00")
TUESDAY_DUE = dt.datetime.fromisoformat("2026-12-08T11:30:00+01:00")
WEDNESDAY_DUE = dt.datetime.fromisoformat("2026-12-09T11:30:00+01:00")


def test_sev7_a_previewed_closure_lists_the_moves_and_keeps_nothing(demo_orders):
    incident = open_(at=MONDAY_4PM_PARIS)
    _, moved = add_closure_with_moves(
        scope=OPERATOR, preview=True, country="FR", start=dt.date(2026, 12, 8), reason="Strike"
    )
    assert [(m.incident_id, m.previous, m.due) for m in moved] == [(incident.pk, TUESDAY_DUE, WEDNESDAY_DUE)]
    assert not CalendarClosure.objects.exists()
    assert Incident.objects.get(pk=incident.pk).response_due_at == TUESDAY_DUE
    assert not calendar_for_site(country="FR").closures  # nor in this process's cached calendars


def test_sev7_an_added_closure_moves_the_incidents_it_lists(demo_orders):
    incident = open_(at=MONDAY_4PM_PARIS)
    _, moved = add_closure_with_moves(
        scope=OPERATOR, preview=False, country="FR", start=dt.date(2026, 12, 8), reason="Strike"
    )
    assert [m.incident_id for m in moved] == [incident.pk]
    assert CalendarClosure.objects.count() == 1
    assert Incident.objects.get(pk=incident.pk).response_due_at == WEDNESDAY_DUE
    _, none = add_closure_with_moves(
        scope=OPERATOR, preview=True, country="JP", start=dt.date(2026, 12, 8), reason="Elsewhere"
    )
    assert none == []


def test_sev7_the_closures_page_previews_then_adds(bob):
    incident = open_(at=MONDAY_4PM_PARIS)
    client = signed_in(bob)
    form = {"country": "fr", "start": "2026-12-08", "reason": "Strike"}
    preview = client.post("/back-office/closures/", {**form, "preview": "1"}).text
    assert "If you add this closure" in preview
    assert f'/incidents/{incident.pk}/"' in preview
    assert "Add the closure" in preview
    assert not CalendarClosure.objects.exists()
    added = client.post("/back-office/closures/", {**form, "save": "1"}).text
    assert "This closure moved" in added
    assert CalendarClosure.objects.get().reason == "Strike"
