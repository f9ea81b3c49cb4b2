"""The programme pages through the test client: the customer never sees a scenario's monitors or
thresholds (MCS-3); charlie sees nothing of Contoso's; the late list costs the same few queries
whatever the number of late milestones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.interfaces.portal_support import signed_in
from unisupport.accounts.scope import scope_of
from unisupport.programmes.mcs_services import add_scenario

pytestmark = pytest.mark.django_db

PAGE = "/orders/ESO-2026-001/programme/"


def test_mcs3_the_portal_shows_a_scenarios_telemetry_to_the_vendor_only(alice, bob, charlie):
    add_scenario(
        scope=scope_of(bob), order="ESO-2026-001", name="Checkout flow", monitors="p95 of POST /pay",
        thresholds="above 2 seconds", at=dt.datetime(2026, 8, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    customer = signed_in(alice).get(PAGE).content.decode()
    assert "Checkout flow" in customer
    assert "POST /pay" not in customer
    assert "above 2 seconds" not in customer
    vendor = signed_in(bob).get(PAGE).content.decode()
    assert "POST /pay" in vendor
    assert "above 2 seconds" in vendor
    assert signed_in(charlie).get(PAGE).status_code == 404


def test_the_late_list_is_a_bounded_number_of_queries(bob, monkeypatch):
    from unisupport import clock
    from unisupport.programmes.models import Milestone

    client = signed_in(bob)
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 7, 20, tzinfo=dt.UTC))
    with CaptureQueriesContext(connection) as few:
        assert client.get("/programmes/late/").status_code == 200
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 6, 1, tzinfo=dt.UTC))
    assert Milestone.objects.filter(late_from__lte=clock.now()).count() > 5
    with CaptureQueriesContext(connection) as many:
        page = client.get("/programmes/late/")
    assert page.content.decode().count('class="milestone-late"') > 5
    assert len(many.captured_queries) == len(few.captured_queries)
