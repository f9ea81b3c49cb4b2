"""The portal's incident pages, in English and French: list, detail, opening form, vendor actions, SLA.

Contoso's ESO-2026-001 (host FR, Europe/Paris) has foundational, UER and MCS for Azure Platform
Plus. Friday 18 December 2026, 17:00 Paris is 16:00 UTC.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.interfaces.portal_support import FRIDAY_5PM_PARIS, OPEN_FORM, OPERATOR, contoso_incident, signed_in
from unisupport.accounts.roles import Role
from unisupport.incidents import services
from unisupport.incidents.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(monkeypatch):
    """Return the instant the product's clock reads: Friday 17:00 Paris."""
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: FRIDAY_5PM_PARIS)
    return FRIDAY_5PM_PARIS


def test_incident_pages_need_a_login(demo_orders):
    for path in ("/incidents/", "/incidents/new/", "/incidents/sla/"):
        response = Client().get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login/")


def test_sev7_alice_opens_a_sev_c_through_the_form_due_monday_in_business_hours(alice, frozen):
    """SEV-7: a Sev C opened Friday 17:00 Paris has 30 minutes on Friday, then Monday 09:00 + 210 min."""
    client = signed_in(alice)
    response = client.post("/incidents/new/", OPEN_FORM)
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/incidents/{incident.pk}/"
    assert incident.response_due_at == dt.datetime(2026, 12, 21, 11, 30, tzinfo=dt.UTC)
    assert (incident.opened_at, incident.channel, incident.opened_by) == (FRIDAY_5PM_PARIS, "web", alice)
    assert (incident.target_minutes, incident.clock) == (240, "business")
    page = client.get(response.headers["Location"]).text
    assert f"Incident #{incident.pk} opened." in page
    assert "2026-12-21 11:30 UTC" in page
    assert "12:30" in page
    assert "CET" in page
    assert 'data-due="2026-12-21T11:30:00+00:00"' in page
    assert "Europe/Paris" in page


def test_sev7_the_24x7_option_makes_a_sev_b_run_around_the_clock(alice, frozen):
    """SEV-7: a Sev B submitted with the 24x7 option runs a 24x7 clock: 120 minutes from Friday 17:00."""
    signed_in(alice).post("/incidents/new/", OPEN_FORM | {"severity": "B", "option_24x7": "on"})
    incident = Incident.objects.get()
    assert (incident.option_24x7, incident.clock) == (True, "24x7")
    assert incident.response_due_at == dt.datetime(2026, 12, 18, 18, 0, tzinfo=dt.UTC)


def test_the_open_form_refuses_what_the_service_refuses_and_keeps_the_input(alice, frozen):
    response = signed_in(alice).post("/incidents/new/", OPEN_FORM | {"title": "  "})
    assert response.status_code == 200
    assert not Incident.objects.exists()
    response = signed_in(alice).post("/incidents/new/", OPEN_FORM | {"severity": ""})
    assert response.status_code == 200
    assert "Shared mailbox permissions lost" in response.text


def test_sev9_the_open_form_explains_each_severity_in_the_contracts_french_words(alice):
    """SEV-9: the form says what is expected of the customer at each severity (Annexe A)."""
    page = signed_in(alice, "fr").get("/incidents/new/").text
    for words in (
        "Ouvrir un incident",
        "Gravité 1",
        "Arrêt des systèmes de gestion critiques",
        "Gravité A",
        "Dégradation des systèmes de gestion critiques",
        "Gravité B",
        "Impact modéré sur l'activité",
        "Gravité C",
        "Impact minimum sur l'activité",
        "Suivi continu 24 h/24, 7 j/7",
        "Ressource des situations critiques",
        "heures ouvrées",
        "rétrograder le niveau de gravité",
        "Votre réponse prévue",
        "SEV-9",
        "SEV-7",
    ):
        assert words in page, words


def test_the_open_form_in_english_with_the_24x7_option_explained(alice):
    """SEV-7: the 24x7 option for Sev B is explained where it is chosen."""
    page = signed_in(alice).get("/incidents/new/").text
    assert "Critical business system down" in page
    assert "Moderate business impact" in page
    assert "24x7 option (Severity B)" in page
    assert "you commit to continuous engagement" in page
    assert 'name="channel"' not in page  # a customer on the portal is on the web
    assert "ESO-2026-001 — FR (Europe/Paris)" in page


