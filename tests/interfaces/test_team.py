"""A customer's administrator manages their people (issue 14 §2): an invitation by e-mail (the link
read from a real SMTP server) works once and for 72 hours; a role changed, a person deactivated;
every change recorded for the vendor; charlie and bob cannot manage Contoso's people."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.interfaces.portal_support import signed_in

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC)


def test_an_invitation_works_once_for_72_hours_and_every_change_is_recorded(
    alice, bob, smtp_server, settings, monkeypatch
):
    from unisupport import clock
    from unisupport.accounts.models import AccessChange
    from unisupport.incidents.worker import tick

    settings.UNISUPPORT_BASE_URL = "https://support.example"
    monkeypatch.setattr(clock, "now", lambda: NOW)
    admin = signed_in(alice)
    assert admin.get("/team/").status_code == 200
    admin.post("/team/invite/", {"email": "Noor@Contoso.test", "role": "reactive-contact"})
    tick(now=NOW)
    (mail,) = smtp_server.mailbox.to("noor@contoso.test")
    link = re.search(r"https://support\.example(/invite/[\w-]+/)", mail.get_content()).group(1)
    late = Client()
    monkeypatch.setattr(clock, "now", lambda: NOW + dt.timedelta(hours=73))
    assert (
        "expired"
        in late.post(link, {"username": "noor", "password": "a long enough passphrase"}).content.decode()
    )
    monkeypatch.setattr(clock, "now", lambda: NOW + dt.timedelta(hours=71))
    joined = Client().post(link, {"username": "noor", "password": "a long enough passphrase"})
    assert joined.status_code == 302
    noor = User.objects.get(username="noor")
    assert list(noor.memberships.values_list("role", flat=True)) == ["reactive-contact"]
    assert (
        "used already"
        in Client().post(link, {"username": "noor2", "password": "another long passphrase"}).content.decode()
    )
    admin.post("/team/role/", {"user": noor.pk, "role": "customer-viewer"})
    assert list(noor.memberships.values_list("role", flat=True)) == ["customer-viewer"]
    admin.post("/team/deactivate/", {"user": noor.pk})
    noor.refresh_from_db()
    assert noor.is_active is False
    assert [c.what for c in AccessChange.objects.order_by("pk")] == [
        "invited noor@contoso.test as reactive-contact",
        "noor@contoso.test joined as reactive-contact",
        f"user {noor.pk} now customer-viewer",
        "user noor deactivated",
    ]
    assert signed_in(bob).get("/team/").status_code == 404  # the vendor sees the changes in the admin


def test_charlie_manages_no_one_of_contosos(alice, charlie):
    charlies = signed_in(charlie)
    charlies.post("/team/deactivate/", {"user": alice.pk})
    alice.refresh_from_db()
    assert alice.is_active is True
    assert "People of Fabrikam" in charlies.get("/team/").content.decode()


def test_an_invitation_is_written_in_the_inviters_language(alice, smtp_server, monkeypatch):
    from unisupport import clock
    from unisupport.incidents.worker import tick

    monkeypatch.setattr(clock, "now", lambda: NOW)
    signed_in(alice, "fr").post("/team/invite/", {"email": "lea@contoso.test", "role": "reactive-contact"})
    tick(now=NOW)
    (mail,) = smtp_server.mailbox.to("lea@contoso.test")
    assert mail["Subject"] == "Invitation au portail de support de Contoso SA"
    body = mail.get_content()
    assert (
        "vous invite à rejoindre Contoso SA sur le portail de support en tant que Interlocuteur du Support"
        in body
    )
    assert "jusqu'au 7 janvier 2027 09:00 UTC" in body
