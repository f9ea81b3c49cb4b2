"""A person's profile: name, phone (RSP-6), language, time zone; their API tokens (the secret shown
once); the password reset by e-mail (a signed link that works once and expires), with no account
enumeration."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client

from tests.interfaces.portal_support import signed_in
from unisupport.accounts.models import AccessChange, ApiToken, Preferences
from unisupport.accounts.services import user_for_token

PROFILE = {"action": "save", "first_name": "Alice", "last_name": "Martin", "phone": "+33 1 40 00 00 00",
           "language": "fr", "time_zone": "Europe/Paris"}  # fmt: skip


def test_rsp6_alice_saves_her_profile_and_the_incident_form_prefills_her_phone(alice):
    client = signed_in(alice)
    assert client.post("/profile/", PROFILE).status_code == 302
    prefs = Preferences.objects.get(user=alice)
    assert (prefs.phone, prefs.language, prefs.time_zone) == ("+33 1 40 00 00 00", "fr", "Europe/Paris")
    form = client.get("/incidents/new/").text
    assert 'value="+33 1 40 00 00 00"' in form
    assert 'value="alice@example.com"' in form


def test_a_bad_phone_or_zone_names_the_field_and_writes_nothing(alice):
    client = signed_in(alice)
    page = client.post("/profile/", PROFILE | {"phone": "call me"}).text
    assert "phone:" in page
    page = client.post("/profile/", PROFILE | {"time_zone": "Mars/Olympus"}).text
    assert "time_zone:" in page
    assert not Preferences.objects.filter(user=alice, phone__startswith="+33").exists()


def test_a_token_secret_is_shown_once_then_revoked(alice):
    client = signed_in(alice)
    page = client.post("/profile/", {"action": "create-token", "name": "monitoring"}).text
    secret = re.search(r'<code class="token-secret">([^<]+)</code>', page).group(1)
    assert user_for_token(secret) == alice
    assert secret not in client.get("/profile/").text  # never again
    token = ApiToken.objects.get(user=alice)
    client.post("/profile/", {"action": "revoke-token", "token": token.pk})
    assert user_for_token(secret) is None


def test_bob_cannot_revoke_alices_token(alice, bob):
    signed_in(alice).post("/profile/", {"action": "create-token", "name": "mine"})
    token = ApiToken.objects.get(user=alice)
    signed_in(bob).post("/profile/", {"action": "revoke-token", "token": token.pk})
    assert not ApiToken.objects.get(pk=token.pk).revoked


def test_a_reset_link_works_once_and_the_answer_does_not_say_who_exists(alice, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    anonymous = Client()
    known = anonymous.post("/password-reset/", {"email": "alice@example.com"})
    unknown = anonymous.post("/password-reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]  # no account enumeration
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password-reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    form = anonymous.get(link, follow=True)
    assert "new_password1" in form.text
    done = anonymous.post(
        form.redirect_chain[-1][0], {"new_password1": "a-new horse 2026", "new_password2": "a-new horse 2026"}
    )
    assert done.status_code == 302
    assert Client().login(username="alice", password="a-new horse 2026")
    assert "expired or was already used" in Client().get(link, follow=True).text  # once only


def test_creating_and_revoking_a_token_are_access_changes_the_vendor_sees(alice, bob):
    client = signed_in(alice)
    client.post("/profile/", {"action": "create-token", "name": "monitoring"})
    client.post("/profile/", {"action": "revoke-token", "token": ApiToken.objects.get(user=alice).pk})
    changes = list(AccessChange.objects.order_by("pk").values_list("organisation__name", "by", "what"))
    assert changes == [
        ("Contoso SA", "alice", "API token “monitoring” created for alice"),
        ("Contoso SA", "alice", "API token “monitoring” of alice revoked"),
    ]
    signed_in(bob).post("/profile/", {"action": "revoke-token", "token": ApiToken.objects.get(user=alice).pk})
    assert AccessChange.objects.count() == 2  # a refused revocation records nothing


def test_a_reset_link_expires_after_an_hour_a_product_rule(alice, settings, monkeypatch):
    """Product rule: a password reset link is valid for one hour (PASSWORD_RESET_TIMEOUT)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    Client().post("/password-reset/", {"email": "alice@example.com"})
    link = re.search(r"http://testserver(/password-reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    sent = dt.datetime.now()  # noqa: DTZ005 -- Django's token generator reads naive local time
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: sent + dt.timedelta(minutes=59))
    assert "new_password1" in Client().get(link, follow=True).text
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: sent + dt.timedelta(minutes=61))
    assert "expired or was already used" in Client().get(link, follow=True).text
