"""GET /health/live and /health/ready: for a load balancer, an orchestrator or a monitor."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from unisupport import clock
from unisupport.ops.selectors import readiness


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    """Return 200 while the process answers at all (it needs nothing else)."""
    return JsonResponse({"status": "live"})


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """Return 200 when the database answers, every migration is applied and the worker ran lately;
    else 503, naming the check that failed."""
    within = dt.timedelta(seconds=settings.UNISUPPORT_WORKER_STALE_SECONDS)
    checks = readiness(now=clock.now(), worker_within=within)
    ok = all(check["ok"] for check in checks.values()) and len(checks) == 3
    return JsonResponse(
        {"status": "ready" if ok else "not ready", "checks": checks}, status=200 if ok else 503
    )
