"""Security headers (issue 17 §3): every page runs only the portal's own files (a CSP without
unsafe-inline), is never framed, sends no referrer elsewhere, and what a signed-in person or a token
was shown is never cached."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.interfaces.portal_support import signed_in

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "unisupport" / "portal" / "templates"


def test_a_page_carries_the_policy_and_the_headers(alice):
    response = signed_in(alice).get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_signed_out_page_is_not_marked_personal_and_an_api_answer_to_a_token_is(alice):
    from unisupport.accounts.services import issue_token

    rules = Client().get("/rules/")
    assert rules.status_code == 200
    assert "no-store" not in rules.get("Cache-Control", "")  # the same for everyone
    assert "Content-Security-Policy" in rules
    token = issue_token(user=alice, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/incidents")
    assert api.status_code == 200
    assert "no-store" in api["Cache-Control"]


def test_no_template_has_an_inline_script_or_style():
    """The policy allows no inline script: every script is a file of the portal's static files."""
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert " style=" not in text, template
        assert not re.search(r"\son[a-z]+=", text), template
