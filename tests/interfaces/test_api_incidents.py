"""The incident API through the whole Django stack (tests/interfaces/http.py): opening, working, refusals with their rule IDs, scoping, the report.

Contoso (ESO-2026-001, host FR, Europe/Paris) has foundational, UER and MCS for Azure Platform
Plus; alice is its administrator, bob the vendor's CSAM, charlie Fabrikam's administrator.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from tests.interfaces.http import Response, request

pytestmark = pytest.mark.django_db

FRIDAY_5PM_PARIS = "2026-12-18T17:00:00+01:00"


@pytest.fixture
def call(api_server, tokens):
    """Return a function that sends one API request as alice, bob or charlie."""

    def send(method: str, path: str, who: str, body: dict | None = None) -> Response:
        data = json.dumps(body).encode() if body is not None else None
        return request(
            method,
            f"{api_server.url}/api{path}",
            token=tokens[who],
            body=data,
            content_type="application/json" if data is not None else None,
        )

    return send


def opened(call, who: str = "bob", **fields) -> dict:
    body = {
        "order": "ESO-2026-001",
        "site": "FR",
        "severity": "C",
        "product": "Azure Virtual Machines",
        "channel": "phone",
        "title": "VM restarts",
        "at": FRIDAY_5PM_PARIS,
    }
    body.update(fields)
    response = call("POST", "/incidents", who, {k: v for k, v in body.items() if v is not None})
    assert response.status == 201, response.body
    return response.json()


def test_openapi_documents_the_incident_endpoints(api_server):
    paths = request("GET", f"{api_server.url}/api/openapi.json").json()["paths"]
    for path in (
        "/api/incidents",
        "/api/incidents/{incident_id}",
        "/api/incidents/{incident_id}/respond",
        "/api/incidents/{incident_id}/severity",
        "/api/incidents/{incident_id}/mitigate",
        "/api/incidents/{incident_id}/close",
        "/api/incidents/{incident_id}/customer-action",
        "/api/incidents/{incident_id}/customer-action/answered",
        "/api/incidents/{incident_id}/rca",
        "/api/incidents/{incident_id}/rca/documents",
        "/api/incidents/{incident_id}/advisory-time",
        "/api/incidents/{incident_id}/review",
        "/api/sla/attainment",
    ):
        assert path in paths, path
    assert "409" in paths["/api/incidents/{incident_id}/severity"]["post"]["responses"]
    assert "text/csv" in paths["/api/sla/attainment"]["get"]["responses"]["200"]["content"]


def test_the_incident_api_needs_authentication(api_server, demo_orders):
    assert request("GET", f"{api_server.url}/api/incidents").status == 401


def test_sev1_alice_opens_an_incident_for_contoso_now_and_follows_it(call):
    """SEV-1: the customer's administrator opens an incident; it is recorded now, with its target."""
    before = dt.datetime.now(tz=dt.UTC)
    incident = opened(
        call, "alice", at=None, severity="B", product="Exchange Online", channel="web", title="Mail delayed"
    )
    assert incident["severity"] == incident["proposed_severity"] == "B"
    assert (incident["target_minutes"], incident["clock"]) == (120, "business")
    assert incident["site_timezone"] == "Europe/Paris"
    opened_at = dt.datetime.fromisoformat(incident["opened_at"])
    assert before - dt.timedelta(seconds=1) <= opened_at <= dt.datetime.now(tz=dt.UTC)
    assert dt.datetime.fromisoformat(incident["due"]) > opened_at
    assert incident["timeline"][0]["kind"] == "opened"
    assert incident["timeline"][0]["actor"] == "alice"
    assert incident["timeline"][0]["rule"] == "SEV-1"
    listed = call("GET", "/incidents", "alice").json()
    assert [row["id"] for row in listed] == [incident["id"]]
    assert "timeline" not in listed[0]
    shown = call("GET", f"/incidents/{incident['id']}", "alice").json()
    assert shown["title"] == "Mail delayed"
    assert shown["rca"] == []
    assert shown["review"] is None


