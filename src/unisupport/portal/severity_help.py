"""The opening form's "our expected response" lines, written from the response-target table (SEV-2).

The times are the foundational row of §8 (domain/data/response_targets.yaml), never restated by
hand: a change there shows here. Business-hours targets say so (SEV-7).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from unisupport.domain.service_codes import FOUNDATIONAL
from unisupport.domain.sla import ClockKind, response_matrix


def first_response_lines() -> dict[str, str]:
    """Return, by severity ("1", "A", "B", "C"), the foundational first-response line in the reader's language."""
    lines: dict[str, str] = {}
    for severity, cell in response_matrix().offering(FOUNDATIONAL).cells.items():
        assert cell is not None  # foundational gives a time for every severity (checked on loading)
        business = cell.clock is ClockKind.BUSINESS
        if cell.minutes is None and cell.azure is not None and cell.other is not None:
            lines[severity.value] = _(
                "First response by phone in %(azure)s or less for Azure components, "
                "in %(other)s or less for all other products and services"
            ) % {"azure": _duration(cell.azure, business), "other": _duration(cell.other, business)}
        elif cell.minutes is not None:
            lines[severity.value] = _("First response by phone in %(time)s or less") % {
                "time": _duration(cell.minutes, business)
            }
    return lines


def _duration(minutes: int, business: bool) -> str:
    if minutes % 60:
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    hours = minutes // 60
    if business:
        return ngettext("%(count)s business hour", "%(count)s business hours", hours) % {"count": hours}
    return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
