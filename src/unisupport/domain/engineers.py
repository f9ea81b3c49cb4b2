"""When a vendor engineer can deliver: their absences and their own site's business days (DEL-4).

DEL-4: scheduling depends on resource availability. An engineer is unavailable on a day they
recorded as absent, and on a day their own site does not work (its weekend, public holidays and
closures), even when the delivering site does: a German engineer does not deliver to France on
German Unity Day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.messages import Message, gettext_noop


@dataclass(frozen=True, slots=True)
class Absence:
    """Days an engineer is away, both included."""

    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise InvalidInput(
                "to",
                Message(
                    gettext_noop("the last day ({last}) is before the first ({first})"),
                    last=self.last_day,
                    first=self.first_day,
                ),
            )

    def covers(self, day: date) -> bool:
        """Return whether the engineer is away on ``day``."""
        return self.first_day <= day <= self.last_day

    def days(self, *, since: date, until: date) -> set[date]:
        """Return the days of the absence between ``since`` and ``until`` (both included)."""
        first, last = max(self.first_day, since), min(self.last_day, until)
        return {first + timedelta(days=n) for n in range((last - first).days + 1)} if first <= last else set()


def check_available(
    *, name: str, day: date, absences: Iterable[Absence], site: str, site_works: bool
) -> None:
    """Return None if the engineer ``name`` can deliver on ``day``, else refuse with DEL-4: away then,
    or their own ``site`` closed that day."""
    for absence in absences:
        if absence.covers(day):
            raise RuleViolation(
                "DEL-4",
                Message(
                    gettext_noop("{engineer} is away from {first} to {last}"),
                    engineer=name,
                    first=absence.first_day,
                    last=absence.last_day,
                ),
                field="engineer",
            )
    if not site_works:
        raise RuleViolation(
            "DEL-4",
            Message(
                gettext_noop("{engineer}'s site ({site}) does not work on {day}"),
                engineer=name,
                site=site,
                day=day,
            ),
            field="engineer",
        )
