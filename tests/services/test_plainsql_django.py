"""plainsql is the one module that touches Django's private attributes; these tests pin them.

The hot paths (an incident opened, a ledger posting) write rows in plain SQL and then tell Django
what the ORM would have known: the row is saved (``_state``), a relation is already loaded
(``_result_cache``, ``_prefetched_objects_cache``). Those are not public API: when Django changes
them, these tests fail first, naming the version to re-check.
"""

from __future__ import annotations

import django
import pytest
from django.db import connection

from tests.incident_support import contoso_incident
from unisupport import plainsql
from unisupport.incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_plainsql_is_written_against_django_5_2():
    assert django.VERSION[:2] == (5, 2), "re-check plainsql's use of Django's private attributes"


def test_saved_marks_a_row_as_the_orm_would_after_an_insert(alice):
    incident = Incident.objects.get(pk=contoso_incident().pk)
    fresh = Incident(pk=incident.pk)
    assert fresh._state.adding
    plainsql.saved(fresh)
    assert (fresh._state.adding, fresh._state.db) == (False, connection.alias)


def test_keep_prefetched_answers_all_from_the_rows_given_without_a_query(alice, django_assert_num_queries):
    opened = contoso_incident()
    incident = Incident.objects.get(pk=opened.pk)
    events = list(incident.timeline.order_by("at", "pk"))
    plainsql.keep_prefetched(incident, "timeline", events[:2])
    with django_assert_num_queries(0):
        assert list(incident.timeline.all()) == events[:2]
    with django_assert_num_queries(1):
        assert incident.timeline.filter(pk=events[0].pk).count() == 1  # filter() still asks the database


def test_the_hot_paths_branch_on_one_predicate():
    assert plainsql.on_postgresql() is (connection.vendor == "postgresql")
