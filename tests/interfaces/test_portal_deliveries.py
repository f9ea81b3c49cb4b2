"""The portal's delivery pages (Django's test client): a customer requests, sees what cancelling
costs, cancels; charlie sees nothing of it; the pages read in French."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.interfaces.portal_support import signed_in
from unisupport.deliveries.models import Delivery
from unisupport.domain.deliveries import CancelledBy

pytestmark = pytest.mark.django_db
FORM = {"order": "ESO-2026-001", "site": "FR", "service": "workshop", "quantity": "2", "pay": "credits"}


@pytest.fixture
def monday(monkeypatch, rates):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC))


def test_crd1_del2_alice_requests_sees_the_preview_and_cancels(alice, charlie, monday):
    client = signed_in(alice, "fr")
    assert "Demander un service" in client.get("/deliveries/new/").text
    made = client.post("/deliveries/new/", FORM)
    assert made.status_code == 302
    delivery = Delivery.objects.get()
    page = client.get(made["Location"]).text
    assert "25 avoirs" in page  # the contract's word: « Avoirs proactifs »
    assert "Annuler maintenant : 0 % = 0 avoirs" in page  # not scheduled yet: nothing kept (DEL-2)
    assert signed_in(charlie).get(made["Location"]).status_code == 404
    assert "D-" not in signed_in(charlie).get("/deliveries/").text
    cancelled = client.post(
        f"/deliveries/{delivery.pk}/cancel/", {"reason": "plus besoin", "confirm": "on"}, follow=True
    ).text
    assert "Annulée : 0 % retenus (DEL-2)." in cancelled
    delivery.refresh_from_db()
    assert delivery.state == "cancelled"


def test_crd1_del1_the_request_page_shows_prices_balances_and_the_deadline(alice, charlie, monday):
    """CRD-1: the FR card in force prices a workshop participant at 12.5 credits, and the order at
    3,000.00 USD; FLX-2: the allocation assigned to custom proactive services; DEL-1: request by
    1 May 2027 (60 days before the end). Charlie cannot read another organisation's sheet."""
    page = signed_in(alice).get("/deliveries/new/?order=ESO-2026-001").text
    assert "Request by May 1, 2027" in page
    workshop = page[page.index('<th scope="row">Workshops</th>') :][:120]
    assert "<td>12.5</td>" in workshop
    assert "3,000.00 USD" in workshop
    assert "Allocation for Custom proactive services" in page
    assert "50,000.00 USD" in page
    assert "Credits available: <strong>500</strong>" in page
    assert "Hours of Enhanced Designated Engineering (EDE): <strong>400</strong>" in page
    french = signed_in(alice, "fr").get("/deliveries/new/").text
    assert "Demandez avant le 1 mai 2027" in french
    assert "50\u202f000,00\xa0$US" in french  # written the French way, as CLDR writes dollars in French
    assert "Avoirs disponibles" in french
    foreign = signed_in(charlie).get("/deliveries/new/?order=ESO-2026-001").text
    assert "What you can use on ESO-2026-001" not in foreign
    assert "Workshops</th>" not in foreign


def test_del1_past_the_deadline_the_page_warns_that_requests_are_best_effort(alice, monkeypatch, rates):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 5, 3, 10, 0, tzinfo=dt.UTC))
    page = signed_in(alice).get("/deliveries/new/").text
    assert "Since May 1, 2027, a request on this order is accepted as best effort only." in page


def test_crd2_a_refused_request_shows_its_rule_and_writes_nothing(alice, monday):
    page = signed_in(alice).post("/deliveries/new/", FORM | {"quantity": "1000"}, follow=True).text
    assert "CRD-2" in page
    assert not Delivery.objects.exists()


def test_a_viewer_sees_the_list_but_cannot_request(vera, monday):
    client = signed_in(vera)
    assert "Request a service" not in client.get("/deliveries/").text
    refused = client.post("/deliveries/new/", FORM, follow=True).text
    assert not Delivery.objects.exists()
    assert "Only your support services administrator requests services." in refused


def test_del4_the_vendor_schedules_then_delivers_from_the_page(alice, bob, monday):
    signed_in(alice).post("/deliveries/new/", FORM)
    delivery = Delivery.objects.get()
    client = signed_in(bob)
    page = client.get(f"/deliveries/{delivery.pk}/").text
    assert "Vendor actions" in page
    assert "Vendor actions" not in signed_in(alice).get(f"/deliveries/{delivery.pk}/").text
    saturday = client.post(f"/deliveries/{delivery.pk}/schedule/", {"on": "2027-02-06"}, follow=True).text
    assert "SEV-7" in saturday
    unknown = client.post(
        f"/deliveries/{delivery.pk}/schedule/", {"on": "2027-02-08", "engineer": "nobody"}, follow=True
    )
    assert "no active user &#x27;nobody&#x27;" in unknown.text
    from unisupport.accounts.models import EngineerProfile

    EngineerProfile.objects.create(user=bob, country="FR", services=["workshop"], languages=["fr", "en"])
    client.post(
        f"/deliveries/{delivery.pk}/schedule/", {"on": "2027-02-08", "start": "09:30", "engineer": "bob"}
    )
    delivery.refresh_from_db()
    assert (delivery.state, str(delivery.scheduled_on), delivery.engineer) == ("scheduled", "2027-02-08", bob)
    client.post(f"/deliveries/{delivery.pk}/deliver/")
    delivery.refresh_from_db()
    assert delivery.state == "delivered"


