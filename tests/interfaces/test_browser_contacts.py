"""Contacts and webhooks in a real headless browser (issue 14 §2, §3): alice names and changes her
order's contacts in French (a change reported late is flagged, RSP-3) and registers a webhook in
English, tests it and reads its delivery log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.interfaces.browser_support import shoot, sign_in
from tests.interfaces.test_webhooks import Receiver

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_rsp1_rsp3_alice_names_a_contact_and_reports_a_change_late_in_french(
    browser, live_server, alice, monkeypatch, tmp_path: Path
):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 1, 5, 9, tzinfo=dt.UTC))
    page = browser.new_page(locale="fr-FR")
    sign_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/orders/ESO-2026-001/")
    page.click(".contacts-link a")
    page.wait_for_url("**/orders/ESO-2026-001/contacts/")
    assert "RSP-1" in page.locator("[role=alert]").inner_text()
    page.select_option("#add-role", "admin")
    page.fill("#add-name", "Marie Dubois")
    page.fill("#add-email", "marie@contoso.test")
    page.fill("#add-site", "FR")
    page.click("button:has-text('Ajouter')")
    page.wait_for_url("**/contacts/")
    assert page.locator("[role=alert]").count() == 0
    assert "Administrateur des Services de Support" in page.locator("table.contacts").inner_text()
    page.fill("#ch-day", "2026-12-22")
    page.fill("#ch-email", "marie.dubois@contoso.test")
    page.click("button:has-text('Enregistrer le changement')")
    page.wait_for_url("**/contacts/")
    assert "déclaré en retard" in page.locator(".messages").inner_text()
    late = page.locator("table.changes tr.milestone-late")
    assert late.count() == 1
    assert "RSP-3" in late.inner_text()
    shoot(page, "contacts-fr.png", tmp_path)


def test_alice_registers_tests_and_reads_a_webhook_in_english(
    browser, live_server, alice, settings, tmp_path: Path
):
    from unisupport.webhooks.delivery import deliver_due

    settings.DEBUG = True  # http:// to the loopback receiver
    receiver = Receiver()
    try:
        page = browser.new_page(locale="en-GB")
        sign_in(page, live_server.url, "alice")
        page.click("nav a:has-text('Webhooks')")
        page.wait_for_url("**/webhooks/")
        page.fill("#hook-url", receiver.url)
        page.check("input[value='incident.opened']")
        page.click("button:has-text('Register')")
        page.wait_for_url("**/webhooks/")
        assert "whsec_" in page.locator(".messages").inner_text()
        page.click("button:has-text('Send a test event')")
        page.wait_for_url("**/webhooks/")
        deliver_due(now=dt.datetime.now(dt.UTC))
        page.reload()
        log = page.locator("table.log").inner_text()
        assert "webhook.test" in log
        assert "delivered" in log
        assert len(receiver.requests) == 1
        shoot(page, "webhooks-en.png", tmp_path)
    finally:
        receiver.server.shutdown()


def test_rsp8_alice_opts_out_of_product_mail_in_english_and_reads_her_review_in_french(
    browser, live_server, alice, tmp_path: Path
):
    page = browser.new_page(locale="en-GB")
    sign_in(page, live_server.url, "alice")
    page.click("a.who")  # her name: her profile, which links to her e-mail preferences
    page.wait_for_url("**/profile/")
    page.click("text=E-mail preferences")
    page.wait_for_url("**/preferences/")
    assert page.locator("h1").inner_text() == "Preferences"
    assert page.is_checked("#pref-product")
    page.uncheck("#pref-product")
    page.select_option("#pref-language", "fr")
    page.click("button:has-text('Save')")
    page.wait_for_url("**/preferences/")
    assert not page.is_checked("#pref-product")
    assert "Preferences saved." in page.locator(".messages").inner_text()

    french = browser.new_page(locale="fr-FR", accept_downloads=True)
    sign_in(french, live_server.url, "alice")
    french.goto(f"{live_server.url}/orders/ESO-2026-001/")
    french.click(".review-link a")
    french.wait_for_url("**/orders/ESO-2026-001/review/*/")
    assert "Revue mensuelle des services" in french.locator("h1").inner_text()
    assert "Consommation par rapport au plan" in french.content()
    with french.expect_download() as download:
        french.click("a.pdf")
    assert download.value.suggested_filename.startswith("review-ESO-2026-001-")
    shoot(french, "review-fr.png", tmp_path)
