"""Deliverables: files a delivered service leaves, stored outside the web root by their SHA-256 and
read back only through :func:`deliverable_for`, which checks who asks (DEL-7, §2.7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from unisupport.accounts.permissions import can_deliver, require
from unisupport.accounts.scope import Scope
from unisupport.deliveries import timeline
from unisupport.deliveries.models import Deliverable, Delivery
from unisupport.domain.deliverables import check_file
from unisupport.domain.deliveries import DeliveryState
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.messages import Message, gettext_noop
from unisupport.files import store, stored_path
from unisupport.ledger.posting import actor_name

ATTACH_REFUSAL = Message(gettext_noop("only the vendor's staff attach deliverables"))

Upload = tuple[str, bytes]  # a file's name as given, and its bytes


Accepted = tuple[str, str, bytes]  # a file's safe name, content type and bytes, once checked


def checked(files: Sequence[Upload]) -> list[Accepted]:
    """Return each file's safe name, content type and bytes, all checked before any is stored."""
    limit = settings.UNISUPPORT_MAX_DELIVERABLE_BYTES
    return [(*check_file(name, data[:4096], size=len(data), max_bytes=limit), data) for name, data in files]


def attach(
    delivery: Delivery, accepted: Sequence[Accepted], *, at: dt.datetime, actor: object
) -> list[Deliverable]:
    """Return the deliverables stored for ``delivery`` from files :func:`checked` accepted (call in its
    transaction, the row locked)."""
    who = actor_name(actor)
    return [
        Deliverable.objects.create(
            delivery=delivery,
            name=name,
            content_type=content_type,
            size=len(data),
            sha256=store(data),
            uploaded_at=at,
            uploaded_by=who,
        )
        for name, content_type, data in accepted
    ]


@transaction.atomic
def attach_deliverables(
    *, scope: Scope, delivery_id: int, files: Sequence[Upload], at: dt.datetime, actor: User | None = None
) -> list[Deliverable]:
    """Return the files attached to a delivered service (a report sent after the day, DEL-7)."""
    require(scope, can_deliver, ATTACH_REFUSAL, field=None)
    delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
    if delivery is None or not scope.sees(delivery.organisation_id):
        raise NotFound(Message(gettext_noop("no delivery D-{id}"), id=delivery_id), field="delivery")
    if delivery.state != DeliveryState.DELIVERED.value:
        raise InvalidInput(
            "delivery", Message(gettext_noop("D-{id} is not delivered yet: deliver it first"), id=delivery.pk)
        )
    if not files:
        raise InvalidInput("file", Message(gettext_noop("no file given")))
    stored = attach(delivery, checked(files), at=at, actor=actor)
    timeline.record(
        delivery, kind="deliverables", at=at, actor=actor, rule="DEL-7", files=[d.name for d in stored]
    )
    return stored


def deliverable_for(scope: Scope, *, delivery_id: int, number: int) -> tuple[Deliverable, Path]:
    """Return the ``number``-th deliverable (from 1) of a delivery ``scope`` sees, and where its bytes are."""
    found = (
        Deliverable.objects.select_related("delivery")
        .filter(delivery_id=delivery_id)
        .order_by("pk")[max(number, 1) - 1 : max(number, 1)]
        .first()
    )
    if found is None or number < 1 or not scope.sees(found.delivery.organisation_id):
        raise NotFound(
            Message(gettext_noop("no deliverable {n} of D-{id}"), n=number, id=delivery_id),
            field="deliverable",
        )
    return found, stored_path(found.sha256)
