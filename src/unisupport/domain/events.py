"""An event's coverage days under MCS for Azure Events (EVT-1) and Events Plus (EVT-2).

The one home of the day limits: the order service that stores a coverage window (CLI, API and
the admin alike) calls :func:`check_event_days` before writing anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.service_codes import EVENTS, EVENTS_PLUS


@dataclass(frozen=True, slots=True)
class DayLimits:
    """How many calendar days an event of one offering covers, and whether they must follow each other."""

    rule: str
    fewest: int
    most: int
    consecutive: bool


# Calendar days, weekends and holidays included. EVT-1 Reading: consecutive (only Plus may skip days).
LIMITS = {
    EVENTS: DayLimits("EVT-1", 3, 20, consecutive=True),
    EVENTS_PLUS: DayLimits("EVT-2", 3, 60, consecutive=False),
}


def check_event_days(*, service: str, days: Iterable[date]) -> list[date]:
    """Return ``days`` sorted and without repeats, or refuse them with EVT-1 / EVT-2 naming the field ``days``."""
    limits = LIMITS.get(service)
    if limits is None:
        raise InvalidInput(
            "service",
            Message(
                gettext_noop("{service} is not an event offering ({offerings})"),
                service=service,
                offerings=", ".join(LIMITS),
            ),
        )
    unique = sorted(set(days))
    if not limits.fewest <= len(unique) <= limits.most:
        raise RuleViolation(
            limits.rule,
            Message(
                gettext_noop("{service} covers {fewest} to {most} calendar days; {count} given"),
                service=service,
                fewest=limits.fewest,
                most=limits.most,
                count=len(unique),
            ),
            field="days",
        )
    if limits.consecutive and (unique[-1] - unique[0]).days != len(unique) - 1:
        raise RuleViolation(
            limits.rule,
            Message(
                gettext_noop(
                    "{service} covers consecutive days ({first} to {last} has gaps); only {plus} may skip days"
                ),
                service=service,
                first=unique[0],
                last=unique[-1],
                plus=EVENTS_PLUS,
            ),
            field="days",
        )
    return unique
