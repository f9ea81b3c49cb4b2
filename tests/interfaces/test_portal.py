"""The portal's pages, in English and French, each person seeing only their own organisation."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def signed_in(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_login_page_in_both_languages(demo_orders):
    assert "Sign in" in Client(HTTP_ACCEPT_LANGUAGE="en").get("/login/").text
    assert "Se connecter" in Client(HTTP_ACCEPT_LANGUAGE="fr").get("/login/").text


def test_pages_need_a_login(demo_orders):
    response = Client().get("/agreements/CONTOSO-UNIFIED/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/")


def test_alice_finds_her_agreement_from_home_with_services_and_deadlines(alice):
    client = signed_in(alice)
    home = client.get("/").text
    assert 'href="/agreements/CONTOSO-UNIFIED/"' in home  # her home links to her agreement
    page = client.get("/agreements/CONTOSO-UNIFIED/").text
    assert "ESO-2026-001" in page
    assert "ESO-2026-002" in page
    assert "Host site" in page
    assert "Downstream site" in page
    assert "Enhanced Designated Engineering" in page or "enhanced-designated-engineering" in page
    assert "DEL-1" in page
    assert "1 May 2027" in page or "May 1, 2027" in page  # expiry 2027-06-30 − 60 days


def test_the_french_portal_speaks_the_contracts_words(alice):
    page = signed_in(alice, "fr").get("/agreements/CONTOSO-UNIFIED/").text
    assert "Mon contrat" in page
    assert "Site Hôte" in page
    assert "Site Aval" in page
    assert "Services fondamentaux" in page  # the service's French source name
    assert "Date limite des demandes de Services Proactifs" in page
    assert "Allocation flexible" in page


def test_switching_language_sets_it_for_the_session(alice):
    client = signed_in(alice)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/catalog/"})
    assert "Catalogue" in client.get("/catalog/").text
    client.post("/i18n/setlang/", {"language": "en", "next": "/catalog/"})
    assert "Catalog" in client.get("/catalog/").text


def test_charlie_gets_404_for_contoso(charlie):
    client = signed_in(charlie)
    assert client.get("/agreements/CONTOSO-UNIFIED/").status_code == 404
    assert client.get("/orders/ESO-2026-001/").status_code == 404
    assert "CONTOSO" not in client.get("/", follow=True).text


def test_bob_the_csam_sees_every_agreement(bob):
    page = signed_in(bob).get("/").text
    assert "CONTOSO-UNIFIED" in page
    assert "FABRIKAM-UNIFIED" in page


def test_order_page_shows_versions(alice):
    page = signed_in(alice).get("/orders/ESO-2026-001/").text
    assert "v1" in page
    assert "ORD-9" in page
    assert signed_in(alice).get("/orders/ESO-2026-001/?version=9").status_code == 404


def test_catalog_lists_every_service_with_its_mark(alice):
    page = signed_in(alice, "fr").get("/catalog/").text
    assert page.count('<tr id="') == 49
    assert "Avoirs proactifs" in page


def test_every_rule_can_be_looked_up_on_the_rules_page(alice):
    page = signed_in(alice).get("/rules/").text
    assert 'id="SEV-8"' in page
    assert 'id="FLX-6"' in page
    assert "<strong>Reading:</strong>" in page


def test_rules_on_the_cli_and_the_api(demo_orders):
    from tests.interfaces.clirunner import unisupport

    shown = unisupport("rules", "SEV-8", "--json")
    assert shown.exit_code == 0
    assert shown.json()["reading"] is True
    assert unisupport("rules", "NOPE-1").exit_code == 2
    client = Client()
    from unisupport.accounts.services import create_person

    client.force_login(create_person(username="reader", password="x" * 12, roles=[]))
    assert client.get("/api/rules/MC-5").json()["id"] == "MC-5"
    assert client.get("/api/rules/NOPE-1").status_code == 404
    french = client.get("/api/rules/MC-5", {"language": "fr"}).json()
    assert (french["id"], french["reading"]) == ("MC-5", True)
    assert french["text"].startswith("L'Australie, la Nouvelle-Zélande")
    assert french["section"] == "3. Programme Pays Multiples (§2.6)"
    assert client.get("/api/rules", {"language": "de"}).status_code == 422
    said = unisupport("rules", "FLX-6", "--language", "fr")
    assert "la somme des attributions ne peut jamais dépasser l'allocation" in said.stdout


def test_the_rules_page_in_french_says_the_rules_in_the_contracts_french(alice):
    """Issue 15 §4: the rules and their sections in French, « Lecture » and « Règle du produit » marked."""
    page = signed_in(alice, "fr").get("/rules/").text
    assert "<h2>2. Ordres de Services et packages (§2.1, §2.3, §2.6, §2.7)</h2>" in page
    assert "<strong>Lecture\u00a0:</strong>" in page
    assert "<strong>Règle du produit\u00a0:</strong>" in page
    assert "<strong>Reading:</strong>" not in page
    assert page.count('class="rule-entry') == 111
