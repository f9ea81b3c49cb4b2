"""The REST API through the whole Django stack (tests/interfaces/http.py): scoping (404 for other organisations), roles, and CLI parity."""

from __future__ import annotations

import json

import pytest

from tests.domain.test_order_rules import FR_FOUNDATIONAL, THE_ISSUE_EXAMPLE, order
from tests.interfaces.clirunner import unisupport
from tests.interfaces.http import request

pytestmark = pytest.mark.django_db


def test_openapi_document_is_served(api_server):
    response = request("GET", f"{api_server.url}/api/openapi.json")
    assert response.status == 200
    paths = response.json()["paths"]
    assert "/api/orders/validate" in paths
    assert "/api/catalog/services" in paths
    docs = request("GET", f"{api_server.url}/api/docs")
    assert docs.status == 200


def test_the_api_needs_authentication(api_server, demo_orders):
    assert request("GET", f"{api_server.url}/api/orders").status == 401
    assert request("GET", f"{api_server.url}/api/orders", token="us_not-a-token").status == 401
    # A write with a wrong token is told it is not authenticated, not that a CSRF check failed.
    body = b'{"order": "ESO-2026-001", "site": "FR", "severity": "B", "product": "Exchange Online", "title": "x"}'
    for token in (None, "us_not-a-token"):
        refused = request(
            "POST",
            f"{api_server.url}/api/incidents",
            token=token,
            body=body,
            content_type="application/json",
        )
        assert (refused.status, refused.json()) == (401, {"detail": "Unauthorized"})


def test_the_portals_session_writes_through_the_api_with_its_csrf_token(api_server, demo_orders, bob):
    """A signed-in browser may call the API; a write needs the CSRF token, as a form does."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(bob)
    body = {
        "order": "ESO-2026-001",
        "site": "FR",
        "severity": "B",
        "product": "Exchange Online",
        "title": "x",
    }
    assert browser.get("/api/orders").status_code == 200
    refused = browser.post("/api/incidents", body, content_type="application/json")
    assert (refused.status_code, refused.json()) == (403, {"detail": "CSRF check Failed"})
    browser.get("/")  # the portal's page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    opened = browser.post("/api/incidents", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert opened.status_code == 201, opened.content


def test_catalog_reads(api_server, tokens):
    services = request("GET", f"{api_server.url}/api/catalog/services", token=tokens["alice"]).json()
    assert len(services) == 49
    one = request("GET", f"{api_server.url}/api/catalog/services/mcs-github", token=tokens["alice"]).json()
    assert one["provider"] == "GitHub, Inc."
    missing = request("GET", f"{api_server.url}/api/catalog/services/nope", token=tokens["alice"])
    assert missing.status == 404
    assert missing.json()["rule"] == "CAT-1"
    products = request("GET", f"{api_server.url}/api/catalog/products", token=tokens["alice"]).json()
    assert "Azure Kubernetes Service" in {p["name"] for p in products}


def test_alice_lists_only_contoso_orders(api_server, tokens):
    orders = request("GET", f"{api_server.url}/api/orders", token=tokens["alice"]).json()
    assert sorted(o["order"] for o in orders) == ["ESO-2026-001", "ESO-2026-002"]
    one = request("GET", f"{api_server.url}/api/orders/ESO-2026-001", token=tokens["alice"]).json()
    assert {s["country"]: s["role"] for s in one["sites"]} == {"FR": "host", "DE": "downstream"}
    assert one["request_deadline"] == "2027-05-01"


def test_charlie_gets_404_for_contoso_orders(api_server, tokens):
    response = request("GET", f"{api_server.url}/api/orders/ESO-2026-001", token=tokens["charlie"])
    assert response.status == 404
    assert [
        o["order"] for o in request("GET", f"{api_server.url}/api/orders", token=tokens["charlie"]).json()
    ] == ["ESO-2026-101"]


def test_customers_may_not_validate_or_import(api_server, tokens):
    for path in ("validate", "import"):
        response = request(
            "POST",
            f"{api_server.url}/api/orders/{path}",
            token=tokens["alice"],
            body=b"x: 1",
            content_type="application/yaml",
        )
        assert response.status == 403


@pytest.mark.parametrize(
    "text",
    [
        THE_ISSUE_EXAMPLE,
        order(FR_FOUNDATIONAL + "    - {service: mcs-azure-workload-companion}\n"),  # ORD-3
        order("- country: DE\n  lines:\n    - {service: mscir}\n"),  # ORD-1
        THE_ISSUE_EXAMPLE.replace("amount: 190000", "amount: 100000"),  # FLX-5 warning
        THE_ISSUE_EXAMPLE.replace("quantity: 12,", "quantity: -12,"),  # unreadable
        "not: [valid",
    ],
    ids=["valid", "ORD-3", "ORD-1", "FLX-5", "negative-quantity", "bad-yaml"],
)
def test_cli_and_api_give_the_same_verdict_for_the_same_file(api_server, tokens, tmp_path, text):
    path = tmp_path / "order.yaml"
    path.write_text(text, encoding="utf-8")
    cli = unisupport("order", "validate", str(path), "--json")
    api_yaml = request(
        "POST",
        f"{api_server.url}/api/orders/validate",
        token=tokens["bob"],
        body=text.encode(),
        content_type="application/yaml",
    )
    api_json = request(
        "POST",
        f"{api_server.url}/api/orders/validate",
        token=tokens["bob"],
        body=json.dumps({"yaml": text}).encode(),
        content_type="application/json",
    )
    assert api_yaml.json() == cli.json() == api_json.json()
    assert api_yaml.status == (422 if cli.exit_code == 2 else 200)


def test_import_over_http_then_unchanged_then_amended(api_server, tokens):
    url = f"{api_server.url}/api/orders/import"
    first = request(
        "POST",
        url,
        token=tokens["bob"],
        body=THE_ISSUE_EXAMPLE.replace("ESO-2026-001", "ESO-2026-050")
        .replace("CONTOSO-UNIFIED", "NEW-AGREEMENT")
        .encode(),
        content_type="application/yaml",
    )
    assert first.status == 201, first.body
    assert first.json()["imported"][0]["version"] == 1
    again = request(
        "POST",
        url,
        token=tokens["bob"],
        body=THE_ISSUE_EXAMPLE.replace("ESO-2026-001", "ESO-2026-050")
        .replace("CONTOSO-UNIFIED", "NEW-AGREEMENT")
        .encode(),
        content_type="application/yaml",
    )
    assert again.status == 200
    assert again.json()["imported"][0]["created"] is False
    broken = request(
        "POST",
        url,
        token=tokens["bob"],
        body=order("- country: DE\n  lines:\n    - {service: mscir}\n")
        .replace("ESO-2026-001", "ESO-2026-077")
        .encode(),
        content_type="application/yaml",
    )
    assert broken.status == 409
    assert broken.json()["errors"][0]["rule"] == "ORD-1"
    assert broken.json()["imported"] == []
