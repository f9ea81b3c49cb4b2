"""RSP-6: the vendor asks an incident's reactive contacts to perform diagnostics — recorded in the
timeline naming the rule and e-mailed to them —, the customer says when they are done; charlie
sees nothing of it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.incident_support import FRIDAY_5PM_PARIS, OPERATOR, contoso_incident
from tests.interfaces.clirunner import unisupport
from tests.interfaces.http import request
from unisupport.incidents.models import DiagnosticRequest, Notification

pytestmark = pytest.mark.django_db


def test_rsp6_diagnostics_asked_on_the_cli_and_provided_through_the_api(
    api_server, tokens, alice, charlie, monkeypatch
):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: FRIDAY_5PM_PARIS + dt.timedelta(hours=1))
    incident = contoso_incident()
    from unisupport.success.contact_services import add_contact

    add_contact(
        scope=OPERATOR,
        order="ESO-2026-001",
        role="reactive",
        name="Ops",
        email="ops@contoso.test",
        at=clock.now(),
    )
    asked = unisupport(
        "incident", "diagnostics", str(incident.pk), "--ask", "a network trace during the failure", "--json"
    )
    assert asked.exit_code == 0, asked.stderr
    assert asked.json()["rule"] == "RSP-6"
    assert incident.timeline.filter(kind="diagnostics-asked", rule="RSP-6").exists()
    assert (
        Notification.objects.get(subject__contains="diagnostics asked (RSP-6)").recipient
        == "ops@contoso.test"
    )
    url = f"{api_server.url}/api/incidents/diagnostics/{asked.json()['id']}/provided"
    body = json.dumps({"note": "trace attached to the case"}).encode()
    assert (
        request("POST", url, token=tokens["charlie"], body=body, content_type="application/json").status
        == 404
    )
    done = request("POST", url, token=tokens["alice"], body=body, content_type="application/json")
    assert (done.status, done.json()["rule"]) == (200, "RSP-6")
    assert DiagnosticRequest.objects.get().note == "trace attached to the case"
    again = request("POST", url, token=tokens["alice"], body=body, content_type="application/json")
    assert again.status == 422
    assert incident.timeline.filter(kind="diagnostics-provided").count() == 1
    empty = unisupport("incident", "diagnostics", str(incident.pk), "--ask", " ")
    assert empty.exit_code == 2


def test_rsp6_on_the_portal_the_engineer_asks_and_alice_says_it_is_done(alice, bob, monkeypatch):
    from tests.interfaces.portal_support import signed_in
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: FRIDAY_5PM_PARIS + dt.timedelta(hours=1))
    incident = contoso_incident()
    page = f"/incidents/{incident.pk}/"
    vendor = signed_in(bob)
    assert 'id="diag-what"' in vendor.get(page).content.decode()
    vendor.post(f"{page}diagnostics/", {"what": "an error capture"})
    asked = DiagnosticRequest.objects.get()
    customer = signed_in(alice, "fr")
    shown = customer.get(page).content.decode()
    assert "an error capture" in shown
    assert 'id="diag-what"' not in shown  # only the vendor asks
    customer.post(f"{page}diagnostics/{asked.pk}/", {"note": "done at 18:00"})
    asked.refresh_from_db()
    assert asked.provided_at is not None
