"""The vendor's home, "My customers": a CSAM's agreements first, search, sort, pages, ended ones marked (ORD-2)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.interfaces.portal_support import signed_in
from unisupport.accounts.services import customer_organisation
from unisupport.orders.models import Agreement, Order, OrderVersion

pytestmark = pytest.mark.django_db


def _agreements(n: int, *, csam=None, prefix: str = "BULK") -> None:
    """Add ``n`` agreements with one order each (a current version ending 2027-06-30)."""
    for i in range(n):
        org = customer_organisation(name=f"{prefix} Customer {i:03d}")
        agreement = Agreement.objects.create(
            organisation=org, code=f"{prefix}-{i:03d}", host_country="FR", csam=csam
        )
        order = Order.objects.create(organisation=org, agreement=agreement, number=f"{prefix}-ORD-{i:03d}")
        OrderVersion.objects.create(
            organisation=org,
            order=order,
            version=1,
            customer_name=org.name,
            host_country="FR",
            start=dt.date(2026, 7, 1),
            end=dt.date(2027, 6, 30),
            currency="EUR",
            fingerprint=f"f{i}",
            source_yaml="",
        )


def test_a_csam_lands_on_the_agreements_they_are_csam_of_and_can_switch_to_all(bob):
    """MC-3: the CSAM's own agreements by default, a switch to every customer."""
    Agreement.objects.filter(code="CONTOSO-UNIFIED").update(csam=bob)
    client = signed_in(bob)
    page = client.get("/").text
    assert "My customers" in page
    assert "CONTOSO-UNIFIED" in page
    assert "FABRIKAM-UNIFIED" not in page
    everyone = client.get("/?mine=0").text
    assert "CONTOSO-UNIFIED" in everyone
    assert "FABRIKAM-UNIFIED" in everyone


def test_search_by_customer_agreement_or_order_number(bob):
    client = signed_in(bob)
    assert "FABRIKAM-UNIFIED" not in client.get("/?mine=0&q=contoso").text
    by_order = client.get("/?mine=0&q=ESO-2026-002").text
    assert "CONTOSO-UNIFIED" in by_order
    assert "FABRIKAM-UNIFIED" not in by_order


def test_a_terminated_agreement_is_marked_and_filtered_ord_2(bob):
    """ORD-2: an agreement whose foundational package was terminated reads so, and the filter finds it."""
    Agreement.objects.filter(code="CONTOSO-UNIFIED").update(terminated_on=dt.date(2026, 1, 31))
    client = signed_in(bob)
    page = client.get("/?mine=0").text
    assert "terminated on" in page
    assert "ORD-2" in page
    ended = client.get("/?mine=0&standing=ended").text
    assert "CONTOSO-UNIFIED" in ended
    assert "FABRIKAM-UNIFIED" not in ended
    in_force = client.get("/?mine=0&standing=in-force").text
    assert "CONTOSO-UNIFIED" not in in_force
    assert "résilié le" in signed_in(bob, "fr").get("/?mine=0").text


def test_fifty_a_page_with_a_link_to_the_next(bob):
    _agreements(55)
    client = signed_in(bob)
    first = client.get("/?mine=0&sort=code").text
    assert "BULK-000" in first
    assert "BULK-049" in first
    assert "BULK-050" not in first
    assert "page=2" in first
    second = client.get("/?mine=0&sort=code&page=2").text
    assert "BULK-050" in second
    assert "BULK-000" not in second


def test_the_list_reads_a_bounded_number_of_queries(bob, django_assert_max_num_queries):
    """Same number of queries with 2 agreements and with 40."""
    client = signed_in(bob)
    client.get("/?mine=0")  # warm the session and the process caches
    with django_assert_max_num_queries(12) as few:
        client.get("/?mine=0")
    _agreements(38)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        page = client.get("/?mine=0").text
    assert "BULK-037" in page
    assert len(many.captured_queries) == len(few.captured_queries)
