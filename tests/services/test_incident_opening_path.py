"""The hot path of opening an incident: what it caches, what it writes in plain SQL, what it reads together.

Opening an incident reads the token and the caller's memberships in one statement, the order
and what is in force at its site in another, and writes the incident, its timeline and its
milestones in a third (PostgreSQL) or three INSERTs in one transaction (SQLite); the site's
calendar comes from a per-process cache that every edit of its rows clears. These tests hold
each shortcut to what the ORM and the uncached rows would give.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DataError, connection, transaction

from tests.incident_support import OPERATOR
from tests.incident_support import vm_incident as open_
from unisupport import process_cache
from unisupport.accounts.scope import scope_of
from unisupport.calendars import selectors as calendar_selectors
from unisupport.calendars.models import CalendarClosure
from unisupport.calendars.selectors import calendar_for_site
from unisupport.calendars.sla import due_on_order
from unisupport.domain.errors import InvalidInput
from unisupport.incidents import services
from unisupport.incidents.models import Incident, Milestone, TimelineEvent
from unisupport.orders.models import Order, Site
from unisupport.orders.selectors import order_and_offerings_for, order_for

pytestmark = pytest.mark.django_db

FRIDAY_5PM_PARIS = dt.datetime.fromisoformat("2026-12-18T17:00:00+01:00")
MONDAY_1230_PARIS = dt.datetime.fromisoformat("2026-12-21T12:30:00+01:00")
TUESDAY_1230_PARIS = dt.datetime.fromisoformat("2026-12-22T12:30:00+01:00")
MONDAY_21 = dt.date(2026, 12, 21)


# -- the site calendar's cache ---------------------------------------------------------------


def test_the_site_calendar_is_cached_until_a_row_changes(demo_orders, django_assert_num_queries):
    first = calendar_for_site(country="FR", timezone="Europe/Paris")
    with django_assert_num_queries(0):
        assert calendar_for_site(country="FR", timezone="Europe/Paris") is first
    CalendarClosure.objects.create(country="FR", start=MONDAY_21, reason="Strike")  # post_save clears it
    assert calendar_for_site(country="FR", timezone="Europe/Paris") is not first


def test_sev7_a_closure_added_through_the_orm_moves_the_next_incidents_due_time(demo_orders):
    assert open_().response_due_at == MONDAY_1230_PARIS  # and the calendar is now cached
    closure = CalendarClosure.objects.create(country="FR", start=MONDAY_21, reason="Strike")
    assert open_().response_due_at == TUESDAY_1230_PARIS
    closure.delete()  # post_delete clears it too
    assert open_().response_due_at == MONDAY_1230_PARIS


def test_sev7_another_processs_closure_applies_within_the_cache_lifetime(demo_orders, monkeypatch):
    """A row written elsewhere sends no signal here: the cached calendar lasts _CACHE_SECONDS at most."""
    clock = [1000.0]
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: clock[0])
    assert open_().response_due_at == MONDAY_1230_PARIS
    # bulk_create sends no signal: as if another process had written the row.
    CalendarClosure.objects.bulk_create([CalendarClosure(country="FR", start=MONDAY_21, reason="Strike")])
    assert open_().response_due_at == MONDAY_1230_PARIS  # still the cached calendar
    clock[0] += calendar_selectors._CACHE_SECONDS
    assert open_().response_due_at == TUESDAY_1230_PARIS


# -- the writes -------------------------------------------------------------------------------


def _columns(row) -> dict[str, object]:
    return {f.attname: getattr(row, f.attname) for f in type(row)._meta.concrete_fields}


def test_the_rows_written_are_those_the_orm_reads_back(demo_orders, bob):
    incident = open_(scope=scope_of(bob), severity="B", product="Exchange Online", language="ja")
    assert _columns(Incident.objects.get(pk=incident.pk)) == _columns(incident)
    events = list(incident.timeline.all())
    kinds = [e.kind for e in events]
    assert (kinds[0], kinds[-1], "offering-excluded" in kinds) == ("opened", "target-set", True)  # SEV-10
    # In the order written (the timeline is ordered by instant, then key).
    assert [_columns(e) for e in TimelineEvent.objects.filter(incident=incident)] == [
        _columns(e) for e in events
    ]
    stored = Milestone.objects.filter(incident=incident).order_by("pk")
    assert {m.kind for m in stored} == {"response-breach", "response-warning"}
    assert all(m.incident_id == incident.pk and m.state == "pending" for m in stored)
    assert events[0].actor_name == "bob"
    assert events[0].recorded_at is not None  # auto_now_add, as the ORM sets it


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_each_column_is_sent_as_the_fields_own_methods_prepare_it(demo_orders, bob):
    """The direct reads of the opening's write (sql._encoders) agree with pre_save + get_db_prep_save."""
    from django.db.models import TextChoices

    from unisupport.incidents.services.sql import _documents, _json_value

    class Colour(TextChoices):
        RED = "red"

    incident = open_(scope=scope_of(bob), severity="A", product="Exchange Online")
    events = list(incident.timeline.all())
    odd = TimelineEvent(
        organisation_id=str(incident.organisation_id),  # text for a key: the field converts it
        incident=incident,
        at=FRIDAY_5PM_PARIS,
        kind=Colour.RED,  # a text choice is its value
        actor=None,
        actor_name="system",
        rule="",
        data={"n": 1, "nested": [True, None]},
    )
    incident.target_minutes = True  # a bool for an integer: the field makes it 1
    for rows in ([incident], [*events, odd]):
        expected = [
            {
                f.column: _json_value(f.get_db_prep_save(f.pre_save(row, True), connection))
                for f in type(row)._meta.concrete_fields
                if f is not type(row)._meta.pk and f.name != "recorded_at"  # (auto_now_add: now)
            }
            for row in rows
        ]
        sent = _documents(rows)
        assert all(document.pop("recorded_at", "") is not None for document in sent)
        assert sent == expected
    assert _documents([incident])[0]["target_minutes"] == 1
    assert _documents([odd])[0]["kind"] == "red"


