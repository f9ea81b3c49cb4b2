"""E-mails about a delivery, through the product's outbox (incidents.notify.queue_mail): scheduled,
rescheduled, cancelled (with the fee), delivered — to the requester and the agreement's CSAM, in the
delivery's language (French or English), each exactly once."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, translation
from django.utils.translation import gettext as _

from unisupport.deliveries.models import Delivery
from unisupport.domain.delivery_prices import paid
from unisupport.domain.fees import CancellationFee
from unisupport.i18n import service_name, written
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


def _body(kind: str, delivery: Delivery, fee: CancellationFee | None) -> str:
    # Amounts in the reader's words and numbers ("25 avoirs", "3 000,00 $US"); the service by its name.
    lines = [
        _("Service: %(service)s, order %(order)s, site %(site)s.")
        % {
            "service": service_name(delivery.service_id),
            "order": delivery.order.number,
            "site": delivery.site,
        },
        _("Cost: %(cost)s.") % {"cost": written(paid(delivery.pay, delivery.cost, delivery.unit))},
    ]
    if fee is not None:
        lines.append(
            _("Fee: %(percent)s %% (%(fee)s), refunded: %(refund)s — rule %(rule)s.")
            % {
                "percent": fee.fee_percent if fee.fee_percent is not None else "—",
                "fee": written(fee.fee),
                "refund": written(fee.refund),
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
