"""Reads of people, for the interfaces that name one by username (an engineer to book, a feed's owner)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User

from unisupport.accounts.roles import Role
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop


def active_user(username: str | None, *, field: str) -> User | None:
    """Return the active user named ``username`` (None when none is named), else raise InvalidInput naming ``field``."""
    name = (username or "").strip()
    if not name:
        return None
    found = User.objects.filter(username=name, is_active=True).first()
    if found is None:
        raise InvalidInput(field, Message(gettext_noop("no active user {name!r}"), name=name))
    return found


def administrators(organisation_ids: Iterable[int]) -> dict[int, list[str]]:
    """Return the e-mail addresses of the active support services administrators of each organisation."""
    found: dict[int, list[str]] = {}
    rows = User.objects.filter(
        memberships__organisation_id__in=list(organisation_ids),
        memberships__role=Role.CUSTOMER_ADMIN,
        is_active=True,
    ).values_list("memberships__organisation_id", "email")
    for organisation_id, email in rows:
        if email:
            found.setdefault(organisation_id, []).append(email)
    return found
