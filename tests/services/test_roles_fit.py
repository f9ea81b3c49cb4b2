"""Vendor roles are the vendor's own people's (issue 17 §0): a customer's person given a CSAM role,
by the CLI, the admin or a row written by hand, sees and does nothing beyond their organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.interfaces.clirunner import unisupport
from tests.interfaces.http import request
from unisupport.accounts.models import Membership, Organisation
from unisupport.accounts.permissions import can_post_to_ledger
from unisupport.accounts.roles import Role
from unisupport.accounts.scope import scope_of
from unisupport.accounts.services import issue_token

pytestmark = pytest.mark.django_db


def test_the_cli_refuses_a_vendor_role_in_a_customers_organisation(demo_orders):
    from django.contrib.auth.models import User

    run = unisupport(
        "user", "add", "mallory", "--role", "csam", "--org", "Contoso SA", "--password", "x-y-z-1-2-3"
    )
    assert run.exit_code == 2
    assert "role" in run.stderr
    assert not User.objects.filter(username="mallory").exists()


def test_the_admin_refuses_it_too(demo_orders, alice):
    contoso = Organisation.objects.get(name="Contoso SA")
    with pytest.raises(ValidationError) as refused:
        Membership(user=alice, organisation=contoso, role=Role.CSAM).full_clean()
    assert "role" in refused.value.message_dict


def test_a_vendor_role_written_by_hand_in_a_customers_organisation_grants_nothing(
    demo_orders, alice, api_server
):
    contoso = Organisation.objects.get(name="Contoso SA")
    Membership.objects.create(user=alice, organisation=contoso, role=Role.BACK_OFFICE)
    scope = scope_of(alice)
    assert not scope.is_vendor
    assert not can_post_to_ledger(scope)
    assert scope.organisation_ids == {contoso.pk}  # still her own organisation, as its administrator
    token = issue_token(user=alice, name="test")
    orders = request("GET", f"{api_server.url}/api/orders", token=token).json()
    assert {o["customer"] for o in orders} == {"Contoso SA"}  # nothing of Fabrikam's
