"""The back office adds people with roles that fit their organisation (role_fits): the vendor's own, or a customer's."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import _person
from tests.interfaces.portal_support import signed_in
from unisupport.accounts.models import Invitation, Organisation
from unisupport.accounts.services import vendor_organisation
from unisupport.success import team_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def olivia(demo_orders):
    return _person("olivia", "back-office", None)


def test_the_back_office_invites_a_vendor_person_with_a_vendor_role(olivia, monkeypatch):
    monkeypatch.setattr(team_services.secrets, "token_urlsafe", lambda n: "known-token")
    client = signed_in(olivia)
    vendor = vendor_organisation()
    client.post(
        "/back-office/people/",
        {"organisation": vendor.pk, "email": "gina@vendor.test", "role": "back-office"},
    )
    assert Invitation.objects.get(email="gina@vendor.test").role == "back-office"
    Client().post("/invite/known-token/", {"username": "gina", "password": "a long enough passphrase"})
    gina = User.objects.get(username="gina")
    assert gina.is_staff  # the admin's rights, as for any back-office person
    assert "gina" in client.get("/back-office/people/").text


def test_a_role_must_fit_the_organisation(olivia):
    client = signed_in(olivia)
    contoso = Organisation.objects.get(name="Contoso SA")
    refused = client.post(
        "/back-office/people/",
        {"organisation": contoso.pk, "email": "x@contoso.test", "role": "csam"},
        follow=True,
    ).text
    assert "expected one of" in refused
    client.post(
        "/back-office/people/",
        {"organisation": vendor_organisation().pk, "email": "y@v.test", "role": "customer-admin"},
    )
    assert not Invitation.objects.exists()
    client.post(
        "/back-office/people/",
        {"organisation": contoso.pk, "email": "z@contoso.test", "role": "reactive-contact"},
    )
    assert Invitation.objects.get().organisation == contoso


def test_only_the_back_office_adds_the_vendors_people(bob, olivia, django_assert_max_num_queries):
    assert signed_in(bob).get("/back-office/people/").status_code == 404
    from unisupport import clock
    from unisupport.accounts.roles import Role
    from unisupport.accounts.scope import Scope
    from unisupport.domain.errors import Forbidden

    with pytest.raises(Forbidden):
        team_services.invite(
            scope=Scope(bob.pk, frozenset(), frozenset({Role.CSAM})),
            organisation_id=vendor_organisation().pk,
            email="a@b.test",
            role="csam",
            at=clock.now(),
            actor="bob",
        )
    client = signed_in(olivia)
    client.get("/back-office/people/")
    with django_assert_max_num_queries(12):
        client.get("/back-office/people/")
