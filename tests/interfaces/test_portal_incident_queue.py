"""The incident queue: by time left with the breached first (SEV-2..SEV-7), filters, 50 a page, bounded queries."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.incident_support import FRIDAY_5PM_PARIS, OPERATOR, contoso_incident
from tests.interfaces.portal_support import signed_in
from unisupport.accounts.models import Organisation
from unisupport.incidents import services
from unisupport.incidents.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(monkeypatch):
    """Return the instant the product's clock reads: two days after Friday 17:00 Paris."""
    from unisupport import clock

    at = FRIDAY_5PM_PARIS + dt.timedelta(days=4)
    monkeypatch.setattr(clock, "now", lambda: at)
    return at


def test_the_queue_puts_breached_first_then_by_time_left_sev_7(bob, frozen):
    """SEV-7: the response clock orders the queue — overdue first, then the soonest due, answered last."""
    answered = contoso_incident(title="Answered one")
    services.respond(scope=OPERATOR, incident_id=answered.pk, channel="phone", at=FRIDAY_5PM_PARIS)
    overdue = contoso_incident(severity="C", title="Overdue one")
    later = contoso_incident(severity="C", title="Later one", at=frozen - dt.timedelta(minutes=5))
    Incident.objects.filter(pk=overdue.pk).update(response_due_at=frozen - dt.timedelta(hours=1))
    Incident.objects.filter(pk=later.pk).update(response_due_at=frozen + dt.timedelta(hours=3))
    page = signed_in(bob).get("/incidents/").text
    assert page.index("Overdue one") < page.index("Later one") < page.index("Answered one")
    newest = signed_in(bob).get("/incidents/?sort=newest").text
    assert newest.index("Later one") < newest.index("Overdue one")


def test_the_queue_filters_by_customer_and_site(bob, frozen):
    contoso_incident(title="Paris mail down")
    client = signed_in(bob)
    contoso = Organisation.objects.get(name="Contoso SA")
    fabrikam = Organisation.objects.get(name="Fabrikam Inc.")
    assert "Paris mail down" in client.get(f"/incidents/?customer={contoso.pk}").text
    assert "Paris mail down" not in client.get(f"/incidents/?customer={fabrikam.pk}").text
    assert "Paris mail down" in client.get("/incidents/?site=fr").text
    assert "Paris mail down" not in client.get("/incidents/?site=JP").text


def test_a_customer_has_no_customer_filter(alice, frozen):
    page = signed_in(alice).get("/incidents/").text
    assert 'name="customer"' not in page
    assert 'name="site"' in page


def _many(n: int) -> None:
    """Copy the first incident ``n`` times (the queue reads rows, whatever opened them)."""
    first = Incident.objects.first()
    rows = []
    for i in range(n):
        first.pk = None
        first.title = f"Copy {i:03d}"
        rows.append(
            Incident(**{f.attname: getattr(first, f.attname) for f in Incident._meta.concrete_fields})
        )
    Incident.objects.bulk_create(rows)


def test_fifty_a_page_and_a_bounded_number_of_queries(bob, frozen, django_assert_max_num_queries):
    """Same number of queries with 2 incidents and with 60."""
    contoso_incident()
    contoso_incident(severity="C")
    client = signed_in(bob)
    client.get("/incidents/")
    with django_assert_max_num_queries(20) as few:
        client.get("/incidents/")
    _many(58)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        page = client.get("/incidents/").text
    assert len(many.captured_queries) == len(few.captured_queries)
    assert page.count("<tr>") - 1 == 50  # 50 rows and the header
    assert "page=2" in page
    assert "Copy" in client.get("/incidents/?page=2").text
