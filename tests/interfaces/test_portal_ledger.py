"""The portal's Consumption page: balances, burn-down, amounts at risk and the statement, in EN and FR."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.interfaces.portal_support import signed_in
from tests.ledger_support import burn_contoso

pytestmark = pytest.mark.django_db
PAGE = "/orders/ESO-2026-001/consumption/"


@pytest.fixture
def used(demo_orders):
    burn_contoso()


def test_alice_sees_balances_burn_down_risk_and_statement_in_english(alice, used):
    """ORD-5, DEL-1: what is left, against the days to expiry and the request deadline."""
    page = signed_in(alice).get(PAGE).text
    assert "Consumption of order ESO-2026-001" in page
    assert 'data-kind="credits"' in page
    assert ">462<" in page.replace(" ", "")
    assert "<svg" in page
    assert 'class="plan"' in page
    assert 'class="actual"' in page
    assert "At risk of forfeiture" in page
    assert "DEL-1" in page
    assert "CRD-1" in page
    assert "redeem 38 credits" in page
    de = signed_in(alice).get(PAGE + "?site=DE").text
    assert "392.5" in de
    assert "enhanced-designated-engineering" in de


def test_the_page_in_french(alice, used):
    page = signed_in(alice, "fr").get(PAGE).text
    for words in ("Consommation de l'Ordre de Services ESO-2026-001", "Soldes", "Avoirs proactifs",
                  "Risque de perte", "Relevé", "Site Hôte", "Allocation flexible"):  # fmt: skip
        assert words in page, words


def test_statement_filters_and_csv_export(alice, used):
    client = signed_in(alice)
    filtered = client.get(PAGE, {"site": "FR", "kind": "allocation", "rule": "FLX-5"}).text
    assert "assigned at execution to Custom proactive services" in filtered  # its name, not its code
    assert "redeem 38 credits" not in filtered
    csv = client.get(PAGE, {"site": "FR", "kind": "credits", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert lines[0].startswith("serial,entry,")
    assert len(lines) == 3
    assert ",-38,462," in lines[2]


def test_charlie_gets_404_and_the_order_page_and_nav_link_to_it(alice, charlie, used):
    assert signed_in(charlie).get(PAGE).status_code == 404
    client = signed_in(alice)
    assert PAGE in client.get("/orders/ESO-2026-001/").text
    index = client.get("/consumption/").text
    assert PAGE in index
    assert "ESO-2026-101" not in index
    assert Client().get(PAGE).status_code == 302


def test_the_charts_coordinates_are_machine_numbers_in_french_too(alice, used, monkeypatch):
    import datetime as dt
    import re

    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 5, 9, tzinfo=dt.UTC))
    page = signed_in(alice, "fr").get(PAGE).text
    coordinates = re.findall(r'<line class="today" x1="([^"]+)"', page)
    assert coordinates
    for x in coordinates:
        assert "," not in x  # "241,1" would put the line at the chart's left edge
        assert float(x) > 0


def test_a_long_statement_is_counted_only_so_far(alice, used, monkeypatch):
    """The page's cost does not grow with the account: past COUNT_LIMIT lines it says "more than"."""
    from unisupport.portal import consumption

    monkeypatch.setattr(consumption, "STATEMENT_LIMIT", 1)
    page = signed_in(alice).get(PAGE, {"site": "FR", "kind": "credits"}).text
    assert "The latest 1 of 2 entries" in page
    monkeypatch.setattr(consumption, "COUNT_LIMIT", 1)
    page = signed_in(alice).get(PAGE, {"site": "FR", "kind": "credits"}).text
    assert "The latest 1 of more than 1 entries" in page
