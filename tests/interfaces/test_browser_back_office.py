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
