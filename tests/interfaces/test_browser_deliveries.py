"""Requesting and cancelling a delivery in a real headless browser, in French and in English."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.interfaces.browser_support import shoot, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.mark.parametrize(
    ("locale", "request_label", "cancel_done"),
    [
        ("fr-FR", "Demander un service", "Annulée : 0 % retenus (DEL-2)."),
        ("en-GB", "Request a service", "Cancelled: 0 % kept (DEL-2)."),
    ],
)
def test_crd1_del2_alice_requests_a_workshop_and_cancels_it(
    browser, live_server, alice, rates, monkeypatch, tmp_path, locale, request_label, cancel_done
):
    """CRD-1: the cost is reserved at the request; DEL-2: cancelled before it is scheduled, nothing is kept."""
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC))
    page = browser.new_page(locale=locale, viewport={"width": 375, "height": 900})
    sign_in(page, live_server.url, "alice")
    page.wait_for_url(f"{live_server.url}/")  # her home
    page.goto(f"{live_server.url}/deliveries/")
    page.click(f"text={request_label}")
    page.wait_for_url("**/deliveries/new/")
    page.select_option("#id_order", "ESO-2026-001")
    page.fill("#id_site", "FR")
    page.select_option("#id_service", "workshop")
    page.fill("#id_quantity", "2")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/deliveries/*/")
    assert "25" in page.locator("dl.facts").inner_text()
    assert page.locator("p.preview").is_visible()
    shoot(page, f"delivery-{locale}.png", tmp_path)
    page.check("#cancel-confirm")
    page.click("button.danger")
    page.wait_for_load_state()
    assert page.get_by_text(cancel_done).is_visible()
