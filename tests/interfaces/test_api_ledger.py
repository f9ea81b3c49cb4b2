"""The ledger API through the whole Django stack (tests/interfaces/http.py): scoping, roles, 409 with the rule, 422 naming the field, idempotency."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.interfaces.http import Response, request
from tests.ledger_support import RATES_YAML
from unisupport.ledger.models import IdempotencyKey, LedgerEntry

pytestmark = pytest.mark.django_db
ORDER = "ESO-2026-001"


def call(method: str, url: str, *, token: str | None = None, data: Any = None, raw: bytes | None = None,
         key: str | None = None, content_type: str = "application/json") -> Response:  # fmt: skip
    """Return the response to one request (errors included), with an Idempotency-Key when given."""
    body = raw if raw is not None else (None if data is None else json.dumps(data).encode())
    headers = {"Idempotency-Key": key} if key else None
    return request(method, url, token=token, body=body, content_type=content_type, headers=headers)


@pytest.fixture
def api(api_server, tokens):
    base = f"{api_server.url}/api/ledger"
    imported = call(
        "POST",
        f"{base}/rates/import",
        token=tokens["bob"],
        raw=RATES_YAML.encode(),
        content_type="application/yaml",
    )
    assert imported.status == 201, imported.body
    return base


REDEEM = {"order": ORDER, "site": "FR", "service": "workshop", "quantity": 3, "on": "2027-01-15"}


def test_customers_read_their_own_balances_and_statements_only(api, tokens):
    mine = call("GET", f"{api}/orders/{ORDER}/balance?site=DE", token=tokens["alice"])
    assert mine.status == 200
    assert mine.json() == {"order": ORDER, "accounts": [
        {"site": "DE", "kind": "credits", "service": None, "balance": "200", "reserved": "0", "available": "200"},
        {"site": "DE", "kind": "hours", "service": "enhanced-designated-engineering", "balance": "400",
             "reserved": "0", "available": "400"},
    ]}  # fmt: skip
    statement = call("GET", f"{api}/orders/{ORDER}/statement?kind=credits", token=tokens["alice"])
    assert [e["balance"] for e in statement.json()] == ["200", "500"]
    csv = call("GET", f"{api}/orders/{ORDER}/statement?format=csv", token=tokens["alice"])
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert csv.body.decode().startswith("serial,entry,")
    for path in ("balance", "statement"):
        assert call("GET", f"{api}/orders/{ORDER}/{path}", token=tokens["charlie"]).status == 404
        assert call("GET", f"{api}/orders/{ORDER}/{path}").status == 401


def test_customers_may_not_post(api, tokens):
    response = call("POST", f"{api}/credits/redeem", token=tokens["alice"], data=REDEEM)
    assert response.status == 403
    assert call("GET", f"{api}/verify", token=tokens["alice"]).status == 403


def test_crd1_redeem_201_crd2_409_with_the_rule_and_422_naming_the_field(api, tokens):
    """CRD-1 posted (201), CRD-2 refused (409 with the rule), bad input 422 naming the field."""
    done = call("POST", f"{api}/credits/redeem", token=tokens["bob"], data=REDEEM)
    assert done.status == 201, done.body
    assert (done.json()["credits"], done.json()["rule"], done.json()["balance"]) == (38, "CRD-1", "462")
    refused = call("POST", f"{api}/credits/redeem", token=tokens["bob"], data=REDEEM | {"quantity": 100})
    assert refused.status == 409
    assert refused.json()["rule"] == "CRD-2"
    before = LedgerEntry.objects.count()
    for change, field in (
        ({"quantity": 1.5}, "quantity"),
        ({"site": "IT"}, "site"),
        ({"on": "2030-01-01"}, "on"),
    ):
        bad = call("POST", f"{api}/credits/redeem", token=tokens["bob"], data=REDEEM | change)
        assert bad.status == 422, bad.body
        assert bad.json()["field"] == field
    missing = call("POST", f"{api}/credits/redeem", token=tokens["bob"], data={"order": ORDER})
    assert missing.status == 422
    assert "site" in missing.body.decode()
    assert LedgerEntry.objects.count() == before


def test_idempotency_key_returns_the_first_result_and_writes_nothing_more(api, tokens):
    """A retried POST with the same Idempotency-Key gets the first response; one entry only."""
    before = LedgerEntry.objects.count()
    first = call("POST", f"{api}/credits/redeem", token=tokens["bob"], data=REDEEM, key="redeem-42")
    retry = call("POST", f"{api}/credits/redeem", token=tokens["bob"], data=REDEEM, key="redeem-42")
    assert (first.status, retry.status) == (201, 201)
    assert retry.json() == first.json()
    assert LedgerEntry.objects.count() == before + 1
    other = call(
        "POST", f"{api}/credits/redeem", token=tokens["bob"], data=REDEEM | {"quantity": 2}, key="redeem-42"
    )
    assert other.status == 422
    assert other.json()["field"] == "Idempotency-Key"
    assert IdempotencyKey.objects.count() == 1


def test_idempotency_key_remembers_a_refusal_too(api, tokens):
    """CRD-2: a refused POST retried with its key gets the same 409, even after credits change."""
    big = REDEEM | {"quantity": 45}  # 562.5 → 563 credits, more than the 500 held
    first = call("POST", f"{api}/credits/redeem", token=tokens["bob"], data=big, key="k-refused")
    assert (first.status, first.json()["rule"]) == (409, "CRD-2")
    call("POST", f"{api}/credits/exchange", token=tokens["bob"],
         data={"order": ORDER, "from": "DE", "to": "FR", "credits": 100, "on": "2027-02-01"})  # fmt: skip
    retry = call("POST", f"{api}/credits/redeem", token=tokens["bob"], data=big, key="k-refused")
    assert (retry.status, retry.json()) == (409, first.json())


def test_mc7_exchange_and_mc6_refusal(api, tokens):
    """MC-7: 100 → 93; MC-6: another order is refused with 409."""
    body = {"order": ORDER, "from": "FR", "to": "DE", "credits": 100, "on": "2027-02-01"}
    done = call("POST", f"{api}/credits/exchange", token=tokens["bob"], data=body)
    assert done.status == 201
    assert {k: done.json()[k] for k in ("debited", "credited", "rule")} == {
        "debited": 100,
        "credited": 93,
        "rule": "MC-7",
    }
    refused = call(
        "POST", f"{api}/credits/exchange", token=tokens["bob"], data=body | {"to_order": "ESO-2026-002"}
    )
    assert (refused.status, refused.json()["rule"]) == (409, "MC-6")


def test_hrs2_and_del2_over_http(api, tokens):
    """HRS-2: 409 beyond the block; DEL-2: the fee quote."""
    # A working day at DE (HRS-4 would refuse a weekend before HRS-2 is asked).
    hours = {
        "order": ORDER,
        "site": "DE",
        "service": "enhanced-designated-engineering",
        "hours": 500,
        "on": "2026-09-02",
    }
    refused = call("POST", f"{api}/hours/consume", token=tokens["bob"], data=hours)
    assert (refused.status, refused.json()["rule"]) == (409, "HRS-2")
    assert (
        call(
            "POST",
            f"{api}/hours/consume",
            token=tokens["bob"],
            data=hours | {"hours": 7.5, "on": "2026-09-02"},
        ).status
        == 201
    )
    quote = call("POST", f"{api}/fees/cancellation", token=tokens["bob"],
                 data={"cost": 12000, "delivery": "2026-12-20", "on": "2026-12-10"})  # fmt: skip
    assert quote.json() == {
        "days_before": 10,
        "fee_percent": 50,
        "fee": "6000.00",
        "refund": "6000.00",
        "rule": "DEL-2",
    }


def test_verify_over_http(api, tokens):
    audit = call("GET", f"{api}/verify", token=tokens["bob"])
    assert audit.status == 200
    assert audit.json()["ok"] is True
    paths = call("GET", api.replace("/ledger", "/openapi.json"), token=tokens["bob"]).json()["paths"]
    assert "/api/ledger/credits/redeem" in paths


def test_statement_filters_and_paging_over_http(api, tokens):
    base = f"{api}/orders/{ORDER}/statement"
    one_day = call("GET", f"{base}?from=2026-07-01&to=2026-07-01&rule=FLX-5", token=tokens["alice"]).json()
    assert [e["reason"] for e in one_day] == [
        "assigned at execution to custom-proactive at FR",
        "assigned at execution to proactive-credits at FR",
    ]
    page = call("GET", f"{base}?limit=2&offset=1", token=tokens["alice"]).json()
    assert [e["serial"] for e in page] == [
        e["serial"] for e in call("GET", base, token=tokens["alice"]).json()[1:3]
    ]
    bad = call("GET", f"{base}?account=FR/nothing", token=tokens["alice"])
    assert (bad.status, bad.json()["field"]) == (422, "account")
    assert call("GET", f"{base}?from=yesterday", token=tokens["alice"]).status == 422