def test_sev2_sev7_the_open_form_states_the_foundational_times_of_the_response_target_table(alice):
    """SEV-2, SEV-7: the form's response times are read from the table, with the clock each runs on."""
    english = signed_in(alice).get("/incidents/new/").text
    for line in (
        "First response by phone in 15 minutes or less for Azure components, in 1 hour or less for all other",
        "First response by phone in 1 hour or less",
        "First response by phone in 2 business hours or less",
        "First response by phone in 4 business hours or less",
    ):
        assert line in english, line
    french = signed_in(alice, "fr").get("/incidents/new/").text
    assert (
        "Première réponse par téléphone en 15 minutes ou moins pour les composants Azure, en 1 heure"
        in french
    )
    assert "Première réponse par téléphone en 2 heures ouvrées ou moins" in french


def test_a_customer_viewer_may_not_open_incidents(demo_orders):
    from unisupport.accounts.services import create_person, customer_organisation

    viewer = create_person(
        username="victor",
        password="x" * 12,
        roles=[Role.CUSTOMER_VIEWER],
        organisation=customer_organisation(name="Contoso SA"),
    )
    assert signed_in(viewer).get("/incidents/new/").status_code == 403


def test_charlie_gets_404_for_contosos_incidents(charlie):
    incident = contoso_incident()
    client = signed_in(charlie)
    assert client.get(f"/incidents/{incident.pk}/").status_code == 404
    assert client.post(f"/incidents/{incident.pk}/rca/").status_code == 404
    assert client.post(f"/incidents/{incident.pk}/answered/").status_code == 404
    assert "Mailboxes unreachable" not in client.get("/incidents/").text
    assert "ESO-2026-001" not in client.get("/incidents/new/").text


def test_alice_sees_no_vendor_actions_and_the_views_refuse_them(alice):
    incident = contoso_incident()
    client = signed_in(alice)
    page = client.get(f"/incidents/{incident.pk}/").text
    assert "Mailboxes unreachable" in page
    assert "Vendor actions" not in page
    for action in ("respond", "severity", "mitigate", "close"):
        assert f"/incidents/{incident.pk}/{action}/" not in page
    assert client.post(f"/incidents/{incident.pk}/respond/", {"channel": "phone"}).status_code == 403
    assert (
        client.post(
            f"/incidents/{incident.pk}/severity/",
            {"to": "C", "reason": "customer-resources", "confirm": "on"},
        ).status_code
        == 403
    )
    assert client.post(f"/incidents/{incident.pk}/mitigate/").status_code == 403
    assert client.post(f"/incidents/{incident.pk}/close/").status_code == 403
    assert client.post(f"/incidents/{incident.pk}/rca/", {"via": "csam"}).status_code == 403
    assert client.post(f"/incidents/{incident.pk}/document/", {"what": "logs"}).status_code == 403
    incident.refresh_from_db()
    assert (incident.state, incident.first_response_at) == ("new", None)


def test_rca3_alice_asks_for_an_rca_and_is_told_to_go_through_her_csam(alice):
    """RCA-3: UER includes no RCA; the customer's own request is refused with the rule."""
    incident = contoso_incident()
    client = signed_in(alice)
    page = client.post(f"/incidents/{incident.pk}/rca/", {"via": "customer"}, follow=True).text
    assert "Refused by rule RCA-3" in page


def test_sev8_bob_works_an_incident_from_its_page(bob, frozen):
    """SEV-8: a downgrade without its reason is refused; with it, recorded; then mitigate, close, RCA-1."""
    incident = contoso_incident()
    client = signed_in(bob)
    base = f"/incidents/{incident.pk}"
    page = client.get(f"{base}/").text
    assert "Vendor actions" in page
    assert f'action="{base}/respond/"' in page
    page = client.post(f"{base}/respond/", {"channel": "phone"}, follow=True).text
    assert "Met" in page
    page = client.post(f"{base}/severity/", {"to": "B", "confirm": "on"}, follow=True).text
    assert "Refused by rule SEV-8" in page
    page = client.post(
        f"{base}/severity/", {"to": "B", "reason": "customer-responses", "confirm": "on"}, follow=True
    ).text
    assert "Severity changed" in page
    assert "The customer does not provide adequate responses" in page
    client.post(f"{base}/mitigate/")
    client.post(f"{base}/close/", {"confirm": "on"})
    incident.refresh_from_db()
    assert (incident.severity, incident.state) == ("B", "closed")
    page = client.post(f"{base}/rca/", {"via": "csam"}, follow=True).text
    assert "Refused by rule RCA-1" in page


