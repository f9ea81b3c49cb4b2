"""Template filters that show the domain's English texts in the reader's language."""

from __future__ import annotations

from django import template

from unisupport import i18n

register = template.Library()


@register.filter
def translated(text: str) -> str:
    """Return a stored constant text of the domain (e.g. an RCA note) in the active language."""
    return i18n.translated(text)


@register.filter
def quantity(value: object) -> str:
    """Return money, credits, hours or a number written in the reader's language."""
    return "" if value is None else i18n.written(value)


@register.filter
def localized_message(text: str) -> str:
    """Return a domain Message (e.g. a milestone's name) in the active language."""
    return i18n.localized(text)
