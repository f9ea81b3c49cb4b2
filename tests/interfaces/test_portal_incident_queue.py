"""The incident queue: by time left with the breached first (SEV-2..SEV-7), filters, 50 a page, bounded queries."""

from __future__ import annotations

import datetime as dt
import re

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
    """No more queries with 60 incidents than with 2 (with 2, the slice also looks for closed ones)."""
    contoso_incident()
    contoso_incident(severity="C")
    client = signed_in(bob)
    client.get("/incidents/")
    with django_assert_max_num_queries(20) as few:
        client.get("/incidents/")
    _many(58)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/incidents/").text
    assert page.count("<tr>") - 1 == 50  # 50 rows and the header
    assert "60 incidents" in page
    (after,) = re.findall(r'href="\?after=(\d+)" rel="next"', page)
    second = client.get(f"/incidents/?after={after}").text
    assert second.count("<tr>") - 1 == 10  # the rest, none twice
    assert 'rel="next"' not in second
    assert "First page" in second
    assert client.get("/incidents/?after=999999").status_code == 404


def test_the_next_slice_goes_on_in_every_order_without_repeating_or_skipping(bob, frozen):
    """SEV-7: the open incidents by time left, then the closed ones newest first; newest; severity."""
    from unisupport.accounts.scope import scope_of
    from unisupport.incidents.queue import QueueFilters, queue_slice

    for n in range(7):
        incident = contoso_incident(severity="C" if n % 2 else "A", title=f"Case {n}")
        if n % 3 == 0:
            services.close(
                scope=OPERATOR, incident_id=incident.pk, at=FRIDAY_5PM_PARIS + dt.timedelta(hours=n)
            )
    everyone = sorted(Incident.objects.values_list("pk", flat=True))
    for sort in ("time-left", "newest", "severity"):
        seen: list[int] = []
        after = None
        while True:
            found = queue_slice(scope_of(bob), QueueFilters(sort=sort), at=frozen, after=after, size=2)
            seen += [i.pk for i in found.incidents]
            if found.next_after is None:
                break
            after = found.next_after
        assert sorted(seen) == everyone, sort
        assert len(seen) == len(set(seen)), sort
        whole = queue_slice(scope_of(bob), QueueFilters(sort=sort), at=frozen, size=100)
        assert [i.pk for i in whole.incidents] == seen, sort  # the slices, end to end, are the whole list
