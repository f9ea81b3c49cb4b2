"""A delivery's timeline: one event per thing that happened, who, when, the rule that decided."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from unisupport import plainsql
from unisupport.deliveries.models import Delivery, DeliveryEvent


def event(
    delivery: Delivery, *, kind: str, at: dt.datetime, actor: User | None, rule: str = "", **data: object
) -> DeliveryEvent:
    """Return the (unsaved) event ``kind`` of ``delivery``; dates and times in ``data`` as ISO text."""
    return DeliveryEvent(
        delivery=delivery,
        at=at,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        kind=kind,
        rule=rule,
        data={k: (v.isoformat() if isinstance(v, dt.date | dt.time) else v) for k, v in data.items()},
    )


def record(
    delivery: Delivery, *, kind: str, at: dt.datetime, actor: User | None, rule: str = "", **data: object
) -> None:
    """Return nothing; the event ``kind`` of ``delivery`` is written (call in the change's transaction)."""
    # Plain INSERTs (plainsql: the model's own columns and values) spare the ORM's compiling of each
    # statement on the request's hot path, while the paying account's row is locked.
    plainsql.insert([event(delivery, kind=kind, at=at, actor=actor, rule=rule, **data)])
