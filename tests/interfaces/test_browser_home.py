"""alice's home in a real browser: the totals across her sites, in English and French, on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.interfaces.browser_support import shoot, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.mark.parametrize(("language", "credits_word", "title"), [
    ("en", "credits", "What is left, across all sites"),
    ("fr", "avoirs", "Ce qui reste, sur tous les sites"),
])  # fmt: skip
def test_alice_home_shows_totals_across_sites_on_a_phone(
    browser, live_server, alice, tmp_path: Path, language, credits_word, title
):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    sign_in(page, live_server.url, "alice")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_text(title).is_visible()
    assert page.locator("dd.total-credits").inner_text().endswith(credits_word)
    assert page.locator("table.by-site tbody tr").count() > 1  # per site, below the totals
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(page, f"home-{language}.png", tmp_path)


def test_the_portals_scripts_run_under_its_policy(browser, live_server, alice, demo_orders):
    """Issue 17 §3: with script-src 'self', the portal's own files still run (rule badges become
    links, tables get their card labels, countdowns tick) and the browser reports no violation."""
    from tests.incident_support import contoso_incident

    incident = contoso_incident(title="Mail down")
    page = browser.new_page(viewport={"width": 375, "height": 800})
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    sign_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    assert page.locator("a.rule-link").count() > 0
    assert page.locator("[data-due]").first.inner_text() != ""
    page.goto(f"{live_server.url}/incidents/")
    assert page.locator("main table td[data-label]").count() > 0
    assert refused == []
