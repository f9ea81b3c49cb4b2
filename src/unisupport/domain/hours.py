"""Hour blocks delivered in the site's business hours only (HRS-4).

Enhanced Designated Engineering and its reactive form are delivered during the support site's
business hours: hours consumed on a day with no business time there (a weekend, a public holiday,
a closure the back office recorded) are refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from unisupport.domain.calendar import Clock
from unisupport.domain.errors import RuleViolation
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.service_codes import EDE, REDE

BUSINESS_HOURS_ONLY = frozenset({EDE, REDE})


def check_delivery_day(
    *, service: str, site: str, day: date, timezone: str, site_calendar: Callable[[], Clock]
) -> None:
    """Return None if ``service``'s hours may be consumed on ``day`` at ``site``, else raise (HRS-4).

    ``site_calendar`` is called only for the services that keep to business hours.
    """
    if service not in BUSINESS_HOURS_ONLY:
        return
    # The site's local day, midnight to midnight (23 or 25 hours on a DST change).
    start = datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone))
    if site_calendar().business_time_between(start, start + timedelta(days=1)) <= timedelta(0):
        raise RuleViolation(
            "HRS-4",
            Message(
                gettext_noop(
                    "{service} hours are delivered during business hours at {site}; "
                    "{day} is not a working day there"
                ),
                service=service,
                site=site,
                day=day,
            ),
            field="on",
        )
