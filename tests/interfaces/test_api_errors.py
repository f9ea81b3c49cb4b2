"""Every kind of API error answer, pinned: its status and its JSON body, word for word.

The endpoints answer through one mapping (``api.errors.error_body``); these bodies are the contract
it keeps: the incident endpoints echo ``message``, the others answer through ``ErrorOut``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

ORDER = "ESO-2026-001"
AT = "opened=2026-12-18T17:00:00%2B01:00&severity=A&product=Exchange%20Online"


@pytest.fixture
def tokens(alice, bob, charlie):
    from unisupport.accounts.services import issue_token

    return {p.username: issue_token(user=p, name="test") for p in (alice, bob, charlie)}


def answer(tokens: dict[str, str], who: str, method: str, path: str, data: Any = None) -> tuple[int, Any]:
    """Return the status and JSON body of one request as ``who``."""
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens[who]}"}
    if method == "GET":
        response = Client().get(path, **auth)
    else:
        body = "" if data is None else json.dumps(data)
        response = Client().post(path, data=body, content_type="application/json", **auth)
    return response.status_code, response.json()


CASES = [
    (
        "alice",
        "POST",
        "/api/ledger/credits/redeem",
        {"order": "ESO-2026-001", "site": "FR", "service": "workshop", "quantity": 3},
        403,
        {"detail": "only the vendor's staff post to the ledger", "rule": None, "field": None},
    ),
    (
        "charlie",
        "GET",
        f"/api/ledger/orders/{ORDER}/balance",
        None,
        404,
        {"detail": "no order 'ESO-2026-001'", "rule": None, "field": "number"},
    ),
    (
        "charlie",
        "GET",
        f"/api/ledger/orders/{ORDER}/statement",
        None,
        404,
        {"detail": "no order 'ESO-2026-001'", "rule": None, "field": "number"},
    ),
    (
        "bob",
        "GET",
        f"/api/ledger/orders/{ORDER}/statement?account=XX",
        None,
        422,
        {
            "detail": "account: expected SITE/KIND[/SERVICE] such as FR/credits, got 'XX'",
            "rule": None,
            "field": "account",
        },
    ),
    (
        "bob",
        "POST",
        "/api/ledger/credits/redeem",
        {
            "order": "ESO-2026-001",
            "site": "FR",
            "service": "workshop",
            "quantity": 1000000,
            "on": "2027-01-15",
        },
        422,
        {"detail": "site: no rate card for site FR (CRD-1: import one)", "rule": None, "field": "site"},
    ),
    (
        "bob",
        "POST",
        "/api/ledger/credits/redeem",
        {"order": "ESO-2026-001", "site": "FR", "service": "nope", "quantity": 1, "on": "2027-01-15"},
        422,
        {"detail": "CAT-1: unknown service code 'nope'", "rule": "CAT-1", "field": "service"},
    ),
    (
        "bob",
        "POST",
        "/api/ledger/credits/redeem",
        {"order": "NOPE", "site": "FR", "service": "workshop", "quantity": 1, "on": "2027-01-15"},
        422,
        {"detail": "order: no order 'NOPE'", "rule": None, "field": "order"},
    ),
    (
        "alice",
        "GET",
        "/api/ledger/verify",
        None,
        403,
        {"detail": "only the vendor's staff audit the ledger", "rule": None, "field": None},
    ),
    (
        "alice",
        "GET",
        "/api/rules/XYZ-99",
        None,
        404,
        {
            "detail": "rule: no rule 'XYZ-99' (IDs look like SEV-8, ORD-3, FLX-1)",
            "rule": None,
            "field": "rule_id",
        },
    ),
    (
        "alice",
        "GET",
        "/api/catalog/services/nope",
        None,
        404,
        {"detail": "CAT-1: unknown service code 'nope'", "rule": "CAT-1", "field": "code"},
    ),
    (
        "alice",
        "POST",
        "/api/orders/validate",
        None,
        403,
        {
            "detail": "only the vendor's CSAMs and back office validate and import orders",
            "rule": None,
            "field": None,
        },
    ),
    (
        "charlie",
        "GET",
        f"/api/orders/{ORDER}",
        None,
        404,
        {"detail": "no order 'ESO-2026-001'", "rule": None, "field": "number"},
    ),
    (
        "bob",
        "GET",
        f"/api/orders/{ORDER}?version=99",
        None,
        404,
        {"detail": "no order 'ESO-2026-001'", "rule": None, "field": "number"},
    ),
    (
        "alice",
        "GET",
        f"/api/sla/due?{AT}&site=FR",
        None,
        422,
        {
            "detail": "site: only with order (the calculator form takes country)",
            "rule": None,
            "field": "site",
        },
    ),
    (
        "alice",
        "GET",
        f"/api/sla/due?{AT}",
        None,
        422,
        {
            "detail": "country: give the support location's country, or order and site",
            "rule": None,
            "field": "country",
        },
    ),
    (
        "alice",
        "GET",
        f"/api/sla/due?{AT}&order={ORDER}&country=FR",
        None,
        422,
        {
            "detail": "order: the order form takes the country, time zone and offerings from the order",
            "rule": None,
            "field": "order",
        },
    ),
    (
        "alice",
        "GET",
        f"/api/sla/due?{AT}&order={ORDER}",
        None,
        422,
        {"detail": "site: the order form needs the site's country", "rule": None, "field": "site"},
    ),
    (
        "charlie",
        "GET",
        f"/api/sla/due?{AT}&order={ORDER}&site=FR",
        None,
        404,
        {"detail": "no order 'ESO-2026-001'", "rule": None, "field": "order"},
    ),
    (
        "alice",
        "GET",
        "/api/sla/due?opened=2026-12-18T17:00:00&severity=A&product=Exchange%20Online&country=FR",
        None,
        422,
        {
            "detail": "opened: '2026-12-18T17:00:00' has no UTC offset: an ISO instant must carry its offset or Z",
            "rule": None,
            "field": "opened",
        },
    ),
    (
        "alice",
        "GET",
        f"/api/sla/due?{AT}&order={ORDER}&site=JP",
        None,
        422,
        {"detail": "site: order ESO-2026-001 has no site in JP", "rule": None, "field": "site"},
    ),
    (
        "alice",
        "GET",
        "/api/calendar/add?country=FR&from=2026-12-18T17:00:00&minutes=60",
        None,
        422,
        {
            "detail": "from: '2026-12-18T17:00:00' has no UTC offset: an ISO instant must carry its offset or Z",
            "rule": None,
            "field": "from",
        },
    ),
    (
        "alice",
        "GET",
        "/api/calendar/add?country=ZZ&from=2026-12-18T17:00:00Z&minutes=60",
        None,
        422,
        {
            "detail": "country: unknown country 'ZZ' (ISO 3166-1 alpha-2 expected)",
            "rule": None,
            "field": "country",
        },
    ),
    (
        "alice",
        "GET",
        "/api/incidents/999999",
        None,
        404,
        {
            "detail": "id: no incident #999999",
            "rule": None,
            "field": "id",
            "message": "id: no incident #999999",
        },
    ),
    (
        "alice",
        "GET",
        "/api/incidents?state=nope",
        None,
        422,
        {
            "detail": "state: unknown state 'nope'",
            "rule": None,
            "field": "state",
            "message": "state: unknown state 'nope'",
        },
    ),
]


def test_each_error_answer_keeps_its_status_and_body(tokens):
    """RuleViolation 409 with the rule, NotFound 404, Forbidden 403, bad input 422 naming the field."""
    got = [(path, *answer(tokens, who, method, path, data)) for who, method, path, data, _, _ in CASES]
    assert got == [(path, status, body) for _, _, path, _, status, body in CASES]


def test_error_body_gives_each_kind_of_error_its_status():
    """SEV-8 (any rule) is a 409 naming it; not found 404, forbidden 403, bad input 422 naming the field."""
    from unisupport.api.errors import error_body
    from unisupport.domain.errors import Forbidden, InvalidInput, NotFound, RuleViolation

    refused = RuleViolation("SEV-8", "only the customer lowers the severity")
    assert error_body(refused) == (
        409,
        {
            "detail": "SEV-8: only the customer lowers the severity",
            "rule": "SEV-8",
            "field": None,
            "message": "SEV-8: only the customer lowers the severity",
        },
    )
    assert error_body(NotFound("no incident #7"))[0] == 404
    assert error_body(Forbidden("only the vendor's staff do this"))[0] == 403
    assert error_body(InvalidInput("state", "unknown state 'x'")) == (
        422,
        {
            "detail": "state: unknown state 'x'",
            "rule": None,
            "field": "state",
            "message": "state: unknown state 'x'",
        },
    )


def test_the_api_docs_use_the_products_own_swagger_assets_not_a_cdn(alice):
    from tests.interfaces.portal_support import signed_in

    client = signed_in(alice)
    docs = client.get("/api/docs").content.decode()
    assert "cdn.jsdelivr.net" not in docs
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
