"""The portal in a real headless browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(chromium_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
    # around it are still synchronous, so Django's async-safety guard is lifted for the test.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("button[type=submit].primary")


def test_alice_signs_in_switches_language_and_finds_services_and_deadlines(
    browser, live_server, alice, tmp_path: Path
):
    page = browser.new_page(locale="en-GB")
    sign_in(page, live_server.url, "alice")
    page.wait_for_url("**/agreements/CONTOSO-UNIFIED/")
    assert page.locator("h1").inner_text() == "My agreement: CONTOSO-UNIFIED"
    assert page.locator(".request-deadline").first.inner_text().startswith("May 1, 2027")
    assert page.get_by_text("Host site").first.is_visible()
    deadline_rule = page.locator("a.rule-link", has_text="DEL-1").first
    assert deadline_rule.get_attribute("href") == "/rules/#DEL-1"  # every cited rule can be looked up
    page.screenshot(path=str(tmp_path / "agreement-en.png"), full_page=True)
    assert (tmp_path / "agreement-en.png").stat().st_size > 10_000

    page.click("form.lang button[value=fr]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Mon contrat : CONTOSO-UNIFIED"
    assert page.get_by_text("Site Hôte").first.is_visible()
    assert page.get_by_text("Site Aval").first.is_visible()
    services = page.locator("table.services .name").all_inner_texts()
    assert any(name.startswith("Services fondamentaux") for name in services)
    page.screenshot(path=str(tmp_path / "agreement-fr.png"), full_page=True)
    shots = os.environ.get("UNISUPPORT_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / "agreement-fr.png"), full_page=True)

    page.click("text=Catalogue")
    page.wait_for_url("**/catalog/")
    assert page.locator("table.services tbody tr").count() == 49


def test_charlie_cannot_open_contoso_in_the_browser(browser, live_server, charlie):
    page = browser.new_page()
    sign_in(page, live_server.url, "charlie")
    page.wait_for_url("**/agreements/FABRIKAM-UNIFIED/")
    response = page.goto(f"{live_server.url}/agreements/CONTOSO-UNIFIED/")
    assert response is not None
    assert response.status == 404
