"""The filter bar on the vendor's other lists: deliveries (customer, order, site) and late milestones
(customer, order), kept across pages; still a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.interfaces.portal_support import signed_in
from tests.interfaces.test_delivery_lists_scale import MONDAY, make
from unisupport.accounts.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_deliveries_list_filters_by_customer_order_and_site(rates, bob, monkeypatch):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: MONDAY)
    make(3, bob)
    client = signed_in(bob)
    contoso = Organisation.objects.get(name="Contoso SA").pk
    fabrikam = Organisation.objects.get(name="Fabrikam Inc.").pk
    assert client.get(f"/deliveries/?customer={contoso}").text.count('href="/deliveries/') >= 3
    assert 'href="/deliveries/1' not in client.get(f"/deliveries/?customer={fabrikam}").text
    assert "No delivery yet." in client.get("/deliveries/?site=JP").text
    assert "No delivery yet." not in client.get("/deliveries/?order=ESO-2026-001&site=fr").text
    tabs = client.get(f"/deliveries/?customer={contoso}").text
    assert f"show=upcoming&amp;customer={contoso}" in tabs


def test_a_customer_filters_deliveries_by_order_without_a_customer_filter(rates, alice):
    page = signed_in(alice).get("/deliveries/").text
    assert 'name="order"' in page
    assert 'name="customer"' not in page


def test_the_late_milestones_filter_by_customer_and_order(bob, monkeypatch):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 6, 1, tzinfo=dt.UTC))
    client = signed_in(bob)
    contoso = Organisation.objects.get(name="Contoso SA").pk
    fabrikam = Organisation.objects.get(name="Fabrikam Inc.").pk
    every = client.get("/programmes/late/").text
    assert every.count('class="milestone-late"') > 0
    assert client.get(f"/programmes/late/?customer={contoso}").text.count('class="milestone-late"') > 0
    assert 'class="milestone-late"' not in client.get(f"/programmes/late/?customer={fabrikam}").text
    assert 'class="milestone-late"' not in client.get("/programmes/late/?order=ESO-2026-101").text
