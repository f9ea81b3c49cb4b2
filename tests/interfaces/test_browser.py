"""The portal in a real headless browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.interfaces.browser_support import shoot, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_alice_signs_in_switches_language_and_finds_services_and_deadlines(
    browser, live_server, alice, tmp_path: Path
):
    page = browser.new_page(locale="en-GB")
    sign_in(page, live_server.url, "alice")
    page.wait_for_url(f"{live_server.url}/")
    page.click("text=Agreement CONTOSO-UNIFIED")
    page.wait_for_url("**/agreements/CONTOSO-UNIFIED/")
    assert page.locator("h1").inner_text() == "My agreement: CONTOSO-UNIFIED"
    assert page.locator(".request-deadline").first.inner_text().startswith("May 1, 2027")
    assert page.get_by_text("Host site").first.is_visible()
    deadline_rule = page.locator("a.rule-link", has_text="DEL-1").first
    assert deadline_rule.get_attribute("href") == "/rules/#DEL-1"  # every cited rule can be looked up
    assert shoot(page, "agreement-en.png", tmp_path).stat().st_size > 10_000

    page.click("form.lang button[value=fr]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Mon contrat : CONTOSO-UNIFIED"
    assert page.get_by_text("Site Hôte").first.is_visible()
    assert page.get_by_text("Site Aval").first.is_visible()
    services = page.locator("table.services .name").all_inner_texts()
    assert any(name.startswith("Services fondamentaux") for name in services)
    shoot(page, "agreement-fr.png", tmp_path)

    page.click("text=Catalogue")
    page.wait_for_url("**/catalog/")
    assert page.locator("table.services tbody tr").count() == 49


def test_charlie_cannot_open_contoso_in_the_browser(browser, live_server, charlie):
    page = browser.new_page()
    sign_in(page, live_server.url, "charlie")
    page.wait_for_url(f"{live_server.url}/")
    response = page.goto(f"{live_server.url}/agreements/CONTOSO-UNIFIED/")
    assert response is not None
    assert response.status == 404
