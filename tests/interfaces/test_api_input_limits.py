"""Bad input is refused as 422 naming where it is, never a 500 nor stored (issue 17 §0): NUL
characters, over-long texts, 1,000-deep nesting."""

from __future__ import annotations

import json

import pytest

from tests.interfaces.http import request
from unisupport.deliveries.models import Delivery

pytestmark = pytest.mark.django_db
REQUEST = {"order": "ESO-2026-001", "site": "FR", "service": "workshop", "quantity": 2}


def post(api_server, token, body: bytes):
    return request(
        "POST", f"{api_server.url}/api/deliveries", token=token, body=body, content_type="application/json"
    )


def test_a_nul_character_is_refused_naming_the_field(api_server, tokens, rates):
    answer = post(api_server, tokens["alice"], json.dumps(REQUEST | {"language": "fr\u0000"}).encode())
    assert (answer.status, answer.json()["field"]) == (422, "language")
    assert not Delivery.objects.exists()


def test_an_over_long_text_is_refused_naming_the_field(api_server, tokens, rates):
    answer = post(api_server, tokens["alice"], json.dumps(REQUEST | {"order": "E" * 30_000}).encode())
    assert (answer.status, answer.json()["field"]) == (422, "order")


def test_a_thousand_deep_nesting_is_refused_before_it_is_read(api_server, tokens, rates):
    deep = b'{"order": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    answer = post(api_server, tokens["alice"], deep)
    assert (answer.status, answer.json()["field"]) == (422, "body")
    brackets_in_text = json.dumps(REQUEST | {"language": "[" * 100}).encode()
    assert (
        post(api_server, tokens["alice"], brackets_in_text).status == 409
    )  # read fine; DEL-8 refuses the language
