"""The Consumption page in a real headless browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.interfaces.browser_support import shoot, sign_in
from tests.ledger_support import burn_contoso

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_alice_follows_her_consumption_in_english_and_french(browser, live_server, alice, tmp_path: Path):
    """ORD-5, DEL-1: balances, burn-down against the plan, what is at risk, the statement and its CSV."""
    burn_contoso(hours="20")
    page = browser.new_page(locale="en-GB")
    sign_in(page, live_server.url, "alice")
    page.wait_for_url(f"{live_server.url}/")  # her home
    page.goto(f"{live_server.url}/orders/ESO-2026-001/")
    page.click(".consumption-link a")
    page.wait_for_url("**/orders/ESO-2026-001/consumption/")
    assert page.locator("h1").inner_text() == "Consumption of order ESO-2026-001"
    assert page.locator("tr[data-kind=credits] .balance").inner_text() == "462 credits"
    assert page.locator(".burn svg polyline.actual").count() == 2  # FR: the credits, UER's hours (UER-2)
    assert (
        page.locator(".statement table.entries tbody tr").count() == 8
    )  # credits 2, UER hours 1, allocation 5

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
    assert page.locator("tr[data-kind=credits] .balance").inner_text() == "200 avoirs"  # the DE site
    assert page.locator("tr[data-kind=hours] .balance").inner_text() == "380 h"
    assert shoot(page, "consumption-fr.png", tmp_path).stat().st_size > 10_000
