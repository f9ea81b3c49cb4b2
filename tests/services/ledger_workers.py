"""Worker processes for the ledger's concurrency test: each has its own Django and database connection."""

from __future__ import annotations

import os
import random
from datetime import date

from unisupport import clock
from unisupport.domain.ledger_commands import Redemption

ORDER = "ESO-2026-001"
ON = date(2027, 2, 1)


def work(database_url: str, seed: int, operations: int) -> dict[str, int]:
    """Return what one worker did: successful redemptions and exchanges, refusals, entries written."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "unisupport.settings"
    import django

    django.setup()
    from django.db import connection

    from tests.scopes import OPERATOR  # (after django.setup: the scope module reads the models)
    from unisupport.domain.errors import RuleViolation
    from unisupport.ledger.services import exchange_credits, redeem_credits

    rng = random.Random(seed)
    done = {"redeemed": 0, "exchanged": 0, "refused": 0, "entries": 0}
    actor = f"worker-{seed}"
    for _ in range(operations):
        source, target = rng.sample(["FR", "DE"], 2)
        try:
            if rng.random() < 0.6:
                posted = redeem_credits(
                    scope=OPERATOR,
                    at=clock.now(),
                    actor=actor,
                    command=Redemption.parse(
                        order=ORDER, site=source, service="workshop", quantity=rng.randint(1, 4), on=ON
                    ),
                )
                done["redeemed"] += 1
            else:
                posted, _, _ = exchange_credits(
                    scope=OPERATOR,
                    at=clock.now(),
                    order=ORDER,
                    from_site=source,
                    to_site=target,
                    credits=rng.randint(5, 60),
                    on=ON,
                    actor=actor,
                )
                done["exchanged"] += 1
            done["entries"] += len(posted.entries)
        except RuleViolation:
            done["refused"] += 1
    connection.close()
    return done


def request_one(database_url: str, seed: int) -> int:
    """Return 1 if this worker's delivery request was accepted (its cost reserved), 0 if refused."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "unisupport.settings"
    import datetime as dt

    import django

    django.setup()
    from django.db import connection

    from tests.scopes import OPERATOR
    from unisupport.deliveries.services import request_delivery
    from unisupport.domain.deliveries import DeliveryRequest
    from unisupport.domain.errors import RuleViolation

    command = DeliveryRequest.parse(order=ORDER, site="DE", service="workshop", quantity=3)
    try:
        request_delivery(scope=OPERATOR, command=command, at=dt.datetime(2027, 1, 4, 10, seed, tzinfo=dt.UTC))
        accepted = 1
    except RuleViolation:
        accepted = 0
    connection.close()
    return accepted
