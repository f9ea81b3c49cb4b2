"""Deliveries as an iCalendar feed (RFC 5545), as Outlook and Google Calendar subscribe to it.

The icalendar library writes the text: CRLF line ends, lines folded at 75 octets, TEXT values
escaped (commas, semicolons, backslashes, newlines). Times are written in UTC, computed from the
site's local date and start time in the site's zone, so no VTIMEZONE is needed and a DST change
between the request and the delivery is the zone database's, not the reader's, concern.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext
from icalendar import Calendar, Event

from unisupport.deliveries.models import Delivery
from unisupport.domain.deliveries import DeliveryState
from unisupport.domain.messages import gettext_noop
from unisupport.domain.money import plain

PRODID = "-//unisupport//Proactive deliveries//EN"
CALENDAR_NAME = gettext_noop("Proactive deliveries")
SUMMARY = gettext_noop("{service} — order {order}")
LINES = {
    "order": gettext_noop("Order: {value}"),
    "site": gettext_noop("Delivering site: {value}"),
    "mode": gettext_noop("Mode: {value}"),
    "engineer": gettext_noop("Engineer: {value}"),
    "cost": gettext_noop("Cost: {value}"),
    "state": gettext_noop("State: {value}"),
}
ON_SITE, REMOTE = gettext_noop("on site"), gettext_noop("remote")
UNITS = {"credits": gettext_noop("credits"), "hours": gettext_noop("hours")}
BEST_EFFORT = gettext_noop("Best effort (DEL-1): requested less than 60 days before the order's end.")


def delivery_calendar(
    deliveries: list[tuple[Delivery, ZoneInfo]], *, host: str, now: dt.datetime, language: str = "en"
) -> bytes:
    """Return the feed of ``deliveries`` (each with its site's zone) as RFC 5545 octets, stamped ``now``."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    with translation.override(language):
        calendar.add("x-wr-calname", gettext(CALENDAR_NAME))
    for delivery, zone in deliveries:
        calendar.add_component(delivery_event(delivery, zone=zone, host=host, now=now))
    return calendar.to_ical()


def delivery_event(delivery: Delivery, *, zone: ZoneInfo, host: str, now: dt.datetime) -> Event:
    """Return the VEVENT of a dated ``delivery``, its texts in the delivery's language."""
    assert delivery.scheduled_on is not None
    event = Event()
    event.add("uid", f"delivery-{delivery.pk}@{host}")
    event.add("dtstamp", now.astimezone(dt.UTC))
    if delivery.start is None:
        # All day at the site: DATE values, the end exclusive (RFC 5545 §3.6.1).
        event.add("dtstart", delivery.scheduled_on)
        event.add("dtend", delivery.scheduled_on + dt.timedelta(days=1))
    else:
        begins = dt.datetime.combine(delivery.scheduled_on, delivery.start, tzinfo=zone).astimezone(dt.UTC)
        event.add("dtstart", begins)
        if delivery.hours:
            # A duration is elapsed time: added in UTC, it stays right across a DST change.
            event.add("dtend", begins + dt.timedelta(hours=float(delivery.hours)))
    # Each move is a new revision of the event, so that calendars take the new date (RFC 5545 §3.8.7.4).
    cancelled = delivery.state == DeliveryState.CANCELLED.value
    event.add("sequence", delivery.reschedules + (1 if cancelled else 0))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    with translation.override(delivery.language or "en"):
        event.add("summary", _summary(delivery))
        event.add("description", _description(delivery))
    return event


def _service_name(delivery: Delivery) -> str:
    service = delivery.service
    if (delivery.language or "en").startswith("fr"):
        return service.name_fr or service.name_en or service.code
    return service.name_en or service.name_fr or service.code


def _summary(delivery: Delivery) -> str:
    return gettext(SUMMARY).format(service=_service_name(delivery), order=delivery.order.number)


def _description(delivery: Delivery) -> str:
    values = {
        "order": delivery.order.number,
        "site": delivery.site,
        "mode": gettext(ON_SITE if delivery.on_site else REMOTE),
        "engineer": delivery.engineer.get_full_name() or delivery.engineer.get_username()
        if delivery.engineer
        else None,
        "cost": f"{_amount(delivery.cost)} {gettext(UNITS[delivery.unit]) if delivery.unit in UNITS else delivery.unit}",
        "state": delivery.get_state_display(),
    }
    lines = [gettext(LINES[key]).format(value=value) for key, value in values.items() if value]
    if delivery.best_effort:
        lines.append(gettext(BEST_EFFORT))
    return "\n".join(lines)


def _amount(value: Decimal) -> str:
    return str(plain(value))
