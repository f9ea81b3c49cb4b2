"""The organisation scope: alice sees Contoso, bob (vendor) sees everyone, charlie sees only Fabrikam."""

from __future__ import annotations

import pytest

from unisupport.accounts.scope import NOBODY, scope_of
from unisupport.orders.models import Order
from unisupport.orders.selectors import agreements_for, order_for, orders_for

pytestmark = pytest.mark.django_db


def test_alice_sees_only_contoso(alice):
    scope = scope_of(alice)
    assert sorted(orders_for(scope).values_list("number", flat=True)) == ["ESO-2026-001", "ESO-2026-002"]
    assert list(agreements_for(scope).values_list("code", flat=True)) == ["CONTOSO-UNIFIED"]


def test_charlie_must_see_nothing_of_contoso(charlie):
    scope = scope_of(charlie)
    assert list(orders_for(scope).values_list("number", flat=True)) == ["ESO-2026-101"]
    with pytest.raises(Order.DoesNotExist):
        order_for(scope, number="ESO-2026-001")


def test_bob_the_csam_sees_every_customer(bob):
    assert orders_for(scope_of(bob)).count() == 3


def test_anonymous_sees_nothing(demo_orders):
    assert orders_for(NOBODY).count() == 0
    assert orders_for(scope_of(None)).count() == 0


def test_back_office_staff_can_use_the_admin(demo_orders):
    from django.test import Client

    from unisupport.accounts.roles import Role
    from unisupport.accounts.services import create_person

    olivia = create_person(username="olivia", password="x" * 12, roles=[Role.BACK_OFFICE])
    client = Client()
    client.force_login(olivia)
    assert client.get("/admin/catalog/servicerecord/").status_code == 200
    assert client.get("/admin/orders/order/").status_code == 200
    assert client.get("/admin/incidents/rosterentry/").status_code == 200