def test_sev7_bob_logs_an_incident_after_the_fact_with_its_due_time_in_utc_and_site_time(call):
    """SEV-7: a Sev C from Friday 17:00 Paris runs on business hours to Monday 12:30 Paris."""
    incident = opened(call)
    assert incident["due"] == "2026-12-21T11:30:00Z"
    assert incident["due_local"] == "2026-12-21T12:30:00+01:00"
    assert incident["rules"] == ["SEV-2", "SEV-7"]
    assert incident["offering"] == "foundational"
    assert incident["response_met"] is None


def test_charlie_gets_404_on_contoso_incidents(call):
    incident = opened(call)
    path = f"/incidents/{incident['id']}"
    assert call("GET", path, "charlie").status == 404
    assert call("POST", f"{path}/rca", "charlie", {}).status == 404
    assert call("POST", f"{path}/customer-action/answered", "charlie").status == 404
    assert call("GET", "/incidents", "charlie").json() == []
    report = call("GET", "/sla/attainment?from=2026-12-01&to=2027-01-01", "charlie").json()
    assert report["incidents"] == report["pending"] == 0


def test_charlie_cannot_open_an_incident_on_contosos_order(call):
    refused = call(
        "POST",
        "/incidents",
        "charlie",
        {"order": "ESO-2026-001", "site": "FR", "severity": "C", "product": "Exchange Online", "title": "x"},
    )
    assert refused.status == 422
    assert refused.json()["field"] == "order"


def test_customers_do_not_work_incidents_nor_log_them_after_the_fact(call):
    incident = opened(call)
    refused = call("POST", f"/incidents/{incident['id']}/respond", "alice", {"channel": "phone"})
    assert refused.status == 403
    backdated = call(
        "POST",
        "/incidents",
        "alice",
        {"order": "ESO-2026-001", "site": "FR", "severity": "C", "product": "Exchange Online", "title": "x"}
        | {"at": "2026-12-01T09:00:00+01:00"},
    )
    assert backdated.status == 403
    relayed = call("POST", f"/incidents/{incident['id']}/rca", "alice", {"via": "csam"})
    assert relayed.status == 403


def test_sev2_the_first_phone_response_stops_the_clock_and_an_automatic_one_does_not(call):
    """SEV-2: "first response" is a non-automated contact by phone or e-mail."""
    incident = opened(call, severity="A", product="Exchange Online")  # UER: 30 min 24x7, due 17:30
    path = f"/incidents/{incident['id']}/respond"
    auto = call(
        "POST", path, "bob", {"channel": "email", "automated": True, "at": "2026-12-18T17:01:00+01:00"}
    )
    assert auto.json()["first_response_at"] is None
    answered = call("POST", path, "bob", {"channel": "phone", "at": "2026-12-18T17:20:00+01:00"}).json()
    assert answered["first_response_at"] == "2026-12-18T16:20:00Z"
    assert answered["response_met"] is True
    assert answered["state"] == "in-progress"
    assert answered["assigned_engineer"] == "bob"
    event = next(e for e in answered["timeline"] if e["kind"] == "first-response")
    assert (event["rule"], event["channel"], event["met"]) == ("SEV-2", "phone", True)


def test_sev8_a_downgrade_without_a_reason_is_refused_with_409(call):
    """SEV-8: a downgrade needs its reason; with one, the clock carries on under the new severity."""
    incident = opened(call, severity="A", product="Exchange Online")
    path = f"/incidents/{incident['id']}/severity"
    refused = call("POST", path, "bob", {"to": "B", "at": "2026-12-18T17:10:00+01:00"})
    assert refused.status == 409
    assert refused.json()["rule"] == "SEV-8"
    assert refused.json()["field"] == "reason"
    changed = call(
        "POST", path, "bob", {"to": "B", "reason": "customer-responses", "at": "2026-12-18T17:10:00+01:00"}
    ).json()
    assert changed["severity"] == "B"
    assert changed["due"] == "2026-12-21T09:30:00Z"  # 110 business minutes left: Monday 10:30 Paris
    assert changed["timeline"][-1]["kind"] == "severity-changed"
    assert changed["timeline"][-1]["reason"] == "customer-responses"


def test_rca1_an_rca_requested_after_closure_is_refused_with_409(call):
    """RCA-1: a foundational RCA must be requested before the incident is closed."""
    incident = opened(call, severity="B", product="Exchange Online")
    path = f"/incidents/{incident['id']}"
    closed = call("POST", f"{path}/close", "bob", {"at": "2026-12-19T10:00:00+01:00"}).json()
    assert closed["state"] == "closed"
    refused = call("POST", f"{path}/rca", "bob", {"via": "csam", "at": "2026-12-19T11:00:00+01:00"})
    assert refused.status == 409
    assert refused.json()["rule"] == "RCA-1"


