"""Signed webhooks (issue 14 §3) against a real HTTP receiver on loopback: an organisation's
endpoint receives its own events only, signed per Standard Webhooks — checked here by an
independent implementation of the receiver's check —, retried with the same webhook-id, both
secrets signing during a rotation, disabled after 24 hours of failures; a refusing receiver holds
back no other endpoint."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.interfaces.clirunner import unisupport
from tests.scopes import OPERATOR
from unisupport.domain.errors import InvalidInput
from unisupport.webhooks.delivery import deliver_due
from unisupport.webhooks.feed import collect
from unisupport.webhooks.models import Endpoint, WebhookMessage

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 9, 2, 8, tzinfo=dt.UTC)


class Receiver:
    """A loopback HTTP server that keeps every request and answers with ``status``."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                owner.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(owner.status)
                self.end_headers()
                self.wfile.write(b"thanks")

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[dict]:
        return [json.loads(body) for _, body in self.requests]


@pytest.fixture
def receiver(settings):
    settings.DEBUG = True  # http:// to loopback
    server = Receiver()
    yield server
    server.server.shutdown()


def verifies(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver's side of Standard Webhooks, written from the specification, not the product's code."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    offered = [s.split(",", 1)[1] for s in headers["webhook-signature"].split(" ") if s.startswith("v1,")]
    return any(hmac.compare_digest(expected, s) for s in offered)


def open_incident(order: str, site: str, at: dt.datetime):
    from unisupport.domain.incident_commands import OpenIncident
    from unisupport.incidents.services import open_incident as open_

    return open_(
        scope=OPERATOR,
        command=OpenIncident.parse(
            order_number=order, site_country=site, severity="B", product="Exchange Online", channel="web",
            title="Mail delayed",
        ),
        at=at,
    )  # fmt: skip


def test_an_endpoint_receives_its_organisations_events_signed(demo_orders, receiver):
    added = unisupport(
        "webhook", "add", "--org", "Contoso SA", "--url", receiver.url, "--event", "incident.opened", "--json"
    )
    assert added.exit_code == 0, added.stderr
    secret = added.json()["secret"]
    assert secret.startswith("whsec_")
    collect(now=NOW)  # the feeds start from now: registering replays no history
    mine = open_incident("ESO-2026-001", "FR", NOW)
    open_incident("ESO-2026-101", "US", NOW)  # Fabrikam's: not for Contoso's endpoint
    assert collect(now=NOW) == 1
    assert collect(now=NOW) == 0  # owed once
    assert deliver_due(now=NOW)["delivered"] == 1
    ((headers, body),) = receiver.requests
    assert verifies(secret, headers, body)
    assert not verifies("whsec_" + base64.b64encode(b"x" * 32).decode(), headers, body)
    event = json.loads(body)
    assert (event["type"], event["data"]["id"], event["data"]["order"]) == (
        "incident.opened",
        mine.pk,
        "ESO-2026-001",
    )
    assert headers["webhook-id"] == f"msg_incident-{mine.timeline.order_by('pk').first().pk}"
    log = unisupport("webhook", "log", str(added.json()["id"]), "--json").json()
    assert (log[0]["status"], log[0]["last_status"]) == ("delivered", 200)


def test_a_failing_endpoint_is_retried_with_the_same_id_then_disabled_after_24_hours(demo_orders, receiver):
    from unisupport.webhooks.services import add_endpoint, send_test

    endpoint, _secret = add_endpoint(scope=OPERATOR, organisation="Contoso SA", url=receiver.url, at=NOW)
    send_test(scope=OPERATOR, endpoint_id=endpoint.pk, at=NOW)
    receiver.status = 503
    assert deliver_due(now=NOW)["failed"] == 1
    assert deliver_due(now=NOW)["failed"] == 0  # not due again yet (backoff)
    later = NOW + dt.timedelta(minutes=1)
    deliver_due(now=later)
    assert len({h["webhook-id"] for h, _ in receiver.requests}) == 1  # at least once, one id
    assert len(receiver.requests) == 2
    assert deliver_due(now=NOW + dt.timedelta(hours=25))["disabled"] == 1
    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.disabled_reason) == (False, "failing for 24 hours")
    assert not WebhookMessage.objects.filter(next_attempt_at__isnull=False).exists()


def test_during_a_rotation_both_secrets_sign(demo_orders, receiver):
    from unisupport.webhooks.services import add_endpoint, rotate_secret, send_test

    endpoint, old = add_endpoint(scope=OPERATOR, organisation="Contoso SA", url=receiver.url, at=NOW)
    _, new = rotate_secret(scope=OPERATOR, endpoint_id=endpoint.pk, at=NOW)
    send_test(scope=OPERATOR, endpoint_id=endpoint.pk, at=NOW)
    deliver_due(now=NOW)
    headers, body = receiver.requests[0]
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert verifies(old, headers, body)
    assert verifies(new, headers, body)


