"""The worker's monthly pass: on the first business day of a month at an order's host site, the
review of the month before is e-mailed — to the customer's administrators and the CSAM as a service
notification, to the order's other contacts as a product communication they may opt out of (RSP-8,
with the one-click unsubscribe). Each e-mail once (the outbox's fixed Message-ID)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from unisupport.accounts.preferences import by_language, product_audience
from unisupport.accounts.selectors import administrators
from unisupport.calendars.selectors import calendar_for_site
from unisupport.domain.contacts import ContactRole
from unisupport.domain.countries import default_timezone
from unisupport.domain.deliveries import is_business_day
from unisupport.domain.programmes import add_months
from unisupport.incidents.models import Notification
from unisupport.incidents.notify import compose_mail, enqueue
from unisupport.orders.models import OrderContact, OrderVersion, Site, SiteRole


def first_business_day(month: dt.date, *, country: str, zone: str) -> dt.date:
    """Return the first business day of ``month`` at a site of ``country`` (weekends, holidays, closures)."""
    calendar = calendar_for_site(country=country, timezone=zone)
    day = month.replace(day=1)
    while not is_business_day(day, calendar):
        day += dt.timedelta(days=1)
    return day


def send_monthly_reviews(*, now: dt.datetime) -> int:
    """Return how many review e-mails this pass queued (none twice, whatever the number of passes)."""
    hosts = dict(
        Site.objects.filter(role=SiteRole.HOST, order_version__version=F("order_version__order__current_version"))
        .values_list("order_version_id", "timezone")
    )  # fmt: skip
    groups: dict[tuple[str, str], list[OrderVersion]] = defaultdict(list)
    utc_day = now.astimezone(dt.UTC).date()
    versions = OrderVersion.objects.filter(
        version=F("order__current_version"), start__lte=utc_day, end__gte=utc_day - dt.timedelta(days=31)
    ).select_related("order__agreement__csam")
    for version in versions:
        zone = hosts.get(version.pk) or default_timezone(version.host_country)
        groups[(version.host_country, zone)].append(version)
    queued = 0
    for (country, zone), members in groups.items():
        today = now.astimezone(ZoneInfo(zone)).date()
        if today != first_business_day(today, country=country, zone=zone):
            continue
        month = add_months(today.replace(day=1), -1)
        admins = administrators({v.organisation_id for v in members})
        for version in members:
            queued += _queue(version, month=month, admins=admins.get(version.organisation_id, []), now=now)
    return queued


def _queue(version: OrderVersion, *, month: dt.date, admins: list[str], now: dt.datetime) -> int:
    order = version.order
    label = month.strftime("%Y-%m")
    link = f"{settings.UNISUPPORT_BASE_URL.rstrip('/')}/orders/{order.number}/review/{label}/"
    subject = f"{order.number}: monthly service review {label}"
    body = (
        f"The monthly service review of order {order.number} for {label} is ready:\n{link}\n"
        f"Its PDF: {link}?format=pdf\n"
    )
    csam = getattr(order.agreement.csam, "email", "")
    service = [a for a in [*admins, csam] if a]
    rows: list[Notification] = []
    for language, recipients in by_language(service, kind="monthly-review").items():
        with translation.override(language):
            localized_subject = _("%(order)s: monthly service review %(month)s") % {
                "order": order.number,
                "month": label,
            }
            localized_body = _("The monthly service review of order %(order)s for %(month)s is ready:") % {
                "order": order.number, "month": label,
            } + f"\n{link}\nPDF: {link}?format=pdf\n"  # fmt: skip
        rows += compose_mail(
            organisation_id=order.organisation_id, recipients=recipients, subject=localized_subject,
            body=localized_body, key=f"review:{order.pk}:{label}", at=now,
        )  # fmt: skip
    others = OrderContact.objects.filter(order=order, active=True).exclude(role=ContactRole.ADMIN)
    taken = {a.lower() for a in service}
    for address, headers in product_audience(c.email for c in others if c.email.lower() not in taken):
        for row in compose_mail(
            organisation_id=order.organisation_id, recipients=[address], subject=subject,
            body=body + "\nYou receive this as a product communication: the link in its headers unsubscribes you (RSP-8).\n",
            key=f"review:{order.pk}:{label}", at=now,
        ):  # fmt: skip
            row.headers = headers
            rows.append(row)
    return len(enqueue(rows))
