"""Reads of people, for the interfaces that name one by username (an engineer to book, a feed's owner)."""

from __future__ import annotations

from django.contrib.auth.models import User

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