def test_a_refusing_receiver_holds_back_no_other_endpoint(demo_orders, receiver):
    from unisupport.webhooks.services import add_endpoint, send_test

    dead, _ = add_endpoint(scope=OPERATOR, organisation="Contoso SA", url="http://127.0.0.1:9/hook", at=NOW)
    alive, _ = add_endpoint(scope=OPERATOR, organisation="Contoso SA", url=receiver.url, at=NOW)
    for _ in range(3):
        send_test(scope=OPERATOR, endpoint_id=dead.pk, at=NOW)
        send_test(scope=OPERATOR, endpoint_id=alive.pk, at=NOW)
    done = deliver_due(now=NOW)
    assert done["delivered"] == 3
    assert done["failed"] == 1  # the dead one's first; its others wait for a later pass
    assert len(receiver.requests) == 3


def test_an_endpoint_is_https_except_on_loopback_in_development(demo_orders, settings):
    from unisupport.webhooks.services import add_endpoint

    settings.DEBUG = False
    with pytest.raises(InvalidInput) as plain:
        add_endpoint(scope=OPERATOR, organisation="Contoso SA", url="http://127.0.0.1:8000/hook", at=NOW)
    assert plain.value.field == "url"
    add_endpoint(scope=OPERATOR, organisation="Contoso SA", url="https://hooks.contoso.example/in", at=NOW)
    assert Endpoint.objects.count() == 1
    unknown = unisupport(
        "webhook", "add", "--org", "Contoso SA", "--url", "https://x.example", "--event", "nope"
    )
    assert unknown.exit_code == 2


def test_the_api_keeps_each_organisations_endpoints_to_itself(api_server, demo_orders, tokens, receiver):
    from tests.interfaces.http import request

    url = f"{api_server.url}/api/webhooks"

    def post(path: str, token: str, body: dict | None = None):
        return request(
            "POST", path, token=token, body=json.dumps(body or {}).encode(), content_type="application/json"
        )

    made = post(url, tokens["alice"], {"url": receiver.url, "events": ["incident.opened", "contact.changed"]})
    assert made.status == 201, made.body
    assert made.json()["organisation"] == "Contoso SA"
    assert made.json()["secret"].startswith("whsec_")
    listed = request("GET", url, token=tokens["alice"])
    assert [e["id"] for e in listed.json()] == [made.json()["id"]]
    assert "whsec_" not in listed.body.decode()
    assert request("GET", url, token=tokens["charlie"]).json() == []
    endpoint = f"{url}/{made.json()['id']}"
    assert request("GET", f"{endpoint}/deliveries", token=tokens["charlie"]).status == 404
    assert post(f"{endpoint}/rotate", tokens["charlie"]).status == 404
    assert post(f"{endpoint}/test", tokens["alice"]).status == 202
    deliver_due(now=dt.datetime.now(dt.UTC))
    log = request("GET", f"{endpoint}/deliveries", token=tokens["alice"]).json()
    assert (log[0]["type"], log[0]["status"]) == ("webhook.test", "delivered")
    bad = post(url, tokens["alice"], {"url": receiver.url, "events": ["incident.exploded"]})
    assert (bad.status, bad.json()["field"]) == (422, "event")


DYING = """
import datetime as dt, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unisupport.settings")
import django
django.setup()
from unisupport.webhooks import delivery
def killed(*args, **kwargs):
    os._exit(137)  # the requests went out; nothing of them is recorded: a kill, no cleanup
delivery._record = killed
delivery.deliver_due(now=dt.datetime.fromisoformat(sys.argv[1]))
"""


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_after_sending_loses_nothing_and_resends_under_the_same_ids(demo_orders, receiver):
    import os
    import subprocess
    import sys

    from tests.conftest import database_url
    from unisupport.webhooks.services import add_endpoint, send_test

    endpoint, _ = add_endpoint(scope=OPERATOR, organisation="Contoso SA", url=receiver.url, at=NOW)
    sent = {send_test(scope=OPERATOR, endpoint_id=endpoint.pk, at=NOW).msg_id for _ in range(5)}
    env = dict(os.environ, DATABASE_URL=database_url())
    dead = subprocess.run([sys.executable, "-c", DYING, NOW.isoformat()], env=env, timeout=60, check=False)
    assert dead.returncode == 137
    assert {h["webhook-id"] for h, _ in receiver.requests} == sent  # all went out before the kill
    assert not WebhookMessage.objects.filter(delivered_at__isnull=False).exists()  # and none was recorded
    deliver_due(now=NOW + dt.timedelta(minutes=2))  # after the lease: sent again, recorded this time
    ids = [h["webhook-id"] for h, _ in receiver.requests]
    assert sorted(ids) == sorted(list(sent) * 2)  # at least once, never under a new id
    assert WebhookMessage.objects.filter(delivered_at__isnull=False).count() == 5
    deliver_due(now=NOW + dt.timedelta(hours=1))
    assert len(receiver.requests) == 10  # delivered: never again
