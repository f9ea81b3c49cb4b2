"""API authentication: a bearer token for integrations, or the portal's session."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from unisupport.accounts.services import user_for_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer us_…` — a token made with `unisupport token create`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user


class PortalSessionAuth(SessionAuth):
    """The portal's session cookie; a write must carry the portal's CSRF token too."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a session cookie there is no session to ride on, so nothing for CSRF to guard:
        # no check, and a call whose token is wrong or missing is answered 401 (not authenticated)
        # rather than "CSRF check failed", which would send an integration looking the wrong way.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super()._get_key(request)


AUTH = [TokenAuth(), PortalSessionAuth()]