def test_rca3_under_uer_the_customer_asks_through_the_csam(call):
    """RCA-3: UER includes no RCA; the customer's own request is refused, the CSAM's accepted (RCA-1)."""
    incident = opened(call, severity="B", product="Exchange Online")
    path = f"/incidents/{incident['id']}/rca"
    refused = call("POST", path, "alice")
    assert refused.status == 409
    assert refused.json()["rule"] == "RCA-3"
    accepted = call("POST", path, "bob", {"via": "csam", "at": "2026-12-18T18:00:00+01:00"})
    assert accepted.status == 201
    assert accepted.json()["rule"] == "RCA-1"


def test_rca5_documents_asked_of_the_customer_and_when_they_arrived(call):
    """RCA-5: what was asked for the RCA, and when the customer provided it."""
    incident = opened(call, severity="B", product="Exchange Online")
    path = f"/incidents/{incident['id']}"
    call("POST", f"{path}/rca", "bob", {"via": "csam", "at": "2026-12-18T18:00:00+01:00"})
    assert call("POST", f"{path}/rca/documents", "alice", {"what": "logs"}).status == 403
    asked = call(
        "POST", f"{path}/rca/documents", "bob", {"what": "network trace", "at": "2026-12-18T18:05:00+01:00"}
    )
    assert asked.status == 201
    doc = asked.json()
    assert doc["provided_at"] is None
    provided = call("POST", f"{path}/rca/documents/{doc['id']}/provided", "alice")
    assert provided.status == 200
    assert provided.json()["provided_at"] is not None
    assert call("POST", f"{path}/rca/documents/999999/provided", "alice").status == 404
    shown = call("GET", path, "alice").json()
    assert shown["rca"][0]["documents"][0]["what"] == "network trace"
    # Sent as the presenter built it: IncidentOut (the OpenAPI document) describes it exactly.
    from unisupport.api.incidents import IncidentOut

    assert IncidentOut.model_validate(shown).model_dump(mode="json") == shown
    assert [e["rule"] for e in shown["timeline"] if e["kind"].startswith("rca-document")] == [
        "RCA-5",
        "RCA-5",
    ]


def test_sev9_waiting_on_the_customer_then_answered(call):
    """SEV-9: asking a Sev B customer for a change approval starts a 4-business-hour clock."""
    incident = opened(call, severity="B", product="Exchange Online", at="2026-12-17T15:00:00+01:00")
    path = f"/incidents/{incident['id']}"
    waiting = call(
        "POST",
        f"{path}/customer-action",
        "bob",
        {"what": "approve the change", "at": "2026-12-17T16:00:00+01:00"},
    ).json()
    assert waiting["state"] == "waiting-on-customer"
    asked = waiting["timeline"][-1]
    assert (asked["kind"], asked["rule"], asked["due"]) == (
        "customer-action-requested",
        "SEV-9",
        "2026-12-18T10:30:00Z",
    )
    answered = call("POST", f"{path}/customer-action/answered", "alice").json()
    assert answered["state"] == "in-progress"
    # Answering again with nothing asked records nothing (a retry, or a fuzzer's 463 calls).
    again = call("POST", f"{path}/customer-action/answered", "alice").json()
    assert [e["kind"] for e in again["timeline"]].count("customer-action-received") == 1


def test_mitigate_then_back_in_progress_then_close(call):
    incident = opened(call, severity="B", product="Exchange Online")
    path = f"/incidents/{incident['id']}"
    assert call("POST", f"{path}/mitigate", "bob").json()["mitigated_at"] is not None
    assert call("POST", f"{path}/state", "bob", {"state": "in-progress"}).json()["state"] == "in-progress"
    assert call("POST", f"{path}/close", "bob").json()["state"] == "closed"
    again = call("POST", f"{path}/state", "bob", {"state": "in-progress"})
    assert again.status == 422
    assert again.json()["field"] == "state"


