"""The worker's delivery pass: reminders, each sent exactly once (the outbox's fixed Message-ID).

- D-14: three business days of the site before the last day a delivery can be cancelled or moved
  without fee (DEL-2), its requester and CSAM are reminded.
- 75 days before an order's end, its CSAM and the customer's administrators are told what is still
  unspent, and until when requests are accepted in full (DEL-1).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from unisupport.accounts.selectors import administrators
from unisupport.calendars.selectors import calendar_for_site
from unisupport.deliveries.models import Delivery
from unisupport.deliveries.selectors import site_zone
from unisupport.domain.deliveries import DeliveryState, is_business_day
from unisupport.domain.fees import free_until, request_deadline
from unisupport.domain.money import plain
from unisupport.incidents.notify import queue_mail
from unisupport.ledger.models import LedgerAccount
from unisupport.orders.models import OrderVersion
from unisupport.orders.policy import current_policy

REMINDER_BUSINESS_DAYS = 3  # before DEL-2's last free day
UNSPENT_NOTICE_DAYS = 75  # before the order's end


def remind_due(*, now: dt.datetime) -> int:
    """Return how many reminder e-mails this pass queued (none twice, whatever the number of passes)."""
    return _free_cancellation_reminders(now) + _unspent_reminders(now)


def _business_days_before(day: dt.date, count: int, *, country: str, zone: str) -> dt.date:
    calendar = calendar_for_site(country=country, timezone=zone)
    while count:
        day -= dt.timedelta(days=1)
        if is_business_day(day, calendar):
            count -= 1
    return day


def _free_cancellation_reminders(now: dt.datetime) -> int:
    utc = now.astimezone(dt.UTC).date()
    window = (utc + dt.timedelta(days=14), utc + dt.timedelta(days=14 + 3 * REMINDER_BUSINESS_DAYS + 7))
    queued = 0
    for delivery in Delivery.objects.select_related("order__agreement__csam", "requested_by").filter(
        state=DeliveryState.SCHEDULED.value, scheduled_on__range=window
    ):
        assert delivery.scheduled_on is not None  # filtered above
        zone = site_zone(delivery)
        today = now.astimezone(ZoneInfo(zone)).date()
        last_free = free_until(delivery.scheduled_on)
        remind_on = _business_days_before(last_free, REMINDER_BUSINESS_DAYS, country=delivery.site, zone=zone)
        if not remind_on <= today <= last_free:
            continue
        with translation.override("fr" if delivery.language == "fr" else "en"):
            subject = _("Delivery D-%(id)s: free to cancel or move until %(day)s") % {
                "id": delivery.pk,
                "day": last_free.isoformat(),
            }
            body = _("After that day, cancelling or moving it costs 50 %%, then 100 %% (DEL-2).") % {} + "\n"
        queued += len(
            queue_mail(
                organisation_id=delivery.organisation_id,
                recipients=[
                    getattr(delivery.requested_by, "email", ""),
                    getattr(delivery.order.agreement.csam, "email", ""),
                ],
                subject=subject,
                body=body,
                key=f"delivery:{delivery.pk}:free-until:{last_free}",
                at=now,
            )
        )
    return queued


def _unspent_reminders(now: dt.datetime) -> int:
    utc = now.astimezone(dt.UTC).date()
    queued = 0
    versions = OrderVersion.objects.select_related("order__agreement__csam").filter(
        version=F("order__current_version"),
        end__range=(utc, utc + dt.timedelta(days=UNSPENT_NOTICE_DAYS + 1)),
    )
    for version in versions:
        order = version.order
        if (version.end - utc).days > UNSPENT_NOTICE_DAYS:
            continue
        # Credits and hours lapse at the term's end (ORD-5), the allocation's last year with it (FLX-2).
        unspent = LedgerAccount.objects.filter(
            order=order, kind__in=["credits", "hours", "allocation"], balance__gt=0
        )
        if not unspent.exists():
            continue
        deadline = request_deadline(version.end, lead_days=current_policy().request_lead_days)
        lines = [
            f"  {' '.join(filter(None, (a.site, a.kind, a.service)))}: {plain(a.balance)}"
            + (f" {a.currency}" if a.currency else "")
            for a in unspent
        ]
        admins = administrators([order.organisation_id]).get(order.organisation_id, [])
        subject = f"{order.number}: unspent entitlements expire on {version.end} (ORD-5)"
        body = (
            f"Still unspent on {order.number}:\n" + "\n".join(lines) + "\n"
            f"Requests are accepted in full until {deadline} (DEL-1); later ones are best effort.\n"
        )
        queued += len(
            queue_mail(
                organisation_id=order.organisation_id,
                recipients=[getattr(order.agreement.csam, "email", ""), *admins],
                subject=subject,
                body=body,
                key=f"order:{order.number}:unspent:{version.end}",
                at=now,
            )
        )
    return queued
