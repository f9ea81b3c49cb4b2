"""The orders in the back office: the ORD-8 decision and a termination go through the services;
what an order version holds is changed by an amendment (ORD-9), never edited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.ledger_support import EVENTS_ORDER
from tests.scopes import OPERATOR
from unisupport import clock
from unisupport.orders.models import Agreement, FlexibleAllocation, OrderLine
from unisupport.orders.services import import_order_file

pytestmark = pytest.mark.django_db

PENDING = EVENTS_ORDER.replace("ESO-2027-EVT", "ESO-2027-LIT").replace("quantity: 2", "quantity: 1")


@pytest.fixture
def admin_client(catalog_db) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    return client


def test_ord8_a_lines_decision_in_the_admin_is_the_services(admin_client):
    assert import_order_file(scope=OPERATOR, at=clock.now(), text=PENDING).verdict.valid
    line = OrderLine.objects.get(service_id="mcs-azure-events")
    assert line.status == "pending"
    url = f"/admin/orders/orderline/{line.pk}/change/"
    refused = admin_client.post(url, {"status": "active"})
    assert refused.status_code == 200
    assert "ORD-8" in refused.text
    line.refresh_from_db()
    assert line.status == "pending"
    assert admin_client.post(url, {"status": "accepted"}).status_code == 302
    line.refresh_from_db()
    assert line.status == "accepted"


def test_ord2_a_termination_in_the_admin_is_the_services_and_stays(admin_client, demo_orders):
    agreement = Agreement.objects.get(code="CONTOSO-UNIFIED")
    form = {
        "organisation": agreement.organisation_id,
        "code": agreement.code,
        "host_country": agreement.host_country,
        "csam": "",
        "terminated_on": "2026-12-31",
    }
    assert admin_client.post(f"/admin/orders/agreement/{agreement.pk}/change/", form).status_code == 302
    agreement.refresh_from_db()
    assert str(agreement.terminated_on) == "2026-12-31"
    page = admin_client.get(f"/admin/orders/agreement/{agreement.pk}/change/")
    assert 'name="terminated_on"' not in page.text  # read-only once terminated


def test_ord9_an_order_versions_allocation_is_not_edited_in_the_admin(admin_client, demo_orders):
    allocation = FlexibleAllocation.objects.get(order_version__order__number="ESO-2026-001")
    change = f"/admin/orders/flexibleallocation/{allocation.pk}/change/"
    assert 'name="_save"' not in admin_client.get(change).text  # shown, not editable
    assert admin_client.post(change, {"amount": "1"}).status_code == 403
    assert admin_client.get("/admin/orders/flexibleallocation/add/").status_code == 403


def test_the_admin_never_moves_an_order_or_an_agreement_to_another_customer_nor_deletes_records(
    admin_client, demo_orders
):
    """Issue 17 §0: orders and agreements are read-only where it matters (their customer), and
    incidents, their timelines, RCAs and orders are never deleted from the admin."""
    from unisupport.accounts.models import Organisation
    from unisupport.orders.models import Order

    order = Order.objects.get(number="ESO-2026-001")
    fabrikam = Organisation.objects.get(name="Fabrikam Inc.")
    admin_client.post(
        f"/admin/orders/order/{order.pk}/change/",
        {"number": "ESO-2026-001", "organisation": fabrikam.pk, "agreement": order.agreement_id},
    )
    order.refresh_from_db()
    assert order.organisation.name == "Contoso SA"
    agreement = order.agreement
    admin_client.post(
        f"/admin/orders/agreement/{agreement.pk}/change/",
        {"code": agreement.code, "organisation": fabrikam.pk, "host_country": "FR"},
    )
    agreement.refresh_from_db()
    assert agreement.organisation.name == "Contoso SA"
    assert admin_client.get(f"/admin/orders/order/{order.pk}/delete/").status_code == 403
    from django.contrib import admin
    from django.test import RequestFactory

    from unisupport.incidents.models import Incident, Milestone, PostIncidentReview, RcaRequest, TimelineEvent

    root = RequestFactory().get("/admin/")
    root.user = User.objects.get(username="root")
    for model in (Incident, Milestone, RcaRequest, PostIncidentReview, Order, Agreement):
        assert not admin.site._registry[model].has_delete_permission(root), model
    assert TimelineEvent not in admin.site._registry  # only shown, read-only, within its incident
