"""The monthly service review written out: HTML (a page of its own) or PDF, in the reader's language."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import translation

from unisupport.accounts.scope import Scope
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop
from unisupport.success.review import monthly_review
from unisupport.success.review_pdf import review_pdf

FORMATS = ("pdf", "html", "json")


def parse_month(text: object, *, field: str = "month") -> dt.date:
    """Return the first day of ``YYYY-MM``, or raise InvalidInput naming ``field``."""
    try:
        return dt.date.fromisoformat(f"{str(text).strip()}-01")
    except ValueError:
        raise InvalidInput(
            field, Message(gettext_noop("expected a month YYYY-MM, got {value!r}"), value=text)
        ) from None


def render_review(
    scope: Scope, *, order: str, month: dt.date, language: str, fmt: str, at: dt.datetime
) -> bytes:
    """Return the review of ``order`` for ``month`` as PDF or standalone HTML bytes, in ``language``."""
    if language not in ("fr", "en"):
        raise InvalidInput("lang", Message(gettext_noop("expected fr or en, got {value!r}"), value=language))
    data = monthly_review(scope, order=order, month=month, at=at)
    if fmt == "pdf":
        return review_pdf(data, language=language)
    with translation.override(language):
        return render_to_string("reviews/standalone.html", {"r": data, "language": language}).encode()
