"""The ledger in the back office: entries and accounts read-only (CRD-4), rates and CRD-3 approvals editable."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.ledger_support import load_rates
from unisupport.ledger.models import LedgerAccount, LedgerEntry, RateCard

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(demo_orders) -> Client:
    load_rates()
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    return client


def test_crd4_entries_and_accounts_are_read_only_in_the_admin(admin_client):
    """CRD-4: the back office views entries and accounts but cannot add, change or delete them."""
    entry = LedgerEntry.objects.first()
    account = LedgerAccount.objects.first()
    assert entry is not None
    assert account is not None
    for model, pk in (("ledgerentry", entry.pk), ("ledgeraccount", account.pk)):
        assert admin_client.get(f"/admin/ledger/{model}/").status_code == 200
        view = admin_client.get(f"/admin/ledger/{model}/{pk}/change/")
        assert view.status_code == 200
        assert 'name="_save"' not in view.text
        assert admin_client.get(f"/admin/ledger/{model}/add/").status_code == 403
        assert admin_client.post(f"/admin/ledger/{model}/{pk}/delete/", {"post": "yes"}).status_code == 403
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_crd1_mc7_rate_cards_and_exchange_rates_are_editable(admin_client):
    """CRD-1, MC-7: the rates are data the back office edits."""
    card = RateCard.objects.first()
    assert card is not None
    page = admin_client.get(f"/admin/ledger/ratecard/{card.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' in page.text
    assert admin_client.get("/admin/ledger/exchangerate/add/").status_code == 200
    assert admin_client.get("/admin/ledger/creditexception/add/").status_code == 200


def test_crd3_an_approval_recorded_in_the_admin_carries_its_organisation(admin_client):
    """CRD-3: who, when, terms, in writing; the organisation is the order's, the recorder the user."""
    from unisupport.ledger.models import CreditException
    from unisupport.orders.models import Order

    order = Order.objects.get(number="ESO-2026-001")
    response = admin_client.post(
        "/admin/ledger/creditexception/add/",
        {"order": order.pk, "site": "FR", "approved_by": "carol", "approved_at_0": "2026-08-01",
         "approved_at_1": "10:00:00", "terms": "net 30", "in_writing": "on", "reference": "mail"},
    )  # fmt: skip
    assert response.status_code == 302, response.content
    approval = CreditException.objects.get()
    assert (approval.organisation_id, approval.recorded_by) == (order.organisation_id, "root")


def test_crd3_the_admin_records_through_the_service_and_shows_its_refusal(admin_client):
    """CRD-3: an approval not in writing is refused in the admin as by the CLI and the API; nothing is written."""
    from unisupport.ledger.models import CreditException
    from unisupport.orders.models import Order

    order = Order.objects.get(number="ESO-2026-001")
    response = admin_client.post(
        "/admin/ledger/creditexception/add/",
        {"order": order.pk, "site": "FR", "approved_by": "carol", "approved_at_0": "2026-08-01",
         "approved_at_1": "10:00:00", "terms": "net 30", "reference": "mail"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "CRD-3" in response.text
    assert "the exception must be approved in writing" in response.text
    assert not CreditException.objects.exists()
