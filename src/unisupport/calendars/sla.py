"""When a first response is due (RULES.md §8): the target (SEV-2) on its clock (SEV-7).

Two forms, shared by the CLI and the API: the calculator (the caller names the country and
the offerings) and the order form (the offerings active on an order's site at that instant,
and the site's own calendar). Opening an incident takes the order form's two steps, with the
incident's coverage (language, channel, portal) between them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from unisupport.accounts.scope import Scope
from unisupport.calendars.instants import utc_iso
from unisupport.calendars.selectors import calendar_for_site
from unisupport.catalog.selectors import current_catalog
from unisupport.domain.calendar import Clock
from unisupport.domain.catalog import Product
from unisupport.domain.countries import check_country
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.lines import ended_by_termination
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.sla import (
    ResponseTarget,
    Severity,
    clock_for,
    counts_until,
    due_at,
    response_matrix,
    response_target,
)
from unisupport.orders.models import Order, Site
from unisupport.orders.selectors import Offerings, local_date, offerings_at, order_and_offerings_for


@dataclass(frozen=True, slots=True)
class DueTime:
    """The first-response deadline of an incident, the target that set it, and the clock it runs on."""

    due: dt.datetime  # aware, UTC
    target: ResponseTarget
    clock: Clock

    @property
    def counts_until(self) -> dt.datetime:
        """Return the last instant a first response still meets the target (SEV-2, SEV-7)."""
        return counts_until(self.due, self.clock)

    def as_dict(self) -> dict[str, object]:
        """Return {"due", "counts_until", "target_minutes", "clock", "offering", "rules"} as the CLI and the API print it."""
        return {"due": utc_iso(self.due), "counts_until": utc_iso(self.counts_until), **self.target.as_dict()}


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
        event_window_open=bool(response_matrix().event_offerings.intersection(codes)),
        catalog=current_catalog(),
    )
    return DueTime(due_at(opened, target, calendar), target, clock_for(target.clock, lambda: calendar))


def due_on_order(
    *, order: Order, site: str, opened: dt.datetime, severity: str, product: str, option_24x7: bool = False
) -> DueTime:
    """Return when the first response is due for an incident at ``order``'s site in country ``site``."""
    offered = offerings_on_order(order=order, site=site, at=opened, field="opened")
    return due_on_offerings(
        offered=offered, opened=opened, severity=severity, product=product, option_24x7=option_24x7
    )


def offerings_on_order(*, order: Order, site: str, at: dt.datetime, field: str) -> Offerings:
    """Return the offerings in force on ``order``'s site in country ``site`` at ``at``.

    InvalidInput (``site``) when the order has no such site; RuleViolation ORD-1 (naming
    ``field``, the instant's) when no foundational package is active then, as nothing else is
    without it (ORD-2).
    """
    code = check_country(site, field="site")
    try:
        found = offerings_at(order=order, site_country=code, at=at)
    except Site.DoesNotExist:
        raise _no_site(order.number, code) from None
    return _in_force(found, order=order, at=at, field=field)


def order_and_offerings(
    *, scope: Scope, number: str, site: str, at: dt.datetime, field: str
) -> tuple[Order, Offerings]:
    """Return order ``number`` and the offerings in force on its site ``site`` at ``at``, read together.

    As ``offerings_on_order``, after InvalidInput (``order``) when the caller sees no such order.
    """
    code = check_country(site, field="site")
    try:
        order, found = order_and_offerings_for(scope, number=number, site_country=code, at=at)
    except Order.DoesNotExist:
        raise InvalidInput("order", Message(gettext_noop("no order {order!r}"), order=number)) from None
    except Site.DoesNotExist:
        raise _no_site(number, code) from None
    return order, _in_force(found, order=order, at=at, field=field)


def _no_site(number: str, code: str) -> InvalidInput:
    return InvalidInput(
        "site", Message(gettext_noop("order {order} has no site in {country}"), order=number, country=code)
    )


def _in_force(found: Offerings, *, order: Order, at: dt.datetime, field: str) -> Offerings:
    day = local_date(found.site, at)
    terminated = order.agreement.terminated_on
    if ended_by_termination(terminated_on=terminated, day=day):
        raise RuleViolation(
            "ORD-2",
            Message(
                gettext_noop(
                    "the foundational package of agreement {agreement} was terminated on {terminated}: "
                    "reactive support and every add-on ended with it"
                ),
                agreement=order.agreement.code,
                terminated=terminated,
            ),
            field=field,
        )
    if not found.codes:
        raise RuleViolation(
            "ORD-1",
            Message(
                gettext_noop(
                    "no foundational package is active on agreement {agreement} on {day}: no response "
                    "target applies, and reactive support ends with the foundational package (ORD-2)"
                ),
                agreement=order.agreement.code,
                day=day,  # ORD-1: the site's own date
            ),
            field=field,
        )
    return found


def due_on_offerings(
    *,
    offered: Offerings,
    opened: dt.datetime,
    severity: Severity | str,
    product: Product | str,
    option_24x7: bool = False,
    serving: Iterable[str] | None = None,
) -> DueTime:
    """Return when the first response is due on the site's clock, the fastest target among the offerings.

    Those are ``offered`` (what is in force on the order's site), or ``serving``: the part of
    them that can serve a given incident (its language, channel and portal, domain.incidents.coverage).
    """
    target = response_target(
        offerings=offered.codes if serving is None else serving,
        product=product,
        severity=severity,
        option_24x7=option_24x7,
        event_window_open=offered.event_window_open,
        catalog=current_catalog(),
    )
    site = offered.site
    clock = clock_for(
        target.clock, lambda: calendar_for_site(country=site.country, timezone=site.timezone or None)
    )
    return DueTime(due_at(opened, target, clock), target, clock)
