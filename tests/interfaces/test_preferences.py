"""RSP-8 (issue 14 §2): product and feature communications carry a one-click unsubscribe (RFC 8058
headers, read from a real SMTP server); a person who opts out gets none, while the service
notifications the contract needs still reach them. The monthly review is e-mailed on the first
business day of the month at the host site, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.interfaces.portal_support import signed_in

pytestmark = pytest.mark.django_db
# Friday 1 January 2027 is a holiday in France, the 2nd and 3rd a weekend: the first business day is Monday the 4th.
MONDAY_4TH = dt.datetime(2027, 1, 4, 8, tzinfo=dt.UTC)


@pytest.fixture
def contoso(alice, bob, settings):
    from django.contrib.auth.models import User

    from tests.scopes import OPERATOR
    from unisupport.orders.models import Agreement
    from unisupport.success.contact_services import add_contact

    settings.UNISUPPORT_BASE_URL = "https://support.example"
    User.objects.filter(username="alice").update(email="alice@contoso.test")
    User.objects.filter(username="bob").update(email="bob@vendor.test")
    Agreement.objects.filter(code="CONTOSO-UNIFIED").update(csam=bob)
    vera = User.objects.create_user("ops", email="ops@contoso.test", password="x" * 12)
    add_contact(
        scope=OPERATOR,
        order="ESO-2026-001",
        role="reactive",
        name="Ops",
        email="ops@contoso.test",
        at=MONDAY_4TH,
    )
    return vera


def test_rsp8_the_review_is_a_service_mail_for_the_admins_and_the_csam_and_opt_out_able_for_the_others(
    contoso, smtp_server
):
    from unisupport.incidents.worker import tick
    from unisupport.success.review_mail import send_monthly_reviews

    assert send_monthly_reviews(now=MONDAY_4TH - dt.timedelta(days=3)) == 0  # Friday 1st: a holiday
    assert send_monthly_reviews(now=MONDAY_4TH) == 5  # ESO-2026-001: 3; ESO-2026-002 (JP): alice and bob
    assert send_monthly_reviews(now=MONDAY_4TH + dt.timedelta(hours=1)) == 0  # once
    tick(now=MONDAY_4TH)
    mail = {
        m["To"]: m for m in smtp_server.mailbox.messages if m["Subject"].startswith("ESO-2026-001: monthly")
    }
    assert set(mail) == {"alice@contoso.test", "bob@vendor.test", "ops@contoso.test"}
    assert "2026-12" in mail["alice@contoso.test"]["Subject"]
    assert mail["alice@contoso.test"]["List-Unsubscribe"] is None  # a service notification
    product = mail["ops@contoso.test"]
    assert product["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "=?" not in product.as_string()  # the link is plain text, not an encoded word
    link = str(product["List-Unsubscribe"]).strip().strip("<>")
    assert link.startswith("https://support.example/unsubscribe/")
    # The mail client's one-click POST: no session, no CSRF token.
    answer = Client(enforce_csrf_checks=True).post(
        link.removeprefix("https://support.example"), {"List-Unsubscribe": "One-Click"}
    )
    assert answer.status_code == 200
    contoso.preferences.refresh_from_db()
    assert contoso.preferences.product_emails is False


def test_rsp8_who_opted_out_gets_no_product_mail_but_still_the_service_ones(contoso):
    from unisupport.accounts.preferences import product_audience, set_preferences

    set_preferences(user=contoso, language="fr", product_emails=False, at=MONDAY_4TH)
    assert product_audience(["ops@contoso.test", "nobody@elsewhere.test"]) == [("nobody@elsewhere.test", {})]
    page = signed_in(contoso).get("/preferences/").content.decode()
    assert "RSP-8" in page
    assert 'id="pref-product" name="product_emails" checked' not in page
    assert Client().post("/unsubscribe/not-a-token/").status_code == 404


def test_each_person_gets_the_review_in_their_language_or_not_at_all_if_they_turned_it_off(
    contoso, alice, bob
):
    from unisupport.accounts.preferences import set_preferences
    from unisupport.incidents.models import Notification
    from unisupport.success.review_mail import send_monthly_reviews

    set_preferences(user=alice, language="fr", product_emails=True, at=MONDAY_4TH)
    set_preferences(user=bob, language="en", product_emails=True, muted=["monthly-review"], at=MONDAY_4TH)
    send_monthly_reviews(now=MONDAY_4TH)
    mine = Notification.objects.filter(subject__startswith="ESO-2026-001")
    assert (
        mine.get(recipient="alice@contoso.test").subject
        == "ESO-2026-001 : revue mensuelle des services 2026-12"
    )
    assert not mine.filter(recipient="bob@vendor.test").exists()
    signed_in(bob).post("/preferences/", {"language": "en", "kind-monthly-review": "on"})
    bob.preferences.refresh_from_db()
    assert bob.preferences.muted == ["milestone-late"]
