"""What the customer is told about their incident by e-mail (SEV-2, SEV-8, SEV-9): its first
response, a severity change, mitigation and closure, and what is asked of them — each once, to the
opener, the callback e-mail and the contacts, in each one's language."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import _person
from tests.incident_support import FRIDAY_5PM_PARIS, contoso_incident
from tests.scopes import OPERATOR
from unisupport.accounts.preferences import preferences_of
from unisupport.incidents.models import Notification
from unisupport.incidents.services import lifecycle

pytestmark = pytest.mark.django_db
LATER = FRIDAY_5PM_PARIS + dt.timedelta(minutes=20)


def _customer_mail(incident) -> list[Notification]:
    return list(Notification.objects.filter(incident=incident, milestone=None).order_by("pk"))


def test_sev2_the_first_response_is_emailed_to_the_callback_address_once(demo_orders):
    incident = contoso_incident(callback_email="dave@contoso.example")
    lifecycle.respond(scope=OPERATOR, incident_id=incident.pk, channel="phone", at=LATER)
    lifecycle.respond(
        scope=OPERATOR, incident_id=incident.pk, channel="email", at=LATER + dt.timedelta(hours=1)
    )
    sent = [n for n in _customer_mail(incident) if "responded" in n.subject]
    assert [n.recipient for n in sent] == [
        "dave@contoso.example"
    ]  # a later contact is not "the first response"
    assert "by phone" in sent[0].body
    assert "SEV-2" in sent[0].body


def test_sev8_sev9_severity_change_ask_mitigation_and_closure_each_reach_the_customer(demo_orders):
    incident = contoso_incident(
        severity="B", callback_email="dave@contoso.example", contacts=["ops@contoso.example"]
    )
    lifecycle.change_severity(
        scope=OPERATOR, incident_id=incident.pk, to="C", at=LATER, reason="customer-responses"
    )
    lifecycle.request_customer_action(
        scope=OPERATOR, incident_id=incident.pk, at=LATER, what="approve the change"
    )
    lifecycle.mitigate(scope=OPERATOR, incident_id=incident.pk, at=LATER + dt.timedelta(hours=2))
    lifecycle.close(scope=OPERATOR, incident_id=incident.pk, at=LATER + dt.timedelta(hours=3))
    subjects = [n.subject for n in _customer_mail(incident) if n.recipient == "ops@contoso.example"]
    assert subjects == [
        f"Incident #{incident.pk}: severity changed to C",
        f"Incident #{incident.pk}: we need something from you",
        f"Incident #{incident.pk}: mitigated",
        f"Incident #{incident.pk}: closed",
    ]
    asked = next(n for n in _customer_mail(incident) if "need something" in n.subject)
    assert "approve the change" in asked.body
    assert "SEV-9" in asked.body


def test_each_recipient_reads_it_in_their_language(demo_orders):
    dave = _person("dave", "reactive-contact", "Contoso SA")
    prefs = preferences_of(dave)
    prefs.language = "fr"
    prefs.save()
    incident = contoso_incident(contacts=["dave@example.com", "ops@contoso.example"])
    lifecycle.close(scope=OPERATOR, incident_id=incident.pk, at=LATER)
    by_recipient = {n.recipient: n.subject for n in _customer_mail(incident)}
    assert by_recipient["dave@example.com"] == f"Incident n° {incident.pk} : clos"
    assert by_recipient["ops@contoso.example"] == f"Incident #{incident.pk}: closed"


def test_rsp6_diagnostics_asked_reach_the_customer_in_their_language(demo_orders):
    from unisupport.incidents.services.diagnostics import ask_diagnostics

    dave = _person("dave", "reactive-contact", "Contoso SA")
    prefs = preferences_of(dave)
    prefs.language = "fr"
    prefs.save()
    incident = contoso_incident(contacts=["dave@example.com", "ops@contoso.example"])
    ask_diagnostics(scope=OPERATOR, incident_id=incident.pk, what="une trace réseau", at=LATER)
    by_recipient = {n.recipient: n for n in _customer_mail(incident)}
    assert (
        by_recipient["dave@example.com"].subject
        == f"Incident n° {incident.pk} : diagnostics demandés (RSP-6)"
    )
    assert "une trace réseau" in by_recipient["dave@example.com"].body
    assert (
        by_recipient["ops@contoso.example"].subject == f"Incident #{incident.pk}: diagnostics asked (RSP-6)"
    )
