"""A customer's home: what is left across all sites and per site, what expires when (ORD-5, DEL-1),
open incidents with their time left; charlie sees nothing of Contoso's; the same number of queries
whatever the number of incidents."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from tests.incident_support import contoso_incident
from tests.interfaces.portal_support import signed_in
from unisupport.ledger.models import LedgerAccount


def _contoso_left(kind: str) -> Decimal:
    return LedgerAccount.objects.filter(organisation__name="Contoso SA", kind=kind).aggregate(
        s=Sum("balance")
    )["s"]


def test_alice_sees_what_is_left_across_her_sites_and_per_site(alice):
    page = signed_in(alice).get("/").text
    credits, hours = _contoso_left("credits"), _contoso_left("hours")
    assert credits > 0
    assert f'<dd class="total-credits">{int(credits)} credits</dd>' in page
    assert f'<dd class="total-hours">{hours.normalize():f} h</dd>' in page
    sites = {(a.order.number, a.site) for a in LedgerAccount.objects.filter(organisation__name="Contoso SA")}
    assert len(sites) > 1  # more than one site: the totals are across them
    for number, site in sites:
        assert f'href="/orders/{number}/consumption/?site={site}"' in page


def test_ord5_del1_the_home_says_what_expires_when(alice):
    page = signed_in(alice).get("/").text
    assert "30 June 2027" in page or "June 30, 2027" in page  # the term's end (ORD-5)
    assert "1 May 2027" in page or "May 1, 2027" in page  # DEL-1: expiry − 60 days
    assert "ORD-5" in page
    assert "DEL-1" in page


def test_the_home_is_in_french_with_french_numbers(alice):
    page = signed_in(alice, "fr").get("/").text
    assert "Ce qui reste, sur tous les sites" in page
    assert "avoirs" in page
    assert "1 mai 2027" in page


def test_open_incidents_are_listed_with_their_time_left_and_an_empty_state_says_what_to_do(alice):
    client = signed_in(alice)
    assert "No open incident." in client.get("/").text
    incident = contoso_incident(title="Mailboxes unreachable")
    page = client.get("/").text
    assert f'href="/incidents/{incident.pk}/"' in page
    assert "Mailboxes unreachable" in page


def test_charlie_sees_nothing_of_contoso_on_his_home(alice, charlie):
    contoso_incident(title="Contoso only")
    page = signed_in(charlie).get("/").text
    assert "Contoso only" not in page
    assert "ESO-2026-001" not in page
    assert "CONTOSO" not in page


def test_the_home_takes_the_same_queries_with_1_or_30_open_incidents(alice, django_assert_max_num_queries):
    client = signed_in(alice)
    contoso_incident()
    client.get("/")  # sessions and caches warm
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for _ in range(29):
        contoso_incident()
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/")


FIVE_SITES = """
agreement: CONTOSO-UNIFIED
order: ESO-2026-050
customer: Contoso SA
host: FR
start: 2026-07-01
end: 2027-06-30
currency: USD
sites:
""" + "".join(
    f"  - country: {country}\n    lines:\n      - {{service: proactive-credits, quantity: 10}}\n"
    for country in ("BE", "ES", "IT", "NL", "GB")
)


def test_the_home_takes_no_more_queries_with_five_more_sites(alice, django_assert_max_num_queries):
    """The home's totals and per-site rows come from one grouped query, whatever the number of sites."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.scopes import OPERATOR
    from unisupport import clock
    from unisupport.orders.services import import_order_file

    client = signed_in(alice)
    client.get("/")  # sessions and caches warm
    with CaptureQueriesContext(connection) as before:
        page = client.get("/").text
    assert "ESO-2026-050" not in page
    assert import_order_file(scope=OPERATOR, at=clock.now(), text=FIVE_SITES).verdict.valid
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get("/").text
    assert all(f"<td>{country}</td>" in page or f">{country}<" in page for country in ("BE", "GB", "NL"))


def test_recent_activity_mixes_incidents_and_ledger_entries_newest_first(alice):
    incident = contoso_incident(title="Messagerie lente")
    page = signed_in(alice).get("/").text
    activity = page.split('aria-labelledby="activity-h"')[1]
    assert f'href="/incidents/{incident.pk}/"' in activity
    assert "/consumption/?site=" in activity  # the ledger's grants are there too


def test_flx1_the_allocation_left_is_shown_in_its_currency_and_in_usd_at_the_orders_rate():
    """FLX-1's Reading: an order's usd_rate is units of its currency per US dollar."""
    from unisupport.domain.money import Money
    from unisupport.ledger.selectors import Left
    from unisupport.orders.models import OrderVersion
    from unisupport.portal.views.home import _left

    rows = [
        Left("EU-1", "FR", "allocation", "EUR", Decimal("9000.00")),
        Left("EU-1", "DE", "allocation", "EUR", Decimal("900.00")),
        Left("EU-1", "FR", "credits", "", Decimal("120.00")),
    ]
    shown = _left(rows, {"EU-1": OrderVersion(currency="EUR", usd_rate=Decimal("0.9"))})
    totals = {t["kind"]: t["left"] for t in shown["totals"]}
    assert totals["allocation"] == Money(Decimal("9900.00"), "EUR")
    assert shown["allocation_usd"] == Money(Decimal("11000.00"), "USD")
    assert str(totals["credits"]) == "120 credits"  # without PostgreSQL's trailing zeros
    fr = next(s for s in shown["sites"] if s["site"] == "FR")
    allocation = next(a for a in fr["accounts"] if a["kind"] == "allocation")
    assert allocation["usd"] == Money(Decimal("10000.00"), "USD")
    no_rate = _left(rows[:1], {"EU-1": OrderVersion(currency="EUR", usd_rate=None)})
    assert no_rate["allocation_usd"] is None  # no rate: no dollar figure rather than a wrong one
