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
