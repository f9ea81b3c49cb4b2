"""A text typed by a person, checked once: trimmed, required or not, and not longer than its column."""

from __future__ import annotations

from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop


def clean_text(value: object, *, field: str, limit: int, required: bool = False) -> str:
    """Return ``value`` trimmed, or raise InvalidInput naming ``field`` when it is missing (if
    ``required``) or longer than ``limit`` characters."""
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput(field, Message(gettext_noop("required")))
    if len(text) > limit:
        raise InvalidInput(
            field,
            Message(gettext_noop("at most {limit} characters, got {count}"), limit=limit, count=len(text)),
        )
    return text
