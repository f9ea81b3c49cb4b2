"""The people's side of the back office: API tokens are made by the service (their secret shown
once), never added in the admin, which may revoke one (issue 15 §3)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from unisupport.accounts.models import ApiToken
from unisupport.accounts.services import issue_token

pytestmark = pytest.mark.django_db


def test_the_admin_cannot_add_a_token_without_a_secret_but_revokes_one(alice):
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    assert client.post("/admin/accounts/apitoken/add/", {"user": alice.pk, "name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()
    issue_token(user=alice, name="ci")
    token = ApiToken.objects.get()
    assert client.get(f"/admin/accounts/apitoken/{token.pk}/change/").status_code == 200
