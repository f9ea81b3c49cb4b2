"""The domain's refusals and ledger reasons on the portal: in French on the French portal, in English on
the English one; the CLI and the API keep their English words byte for byte, whatever the language.

Contoso's ESO-2026-001 (host FR) has foundational, UER and MCS for Azure Platform Plus.
"""

from __future__ import annotations

import html

import pytest
from django.utils import translation

from tests.interfaces.clirunner import unisupport
from tests.interfaces.portal_support import FRIDAY_5PM_PARIS, OPEN_FORM, OPERATOR, contoso_incident, signed_in
from tests.ledger_support import NORTHWIND, burn_contoso, contoso, load_rates
from unisupport import clock
from unisupport.domain.errors import RuleViolation
from unisupport.i18n import localized
from unisupport.incidents import services
from unisupport.incidents.models import Incident
from unisupport.ledger.models import LedgerEntry
from unisupport.ledger.services import exchange_credits
from unisupport.orders.services import import_order_file

pytestmark = pytest.mark.django_db

CONSUMPTION = "/orders/ESO-2026-001/consumption/"
CRD2 = "CRD-2: the FR balance (500 credits) cannot cover 1250 credits: buy more credits before scheduling"


def text(response) -> str:
    """Return a page as its reader sees it (entities unescaped)."""
    return html.unescape(response.content.decode())


def closed_incident() -> Incident:
    incident = contoso_incident()
    for state in ("mitigated", "closed"):
        services.set_state(scope=OPERATOR, incident_id=incident.pk, state=state, at=FRIDAY_5PM_PARIS)
    return incident


# -- refusals of incident actions ----------------------------------------------------------------


def test_rca1_a_late_rca_is_refused_in_french_on_the_french_portal(bob, frozen_now):
    """RCA-1: requested after closure; the rule, then the domain's words, in French."""
    incident = closed_incident()
    page = text(signed_in(bob, "fr").post(f"/incidents/{incident.pk}/rca/", {"via": "csam"}, follow=True))
    assert (
        "Refusé par la règle RCA-1 : une Analyse des Causes Premières doit faire l'objet d'une demande "
        "explicite avant que l'incident ne soit clos"
    ) in page
    assert "must be requested" not in page


def test_rca1_the_same_refusal_in_english_on_the_english_portal(bob, frozen_now):
    incident = closed_incident()
    page = text(signed_in(bob, "en").post(f"/incidents/{incident.pk}/rca/", {"via": "csam"}, follow=True))
    assert "Refused by rule RCA-1: an RCA must be requested explicitly before the incident is closed" in page
    assert "RCA-1: RCA-1" not in page  # the rule is named once


def test_sev8_and_rca3_refusals_in_french(alice, bob, frozen_now):
    incident = contoso_incident()
    base = f"/incidents/{incident.pk}"
    page = text(signed_in(bob, "fr").post(f"{base}/severity/", {"to": "B", "confirm": "on"}, follow=True))
    assert (
        "Refusé par la règle SEV-8 : rétrograder le niveau de gravité demande un motif : le client ne fournit "
        "pas les ressources ou réponses adéquates (customer-resources, customer-responses, obligation-missed)"
    ) in page
    page = text(signed_in(alice, "fr").post(f"{base}/rca/", {"via": "customer"}, follow=True))
    assert (
        "Refusé par la règle RCA-3 : la Réponse Améliorée Unifiée ne comprend pas d'Analyse des Causes "
        "Premières : demandez-la par l'intermédiaire de votre CSAM"
    ) in page


def test_inc8_and_sev2_texts_of_the_incident_services_in_french(bob, frozen_now):
    """INC-8: a post-incident review of a Sev A is refused, in French; SEV-2: the automatic
    acknowledgement's reminder on the timeline reads in French too, and both in English on /en."""
    incident = contoso_incident()
    base = f"/incidents/{incident.pk}"
    client = signed_in(bob, "fr")
    page = text(client.post(f"{base}/review/", {}, follow=True))
    assert (
        "Refusé par la règle INC-8 : l'examen post-incident de la Réponse Améliorée Unifiée est réservé "
        "aux incidents de Gravité 1"
    ) in page
    page = text(client.post(f"{base}/respond/", {"channel": "email", "automated": "on"}, follow=True))
    assert "un accusé de réception automatique n'arrête pas le délai de réponse initiale" in page
    english = text(signed_in(bob, "en").get(f"{base}/"))
    assert "an automatic acknowledgement does not stop the response clock" in english
    page = text(signed_in(bob, "en").post(f"{base}/review/", {}, follow=True))
    assert "Refused by rule INC-8: UER's post-incident review is for Sev 1 incidents" in page


def test_an_action_on_a_closed_incident_is_refused_in_french(bob, frozen_now):
    """A closed incident takes no more contacts: said in French on the French portal, in English on /en."""
    incident = closed_incident()
    base = f"/incidents/{incident.pk}"
    page = text(signed_in(bob, "fr").post(f"{base}/respond/", {"channel": "phone"}, follow=True))
    assert f"l'incident nº {incident.pk} est clos : impossible d'y répondre" in page
    page = text(signed_in(bob, "en").post(f"{base}/respond/", {"channel": "phone"}, follow=True))
    assert f"incident #{incident.pk} is closed: cannot respond" in page


