"""The Consumption page in a real headless browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.interfaces.test_browser import CHROMIUM_ARGS, sign_in
from tests.ledger_support import burn_contoso

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def chromium(chromium_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    # As in test_browser: Playwright's loop runs in this thread beside synchronous ORM fixtures.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def test_alice_follows_her_consumption_in_english_and_french(chromium, live_server, alice, tmp_path: Path):
    """ORD-5, DEL-1: balances, burn-down against the plan, what is at risk, the statement and its CSV."""
    burn_contoso(hours="20")
    page = chromium.new_page(locale="en-GB")
    sign_in(page, live_server.url, "alice")
    page.wait_for_url("**/agreements/CONTOSO-UNIFIED/")
    page.goto(f"{live_server.url}/orders/ESO-2026-001/")
    page.click(".consumption-link a")
    page.wait_for_url("**/orders/ESO-2026-001/consumption/")
    assert page.locator("h1").inner_text() == "Consumption of order ESO-2026-001"
    assert page.locator("tr[data-kind=credits] .balance").inner_text() == "462"
    assert page.locator(".burn svg polyline.actual").count() == 1  # FR: the credits
    assert page.locator(".statement table.entries tbody tr").count() == 7  # credits 2, allocation 5

    page.click("nav.sites a:has-text('DE')")
    page.wait_for_url("**site=DE")
    assert page.locator(".burn svg").count() == 2  # DE: credits and the EDE hour block
    assert page.locator("tr[data-kind=hours] .balance").inner_text() == "380 h"
    page.select_option("select[name=kind]", "hours")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**kind=hours**")
    assert page.locator(".statement table.entries tbody tr").count() == 2
    assert "format=csv" in (page.locator("a.csv").get_attribute("href") or "")

    page.click("form.lang button[value=fr]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Consommation de l'Ordre de Services ESO-2026-001"
    assert page.get_by_text("Risque de perte").is_visible()
    page.screenshot(path=str(tmp_path / "consumption-fr.png"), full_page=True)
    assert (tmp_path / "consumption-fr.png").stat().st_size > 10_000
    shots = os.environ.get("UNISUPPORT_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / "consumption-fr.png"), full_page=True)
