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


def test_mcs6_the_portals_incident_form_asks_the_subscription_and_names_the_rule(alice, bob):
    from unisupport.incidents.models import Incident
    from unisupport.programmes.mcs_services import enrol_subscription

    enrol_subscription(
        scope=scope_of(bob),
        order="ESO-2026-001",
        subscription="aaaa-1",
        at=dt.datetime(2026, 8, 1, tzinfo=dt.UTC),
    )
    client = signed_in(alice)
    form = {
        "site": "ESO-2026-001/FR", "product": "Azure Virtual Machines", "severity": "B", "title": "VMs slow",
        "description": "", "language": "en", "source_portal": "", "production_impact": "on",
        "callback_phone": "+33 1 40 00 00 00", "callback_email": "alice@contoso.example",
    }  # fmt: skip
    assert "MCS-6" in client.get("/incidents/new/").content.decode()
    unnamed = client.post("/incidents/new/", form)
    assert unnamed.status_code == 200  # the form again, the field named
    assert "name the incident&#x27;s subscription" in unnamed.content.decode()
    assert not Incident.objects.exists()
    client.post("/incidents/new/", form | {"subscription": "zzzz-9"})
    opened = Incident.objects.get()
    assert (opened.subscription, [e["rule"] for e in opened.excluded]) == ("zzzz-9", ["MCS-6"])


def test_uer2_the_programme_links_the_sev1_post_incident_reviews(alice, charlie):
    from tests.scopes import OPERATOR
    from unisupport.domain.incident_commands import OpenIncident
    from unisupport.incidents.services import open_incident

    opened = open_incident(
        scope=OPERATOR,
        command=OpenIncident.parse(
            order_number="ESO-2026-001", site_country="FR", severity="1", product="Azure Virtual Machines",
            channel="phone", title="Checkout down",
        ),
        at=dt.datetime(2026, 9, 2, 8, tzinfo=dt.UTC),
    )  # fmt: skip
    page = signed_in(alice).get(PAGE).content.decode()
    assert f'href="/incidents/{opened.pk}/"' in page
    assert "UER-2" in page
    shown = signed_in(alice).get("/api/programmes?order=ESO-2026-001").json()["sev1_reviews"]
    assert [r["incident"] for r in shown] == [opened.pk]
