"""Support-location calendars as the back office keeps them (SEV-7, Annexe A note 5).

The closures, extra working days and country hours are rows; ``calendar_for_site`` caches the
calendar it builds from them and forgets it when one is saved or deleted, so an edit, in the admin
or through the services, changes the next due time at once (tests/services/test_incident_opening_path.py
holds the cache itself).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from tests.scopes import OPERATOR
from unisupport.calendars.models import CalendarClosure, CountryCalendar, ExtraWorkingDay, WeekdayHours
from unisupport.calendars.selectors import calendar_for_site, calendar_json, days_off, next_opening
from unisupport.calendars.services import (
    add_closure,
    add_extra_working_day,
    remove_closure,
    remove_extra_working_day,
    set_hours,
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
    closure = add_closure(scope=OPERATOR, country="FR", start=date(2026, 3, 9), reason="Office move")
    assert due("FR", FRIDAY_1700_PARIS, 60) == TUESDAY_0930_PARIS
    remove_closure(scope=OPERATOR, closure_id=closure.pk)
    assert due("FR", FRIDAY_1700_PARIS, 60) == MONDAY_0930_PARIS


def test_sev7_a_closure_range_closes_every_day_of_it():
    add_closure(scope=OPERATOR, country="FR", start=date(2026, 3, 9), end=date(2026, 3, 11), reason="Seminar")
    assert due("FR", FRIDAY_1700_PARIS, 60) == datetime.fromisoformat("2026-03-12T09:30:00+01:00")
    days = [(d.day, d.kind) for d in days_off(calendar=calendar_for_site(country="FR"), year=2026)]
    assert [d for d in days if d[1] == "closure"] == [
        (date(2026, 3, 9), "closure"),
        (date(2026, 3, 10), "closure"),
        (date(2026, 3, 11), "closure"),
    ]
    assert (date(2026, 12, 25), "holiday") in days


def test_sev7_an_extra_working_day_opens_a_saturday():
    day = add_extra_working_day(
        scope=OPERATOR, country="FR", day=date(2026, 3, 7), reason="Migration weekend"
    )
    assert due("FR", FRIDAY_1700_PARIS, 60) == datetime.fromisoformat("2026-03-07T09:30:00+01:00")
    remove_extra_working_day(scope=OPERATOR, day_id=day.pk)
    assert due("FR", FRIDAY_1700_PARIS, 60) == MONDAY_0930_PARIS


def test_sev7_an_extra_working_day_cancels_a_public_holiday():
    add_extra_working_day(scope=OPERATOR, country="FR", day=date(2026, 12, 25))
    opened = datetime.fromisoformat("2026-12-24T16:00:00+01:00")
    assert due("FR", opened, 240) == datetime.fromisoformat("2026-12-25T11:30:00+01:00")
    names = [d.name for d in days_off(calendar=calendar_for_site(country="FR"), year=2026)]
    assert "Christmas Day" not in names


def test_sev7_a_closure_scoped_to_a_time_zone_closes_only_the_sites_in_that_zone():
    add_closure(
        scope=OPERATOR,
        country="US",
        timezone="America/Chicago",
        start=date(2026, 3, 3),
        reason="Chicago office closed",
    )
    opened = datetime.fromisoformat("2026-03-02T23:00:00+00:00")
    chicago = calendar_for_site(country="US", timezone="America/Chicago")
    assert chicago.add_business_time(opened, 4 * HOUR) == datetime.fromisoformat("2026-03-04T12:30:00-06:00")
    assert due("US", opened, 240) == datetime.fromisoformat("2026-03-03T13:00:00-05:00")  # New York: open


def test_sev7_a_closure_scoped_to_a_subdivision_closes_only_its_sites():
    add_closure(
        scope=OPERATOR,
        country="DE",
        subdivision="by",
        start=date(2026, 3, 9),
        reason="Bavarian office closed",
    )
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


def test_annexe_a_note_5_set_hours_gives_friday_its_own_hours():
    """Friday 09:00–16:00 while the other days keep 09:00–17:30 (SEV-7 runs on them)."""
    set_hours(scope=OPERATOR, country="fr", weekday=4, hours=(time(9), time(16)))
    cal = calendar_for_site(country="FR")
    assert cal.hours_on(4) == (time(9), time(16))
    assert cal.hours_on(3) == (time(9), time(17, 30))
    friday_1530 = datetime.fromisoformat("2026-11-27T15:30:00+01:00")
    assert cal.add_business_time(friday_1530, 2 * HOUR) == datetime.fromisoformat("2026-11-30T10:30:00+01:00")
    hours = calendar_json(calendar=cal, year=2026)["hours"]
    assert hours[4] == {"weekday": 4, "opening": "09:00", "closing": "16:00"}
    assert hours[0] == {"weekday": 0, "opening": "09:00", "closing": "17:30"}
    # Setting them again replaces them; the country's other settings stay.
    set_hours(scope=OPERATOR, country="FR", weekday=4, hours=(time(9), time(15)))
    assert WeekdayHours.objects.get().closing == time(15)
    assert calendar_for_site(country="FR").hours_on(4) == (time(9), time(15))


def test_annexe_a_note_5_set_hours_makes_a_weekday_worked_or_a_day_off():
    set_hours(scope=OPERATOR, country="FR", weekday=5, hours=(time(10), time(13)))
    cal = calendar_for_site(country="FR")
    assert 5 in cal.weekdays
    assert cal.hours_on(5) == (time(10), time(13))
    friday_1700 = datetime.fromisoformat("2026-03-06T17:00:00+01:00")
    assert due("FR", friday_1700, 60) == datetime.fromisoformat("2026-03-07T10:30:00+01:00")
    set_hours(scope=OPERATOR, country="FR", weekday=5, hours=None)
    assert 5 not in calendar_for_site(country="FR").weekdays
    assert not WeekdayHours.objects.exists()
    assert due("FR", friday_1700, 60) == MONDAY_0930_PARIS


def test_annexe_a_note_5_set_hours_without_a_weekday_sets_the_country_default():
    set_hours(scope=OPERATOR, country="FR", weekday=4, hours=(time(9), time(16)))
    set_hours(scope=OPERATOR, country="FR", hours=(time(8), time(17)))
    cal = calendar_for_site(country="FR")
    assert (cal.opening, cal.closing) == (time(8), time(17))
    assert cal.hours_on(4) == (time(9), time(16))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"country": "XX", "weekday": 4}, "country"),
        ({"country": "FR", "weekday": 7}, "weekday"),
        ({"country": "FR", "weekday": 4, "hours": (time(16), time(9))}, "opening_hours"),
        ({"country": "FR", "hours": None}, "hours"),
    ],
)
def test_set_hours_refuses_bad_input_naming_the_field(kwargs, field):
    with pytest.raises(InvalidInput) as caught:
        set_hours(scope=OPERATOR, **({"hours": (time(9), time(16))} | kwargs))
    assert caught.value.field == field
    assert not WeekdayHours.objects.exists()


def test_set_hours_keeps_a_working_day():
    for weekday in range(4):
        set_hours(scope=OPERATOR, country="FR", weekday=weekday, hours=None)
    with pytest.raises(InvalidInput) as caught:
        set_hours(scope=OPERATOR, country="FR", weekday=4, hours=None)
    assert caught.value.field == "weekdays"
    assert CountryCalendar.objects.get().weekdays == [4]


def test_sev7_a_closure_of_hours_closes_only_those_hours_of_each_day():
    """24 December 09:00–12:00 closed: open only 12:00–17:30 that day."""
    row = add_closure(
        scope=OPERATOR,
        country="FR",
        start=date(2026, 12, 24),
        reason="Christmas Eve",
        closed_from=time(9),
        closed_until=time(12),
    )
    assert str(row) == "FR 2026-12-24 09:00-12:00: Christmas Eve"
    wednesday_1700 = datetime.fromisoformat("2026-12-23T17:00:00+01:00")
    assert due("FR", wednesday_1700, 60) == datetime.fromisoformat("2026-12-24T12:30:00+01:00")
    days = days_off(calendar=calendar_for_site(country="FR"), year=2026)
    assert (date(2026, 12, 24), "Christmas Eve (09:00–12:00)", "closure") in [
        (d.day, d.name, d.kind) for d in days
    ]
    answer = next_opening(
        calendar=calendar_for_site(country="FR"), at=datetime.fromisoformat("2026-12-24T08:00:00+01:00")
    ).as_dict()
    assert answer["next_opening"] == "2026-12-24T11:00:00Z"
    assert answer["closes"] == "2026-12-24T16:30:00Z"
    assert answer["open_now"] is False
    remove_closure(scope=OPERATOR, closure_id=row.pk)
    assert due("FR", wednesday_1700, 60) == datetime.fromisoformat("2026-12-24T09:30:00+01:00")


def test_sev7_a_range_closed_from_an_hour_to_the_end_of_each_day():
    add_closure(
        scope=OPERATOR,
        country="FR",
        start=date(2026, 3, 9),
        end=date(2026, 3, 10),
        reason="Inventory",
        closed_from=time(15),
    )
    monday_1430 = datetime.fromisoformat("2026-03-09T14:30:00+01:00")
    assert due("FR", monday_1430, 60) == TUESDAY_0930_PARIS
    tuesday_1430 = datetime.fromisoformat("2026-03-10T14:30:00+01:00")
    assert due("FR", tuesday_1430, 60) == datetime.fromisoformat("2026-03-11T09:30:00+01:00")


def test_a_closure_from_midnight_to_the_end_of_the_day_is_a_whole_day():
    row = add_closure(
        scope=OPERATOR, country="FR", start=date(2026, 3, 9), reason="Move", closed_from=time(0)
    )
    assert row.whole_day
    assert row.hours() is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": "FR", "closed_from": time(12), "closed_until": time(9)}, "hours"),
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
        add_closure(scope=OPERATOR, **values)
    assert caught.value.field == field
    assert not CalendarClosure.objects.exists()


def test_removing_what_does_not_exist_names_it():
    with pytest.raises(InvalidInput, match="no closure #999"):
        remove_closure(scope=OPERATOR, closure_id=999)
    with pytest.raises(InvalidInput, match="no extra working day #999"):
        remove_extra_working_day(scope=OPERATOR, day_id=999)


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


def test_annexe_a_note_5_the_admin_edits_a_weekdays_hours_and_a_closure_of_hours(admin_client):
    response = admin_client.post(
        "/admin/calendars/weekdayhours/add/",
        {"country": "fr", "weekday": "4", "opening": "09:00", "closing": "16:00"},
    )
    assert response.status_code == 302, response.content
    assert calendar_for_site(country="FR").hours_on(4) == (time(9), time(16))
    response = admin_client.post(
        "/admin/calendars/calendarclosure/add/",
        {
            "country": "FR",
            "start": "2026-12-24",
            "closed_from": "09:00",
            "closed_until": "12:00",
            "reason": "Christmas Eve",
        },
    )
    assert response.status_code == 302, response.content
    wednesday_1700 = datetime.fromisoformat("2026-12-23T17:00:00+01:00")
    assert due("FR", wednesday_1700, 60) == datetime.fromisoformat("2026-12-24T12:30:00+01:00")
    bad = admin_client.post(
        "/admin/calendars/weekdayhours/add/",
        {"country": "FR", "weekday": "3", "opening": "18:00", "closing": "09:00"},
    )
    assert bad.status_code == 200
    assert "must be before closing" in bad.content.decode()
    bad = admin_client.post(
        "/admin/calendars/calendarclosure/add/",
        {
            "country": "FR",
            "start": "2026-12-31",
            "closed_from": "12:00",
            "closed_until": "09:00",
            "reason": "x",
        },
    )
    assert bad.status_code == 200
    assert "before they start" in bad.content.decode()


def test_the_new_calendar_refusals_read_in_french():
    from django.utils import translation

    from unisupport.calendars.hours import parse_hours, parse_weekday
    from unisupport.i18n import localized

    with pytest.raises(InvalidInput) as hours:
        parse_hours("12:00-09:00")
    with pytest.raises(InvalidInput) as weekday:
        parse_weekday("fry")
    with pytest.raises(InvalidInput) as domain:
        calendar_for("FR", weekday_hours={7: (time(9), time(16))})
    with translation.override("fr"):
        assert localized(hours.value) == "la plage horaire finit (09:00) avant de commencer (12:00)"
        assert localized(weekday.value).startswith("'fry' n'est pas un jour de la semaine")
        assert localized(domain.value) == "jours attendus : 0 (lundi) .. 6 (dimanche), reçu 7"
