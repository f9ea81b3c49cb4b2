"""E-mails about a delivery, through the product's outbox (incidents.notify.queue_mail): scheduled,
rescheduled, cancelled (with the fee), delivered — to the requester and the agreement's CSAM, in the
delivery's language (French or English), each exactly once."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, translation
from django.utils.translation import gettext as _

from unisupport.deliveries.models import Delivery
from unisupport.domain.delivery_prices import paid
from unisupport.domain.fees import CancellationFee, cost_text
from unisupport.incidents.notify import queue_mail


def _subject(kind: str, delivery: Delivery) -> str:
    subjects = {
        "scheduled": _("Delivery D-%(id)s scheduled on %(day)s"),
        "rescheduled": _("Delivery D-%(id)s moved to %(day)s"),
        "cancelled": _("Delivery D-%(id)s cancelled"),
        "delivered": _("Delivery D-%(id)s delivered"),
        "refused": _("Delivery request D-%(id)s refused"),
    }
    day = formats.date_format(delivery.scheduled_on, "DATE_FORMAT") if delivery.scheduled_on else ""
    return subjects[kind] % {"id": delivery.pk, "day": day}


def _unit(delivery: Delivery) -> str:
    # Credits and hours in the reader's words; the allocation and money in their currency's code.
    return {"credits": _("credits"), "hours": _("hours")}.get(delivery.unit, delivery.unit)


def _body(kind: str, delivery: Delivery, fee: CancellationFee | None) -> str:
    unit = _unit(delivery)
    lines = [
        _("Service: %(service)s, order %(order)s, site %(site)s.")
        % {"service": delivery.service_id, "order": delivery.order.number, "site": delivery.site},
        _("Cost: %(cost)s %(unit)s.")
        % {"cost": cost_text(paid(delivery.pay, delivery.cost, delivery.unit)), "unit": unit},
    ]
    if fee is not None:
        decision = fee.as_dict()
        lines.append(
            _("Fee: %(percent)s %% (%(fee)s %(unit)s), refunded: %(refund)s %(unit)s — rule %(rule)s.")
            % {
                "percent": decision["fee_percent"],
                "fee": decision["fee"],
                "refund": decision["refund"],
                "unit": unit,
                "rule": fee.rule,
            }
        )
    return "\n".join(lines) + "\n"


def announce(delivery: Delivery, *, kind: str, at: dt.datetime, fee: CancellationFee | None = None) -> None:
    """Queue the e-mail telling the requester and the CSAM what happened to ``delivery`` (call in its transaction)."""
    recipients = [
        getattr(delivery.requested_by, "email", ""),
        getattr(delivery.order.agreement.csam, "email", ""),
    ]
    language = "fr" if delivery.language == "fr" else "en"
    with translation.override(language):
        subject, body = _subject(kind, delivery), _body(kind, delivery, fee)
    queue_mail(
        organisation_id=delivery.organisation_id,
        recipients=[r for r in recipients if r],
        subject=subject,
        body=body,
        key=f"delivery:{delivery.pk}:{kind}:{delivery.reschedules}",
        at=at,
    )
