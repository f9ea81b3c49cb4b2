"""API authentication: a bearer token for integrations, or the portal's session."""

from __future__ import annotations

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


AUTH = [TokenAuth(), SessionAuth()]
