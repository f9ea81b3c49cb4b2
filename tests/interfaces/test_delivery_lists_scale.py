"""The delivery lists cost the same whatever the number of deliveries (issue 12 §8): the same number
of queries for 3 and for 30 on the page, and a keyset for the next page."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.interfaces.http import request
from tests.interfaces.portal_support import signed_in
from tests.scopes import OPERATOR
from unisupport.accounts.models import EngineerProfile
from unisupport.deliveries import services
from unisupport.domain.deliveries import DeliveryRequest

pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)


def make(count: int, bob, *, first: int = 0) -> None:
    EngineerProfile.objects.get_or_create(
        user=bob, defaults={"country": "FR", "services": ["workshop"], "languages": ["fr", "en"]}
    )
    for n in range(first, first + count):
        command = DeliveryRequest.parse(order="ESO-2026-001", site="FR", service="workshop", quantity=1)
        done = services.request_delivery(scope=OPERATOR, command=command, at=MONDAY + dt.timedelta(seconds=n))
        if n % 2:
            services.schedule_delivery(
                scope=OPERATOR, delivery_id=done.pk, on=date(2027, 1, 5 + (n // 2) // 9), at=MONDAY,
                engineer=bob, start=dt.time(8 + (n // 2) % 9), hours=None,
            )  # fmt: skip


def queries(fetch) -> int:
    fetch()  # warm: a token's first use of the minute records it, caches fill
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_lists_and_the_board_take_as_many_queries_for_30_deliveries_as_for_3(
    rates, alice, bob, tokens, api_server, monkeypatch
):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: MONDAY)
    customer, vendor = signed_in(alice), signed_in(bob)

    class Api:
        def __init__(self, token):
            self.token = token

        def get(self, url):
            answer = request("GET", f"{api_server.url}{url}", token=self.token)
            answer.status_code = answer.status
            return answer

    pages = {
        "customer list": lambda: customer.get("/deliveries/"),
        "vendor list": lambda: vendor.get("/deliveries/"),
        "board": lambda: vendor.get("/deliveries/week/?start=2027-01-04"),
        "api list": lambda: Api(tokens["alice"]).get("/api/deliveries"),
    }
    make(3, bob)
    few = {name: queries(fetch) for name, fetch in pages.items()}
    make(27, bob, first=3)
    many = {name: queries(fetch) for name, fetch in pages.items()}
    assert many == few


def test_the_next_page_starts_after_the_last_delivery_shown(rates, alice, bob, tokens, api_server):
    make(5, bob)
    first = request("GET", f"{api_server.url}/api/deliveries?limit=2", token=tokens["alice"]).json()
    second = request(
        "GET", f"{api_server.url}/api/deliveries?limit=2&after={first[-1]['id']}", token=tokens["alice"]
    ).json()
    assert [d["id"] for d in first + second] == sorted((d["id"] for d in first + second), reverse=True)
    assert len({d["id"] for d in first + second}) == 4
    missing = request("GET", f"{api_server.url}/api/deliveries?after=999999", token=tokens["alice"])
    assert missing.status == 404


def test_the_api_list_narrows_by_customer_and_site_as_the_portal_does(rates, alice, bob, tokens, api_server):
    make(2, bob)
    command = DeliveryRequest.parse(order="ESO-2026-001", site="DE", service="workshop", quantity=1)
    services.request_delivery(scope=OPERATOR, command=command, at=MONDAY)

    def sites(query: str, who: str = "bob") -> list[str]:
        answer = request("GET", f"{api_server.url}/api/deliveries?{query}", token=tokens[who])
        assert answer.status == 200, answer.body
        return [d["site"] for d in answer.json()]

    assert sorted(sites("site=de")) == ["DE"]
    assert sorted(sites("customer=CONTOSO%20SA")) == ["DE", "FR", "FR"]
    assert sites("customer=Fabrikam%20Inc.") == []
    assert sites("site=FR", who="charlie") == []
