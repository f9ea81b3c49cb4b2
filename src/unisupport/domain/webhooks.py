"""Signed webhooks, after the Standard Webhooks specification: the event types, the signature, the
secret's format, where an endpoint may point, and when a failed delivery is tried again.

Pure: randomness, the clock and the network are the caller's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop

SECRET_PREFIX = "whsec_"
RETRY_FOR = timedelta(hours=24)  # then the endpoint is disabled
FIRST_RETRY = timedelta(seconds=5)
LONGEST_WAIT = timedelta(hours=2)
ROTATION_WINDOW = timedelta(hours=24)  # both signatures are sent for this long after a rotation
TIMEOUT_SECONDS = 10


class EventType(StrEnum):
    """What an endpoint may subscribe to."""

    INCIDENT_OPENED = "incident.opened"
    INCIDENT_SEVERITY_CHANGED = "incident.severity_changed"
    INCIDENT_RESPONSE_DUE_SOON = "incident.response_due_soon"
    INCIDENT_BREACHED = "incident.breached"
    INCIDENT_CLOSED = "incident.closed"
    LEDGER_ENTRY_POSTED = "ledger.entry_posted"
    DELIVERY_SCHEDULED = "delivery.scheduled"
    DELIVERY_CANCELLED = "delivery.cancelled"
    MILESTONE_LATE = "milestone.late"
    CONTACT_CHANGED = "contact.changed"
    TEST = "webhook.test"


def parse_events(values: Iterable[str], *, field: str = "event") -> list[str]:
    """Return the event types named (all of them when none is), or raise InvalidInput naming ``field``."""
    chosen = []
    for value in values:
        try:
            chosen.append(EventType(str(value).strip()).value)
        except ValueError:
            raise InvalidInput(
                field,
                Message(
                    gettext_noop("unknown event {value!r}: expected one of {events}"),
                    value=value,
                    events=", ".join(e.value for e in EventType if e is not EventType.TEST),
                ),
            ) from None
    return sorted(set(chosen))


def new_secret(random: bytes) -> str:
    """Return an endpoint's secret made of ``random`` (24 bytes or more), as ``whsec_<base64>``."""
    if len(random) < 24:
        raise ValueError("a webhook secret needs at least 24 random bytes")
    return SECRET_PREFIX + base64.b64encode(random).decode()


def signature(secret: str, *, msg_id: str, timestamp: int, body: str) -> str:
    """Return ``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`` keyed by ``secret``'s bytes."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    mac = hmac.new(key, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def signatures(secrets: Iterable[str], *, msg_id: str, timestamp: int, body: str) -> str:
    """Return the ``webhook-signature`` header: one signature per secret in force, space-separated."""
    return " ".join(signature(s, msg_id=msg_id, timestamp=timestamp, body=body) for s in secrets)


def check_url(url: str, *, allow_plain_loopback: bool, development_hosts: Iterable[str] = ()) -> str:
    """Return ``url`` if an endpoint may point there: ``https://``; ``http://`` only to loopback when
    allowed (UNISUPPORT_DEBUG=1) or to a listed development host. Else raise InvalidInput on ``url``."""
    text = str(url or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(text) > 2000:
        raise InvalidInput(
            "url", Message(gettext_noop("expected an https:// address, got {url!r}"), url=text)
        )
    if parts.scheme == "http":
        host = parts.hostname
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not ((loopback and allow_plain_loopback) or host in set(development_hosts)):
            raise InvalidInput(
                "url",
                Message(
                    gettext_noop(
                        "an endpoint is https:// (http:// only to loopback in development): {url!r}"
                    ),
                    url=text,
                ),
            )
    return text


def next_attempt(*, created_at: datetime, attempts: int, now: datetime) -> datetime | None:
    """Return when to try again after ``attempts`` failed ones (exponential, 5 s doubling up to 2 h),
    or None once 24 hours have passed since the event: it is given up."""
    wait = min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)
    when = now + wait
    return None if when - created_at > RETRY_FOR else when
