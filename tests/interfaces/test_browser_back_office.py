"""The back office in a real headless browser (issue 15 §3): bob uploads an order file, reads the
validator's verdict, confirms the import, then accepts a line awaiting acceptance (ORD-8); at 375 px
the pages do not scroll sideways."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.interfaces.browser_support import shoot, sign_in
from unisupport.orders.models import LineStatus, Order, OrderLine

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_ord_8_bob_imports_an_order_through_the_portal_and_accepts_a_line(
    browser, live_server, bob, tmp_path: Path
):
    text = re.sub(
        r"^(agreement|order): (\S+)",
        r"\1: \2-WEB",
        (EXAMPLES / "contoso-unified.yaml").read_text(),
        flags=re.M,
    )
    upload = tmp_path / "contoso-web.yaml"
    upload.write_text(text)
    page = browser.new_page(viewport={"width": 375, "height": 800})
    sign_in(page, live_server.url, "bob")
    page.goto(f"{live_server.url}/back-office/import/")
    page.set_input_files("#id_file", str(upload))
    page.get_by_role("button", name="Validate").click()
    verdict = page.locator("#verdict-h").locator("..")
    assert "Valid." in verdict.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(page, "back-office-verdict.png", tmp_path)
    assert not Order.objects.filter(number="ESO-2026-001-WEB").exists()
    page.get_by_role("button", name="Confirm the import").click()
    page.wait_for_url("**/back-office/import/")
    assert "Order ESO-2026-001-WEB imported: version 1." in page.locator(".messages").inner_text()
    assert Order.objects.filter(number="ESO-2026-001-WEB").exists()

    line = OrderLine.objects.filter(service_id="azure-rapid-response").first()
    OrderLine.objects.filter(pk=line.pk).update(status=LineStatus.PENDING_ACCEPTANCE)
    page.goto(f"{live_server.url}/back-office/lines/")
    row = page.locator(f"#line-{line.pk}")
    row.get_by_label("Accept").check()
    row.get_by_label("I confirm this decision").check()
    row.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/back-office/lines/")
    assert "accepted" in page.locator(".messages").inner_text()
    line.refresh_from_db()
    assert line.status == LineStatus.ACCEPTED


def test_the_vendors_lists_fit_a_phone_in_french_and_english(browser, live_server, bob):
    """At 375 px wide: My customers, the incident queue, the deliveries, the closures and a site calendar
    scroll no page sideways (a wide table scrolls inside itself)."""
    for locale in ("fr-FR", "en-GB"):
        page = browser.new_page(viewport={"width": 375, "height": 800}, locale=locale)
        sign_in(page, live_server.url, "bob")
        for path in (
            "/?mine=0",
            "/incidents/",
            "/deliveries/",
            "/programmes/late/",
            "/back-office/",
            "/back-office/closures/",
            "/back-office/lines/",
            "/orders/ESO-2026-001/calendars/",
        ):
            page.goto(f"{live_server.url}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (locale, path, width)
        page.close()