def test_hrs3_refusal_and_bad_hours_in_french_with_the_readers_numbers(bob, frozen_now):
    """HRS-3: 6 hours per advisory request; the hours are written 4,5 h, not 4.5 h."""
    incident = contoso_incident(kind="advisory", channel="email")
    client = signed_in(bob, "fr")
    client.post(f"/incidents/{incident.pk}/advisory/", {"hours": "4,5"})
    page = text(client.post(f"/incidents/{incident.pk}/advisory/", {"hours": "2"}, follow=True))
    assert (
        "Refusé par la règle HRS-3 : le Support Conseil est limité à 6 heures par incident ; 4,5 h sont "
        "enregistrées, 2 h de plus feraient 6,5 h"
    ) in page
    page = text(client.post(f"/incidents/{incident.pk}/advisory/", {"hours": "beaucoup"}, follow=True))
    assert "Non enregistré : un nombre d'heures est attendu, reçu 'beaucoup'" in page
    english = text(
        signed_in(bob, "en").post(f"/incidents/{incident.pk}/advisory/", {"hours": "2"}, follow=True)
    )
    assert "4.5 h are logged, 2 h more would make 6.5 h" in english


# -- refusals of the opening form ------------------------------------------------------------------


def test_inc1_the_opening_form_refuses_a_channel_in_french(bob, frozen_now):
    """INC-1: a problem-resolution request does not come in by e-mail."""
    form = {**OPEN_FORM, "channel": "email", "kind": "problem-resolution"}
    page = text(signed_in(bob, "fr").post("/incidents/new/", form))
    assert (
        "Refusé par la règle INC-1 : les demandes de résolution de problèmes sont ouvertes par téléphone ou "
        "sur le web (ou par conversation instantanée, avec MCS for Azure Platform), pas par « email »"
    ) in page
    assert Incident.objects.count() == 0
    english = text(signed_in(bob, "en").post("/incidents/new/", form))
    assert "problem-resolution requests are opened by phone or on the web" in english


def test_sev7_the_24x7_option_on_a_sev_c_is_bad_input_shown_in_french(alice, frozen_now):
    """SEV-7: the 24x7 option exists for Severity B only."""
    form = {**OPEN_FORM, "option_24x7": "on"}
    page = text(signed_in(alice, "fr").post("/incidents/new/", form))
    assert (
        "Non enregistré : SEV-7 : l'option 24 h/24, 7 j/7 n'existe que pour la Gravité B, pas pour "
        "la Gravité C"
    ) in page
    english = text(signed_in(alice, "en").post("/incidents/new/", form))
    assert "Not recorded: SEV-7: the 24x7 option exists for Sev B only, not Sev C" in english


# -- texts of the domain on the incident page ----------------------------------------------------------


def test_the_rca_note_and_the_exclusions_of_the_timeline_read_in_french(bob, frozen_now):
    """RCA-1 and SEV-10: the domain's texts of the detail page (UER, English only, does not serve)."""
    incident = contoso_incident(language="fr")
    client = signed_in(bob, "fr")
    page = text(client.post(f"/incidents/{incident.pk}/rca/", {"via": "csam"}, follow=True))
    note = (
        "demandée avant la clôture ; disponible pour certaines technologies uniquement et pouvant entraîner "
        "des frais supplémentaires"
    )
    assert page.count(note) == 2  # the RCA section and the timeline
    assert "requested before closure" not in page
    assert "is delivered in" not in page  # SEV-10: the coverage and the timeline
    assert page.count("uniquement, pas en Français") >= 3  # MCS Platform Plus twice, UER's limit once
    english = text(signed_in(bob, "en").get(f"/incidents/{incident.pk}/"))
    assert english.count("requested before closure; available for some technologies only") == 2


# -- the Consumption page -------------------------------------------------------------------------------


@pytest.fixture
def used(demo_orders):
    burn_contoso(reason="atelier")


def test_the_consumption_page_shows_entry_reasons_in_french(alice, used):
    client = signed_in(alice, "fr")
    page = text(client.get(CONSUMPTION))
    assert "échange de 38 avoirs contre un service — atelier" in page
    assert "attribution de 500 avoirs à utiliser jusqu'au 30 juin 2027" in page
    assert "redeem 38 credits" not in page
    assert "grant 500 credits" not in page
    assert "consommation de 7,5 h" in text(client.get(CONSUMPTION + "?site=DE"))
    allocation = text(client.get(CONSUMPTION, {"rule": "FLX-5"}))
    # A service named in a sentence reads as its name, not its code.
    assert (
        "affectation à l'exécution du contrat : Services proactifs personnalisés sur le site FR" in allocation
    )
    assert "assigned at execution" not in allocation


