"""GET /deliveries.ics?token=…: a delivery feed for calendar programs (RFC 5545), its secret its only key."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from unisupport import clock
from unisupport.deliveries.feeds import feed_deliveries, feed_for
from unisupport.deliveries.ical import delivery_calendar


@require_safe
def delivery_feed(request: HttpRequest) -> HttpResponse:
    """Return the feed of the token's deliveries, or 404 for a token unknown or revoked (alike: no hint)."""
    token = feed_for(request.GET.get("token", ""))
    if token is None:
        raise Http404
    now = clock.now()
    body = delivery_calendar(feed_deliveries(token, now=now), host=request.get_host().split(":")[0], now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deliveries.ics"'
    # The secret is in the address: no shared cache keeps the answer, and no page leaks it onward.
    response["Cache-Control"] = "private, max-age=300"
    response["Referrer-Policy"] = "no-referrer"
    return response
