"""E-mails of the programmes, through the product's outbox (incidents.notify.queue_mail), each
exactly once (a fixed key per cause): a milestone turned late (to the CSAM and the customer's
administrators), a fired monitor with no incident (MCS-3), an outage's communication (MCS-5)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from unisupport.accounts.preferences import by_language
from unisupport.accounts.selectors import administrators
from unisupport.i18n import localized
from unisupport.incidents.models import Notification
from unisupport.incidents.notify import compose_mail, queue_mail
from unisupport.orders.models import Order
from unisupport.programmes.models import Milestone, MonitorAlert, Outage

log = logging.getLogger(__name__)


def _or_fallback(recipients: list[str], what: str) -> list[str]:
    if recipients:
        return recipients
    # Nobody to tell: never dropped silently (issue 17 §0), the vendor's fallback address gets it.
    log.warning("%s has no recipient: sent to the fallback address", what)
    return [settings.UNISUPPORT_FALLBACK_EMAIL]


def milestone_late(milestone: Milestone, *, admins: list[str], at: dt.datetime) -> list[Notification]:
    """Return the (unsaved) e-mails saying ``milestone`` is late, to the CSAM and the customer's
    administrators, each in the language they chose (the worker queues a batch's together); those
    who turned these reminders off get none."""
    order = milestone.order
    csam = getattr(order.agreement.csam, "email", "")
    everyone = [r for r in [csam, *admins] if r]
    groups = by_language(everyone, kind="milestone-late") if everyone else {}
    if not everyone:
        groups = {"en": _or_fallback([], f"milestone {milestone.pk}")}
    rows: list[Notification] = []
    for language, recipients in groups.items():
        with translation.override(language):
            title = localized(milestone.title)
            values = {"order": order.number, "rule": milestone.rule, "title": title, "due": milestone.due,
                      "offering": milestone.offering, "id": milestone.pk}  # fmt: skip
            subject = _("%(order)s: milestone late (%(rule)s): %(title)s") % values
            body = (
                _(
                    'The milestone "%(title)s" of order %(order)s (%(offering)s) was due on %(due)s and is not done (%(rule)s).'
                )
                % values
                + "\n"
                + _("Mark it done with its evidence, or ask the CSAM to waive it with a reason:")
                + f"\n  unisupport programme done {milestone.pk} --note TEXT\n"
            )
        rows += compose_mail(
            organisation_id=milestone.organisation_id, recipients=recipients, subject=subject, body=body,
            key=f"programme-milestone:{milestone.pk}:late", at=at,
        )  # fmt: skip
    return rows


def ask_for_incident(alert: MonitorAlert, *, at: dt.datetime) -> list[Notification]:
    """Queue the e-mail asking the customer to open an incident for a fired monitor (MCS-3)."""
    scenario = alert.scenario
    order: Order = scenario.order
    admins = administrators([order.organisation_id]).get(order.organisation_id, [])
    csam = getattr(order.agreement.csam, "email", "")
    # The customer is told the scenario and what the vendor chose to say, never the monitor's
    # telemetry or thresholds (MCS-3: confidential).
    body = (
        f'A monitor of the scenario "{scenario.name}" on order {order.number} fired at '
        f"{alert.fired_at.isoformat()} and no incident is open (MCS-3).\n"
        + (f"{alert.summary}\n" if alert.summary else "")
        + "Please open an incident so that it is worked.\n"
    )
    return queue_mail(
        organisation_id=order.organisation_id,
        recipients=_or_fallback([r for r in [*admins, csam] if r], f"monitor alert {alert.pk}"),
        subject=f"{order.number}: a monitor fired, please open an incident (MCS-3)",
        body=body,
        key=f"monitor-alert:{alert.pk}",
        at=at,
    )


def outage_notice(
    outage: Outage, *, order: Order, email: str, subscriptions: list[str], at: dt.datetime
) -> list[Notification]:
    """Queue the outage's communication tailored to ``order`` for one pre-identified contact (MCS-5)."""
    lines = [
        f"Azure outage declared: {outage.title}",
        f"Order {order.number}.",
        f"Affected services: {', '.join(outage.services) or '—'}",
        f"Affected regions: {', '.join(outage.regions) or '—'}",
        f"Started: {outage.started_at.isoformat()}"
        + (f"; ended: {outage.ended_at.isoformat()}" if outage.ended_at else "; ongoing"),
    ]
    if subscriptions:
        lines.append("Your enrolled subscriptions in those regions: " + ", ".join(subscriptions))
    return queue_mail(
        organisation_id=order.organisation_id,
        recipients=[email],
        subject=f"{order.number}: Azure outage: {outage.title} (MCS-5)",
        body="\n".join(lines) + "\n",
        key=f"outage:{outage.pk}:{order.pk}:{email}",
        at=at,
    )