def test_sev10_the_detail_shows_who_serves_who_does_not_and_why(bob):
    """SEV-10: an incident asked in French loses the English-only offerings; the page names the rule."""
    incident = contoso_incident(language="fr")
    page = signed_in(bob).get(f"/incidents/{incident.pk}/").text
    assert "Offerings that do not apply, and why" in page
    assert "SEV-10" in page
    assert "its target applies" in page
    assert "Critical situation supervision" in page  # INC-2, Sev A
    assert "INC-2" in page
    assert "delivered in English only, not in Français" in page
    french = signed_in(bob, "fr").get(f"/incidents/{incident.pk}/").text
    assert "fourni en English uniquement, pas en Français" in french


def test_the_detail_in_french_uses_the_contracts_words(alice):
    incident = contoso_incident()
    page = signed_in(alice, "fr").get(f"/incidents/{incident.pk}/").text
    for words in (
        "Gravité A",
        "Première réponse",
        "Suivi continu 24 h/24, 7 j/7",
        "Chronologie",
        "Échéance (UTC)",
    ):
        assert words in page, words
    assert "Supervision des situations critiques" in page


def test_the_list_has_live_countdowns_and_filters(alice, frozen):
    pending = contoso_incident(severity="C", title="Slow search")
    answered = contoso_incident(title="Mail down")
    services.respond(scope=OPERATOR, incident_id=answered.pk, channel="phone", at=FRIDAY_5PM_PARIS)
    client = signed_in(alice)
    page = client.get("/incidents/").text
    assert 'role="timer"' in page
    assert f'data-due="{pending.response_due_at.isoformat()}"' in page
    assert "portal/countdown.js" in page  # the live countdown, a file of the portal (CSP: no inline script)
    assert "Met" in page
    only_c = client.get("/incidents/?severity=C").text
    assert "Slow search" in only_c
    assert "Mail down" not in only_c
    assert "Slow search" not in client.get("/incidents/?state=in-progress").text
    assert "Incidents" in signed_in(alice, "fr").get("/incidents/").text


def test_the_sla_page_has_a_chart_and_a_csv_export(alice):
    met = contoso_incident()
    contoso_incident(severity="C")
    services.respond(scope=OPERATOR, incident_id=met.pk, channel="phone", at=FRIDAY_5PM_PARIS)
    client = signed_in(alice)
    query = "?order=ESO-2026-001&start=2026-12-01&end=2027-01-01"
    page = client.get(f"/incidents/sla/{query}").text
    assert "<svg" in page
    assert 'role="img"' in page
    assert "100.0 %" in page
    assert "/incidents/sla/export.csv?order=ESO-2026-001" in page
    export = client.get(f"/incidents/sla/export.csv{query}")
    assert export["Content-Type"].startswith("text/csv")
    assert export.content.decode().splitlines()[:2] == [
        "breakdown,key,incidents,met,pending,attainment",
        "total,,1,1,1,1.0000",
    ]
    french = signed_in(alice, "fr").get(f"/incidents/sla/{query}").text
    assert "Gravité A" in french
    assert 'width="360.0"' in french  # numbers in the SVG are never localised


def test_closing_or_changing_the_severity_asks_for_a_confirmation_and_says_when_no_rca_was_asked(
    bob, demo_orders
):
    """RCA-1: closing without an RCA requested is said before it is done; nothing happens unconfirmed."""
    from tests.incident_support import contoso_incident

    incident = contoso_incident()
    client = signed_in(bob)
    page = client.get(f"/incidents/{incident.pk}/").text
    assert "No root cause analysis was requested" in page
    refused = client.post(f"/incidents/{incident.pk}/close/", follow=True).text
    assert "Nothing changed: tick the box to confirm." in refused
    client.post(f"/incidents/{incident.pk}/severity/", {"to": "1"})
    incident.refresh_from_db()
    assert (incident.state, incident.severity) == ("new", "A")
    client.post(f"/incidents/{incident.pk}/close/", {"confirm": "on"})
    incident.refresh_from_db()
    assert incident.state == "closed"


def test_the_attainment_export_is_in_french_for_a_french_reader_with_dot_decimals(alice, demo_orders):
    from tests.incident_support import contoso_incident

    contoso_incident()
    french = (
        signed_in(alice, "fr")
        .get("/incidents/sla/export.csv?start=2026-01-01&end=2027-12-31")
        .content.decode()
    )
    assert french.splitlines()[0] == "ventilation,clé,incidents,respecté,à venir,taux de respect"
    assert french.splitlines()[1].startswith("total,")
    english = (
        signed_in(alice).get("/incidents/sla/export.csv?start=2026-01-01&end=2027-12-31").content.decode()
    )
    assert english.splitlines()[0] == "breakdown,key,incidents,met,pending,attainment"  # the API's columns