def test_hrs3_advisory_time_past_6_hours_is_refused_with_409(call):
    """HRS-3: advisory support is limited to 6 hours per incident."""
    advisory = opened(call, kind="advisory", channel="email", title="AKS upgrade advice")
    path = f"/incidents/{advisory['id']}/advisory-time"
    logged = call("POST", path, "bob", {"hours": "4.5", "at": "2026-12-18T18:00:00+01:00"})
    assert logged.status == 201
    assert logged.json()["advisory_hours"] == "4.50"
    refused = call("POST", path, "bob", {"hours": 2, "at": "2026-12-18T19:00:00+01:00"})
    assert refused.status == 409
    assert refused.json()["rule"] == "HRS-3"


def test_inc8_a_post_incident_review_is_for_uer_sev_1_only(call):
    """INC-8: UER's post-incident review of a Sev 1 incident, on request."""
    sev1 = opened(call, severity="1", product="Exchange Online")
    review = call("POST", f"/incidents/{sev1['id']}/review", "alice")
    assert review.status == 201
    assert review.json()["incident"] == sev1["id"]
    sev_b = opened(call, severity="B", product="Exchange Online")
    refused = call("POST", f"/incidents/{sev_b['id']}/review", "bob")
    assert refused.status == 409
    assert refused.json()["rule"] == "INC-8"


def test_naive_instants_and_unknown_filters_name_their_field(call):
    incident = opened(call)
    naive = call("POST", f"/incidents/{incident['id']}/mitigate", "bob", {"at": "2026-12-18T18:00:00"})
    assert naive.status == 422
    assert naive.json()["field"] == "at"
    assert call("GET", "/incidents?state=sleeping", "bob").json()["field"] == "state"
    assert call("GET", "/incidents?severity=Z", "bob").json()["field"] == "severity"
    assert call("GET", "/sla/attainment?from=yesterday&to=2027-01-01", "bob").json()["field"] == "from"


def test_list_filters_by_state_severity_open_order_and_breach(call):
    c = opened(call)
    a = opened(call, severity="A", product="Exchange Online")
    call(
        "POST",
        f"/incidents/{a['id']}/respond",
        "bob",
        {"channel": "phone", "at": "2026-12-18T18:00:00+01:00"},
    )
    call("POST", f"/incidents/{c['id']}/close", "bob", {"at": "2026-12-19T10:00:00+01:00"})

    def ids(query: str) -> list[int]:
        return [row["id"] for row in call("GET", f"/incidents?{query}", "bob").json()]

    assert ids("") == [a["id"], c["id"]] or ids("") == [c["id"], a["id"]]
    assert ids("severity=a") == [a["id"]]
    assert ids("state=closed") == [c["id"]]
    assert ids("open=true") == [a["id"]]
    assert ids("breached=true") == [a["id"]]  # answered at 18:00, due 17:30
    assert ids("order=ESO-2026-101") == []


def test_list_filters_by_customer_and_site_and_sorts_like_the_queue(call):
    """SEV-2: the API's list narrows and sorts as the portal's queue does (one selector for both)."""
    fr_c = opened(call)
    de_c = opened(call, site="DE")
    us_a = opened(call, order="ESO-2026-101", site="US", severity="A", product="Azure Virtual Machines")
    fr_a = opened(call, severity="A", product="Exchange Online")

    def ids(query: str, who: str = "bob") -> list[int]:
        response = call("GET", f"/incidents?{query}", who)
        assert response.status == 200, response.body
        return [row["id"] for row in response.json()]

    assert sorted(ids("customer=contoso%20sa")) == sorted([fr_c["id"], de_c["id"], fr_a["id"]])
    assert ids("customer=Fabrikam%20Inc.") == [us_a["id"]]
    assert ids("site=de") == [de_c["id"]]
    assert ids("site=DE", who="charlie") == []  # Fabrikam's people see only Fabrikam's incidents
    queue = ids("sort=time-left&open=true")
    # Sev A first (due within the hour), Sev C after; within each, the earlier due time first.
    assert set(queue[:2]) == {us_a["id"], fr_a["id"]}
    assert set(queue[2:]) == {fr_c["id"], de_c["id"]}
    assert call("GET", "/incidents?sort=oldest", "bob").status == 422
    # The next page starts after the last incident of the one before, in the same order (a keyset).
    first = [row["id"] for row in call("GET", "/incidents?limit=2&sort=time-left", "bob").json()]
    rest = [row["id"] for row in call("GET", f"/incidents?sort=time-left&after={first[-1]}", "bob").json()]
    assert first + rest == ids("sort=time-left")
    assert call("GET", "/incidents?after=999999", "bob").status == 404
    assert call("GET", f"/incidents?after={fr_c['id']}", "charlie").status == 404  # not his to start after


