"""Writes for an event's coverage window (EVT-1, EVT-2), the one path the CLI, the API and the admin take."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction

from unisupport.accounts.permissions import can_manage_orders, require
from unisupport.accounts.scope import Scope
from unisupport.domain.countries import check_timezone, default_timezone
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.events import LIMITS, check_event_days
from unisupport.domain.lines import SERVING_STATUSES
from unisupport.domain.messages import Message, gettext_noop
from unisupport.orders.events import event_booked
from unisupport.orders.models import EventCoverage, Order, OrderLine

EVENT_REFUSAL = Message(gettext_noop("only the vendor's CSAMs and back office record an event's coverage"))


@transaction.atomic
def record_event_coverage(
    *,
    scope: Scope,
    order: str,
    service: str,
    name: str,
    days: Iterable[date],
    timezone: str | None = None,
    scenario: str = "",
    at: datetime,
    event: EventCoverage | None = None,
) -> EventCoverage:
    """Return the event's coverage window written (``event`` changed, or a new one), checked against EVT-1/EVT-2.

    The order must hold a line of ``service`` that serves (ORD-8) in its current version; the
    days default to that site's time zone.
    """
    require(scope, can_manage_orders, EVENT_REFUSAL, field=None)
    found = Order.objects.filter(number=str(order or "").strip()).first()
    if found is None:
        raise InvalidInput("order", Message(gettext_noop("no order {order!r}"), order=order))
    code = str(service or "").strip()
    checked = check_event_days(service=code, days=days)
    line = (
        OrderLine.objects.select_related("site")
        .filter(
            site__order_version__order=found,
            site__order_version__version=found.current_version,
            service_id=code,
            status__in=[s.value for s in SERVING_STATUSES],
        )
        .first()
    )
    if line is None:
        raise RuleViolation(
            LIMITS[code].rule,
            Message(
                gettext_noop(
                    "order {order} holds no {service} line that serves (one awaiting the vendor's "
                    "acceptance does not, ORD-8)"
                ),
                order=found.number,
                service=code,
            ),
            field="service",
        )
    if not str(name or "").strip():
        raise InvalidInput("name", Message(gettext_noop("the event's name is required")))
    zone = check_timezone(timezone) if timezone else line.site.timezone or default_timezone(line.site.country)
    row = event or EventCoverage(organisation_id=found.organisation_id)
    new = row.pk is None
    row.order, row.service_id, row.name = found, code, name.strip()
    row.scenario, row.days, row.timezone = scenario.strip(), [d.isoformat() for d in checked], zone
    row.save()
    if new:  # a window recorded by the back office takes an event like a booking (EVT-1, EVT-2)
        event_booked.send(EventCoverage, event=row, site=line.site.country, at=at, actor=None)
    return row
