"""When a first response is due (RULES.md §8): the target (SEV-2) on its clock (SEV-7).

Two forms, shared by the CLI and the API: the calculator (the caller names the country and
the offerings) and the order form (the offerings active on an order's site at that instant,
and the site's own calendar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from unisupport.calendars.instants import utc_iso
from unisupport.calendars.selectors import calendar_for_site
from unisupport.catalog.selectors import current_catalog
from unisupport.domain.countries import check_country
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.sla import ResponseTarget, due_at, response_target
from unisupport.orders.models import Order, Site
from unisupport.orders.selectors import offerings_at

EVENT_OFFERINGS = frozenset({"mcs-azure-events", "mcs-azure-events-plus"})


@dataclass(frozen=True, slots=True)
class DueTime:
    """The first-response deadline of an incident, and the target that set it."""

    due: dt.datetime  # aware, UTC
    target: ResponseTarget

    def as_dict(self) -> dict[str, object]:
        """Return {"due", "target_minutes", "clock", "offering", "rules"} as the CLI and the API print it."""
        return {"due": utc_iso(self.due), **self.target.as_dict()}


def due_in_calculator(
    *,
    opened: dt.datetime,
    country: str,
    severity: str,
    product: str,
    offerings: Iterable[str] = (),
    option_24x7: bool = False,
    timezone: str | None = None,
    subdivision: str | None = None,
) -> DueTime:
    """Return when the first response is due at a support location in ``country`` (foundational always implied)."""
    calendar = calendar_for_site(country=country, timezone=timezone, subdivision=subdivision)
    codes = [str(code).strip().lower() for code in offerings]
    target = response_target(
        offerings=codes,
        product=product,
        severity=severity,
        option_24x7=option_24x7,
        # In the calculator, naming an event offering says its coverage window is open (EVT-1/EVT-2).
        event_window_open=bool(EVENT_OFFERINGS.intersection(codes)),
        catalog=current_catalog(),
    )
    return DueTime(due_at(opened, target, calendar), target)


def due_on_order(
    *, order: Order, site: str, opened: dt.datetime, severity: str, product: str, option_24x7: bool = False
) -> DueTime:
    """Return when the first response is due for an incident at ``order``'s site in country ``site``."""
    code = check_country(site, field="site")
    try:
        found = offerings_at(order=order, site_country=code, at=opened)
    except Site.DoesNotExist:
        raise InvalidInput("site", f"order {order.number} has no site in {code}") from None
    if not found.codes:
        raise RuleViolation(
            "ORD-1",
            f"no foundational package is active on agreement {order.agreement.code} on "
            f"{opened.astimezone(dt.UTC).date()}: no response target applies",
        )
    target = response_target(
        offerings=found.codes,
        product=product,
        severity=severity,
        option_24x7=option_24x7,
        event_window_open=found.event_window_open,
        catalog=current_catalog(),
    )
    calendar = calendar_for_site(country=found.site.country, timezone=found.site.timezone or None)
    return DueTime(due_at(opened, target, calendar), target)