def test_the_sla_attainment_report_in_json_and_csv(call):
    met = opened(call, severity="A", product="Exchange Online")
    late = opened(call, severity="A", product="Exchange Online")
    opened(call)  # Sev C, still pending
    call(
        "POST",
        f"/incidents/{met['id']}/respond",
        "bob",
        {"channel": "phone", "at": "2026-12-18T17:10:00+01:00"},
    )
    call(
        "POST",
        f"/incidents/{late['id']}/respond",
        "bob",
        {"channel": "phone", "at": "2026-12-18T18:00:00+01:00"},
    )
    query = "/sla/attainment?order=ESO-2026-001&from=2026-12-01&to=2027-01-01T00:00:00Z"
    report = call("GET", query, "alice").json()
    assert (report["incidents"], report["met"], report["pending"], report["attainment"]) == (2, 1, 1, 0.5)
    assert report["from"] == "2026-12-01T00:00:00Z"
    assert report["by_severity"]["A"] == {"incidents": 2, "met": 1, "pending": 0, "attainment": 0.5}
    assert report["by_offering"]["unified-enhanced-response"]["incidents"] == 2
    assert report["by_site"]["FR"]["met"] == 1
    as_csv = call("GET", query + "&format=csv", "alice")
    assert as_csv.status == 200
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.body.decode())))
    assert rows[0] == {
        "breakdown": "total",
        "key": "",
        "incidents": "2",
        "met": "1",
        "pending": "1",
        "attainment": "0.5000",
    }
    assert {"breakdown": "severity", "key": "A"}.items() <= next(r for r in rows if r["key"] == "A").items()


def test_an_idempotency_key_makes_retries_of_incident_and_rca_posts_write_once(api_server, tokens):
    """Issue 17 §0: three retries with one key made three incidents and three RCAs; now one each,
    and the retry answers what the first call answered (a refusal too)."""
    from unisupport.incidents.models import Incident, RcaRequest

    def send(path: str, body: dict, key: str) -> Response:
        return request(
            "POST",
            f"{api_server.url}/api{path}",
            token=tokens["bob"],
            body=json.dumps(body).encode(),
            content_type="application/json",
            headers={"Idempotency-Key": key},
        )

    body = {
        "order": "ESO-2026-001",
        "site": "FR",
        "severity": "A",
        "product": "Azure Virtual Machines",
        "channel": "phone",
        "title": "Down",
        "at": FRIDAY_5PM_PARIS,
    }
    answers = [send("/incidents", body, "open-1") for _ in range(3)]
    assert {a.status for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert Incident.objects.count() == 1
    incident = answers[0].json()["id"]
    rcas = [send(f"/incidents/{incident}/rca", {"via": "foundational"}, "rca-1") for _ in range(3)]
    assert len({(r.status, r.body) for r in rcas}) == 1
    assert RcaRequest.objects.count() <= 1
    reused = send("/incidents", body | {"title": "other"}, "open-1")
    assert (reused.status, reused.json()["field"]) == (422, "Idempotency-Key")


def test_rsp6_the_callback_details_are_kept_and_shown_and_a_bad_one_names_its_field(call):
    incident = opened(call, "alice", at=None, callback_phone="+33 6 12 34 56 78", callback_email="dave@c.fr")
    assert incident["callback"] == {"phone": "+33 6 12 34 56 78", "email": "dave@c.fr"}
    assert (
        call("GET", f"/incidents/{incident['id']}", "bob").json()["callback"]["phone"] == "+33 6 12 34 56 78"
    )
    refused = call("POST", "/incidents", "alice", {
        "order": "ESO-2026-001", "site": "FR", "severity": "C", "product": "Azure Virtual Machines",
        "channel": "web", "title": "VM", "callback_phone": "ring me",
    })  # fmt: skip
    assert refused.status == 422
    assert "callback_phone" in refused.body.decode()
    assert len(call("GET", "/incidents", "alice").json()) == 1  # nothing written
