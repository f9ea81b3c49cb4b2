"""What the portal's pages share."""

from __future__ import annotations

from django.utils.translation import get_language


def reader_language() -> str:
    """Return the reader's language as the catalog's texts are kept: "fr" or "en"."""
    return "fr" if (get_language() or "en").startswith("fr") else "en"
