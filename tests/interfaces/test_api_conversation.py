"""The conversation API (RSP-6): comments and files, internal notes hidden from the customer, a
file refused by kind, and 404 for another organisation."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.incident_support import FRIDAY_5PM_PARIS, OPERATOR, contoso_incident
from tests.interfaces.http import request
from unisupport.incidents import services

pytestmark = pytest.mark.django_db(transaction=True)


def _multipart(name: str, data: bytes, **fields: str) -> tuple[bytes, str]:
    boundary = "unisupport-test-boundary"
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ) + (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_rsp6_comments_and_files_through_the_api(api_server, tokens):
    incident = contoso_incident()
    base = f"{api_server.url}/api/incidents/{incident.pk}"
    said = request("POST", f"{base}/comments", token=tokens["alice"],
                   body=json.dumps({"text": "Still down."}).encode(), content_type="application/json")  # fmt: skip
    assert said.status == 201
    note = request("POST", f"{base}/comments", token=tokens["bob"],
                   body=json.dumps({"text": "internal", "internal": True}).encode(), content_type="application/json")  # fmt: skip
    assert note.status == 201
    body, kind = _multipart("transport.log", b"10:02 DNS query failed\n")
    sent = request("POST", f"{base}/attachments", token=tokens["alice"], body=body, content_type=kind)
    assert sent.status == 201, sent.body
    assert sent.json()["name"] == "transport.log"
    seen = request("GET", f"{base}/comments", token=tokens["alice"]).json()
    assert [c["text"] for c in seen["comments"]] == ["Still down."]  # bob's internal note is not there
    assert [f["name"] for f in seen["attachments"]] == ["transport.log"]
    assert len(request("GET", f"{base}/comments", token=tokens["bob"]).json()["comments"]) == 2
    got = request("GET", f"{base}/attachments/1", token=tokens["bob"])
    assert got.status == 200
    assert got.body == b"10:02 DNS query failed\n"
    assert request("GET", f"{base}/attachments/1", token=tokens["charlie"]).status == 404
    assert request("GET", f"{base}/comments", token=tokens["charlie"]).status == 404
    exe, kind = _multipart("tool.exe", b"MZ\x90\x00")
    refused = request("POST", f"{base}/attachments", token=tokens["alice"], body=exe, content_type=kind)
    assert refused.status == 422
    assert "file" in refused.json()["field"]


def test_rca5_a_file_answers_the_document_asked_and_the_rca_names_it(api_server, tokens):
    incident = contoso_incident()
    at = FRIDAY_5PM_PARIS + dt.timedelta(hours=1)
    services.request_rca(scope=OPERATOR, incident_id=incident.pk, via="csam", at=at)
    doc = services.ask_rca_document(scope=OPERATOR, incident_id=incident.pk, what="transport logs", at=at)
    base = f"{api_server.url}/api/incidents/{incident.pk}"
    body, kind = _multipart("transport.log", b"10:02 DNS query failed\n", answers=str(doc.pk + 1000))
    refused = request("POST", f"{base}/attachments", token=tokens["alice"], body=body, content_type=kind)
    assert refused.status == 422
    assert refused.json()["field"] == "answers"
    body, kind = _multipart("transport.log", b"10:02 DNS query failed\n", answers=str(doc.pk))
    sent = request("POST", f"{base}/attachments", token=tokens["alice"], body=body, content_type=kind)
    assert sent.status == 201, sent.body
    (rca,) = request("GET", base, token=tokens["alice"]).json()["rca"]
    (answered,) = rca["documents"]
    assert answered["attachment"] == sent.json()["number"]
    assert answered["provided_at"] is not None
