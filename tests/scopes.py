"""Scopes the service tests act under where no persona is signed in."""

from __future__ import annotations

from unisupport.accounts.roles import Role
from unisupport.accounts.scope import Scope

OPERATOR = Scope(
    None, frozenset(), frozenset({Role.BACK_OFFICE})
)  # the vendor's back office: every organisation