def test_the_incident_returned_carries_its_timeline_and_later_reads_query(
    demo_orders, django_assert_num_queries
):
    incident = open_()
    with django_assert_num_queries(0):
        kinds = [e.kind for e in incident.timeline.all()]
    assert kinds == list(TimelineEvent.objects.filter(incident=incident).values_list("kind", flat=True))
    services.respond(scope=OPERATOR, incident_id=incident.pk, channel="phone", at=FRIDAY_5PM_PARIS)
    assert incident.timeline.filter(kind="first-response").count() == 1  # a filter reads the table


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_refused_write_leaves_nothing_behind(demo_orders):
    """On PostgreSQL the incident, its timeline and milestones are one statement: all or nothing."""
    counts = (Incident.objects.count(), TimelineEvent.objects.count(), Milestone.objects.count())
    with pytest.raises(DataError), transaction.atomic():  # (a savepoint: the test runs in a transaction)
        open_(title="x" * 301)  # longer than the column
    assert (Incident.objects.count(), TimelineEvent.objects.count(), Milestone.objects.count()) == counts


# -- the reads ---------------------------------------------------------------------------------


def test_the_order_and_its_offerings_are_read_in_the_callers_scope(demo_orders, alice, charlie):
    order, offered = order_and_offerings_for(
        scope_of(alice), number="ESO-2026-001", site_country="FR", at=FRIDAY_5PM_PARIS
    )
    assert order.organisation.name == "Contoso SA"
    assert order.agreement.code == "CONTOSO-UNIFIED"
    assert (offered.site.country, offered.site.timezone) == ("FR", "Europe/Paris")
    assert "foundational" in offered.codes
    with pytest.raises(Order.DoesNotExist):
        order_and_offerings_for(
            scope_of(charlie), number="ESO-2026-001", site_country="FR", at=FRIDAY_5PM_PARIS
        )
    with pytest.raises(Site.DoesNotExist):
        order_and_offerings_for(
            scope_of(alice), number="ESO-2026-001", site_country="JP", at=FRIDAY_5PM_PARIS
        )
    with pytest.raises(InvalidInput) as refused:
        open_(scope=scope_of(charlie))
    assert refused.value.field == "order"


def test_sev2_the_incident_and_sla_due_share_the_target_and_due_time(demo_orders):
    """`sla due --order` and opening an incident go from the offerings to the target by one function."""
    order = order_for(OPERATOR, number="ESO-2026-001")
    for severity, product in (
        ("A", "Exchange Online"),
        ("B", "Azure Virtual Machines"),
        ("C", "Exchange Online"),
    ):
        due = due_on_order(
            order=order, site="FR", opened=FRIDAY_5PM_PARIS, severity=severity, product=product
        )
        incident = open_(severity=severity, product=product)
        assert (incident.response_due_at, incident.target_minutes, incident.offering, incident.rules) == (
            due.due,
            due.target.minutes,
            due.target.offering,
            list(due.target.rules),
        )


# -- the token -----------------------------------------------------------------------------------


def test_a_token_gives_its_user_and_their_scope_in_one_read(alice, bob):
    from unisupport.accounts.models import ApiToken
    from unisupport.accounts.services import issue_token, user_for_token

    secret = issue_token(user=alice, name="test")
    user = user_for_token(secret)
    assert user is not None
    assert (user.pk, user.username, user.is_active) == (alice.pk, "alice", True)
    assert scope_of(user) == scope_of(type(alice).objects.get(pk=alice.pk))
    token = ApiToken.objects.get(user=alice)
    first_use = token.last_used_at
    assert first_use is not None
    user_for_token(secret)
    token.refresh_from_db()
    assert token.last_used_at == first_use  # written at most once a minute
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    assert user_for_token(secret) is None
    assert user_for_token("us_not-a-token") is None


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_a_broken_connection_is_replaced_by_the_first_read_of_a_request(alice):
    """The token read stands for Django's per-request health check (SELECT 1): it reconnects once."""
    import psycopg

    from unisupport.accounts.services import issue_token, user_for_token
    from unisupport.plainsql import fetch

    secret = issue_token(user=alice, name="test")
    connection.ensure_connection()
    # Kill the backend from another connection: this one is broken without knowing it.
    killed = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [killed])
    connection.health_check_enabled, connection.health_check_done = True, False  # a new request
    user = user_for_token(secret)
    assert user is not None
    assert connection.connection.info.backend_pid != killed
    assert fetch("SELECT 1", [], read=True) == [(1,)]
