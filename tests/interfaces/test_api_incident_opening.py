"""POST /api/incidents answers with the incident as GET /api/incidents/{id} shows it, built without reading it back."""

from __future__ import annotations

import json

import pytest

from tests.interfaces.http import request

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "fields",
    [
        {"severity": "C", "product": "Azure Virtual Machines"},
        {"severity": "A", "product": "Exchange Online", "language": "ja"},  # escalation, SEV-10 exclusions
        {"severity": "B", "product": "Exchange Online", "kind": "advisory", "channel": "email"},  # no target
    ],
)
def test_the_opening_answer_is_the_incident_as_get_shows_it(live_server, bob, fields):
    from unisupport.accounts.services import issue_token

    token = issue_token(user=bob, name="test")
    body = {
        "order": "ESO-2026-001",
        "site": "FR",
        "channel": "phone",
        "title": "Mail flow down",
        "at": "2026-12-18T17:00:00+01:00",
        **fields,
    }
    opened = request(
        "POST",
        f"{live_server.url}/api/incidents",
        token=token,
        body=json.dumps(body).encode(),
        content_type="application/json",
    )
    assert opened.status == 201, opened.body
    created = opened.json()
    shown = request("GET", f"{live_server.url}/api/incidents/{created['id']}", token=token).json()
    for data in (created, shown):
        data.pop("seconds_left")  # counted from each answer's own "now"
    assert created == shown
    assert created["timeline"][0]["kind"] == "opened"
    # Both answers are sent as the presenter built them: the schema the OpenAPI document shows
    # must describe them exactly (no field missing, none it would add or drop).
    from unisupport.api.incidents import IncidentOut

    for answer in (opened.json(), shown_again(live_server, token, created["id"])):
        assert IncidentOut.model_validate(answer).model_dump(mode="json") == answer


def shown_again(live_server, token: str, incident_id: int) -> dict:
    return request("GET", f"{live_server.url}/api/incidents/{incident_id}", token=token).json()
