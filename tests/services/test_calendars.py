"""Support-location calendars as the back office keeps them (SEV-7, Annexe A note 5).

The closures, extra working days and country hours are rows; ``calendar_for_site`` caches the
calendar it builds from them and forgets it when one is saved or deleted, so an edit, in the admin
or through the services, changes the next due time at once (tests/services/test_incident_opening_path.py
holds the cache itself).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from unisupport.calendars.models import CalendarClosure, CountryCalendar, ExtraWorkingDay
from unisupport.calendars.selectors import calendar_for_site, calendar_json, days_off
from unisupport.calendars.services import (
    add_closure,
    add_extra_working_day,
    remove_closure,
    remove_extra_working_day,
)
from unisupport.domain.calendar import calendar_for
from unisupport.domain.errors import InvalidInput, UnknownCountry

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
FRIDAY_1700_PARIS = datetime.fromisoformat("2026-03-06T17:00:00+01:00")
MONDAY_0930_PARIS = datetime.fromisoformat("2026-03-09T09:30:00+01:00")
TUESDAY_0930_PARIS = datetime.fromisoformat("2026-03-10T09:30:00+01:00")


def due(country: str, opened: datetime, minutes: int, **site: str) -> datetime:
    return calendar_for_site(country=country, **site).add_business_time(opened, timedelta(minutes=minutes))


def test_sev7_a_site_without_rows_gets_the_domain_calendar_of_its_country():
    cal = calendar_for_site(country="fr")
    assert cal is calendar_for("FR")  # the domain's cache: one table per distinct setting
    assert (cal.timezone, cal.opening, cal.closing) == ("Europe/Paris", time(9), time(17, 30))
    assert due("FR", FRIDAY_1700_PARIS, 60) == MONDAY_0930_PARIS


def test_sev7_the_site_time_zone_overrides_the_country_default():
    cal = calendar_for_site(country="US", timezone="America/Chicago")
    assert cal.timezone == "America/Chicago"
    # 17:00 in Chicago: 30 business minutes left that day, 210 the next morning.
    opened = datetime.fromisoformat("2026-03-02T23:00:00+00:00")
    assert cal.add_business_time(opened, 4 * HOUR) == datetime.fromisoformat("2026-03-03T12:30:00-06:00")
    assert due("US", opened, 240) == datetime.fromisoformat("2026-03-03T13:00:00-05:00")  # New York


def test_sev7_a_closure_added_by_the_service_applies_at_once_and_removing_it_too():
    assert due("FR", FRIDAY_1700_PARIS, 60) == MONDAY_0930_PARIS
    closure = add_closure(country="FR", start=date(2026, 3, 9), reason="Office move")
    assert due("FR", FRIDAY_1700_PARIS, 60) == TUESDAY_0930_PARIS
    remove_closure(closure_id=closure.pk)
    assert due("FR", FRIDAY_1700_PARIS, 60) == MONDAY_0930_PARIS


def test_sev7_a_closure_range_closes_every_day_of_it():
    add_closure(country="FR", start=date(2026, 3, 9), end=date(2026, 3, 11), reason="Seminar")
    assert due("FR", FRIDAY_1700_PARIS, 60) == datetime.fromisoformat("2026-03-12T09:30:00+01:00")
    days = [(d.day, d.kind) for d in days_off(calendar=calendar_for_site(country="FR"), year=2026)]
    assert [d for d in days if d[1] == "closure"] == [
        (date(2026, 3, 9), "closure"),
        (date(2026, 3, 10), "closure"),
        (date(2026, 3, 11), "closure"),
    ]
    assert (date(2026, 12, 25), "holiday") in days


def test_sev7_an_extra_working_day_opens_a_saturday():
    day = add_extra_working_day(country="FR", day=date(2026, 3, 7), reason="Migration weekend")
    assert due("FR", FRIDAY_1700_PARIS, 60) == datetime.fromisoformat("2026-03-07T09:30:00+01:00")
    remove_extra_working_day(day_id=day.pk)
    assert due("FR", FRIDAY_1700_PARIS, 60) == MONDAY_0930_PARIS


def test_sev7_an_extra_working_day_cancels_a_public_holiday():
    add_extra_working_day(country="FR", day=date(2026, 12, 25))
    opened = datetime.fromisoformat("2026-12-24T16:00:00+01:00")
    assert due("FR", opened, 240) == datetime.fromisoformat("2026-12-25T11:30:00+01:00")
    names = [d.name for d in days_off(calendar=calendar_for_site(country="FR"), year=2026)]
    assert "Christmas Day" not in names


def test_sev7_a_closure_scoped_to_a_time_zone_closes_only_the_sites_in_that_zone():
    add_closure(
        country="US", timezone="America/Chicago", start=date(2026, 3, 3), reason="Chicago office closed"
    )
    opened = datetime.fromisoformat("2026-03-02T23:00:00+00:00")
    chicago = calendar_for_site(country="US", timezone="America/Chicago")
    assert chicago.add_business_time(opened, 4 * HOUR) == datetime.fromisoformat("2026-03-04T12:30:00-06:00")
    assert due("US", opened, 240) == datetime.fromisoformat("2026-03-03T13:00:00-05:00")  # New York: open


def test_sev7_a_closure_scoped_to_a_subdivision_closes_only_its_sites():
    add_closure(country="DE", subdivision="by", start=date(2026, 3, 9), reason="Bavarian office closed")
    opened = datetime.fromisoformat("2026-03-06T17:00:00+01:00")
    assert due("DE", opened, 60, subdivision="BY") == datetime.fromisoformat("2026-03-10T09:30:00+01:00")
    assert due("DE", opened, 60) == datetime.fromisoformat("2026-03-09T09:30:00+01:00")
    assert CalendarClosure.objects.get().subdivision == "BY"  # the holidays package's spelling


def test_annexe_a_note_5_country_hours_apply_to_its_sites():
    """Business hours "may vary slightly by country" (Annexe A note 5, SEV-7): 08:30–17:00 here."""
    CountryCalendar.objects.create(country="DE", opening=time(8, 30), closing=time(17))
    cal = calendar_for_site(country="DE")
    assert (cal.opening, cal.closing) == (time(8, 30), time(17))
    opened = datetime.fromisoformat("2026-03-06T16:30:00+01:00")
    assert cal.add_business_time(opened, HOUR) == datetime.fromisoformat("2026-03-09T09:00:00+01:00")
    assert calendar_json(calendar=cal, year=2026)["opening"] == "08:30"


def test_sev7_the_country_subdivision_applies_when_the_site_names_none():
    CountryCalendar.objects.create(country="DE", subdivision="BY")
    assert calendar_for_site(country="DE").subdivision == "BY"
    epiphany = [d.name for d in days_off(calendar=calendar_for_site(country="DE"), year=2027)]
    assert "Epiphany" in epiphany
    assert calendar_for_site(country="DE", subdivision="").subdivision is None  # "" says: no subdivision


def test_annexe_a_note_5_a_country_working_week_can_differ():
    CountryCalendar.objects.create(country="AE", weekdays=[0, 1, 2, 3, 4])
    row = CountryCalendar.objects.get()
    row.weekdays = [6, 0, 1, 2, 3]  # Sunday to Thursday
    row.save()
    assert calendar_for_site(country="AE").weekdays == frozenset({6, 0, 1, 2, 3})


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": "FR", "timezone": "Mars/Olympus"}, "timezone"),
        ({"country": "DE", "subdivision": "ZZ"}, "subdivision"),
        ({"country": "FR", "end": date(2026, 3, 1)}, "to"),
        ({"country": "FR", "end": date(2027, 6, 1)}, "to"),
        ({"country": "FR", "reason": "  "}, "reason"),
    ],
)
def test_the_services_refuse_bad_closures_naming_the_field(kwargs, field):
    values = {"start": date(2026, 3, 9), "reason": "Closed"} | kwargs
    with pytest.raises(InvalidInput) as caught:
        add_closure(**values)
    assert caught.value.field == field
    assert not CalendarClosure.objects.exists()


def test_removing_what_does_not_exist_names_it():
    with pytest.raises(InvalidInput, match="no closure #999"):
        remove_closure(closure_id=999)
    with pytest.raises(InvalidInput, match="no extra working day #999"):
        remove_extra_working_day(day_id=999)


def test_an_unknown_country_is_refused_by_the_selector():
    with pytest.raises(UnknownCountry):
        calendar_for_site(country="XX")


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests")
    client.force_login(user)
    return client


def test_sev7_a_closure_added_in_the_admin_changes_due_times_at_once(admin_client):
    assert due("FR", FRIDAY_1700_PARIS, 60) == MONDAY_0930_PARIS
    response = admin_client.post(
        "/admin/calendars/calendarclosure/add/",
        {
            "country": "fr",
            "subdivision": "",
            "timezone": "",
            "start": "2026-03-09",
            "end": "",
            "reason": "Strike",
        },
    )
    assert response.status_code == 302, response.content
    row = CalendarClosure.objects.get()
    assert (row.country, row.created_by.username if row.created_by else None) == ("FR", "root")
    assert due("FR", FRIDAY_1700_PARIS, 60) == TUESDAY_0930_PARIS
    admin_client.post(f"/admin/calendars/calendarclosure/{row.pk}/delete/", {"post": "yes"})
    assert due("FR", FRIDAY_1700_PARIS, 60) == MONDAY_0930_PARIS


def test_the_admin_shows_bad_input_beside_the_field(admin_client):
    response = admin_client.post(
        "/admin/calendars/calendarclosure/add/",
        {
            "country": "FR",
            "timezone": "Mars/Olympus",
            "start": "2026-03-09",
            "end": "2026-03-01",
            "reason": "x",
        },
    )
    assert response.status_code == 200
    assert "unknown time zone" in response.content.decode()
    assert not CalendarClosure.objects.exists()


def test_the_admin_edits_country_hours_and_extra_days(admin_client):
    response = admin_client.post(
        "/admin/calendars/countrycalendar/add/",
        {
            "country": "de",
            "subdivision": "",
            "opening": "08:30",
            "closing": "17:00",
            "weekdays": "[0, 1, 2, 3, 4]",
        },
    )
    assert response.status_code == 302, response.content
    response = admin_client.post(
        "/admin/calendars/extraworkingday/add/",
        {"country": "DE", "subdivision": "", "timezone": "", "day": "2026-03-07", "reason": "Go-live"},
    )
    assert response.status_code == 302, response.content
    opened = datetime.fromisoformat("2026-03-06T16:30:00+01:00")
    assert due("DE", opened, 60) == datetime.fromisoformat("2026-03-07T09:00:00+01:00")
    assert ExtraWorkingDay.objects.get().created_by is not None
    bad = admin_client.post(
        "/admin/calendars/countrycalendar/add/",
        {"country": "FR", "opening": "18:00", "closing": "17:00", "weekdays": "[0, 1, 2, 3, 4]"},
    )
    assert bad.status_code == 200
    assert "must be before closing" in bad.content.decode()
