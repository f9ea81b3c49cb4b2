"""Response headers every answer carries (issue 17 §3): a Content-Security-Policy that lets a page
run only the portal's own files (no inline script or style, nothing from elsewhere, never framed),
and no caching of what a signed-in person or an API token was shown."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Swagger UI (ninja's /api/docs) starts itself with an inline script: that page alone keeps the
# policy ninja's template allows, and shows no customer data.
UNPOLICED = ("/api/docs",)


class SecurityHeaders:
    """Set the Content-Security-Policy, and Cache-Control no-store on answers to a signed-in person or a token."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response and not request.path.startswith(UNPOLICED):
            response["Content-Security-Policy"] = POLICY
        user = getattr(request, "user", None)
        personal = bool(user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META
        if personal and not request.path.startswith("/static/"):
            # What a person was shown is theirs: no shared cache, no browser history copy.
            patch_cache_control(response, no_store=True, private=True)
        return response
