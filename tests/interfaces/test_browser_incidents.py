"""Opening an incident in a real headless browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import pytest

from tests.interfaces.browser_support import shoot, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_sev1_alice_opens_an_incident_and_sees_its_countdown_and_timeline(
    browser, live_server, alice, tmp_path
):
    """SEV-1: the customer opens an incident on the portal; its response clock counts down live."""
    page = browser.new_page(locale="en-GB", viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, "alice")
    page.wait_for_url(f"{live_server.url}/")  # her home
    page.click("header nav >> text=Incidents")
    page.wait_for_url("**/incidents/")
    page.click("text=Open an incident")
    page.wait_for_url("**/incidents/new/")
    page.select_option("#id_site", "ESO-2026-001/FR")
    page.fill("#id_product", "Exchange Online")
    page.fill("#id_callback_phone", "+33 1 40 00 00 00")
    page.check("#sev-b")
    page.fill("#id_title", "Mail delivery delayed for the Paris office")
    page.fill("#id_description", "Messages take 40 minutes to arrive.")
    page.click("button[type=submit].primary >> text=Open the incident")
    page.wait_for_url("**/incidents/*/")
    assert page.locator("h1").inner_text().endswith("Mail delivery delayed for the Paris office")
    assert page.get_by_text("Severity B").first.is_visible()

    countdown = page.locator(".countdown")
    first = countdown.inner_text()
    page.wait_for_timeout(1500)
    assert countdown.inner_text() != first  # the inline script ticks every second
    assert page.locator(".due-utc").inner_text().endswith("UTC")
    timeline = page.locator("table.timeline tbody tr")
    assert timeline.count() >= 2
    assert "Opened" in timeline.first.inner_text()
    assert "alice" in timeline.first.inner_text()
    assert page.locator("text=Vendor actions").count() == 0
    shoot(page, "incident-en.png", tmp_path)

    page.click("form.lang button[value=fr]")
    page.wait_for_load_state()
    assert page.get_by_text("Gravité B").first.is_visible()
    assert page.get_by_text("Chronologie").first.is_visible()
    assert "Ouvert" in page.locator("table.timeline tbody tr").first.inner_text()
    shoot(page, "incident-fr.png", tmp_path)

    page.goto(f"{live_server.url}/incidents/new/")
    assert page.get_by_text("Arrêt des systèmes de gestion critiques").is_visible()
    shoot(page, "open-incident-fr.png", tmp_path)
    page.goto(f"{live_server.url}/incidents/")
    assert page.locator("table.incidents .countdown").count() == 1
