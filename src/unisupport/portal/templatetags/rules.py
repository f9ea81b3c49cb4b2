"""Template filters for the rules page."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def inline_markdown(text: str) -> SafeString:
    """Return ``text`` escaped, with RULES.md's **bold** and `code` rendered."""
    html: str = str(escape(text))
    html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html)
    html = re.sub(r"`(.+?)`", r"<code>\1</code>", html)
    return mark_safe(html)