def test_ord5_the_consumption_page_proposes_what_to_use_before_it_expires(alice, bob, monday):
    from unisupport.accounts.models import EngineerProfile

    EngineerProfile.objects.create(user=bob, country="FR", services=["workshop"], languages=["fr"])
    page = signed_in(alice, "fr").get("/orders/ESO-2026-001/consumption/", {"site": "FR"}).text
    assert "À utiliser avant expiration" in page
    assert "<code>workshop</code>" in page
    # One click on a proposal requests it (the customer's administrator; the vendor then schedules).
    made = signed_in(alice).post("/deliveries/new/", FORM | {"quantity": "1"})
    assert made.status_code == 302
    assert 'action="/deliveries/new/"' in page


def test_del4_the_vendors_board_shows_requests_waiting_and_the_week_of_bookings(alice, bob, vera, monday):
    from unisupport.accounts.models import EngineerProfile

    EngineerProfile.objects.create(user=bob, country="FR", services=["workshop"], languages=["fr"])
    client = signed_in(alice)
    client.post("/deliveries/new/", FORM)
    client.post("/deliveries/new/", FORM | {"quantity": "1"})
    waiting, booked = Delivery.objects.order_by("pk")
    signed_in(bob).post(
        f"/deliveries/{booked.pk}/schedule/", {"on": "2027-01-06", "start": "10:00", "engineer": "bob"}
    )
    board = signed_in(bob).get("/deliveries/week/", {"start": "2027-01-04"}).text
    assert f"D-{waiting.pk}</a> workshop" in board  # waiting
    assert f"D-{booked.pk}</a> 10:00" in board  # Wednesday, bob's row
    assert signed_in(vera).get("/deliveries/week/").status_code == 404


def test_del7_the_vendor_attaches_a_report_alice_downloads_it_with_the_notice_charlie_cannot(
    alice, bob, charlie, monday, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.scopes import OPERATOR
    from unisupport.deliveries import services

    settings.UNISUPPORT_FILES_DIR = tmp_path / "files"
    signed_in(alice).post("/deliveries/new/", FORM)
    delivery = Delivery.objects.get()
    services.schedule_delivery(
        scope=OPERATOR, delivery_id=delivery.pk, on=dt.date(2027, 2, 1), at=dt.datetime.now(dt.UTC)
    )
    services.deliver(scope=OPERATOR, delivery_id=delivery.pk, at=dt.datetime(2027, 2, 1, 17, tzinfo=dt.UTC))
    vendor = signed_in(bob)
    report = SimpleUploadedFile("rapport.pdf", b"%PDF-1.7 report", content_type="application/pdf")
    page = vendor.post(f"/deliveries/{delivery.pk}/attach/", {"file": [report]}, follow=True).text
    assert "1 file(s) attached (DEL-7)." in page
    french = signed_in(alice, "fr").get(f"/deliveries/{delivery.pk}/").text
    assert "rapport.pdf" in french
    assert "ne peuvent pas être redistribués" in french  # §2.7's notice, DEL-7
    got = signed_in(alice).get(f"/deliveries/{delivery.pk}/files/1/")
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == b"%PDF-1.7 report"
    assert 'attachment; filename="rapport.pdf"' in got["Content-Disposition"]
    assert signed_in(charlie).get(f"/deliveries/{delivery.pk}/files/1/").status_code == 404
    refused = (
        signed_in(alice).post(f"/deliveries/{delivery.pk}/attach/", {"file": [report]}, follow=True).text
    )
    assert "DEL-7" not in refused or "attached" not in refused


def test_del4_the_vendor_sets_a_minimum_and_its_deadline_on_the_page(alice, bob, monday):
    signed_in(alice).post("/deliveries/new/", FORM)
    delivery = Delivery.objects.get()
    vendor = signed_in(bob)
    saved = vendor.post(
        f"/deliveries/{delivery.pk}/terms/",
        {"minimum": "3", "deadline": "2027-01-20", "capacity": ""},
        follow=True,
    ).text
    assert "Registration terms saved (DEL-4)." in saved
    assert "at least 3 by Jan. 20, 2027" in saved
    early = vendor.post(f"/deliveries/{delivery.pk}/below-minimum/", follow=True).text
    assert "DEL-4" in early
    delivery.refresh_from_db()
    assert delivery.state == "requested"


def test_the_deliveries_page_has_tabs_and_a_month_calendar_of_dated_deliveries(alice, bob, charlie, monday):
    from tests.scopes import OPERATOR
    from unisupport.deliveries import services

    signed_in(alice).post("/deliveries/new/", FORM)
    signed_in(alice).post("/deliveries/new/", FORM | {"quantity": "1"})
    first, second = Delivery.objects.order_by("pk")
    services.schedule_delivery(
        scope=OPERATOR,
        delivery_id=first.pk,
        on=dt.date(2027, 2, 3),
        at=dt.datetime(2027, 1, 4, tzinfo=dt.UTC),
    )
    services.cancel_delivery(
        scope=OPERATOR,
        delivery_id=second.pk,
        by=CancelledBy.CUSTOMER,
        at=dt.datetime(2027, 1, 4, tzinfo=dt.UTC),
    )
    client = signed_in(alice, "fr")
    upcoming = client.get("/deliveries/?show=upcoming").text
    assert f"D-{first.pk}<" in upcoming
    assert f"D-{second.pk}<" not in upcoming
    cancelled = client.get("/deliveries/?show=cancelled").text
    assert f"D-{second.pk}<" in cancelled
    assert "Annulées ou refusées" in cancelled
    assert client.get("/deliveries/?show=nope").status_code == 404
    month = client.get("/deliveries/calendar/?month=2027-02").text
    assert "février 2027" in month
    assert f"D-{first.pk}<" in month
    assert f"D-{first.pk}<" not in signed_in(charlie).get("/deliveries/calendar/?month=2027-02").text
    assert client.get("/deliveries/calendar/?month=2027-13").status_code == 404
