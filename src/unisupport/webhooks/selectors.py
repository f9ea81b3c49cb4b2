"""Reads of webhook endpoints, scoped by the caller."""

from __future__ import annotations

from django.db.models import Prefetch

from unisupport.accounts.scope import Scope
from unisupport.webhooks.models import Attempt, Endpoint, WebhookMessage
from unisupport.webhooks.presenters import message_json
from unisupport.webhooks.services import endpoint_for

LOG_SIZE = 100


def endpoints_of(scope: Scope) -> list[Endpoint]:
    """Return the endpoints ``scope`` sees: the vendor every one, a customer its organisation's."""
    rows = Endpoint.objects.select_related("organisation").order_by("pk")
    if not scope.is_vendor:
        rows = rows.filter(organisation_id__in=scope.organisation_ids)
    return list(rows)


def delivery_log(scope: Scope, *, endpoint_id: int, limit: int = LOG_SIZE) -> list[dict[str, object]]:
    """Return the endpoint's latest messages, newest first, each with its last attempt."""
    endpoint = endpoint_for(scope, endpoint_id)
    rows = (
        WebhookMessage.objects.filter(endpoint=endpoint)
        .prefetch_related(Prefetch("tries", queryset=Attempt.objects.order_by("-at", "-pk")))
        .order_by("-created_at", "-pk")[:limit]
    )
    return [message_json(m) for m in rows]
