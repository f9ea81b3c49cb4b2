"""A declared Azure outage and its tailored communications to MCS Plus customers (MCS-5)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F

from unisupport.accounts.permissions import can_manage_programmes, require
from unisupport.accounts.scope import Scope
from unisupport.domain.contacts import ContactRole
from unisupport.domain.errors import InvalidInput
from unisupport.domain.lines import SERVING_STATUSES
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.service_codes import PLATFORM_PLUS
from unisupport.orders.models import EnrolledSubscription, OrderContact, OrderLine
from unisupport.programmes import notify
from unisupport.programmes.models import Outage, OutageNotice
from unisupport.programmes.services import MANAGER_REFUSAL

MOST_ITEMS = 50


def _names(values: Sequence[str], *, field: str) -> list[str]:
    clean = list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
    if len(clean) > MOST_ITEMS or any(len(v) > 100 for v in clean):
        raise InvalidInput(
            field, Message(gettext_noop("at most {most} names of 100 characters"), most=MOST_ITEMS)
        )
    return clean


@transaction.atomic
def declare_outage(
    *,
    scope: Scope,
    title: str,
    services: Sequence[str],
    regions: Sequence[str],
    started_at: dt.datetime,
    at: dt.datetime,
    ended_at: dt.datetime | None = None,
    actor: str = "",
) -> tuple[Outage, list[OutageNotice]]:
    """Return the outage recorded and the communications sent for it: one per pre-identified contact of
    each MCS Plus order serving when it started, tailored with the order's enrolled subscriptions in
    the affected regions; each recorded once (MCS-5)."""
    require(scope, can_manage_programmes, MANAGER_REFUSAL, field=None)
    text = str(title or "").strip()
    if not text or len(text) > 300:
        raise InvalidInput("title", Message(gettext_noop("a title of at most 300 characters is required")))
    affected = _names(services, field="service")
    where = [r.lower() for r in _names(regions, field="region")]
    if not affected:
        raise InvalidInput("service", Message(gettext_noop("name at least one affected Azure service")))
    if ended_at is not None and ended_at < started_at:
        raise InvalidInput("end", Message(gettext_noop("the outage ends before it starts")))
    outage = Outage.objects.create(
        title=text,
        services=affected,
        regions=where,
        started_at=started_at,
        ended_at=ended_at,
        declared_at=at,
        declared_by=actor,
    )
    return outage, _communicate(outage, at=at)


def _communicate(outage: Outage, *, at: dt.datetime) -> list[OutageNotice]:
    day = outage.started_at.astimezone(dt.UTC).date()
    plus_orders = set(
        OrderLine.objects.filter(
            service_id=PLATFORM_PLUS,
            status__in=[s.value for s in SERVING_STATUSES],
            site__order_version__version=F("site__order_version__order__current_version"),
            site__order_version__start__lte=day,
            site__order_version__end__gte=day,
        ).values_list("site__order_version__order_id", flat=True)
    )
    contacts = defaultdict(list)
    outage_contacts = OrderContact.objects.select_related("order").filter(
        order_id__in=plus_orders, role=ContactRole.OUTAGE, active=True
    )
    for contact in outage_contacts:
        contacts[contact.order].append(contact)
    enrolled = defaultdict(list)
    for sub in EnrolledSubscription.objects.filter(order_id__in=plus_orders).order_by("subscription_id"):
        if not outage.regions or sub.region in outage.regions:
            enrolled[sub.order_id].append(sub.name or sub.subscription_id)
    sent: list[OutageNotice] = []
    for order, people in sorted(contacts.items(), key=lambda item: item[0].pk):
        for contact in people:
            notice, created = OutageNotice.objects.get_or_create(
                outage=outage,
                order=order,
                email=contact.email,
                defaults={"organisation_id": order.organisation_id, "sent_at": at},
            )
            if created:
                notify.outage_notice(
                    outage, order=order, email=contact.email, subscriptions=enrolled[order.pk], at=at
                )
                sent.append(notice)
    return sent
