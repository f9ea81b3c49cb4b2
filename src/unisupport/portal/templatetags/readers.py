"""Who is reading: tests a template asks to show a link, never to allow an action (the services check)."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser, User

from unisupport.accounts.permissions import can_manage_contacts
from unisupport.accounts.scope import scope_of

register = template.Library()


@register.filter
def is_vendor(user: User | AnonymousUser) -> bool:
    """Return whether ``user`` is of the vendor's staff."""
    return scope_of(user).is_vendor


@register.filter
def manages_people(user: User | AnonymousUser) -> bool:
    """Return whether ``user`` is a customer's administrator (who manages its people)."""
    scope = scope_of(user)
    return scope.is_customer and can_manage_contacts(scope)
