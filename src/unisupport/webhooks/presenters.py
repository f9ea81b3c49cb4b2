"""The JSON shape of webhook endpoints and their delivery log, the same for the API and the CLI."""

from __future__ import annotations

from unisupport.webhooks.models import Endpoint, WebhookMessage


def endpoint_json(endpoint: Endpoint) -> dict[str, object]:
    """Return an endpoint, never its secret."""
    return {
        "id": endpoint.pk,
        "organisation": endpoint.organisation.name if endpoint.organisation else None,
        "url": endpoint.url,
        "events": endpoint.events or "all",
        "active": endpoint.active,
        "disabled_at": endpoint.disabled_at.isoformat() if endpoint.disabled_at else None,
        "disabled_reason": endpoint.disabled_reason or None,
        "rotating_until": endpoint.previous_until.isoformat() if endpoint.previous_until else None,
    }


def message_json(message: WebhookMessage) -> dict[str, object]:
    """Return one message of an endpoint's delivery log, with its last attempt."""
    last = next(iter(message.tries.all()), None)
    return {
        "webhook_id": message.msg_id,
        "type": message.type,
        "created_at": message.created_at.isoformat(),
        "attempts": message.attempts,
        "status": "delivered" if message.delivered_at else "given up" if message.gave_up_at else "pending",
        "last_status": message.last_status,
        "latency_ms": last.latency_ms if last else None,
        "response": last.excerpt if last else None,
        "next_attempt_at": message.next_attempt_at.isoformat() if message.next_attempt_at else None,
    }
