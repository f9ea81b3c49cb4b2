"""The error pages (404, 403, 500) in the reader's language, with a way home; the 500 page renders
without the database."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from tests.interfaces.portal_support import signed_in


@pytest.mark.parametrize(("language", "title"), [("en", "Page not found"), ("fr", "Page non trouvée")])
def test_a_missing_page_says_so_in_the_readers_language(alice, settings, language, title):
    settings.DEBUG = False
    response = signed_in(alice, language).get("/orders/NO-SUCH-ORDER/")
    assert response.status_code == 404
    assert title in response.text
    assert 'href="/"' in response.text


def test_charlie_gets_the_same_404_on_contoso_in_french(charlie, settings):
    settings.DEBUG = False
    response = signed_in(charlie, "fr").get("/agreements/CONTOSO-UNIFIED/")
    assert response.status_code == 404
    assert "Page non trouvée" in response.text


def test_a_forbidden_action_says_why_in_french(vera, settings):
    settings.DEBUG = False
    response = signed_in(vera, "fr").get("/incidents/new/")
    assert response.status_code == 403
    assert "Action non autorisée" in response.text


def test_the_500_page_renders_without_a_request_or_database_in_french(db, django_assert_num_queries):
    with translation.override("fr"), django_assert_num_queries(0):
        page = render_to_string("500.html")
    assert "Une erreur est survenue" in page
    assert 'href="/"' in page


def test_an_expired_form_explains_itself(settings, alice):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.cookies["django_language"] = "fr"
    response = client.post("/incidents/new/", {"title": "x"})
    assert response.status_code == 403
    assert "Le formulaire a expiré" in response.text
