"""Sending what is owed to the endpoints: signed (Standard Webhooks), concurrently, at least once
with the same ``webhook-id``, retried with exponential backoff for 24 hours; an endpoint failing for
24 hours is disabled and its administrator told.

Each endpoint's messages go out one after the other in a thread of their own. A pass leases what it
claims (``next_attempt_at`` moved a minute on) before sending, records what came back within
``PASS_SECONDS`` and leaves the rest leased: a receiver that hangs (10-second timeout) or refuses
holds back only its own messages, never another endpoint's nor the pass (a request still in flight
when the pass ends is abandoned; its message is sent again after the lease, under the same
``webhook-id``: at least once). Redirects are not followed. The database is written by the calling
thread only.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass

import httpx
from django.db import transaction

from unisupport.accounts.selectors import administrators
from unisupport.domain.webhooks import RETRY_FOR, TIMEOUT_SECONDS, next_attempt, signatures
from unisupport.incidents.notify import queue_mail
from unisupport.webhooks.models import Attempt, Endpoint, WebhookMessage

BATCH = 2000
PER_ENDPOINT = 200
THREADS = 32
PASS_SECONDS = 2.0  # a pass stops sending after this, and records what came back
LEASE = dt.timedelta(minutes=1)  # what a pass claimed is not claimed again before this


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one request gave: the HTTP status (None: no answer), the time taken, an excerpt."""

    message_id: int
    status: int | None
    latency_ms: int
    excerpt: str

    @property
    def ok(self) -> bool:
        """Return True for a 2xx answer."""
        return self.status is not None and 200 <= self.status < 300


def _secrets(endpoint: Endpoint, now: dt.datetime) -> list[str]:
    rotating = endpoint.previous_secret and endpoint.previous_until and endpoint.previous_until > now
    return [endpoint.secret, endpoint.previous_secret] if rotating else [endpoint.secret]


def _send_all(
    client: httpx.Client,
    endpoint: Endpoint,
    messages: list[WebhookMessage],
    now: dt.datetime,
    deadline: float,
) -> list[Outcome]:
    """Return the outcomes of sending ``messages`` to ``endpoint`` in order, stopping at its first
    failure or at ``deadline`` (time.monotonic)."""
    outcomes = []
    keys = _secrets(endpoint, now)
    for message in messages:
        if time.monotonic() > deadline:
            break
        stamp = int(time.time())
        headers = {
            "content-type": "application/json",
            "webhook-id": message.msg_id,
            "webhook-timestamp": str(stamp),
            "webhook-signature": signatures(keys, msg_id=message.msg_id, timestamp=stamp, body=message.body),
            "user-agent": "unisupport-webhooks/1",
        }
        begin = time.perf_counter()
        try:
            response = client.post(endpoint.url, content=message.body.encode(), headers=headers)
            outcome = Outcome(message.pk, response.status_code, _ms(begin), response.text[:300])
        except httpx.HTTPError as exc:
            outcome = Outcome(message.pk, None, _ms(begin), f"{type(exc).__name__}: {exc}"[:300])
        outcomes.append(outcome)
        if not outcome.ok:
            break  # this endpoint is failing: its other messages wait for a later pass
    return outcomes


def _ms(begin: float) -> int:
    return int((time.perf_counter() - begin) * 1000)


