"""The worker's ledger pass: what lapsed is forfeited by itself, every day, for every order (ORD-5, FLX-2, ORD-2).

`unisupport worker` calls :func:`expire_due` on each pass, beside the incident milestones. The
expiry (:func:`unisupport.ledger.services.expire_all`) runs when a new day has begun at a site,
each account judged on its own site's date, so a lot is forfeited from the first minute after its
last day where it is used; between those moments a pass does nothing. It is idempotent: a restarted
worker, two workers at once, or `unisupport ledger expire` run by hand forfeit nothing twice.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from unisupport.accounts.roles import Role
from unisupport.accounts.scope import Scope
from unisupport.ledger.models import LedgerEntry
from unisupport.ledger.services import expire_all
from unisupport.orders.models import Site

# The worker acts for the back office, which forfeits what lapsed (ORD-5).
WORKER = Scope(None, frozenset(), frozenset({Role.BACK_OFFICE}))
ACTOR = "system"


class _LastPass:
    """The sites' dates, as (time zone, date) pairs, when this process last ran the expiry."""

    days: frozenset[tuple[str, dt.date]] | None = None


def forget() -> None:
    """Make the next pass run the expiry whatever the day (as a restarted worker's first pass does)."""
    _LastPass.days = None


def _site_days(now: dt.datetime) -> frozenset[tuple[str, dt.date]]:
    """Return the date at ``now`` in each time zone the sites use."""
    zones = Site.objects.order_by().values_list("timezone", flat=True).distinct()
    return frozenset((zone, now.astimezone(ZoneInfo(zone)).date()) for zone in zones if zone)


def expire_due(*, now: dt.datetime) -> list[LedgerEntry]:
    """Return the forfeitures posted at ``now`` if a new day has begun at a site since this process last
    ran the expiry (at its first pass, in any case); else nothing, without touching the ledger."""
    days = _site_days(now)
    if days == _LastPass.days:
        return []
    written = expire_all(scope=WORKER, on=None, at=now, actor=ACTOR)
    _LastPass.days = days
    return written
