"""/api/deliveries/{id}/deliverables, terms and assessment work over the whole Django stack (DEL-4,
DEL-6, DEL-7): the files reach Contoso's people and the vendor, 404 for Fabrikam's."""

from __future__ import annotations

import datetime as dt
import json
from datetime import date

import pytest
from django.test import Client

from tests.interfaces.http import request
from tests.scopes import OPERATOR
from unisupport.deliveries import services
from unisupport.domain.deliveries import DeliveryRequest

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n" + b"1" * 64
JAN_4 = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def delivered(rates, settings, tmp_path, monkeypatch):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: JAN_4)
    settings.UNISUPPORT_FILES_DIR = tmp_path / "files"
    command = DeliveryRequest.parse(order="ESO-2026-001", site="FR", service="workshop", quantity=2)
    delivery = services.request_delivery(scope=OPERATOR, command=command, at=JAN_4)
    services.schedule_delivery(scope=OPERATOR, delivery_id=delivery.pk, on=date(2027, 2, 1), at=JAN_4)
    services.deliver(scope=OPERATOR, delivery_id=delivery.pk, at=JAN_4)
    return delivery


def test_del7_the_vendor_uploads_a_report_and_only_the_customer_and_the_vendor_download_it(
    api_server, tokens, delivered
):
    bob = Client(HTTP_AUTHORIZATION=f"Bearer {tokens['bob']}")
    url = f"/api/deliveries/{delivered.pk}/deliverables"
    uploaded = bob.post(url, {"file": [_file("report.pdf", PDF)]})
    assert uploaded.status_code == 201, uploaded.content
    assert uploaded.json()["deliverables"][0]["name"] == "report.pdf"
    assert "DEL-7" in uploaded.json()["notice"]
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {tokens['alice']}").post(
        url, {"file": [_file("x.pdf", PDF)]}
    )
    assert refused.status_code == 403
    bad = bob.post(url, {"file": [_file("virus.exe", b"MZ")]})
    assert (bad.status_code, bad.json()["field"]) == (422, "file")
    got = request("GET", f"{api_server.url}{url}/1", token=tokens["alice"])
    assert got.status == 200
    assert got.body == PDF
    assert "attachment" in got.headers["Content-Disposition"]
    assert request("GET", f"{api_server.url}{url}/1", token=tokens["bob"]).status == 200
    assert request("GET", f"{api_server.url}{url}/1", token=tokens["charlie"]).status == 404
    assert request("GET", f"{api_server.url}{url}/2", token=tokens["alice"]).status == 404


def test_del4_terms_and_the_cancellation_below_minimum_through_the_api(
    api_server, tokens, rates, monkeypatch
):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: JAN_4)
    command = DeliveryRequest.parse(order="ESO-2026-001", site="FR", service="workshop", quantity=2)
    delivery = services.request_delivery(scope=OPERATOR, command=command, at=JAN_4)
    base = f"{api_server.url}/api/deliveries/{delivery.pk}"
    body = json.dumps({"minimum": 2, "deadline": "2027-01-10"}).encode()
    assert (
        request(
            "POST", f"{base}/terms", token=tokens["alice"], body=body, content_type="application/json"
        ).status
        == 403
    )
    set_ = request("POST", f"{base}/terms", token=tokens["bob"], body=body, content_type="application/json")
    assert (set_.status, set_.json()["minimum"], set_.json()["registration_deadline"]) == (
        201,
        2,
        "2027-01-10",
    )
    early = request("POST", f"{base}/cancel-below-minimum", token=tokens["bob"])
    assert (early.status, early.json()["rule"]) == (409, "DEL-4")
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 1, 11, 9, tzinfo=dt.UTC))
    done = request("POST", f"{base}/cancel-below-minimum", token=tokens["bob"])
    assert (done.status, done.json()["state"], done.json()["fee_percent"]) == (201, "cancelled", 0)


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