def test_flx5_and_ord9_reasons_of_the_allocation_and_an_amendment_read_in_french(bob, demo_orders):
    """FLX-5: what was not assigned at contract execution is lost; ORD-9: an amendment takes back."""
    assert import_order_file(scope=OPERATOR, at=clock.now(), text=NORTHWIND).verdict.valid
    amended = contoso().replace(
        "{service: proactive-credits, quantity: 200}", "{service: proactive-credits, quantity: 150}"
    )
    assert import_order_file(scope=OPERATOR, at=clock.now(), text=amended).orders[0]["version"] == 2
    client = signed_in(bob, "fr")
    page = text(client.get("/orders/ESO-2027-010/consumption/", {"rule": "FLX-5"}))
    assert (
        "perte de 20\u202f000,00\u00a0$US : part de l'Allocation flexible non attribuée au moment de l'exécution "
        "du contrat"
    ) in page
    assert "affectation à l'exécution du contrat : Ateliers sur le site DE" in page
    assert "not assigned at contract execution" not in page
    page = text(client.get(CONSUMPTION, {"site": "DE", "rule": "ORD-9"}))
    assert "reprise de 50 avoirs par modification du contrat" in page
    # The audit text stays the English it always was.
    assert set(LedgerEntry.objects.filter(rule="FLX-5", amount=-20000).values_list("reason", flat=True)) == {
        "forfeit 20,000.00 USD: not assigned at contract execution"
    }
    assert LedgerEntry.objects.get(rule="ORD-9").reason == "amendment takes back 50 credits"


def test_the_consumption_page_in_english_and_the_stored_audit_text(alice, used):
    page = text(signed_in(alice, "en").get(CONSUMPTION))
    assert "redeem 38 credits — atelier" in page
    assert "grant 500 credits usable until June 30, 2027" in page
    entry = LedgerEntry.objects.get(rule="CRD-1", amount=-38)
    assert entry.reason == "redeem 38 credits — atelier"  # the audit text, English, as before
    assert entry.reason_i18n["params"]["note"] == "atelier"
    csv = signed_in(alice, "fr").get(CONSUMPTION, {"format": "csv", "kind": "credits"}).getvalue().decode()
    # The French export is in French (issue 15 §4): headings and the reason; numbers keep a dot.
    assert csv.startswith("ligne,écriture,date de valeur,")
    assert "échange de 38 avoirs contre un service — atelier" in csv
    assert ",-38," in csv
    english = (
        signed_in(alice, "en").get(CONSUMPTION, {"format": "csv", "kind": "credits"}).getvalue().decode()
    )
    assert english.startswith("serial,entry,")  # in English, the API's machine columns and audit text
    assert "redeem 38 credits — atelier" in english


# -- the CLI and the API keep their English ------------------------------------------------------------


def test_the_api_answers_in_english_to_a_french_client(bob, demo_orders):
    load_rates()
    client = signed_in(bob, "fr")
    redeem = {
        "order": "ESO-2026-001",
        "site": "FR",
        "service": "workshop",
        "quantity": 100,
        "on": "2027-01-15",
    }
    response = client.post("/api/ledger/credits/redeem", redeem, content_type="application/json")
    assert response.status_code == 409
    assert response.json() == {"detail": CRD2, "rule": "CRD-2", "field": "quantity"}
    statement = client.get("/api/ledger/orders/ESO-2026-001/statement").json()
    assert any(line["reason"].startswith("grant 500 credits usable until 2027-06-30") for line in statement)


def test_mc6_the_api_keeps_the_english_refusal_the_portal_would_show_in_french(bob, demo_orders):
    """MC-6: credits are exchanged only between the sites of one order."""
    exchange = {"order": "ESO-2026-001", "from": "FR", "to": "DE", "credits": 10, "to_order": "ESO-2026-002"}
    response = signed_in(bob, "fr").post(
        "/api/ledger/credits/exchange", exchange, content_type="application/json"
    )
    assert response.status_code == 409
    english = (
        "MC-6: credits of ESO-2026-001 can be exchanged only between the sites of that order, never with "
        "another order (ESO-2026-002)"
    )
    assert response.json() == {"detail": english, "rule": "MC-6", "field": "to_order"}
    with pytest.raises(RuleViolation) as refused:
        exchange_credits(
            scope=OPERATOR,
            at=clock.now(),
            order="ESO-2026-001",
            from_site="FR",
            to_site="DE",
            credits=10,
            to_order="ESO-2026-002",
        )
    assert refused.value.message == english
    with translation.override("fr"):
        assert localized(refused.value) == (
            "les avoirs de l'Ordre de Services ESO-2026-001 ne peuvent être échangés qu'entre les sites de cet "
            "Ordre de Services, jamais avec un autre Ordre de Services (ESO-2026-002)"
        )


def test_the_cli_prints_the_same_english(demo_orders):
    load_rates()
    run = unisupport("credits", "redeem", "--order", "ESO-2026-001", "--site", "FR", "--service", "workshop",
                     "--quantity", "100", "--on", "2027-01-15", "--json")  # fmt: skip
    assert run.exit_code == 1
    assert run.json()["error"] == {"rule": "CRD-2", "field": "quantity", "message": CRD2}


@pytest.fixture
def frozen_now(monkeypatch):
    """Return the instant the product's clock reads: Friday 17:00 Paris."""
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: FRIDAY_5PM_PARIS)
    return FRIDAY_5PM_PARIS