def deliver_due(*, now: dt.datetime, transport: httpx.BaseTransport | None = None) -> dict[str, int]:
    """Return what this pass did: messages delivered, failed (to retry), given up; endpoints disabled."""
    due = list(
        WebhookMessage.objects.filter(next_attempt_at__lte=now, endpoint__active=True)
        .select_related("endpoint")
        .order_by("next_attempt_at", "pk")[:BATCH]
    )
    by_endpoint: dict[int, list[WebhookMessage]] = defaultdict(list)
    for message in due:
        if len(by_endpoint[message.endpoint_id]) < PER_ENDPOINT:
            by_endpoint[message.endpoint_id].append(message)
    if not by_endpoint:
        return {"delivered": 0, "failed": 0, "given_up": 0, "disabled": 0}
    endpoints = {m.endpoint_id: m.endpoint for m in due}
    claimed = [m.pk for rows in by_endpoint.values() for m in rows]
    WebhookMessage.objects.filter(pk__in=claimed).update(next_attempt_at=now + LEASE)
    limits = httpx.Limits(max_connections=THREADS * 2, max_keepalive_connections=THREADS)
    client = httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False, limits=limits, transport=transport)
    pool = ThreadPoolExecutor(max_workers=min(THREADS, len(by_endpoint)))
    deadline = time.monotonic() + PASS_SECONDS
    futures = [
        pool.submit(_send_all, client, endpoints[e], rows, now, deadline) for e, rows in by_endpoint.items()
    ]
    done, _late = wait(futures, timeout=PASS_SECONDS + 0.5)
    # A thread still waiting on a hung receiver is left to its timeout; its messages stay leased.
    pool.shutdown(wait=False, cancel_futures=True)
    outcomes = [o for f in done for o in f.result()]
    if not _late:
        client.close()
    return _record(outcomes, {m.pk: m for m in due}, endpoints, now)


@transaction.atomic
def _record(
    outcomes: list[Outcome],
    messages: dict[int, WebhookMessage],
    endpoints: dict[int, Endpoint],
    now: dt.datetime,
) -> dict[str, int]:
    Attempt.objects.bulk_create(
        Attempt(message_id=o.message_id, at=now, status=o.status, latency_ms=o.latency_ms, excerpt=o.excerpt)
        for o in outcomes
    )
    counts = {"delivered": 0, "failed": 0, "given_up": 0, "disabled": 0}
    delivered, failed_endpoints = [], set()
    for o in outcomes:
        message = messages[o.message_id]
        message.attempts += 1
        message.last_status = o.status
        if o.ok:
            message.delivered_at, message.next_attempt_at = now, None
            delivered.append(message)
            counts["delivered"] += 1
            continue
        failed_endpoints.add(message.endpoint_id)
        retry = next_attempt(created_at=message.created_at, attempts=message.attempts, now=now)
        message.next_attempt_at = retry
        if retry is None:
            message.gave_up_at = now
            counts["given_up"] += 1
        else:
            counts["failed"] += 1
        message.save(update_fields=["attempts", "last_status", "next_attempt_at", "gave_up_at"])
    WebhookMessage.objects.bulk_update(
        delivered, ["attempts", "last_status", "delivered_at", "next_attempt_at"]
    )
    ok_endpoints = {m.endpoint_id for m in delivered} - failed_endpoints
    Endpoint.objects.filter(pk__in=ok_endpoints).exclude(failing_since=None).update(failing_since=None)
    for endpoint_id in failed_endpoints:
        endpoint = endpoints[endpoint_id]
        since = endpoint.failing_since or now
        if endpoint.failing_since is None:
            Endpoint.objects.filter(pk=endpoint_id).update(failing_since=now)
        elif now - since >= RETRY_FOR:
            _disable(endpoint, now)
            counts["disabled"] += 1
    return counts


def _disable(endpoint: Endpoint, now: dt.datetime) -> None:
    """Disable an endpoint that failed for 24 hours, and tell its organisation's administrators."""
    Endpoint.objects.filter(pk=endpoint.pk).update(
        active=False, disabled_at=now, disabled_reason="failing for 24 hours", failing_since=None
    )
    WebhookMessage.objects.filter(endpoint=endpoint, next_attempt_at__isnull=False).update(
        next_attempt_at=None, gave_up_at=now
    )
    if endpoint.organisation_id is None:
        return
    admins = administrators([endpoint.organisation_id]).get(endpoint.organisation_id, [])
    queue_mail(
        organisation_id=endpoint.organisation_id,
        recipients=admins,
        subject=f"Webhook endpoint W-{endpoint.pk} disabled after 24 hours of failures",
        body=(
            f"Every delivery to {endpoint.url} failed for 24 hours, so it is disabled and nothing more is "
            "sent to it. Fix the receiver, then enable it again (`unisupport webhook enable ID`, or the portal).\n"
        ),
        key=f"webhook:{endpoint.pk}:disabled:{now.isoformat()}",
        at=now,
    )
