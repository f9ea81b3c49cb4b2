"""Writes of webhook endpoints: registered (the secret shown once), rotated (the previous secret
signs too for a day), disabled, sent a test event. The customer's administrator for their own
organisation; the vendor's CSAMs and back office for any, or for the vendor's own tools."""

from __future__ import annotations

import datetime as dt
import json
import secrets as random
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

from unisupport.accounts.models import Organisation
from unisupport.accounts.permissions import can_manage_webhooks, require
from unisupport.accounts.scope import Scope
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.webhooks import ROTATION_WINDOW, EventType, check_url, new_secret, parse_events
from unisupport.webhooks.models import Endpoint, WebhookMessage

REFUSAL = Message(
    gettext_noop("only an organisation's administrator, the CSAM or the back office manage webhooks")
)


def _url(url: str) -> str:
    return check_url(
        url,
        allow_plain_loopback=settings.DEBUG,
        development_hosts=settings.UNISUPPORT_WEBHOOK_DEVELOPMENT_HOSTS,
    )


@transaction.atomic
def add_endpoint(
    *,
    scope: Scope,
    url: str,
    at: dt.datetime,
    organisation: str | None = None,
    events: Sequence[str] = (),
    actor: str = "",
) -> tuple[Endpoint, str]:
    """Return the endpoint registered and its secret (``whsec_…``), shown this once."""
    require(scope, can_manage_webhooks, REFUSAL, field=None)
    owner = None
    if organisation:
        owner = Organisation.objects.filter(name=organisation.strip()).first()
        if owner is None or not scope.sees(owner.pk):
            raise NotFound(Message(gettext_noop("no organisation {name!r}"), name=organisation), field="org")
    elif not scope.is_vendor:
        owner = Organisation.objects.filter(pk__in=scope.organisation_ids).order_by("pk").first()
    secret = new_secret(random.token_bytes(32))
    row = Endpoint.objects.create(
        organisation=owner,
        url=_url(url),
        events=parse_events(events),
        secret=secret,
        created_at=at,
        created_by=actor,
    )
    return row, secret


def endpoint_for(scope: Scope, endpoint_id: int, *, lock: bool = False) -> Endpoint:
    """Return the endpoint if ``scope`` sees it (a vendor-wide one only the vendor), else raise NotFound."""
    rows = Endpoint.objects.select_related("organisation")
    found = (rows.select_for_update(of=("self",)) if lock else rows).filter(pk=endpoint_id).first()
    visible = found is not None and (
        scope.is_vendor or (found.organisation_id is not None and scope.sees(found.organisation_id))
    )
    if not visible:
        raise NotFound(Message(gettext_noop("no webhook endpoint W-{id}"), id=endpoint_id), field="endpoint")
    assert found is not None
    return found


@transaction.atomic
def rotate_secret(*, scope: Scope, endpoint_id: int, at: dt.datetime) -> tuple[Endpoint, str]:
    """Return the endpoint with a new secret (shown once); the previous one signs too for a day."""
    require(scope, can_manage_webhooks, REFUSAL, field=None)
    found = endpoint_for(scope, endpoint_id, lock=True)
    secret = new_secret(random.token_bytes(32))
    found.previous_secret, found.previous_until = found.secret, at + ROTATION_WINDOW
    found.secret = secret
    found.save(update_fields=["secret", "previous_secret", "previous_until"])
    return found, secret


@transaction.atomic
def set_active(
    *, scope: Scope, endpoint_id: int, active: bool, at: dt.datetime, reason: str = ""
) -> Endpoint:
    """Return the endpoint disabled (nothing more is owed to it) or enabled again."""
    require(scope, can_manage_webhooks, REFUSAL, field=None)
    found = endpoint_for(scope, endpoint_id, lock=True)
    found.active = active
    found.disabled_at = None if active else at
    found.disabled_reason = "" if active else (reason.strip()[:300] or "disabled by hand")
    found.failing_since = None
    found.save(update_fields=["active", "disabled_at", "disabled_reason", "failing_since"])
    return found


@transaction.atomic
def send_test(*, scope: Scope, endpoint_id: int, at: dt.datetime) -> WebhookMessage:
    """Return the test event queued for the endpoint, due now (the worker sends it)."""
    require(scope, can_manage_webhooks, REFUSAL, field=None)
    found = endpoint_for(scope, endpoint_id)
    if not found.active:
        raise InvalidInput("endpoint", Message(gettext_noop("W-{id} is disabled"), id=endpoint_id))
    msg_id = f"msg_{uuid.uuid4().hex}"
    body = json.dumps(
        {
            "type": EventType.TEST.value,
            "timestamp": at.isoformat(),
            "data": {"endpoint": found.pk, "test": True},
        },
        separators=(",", ":"),
    )
    return WebhookMessage.objects.create(
        endpoint=found, msg_id=msg_id, type=EventType.TEST.value, body=body, created_at=at, next_attempt_at=at
    )
