"""Idempotent postings: a retried request with the same ``Idempotency-Key`` gets the first response back
and writes nothing more (issue 4 §2)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop
from unisupport.ledger.models import IdempotencyKey

Outcome = tuple[int, dict[str, Any]]
HEADER = "Idempotency-Key"


def _stored(*, user: AbstractBaseUser, key: str, endpoint: str, fingerprint: str) -> Outcome | None:
    found = IdempotencyKey.objects.filter(user_id=user.pk, key=key).first()
    if found is None:
        return None
    if (found.endpoint, found.fingerprint) != (endpoint, fingerprint):
        raise InvalidInput(
            HEADER, Message(gettext_noop("key {key!r} was already used for another request"), key=key)
        )
    return found.status, found.response


def idempotent(
    *, user: AbstractBaseUser, key: str | None, endpoint: str, body: bytes, run: Callable[[], Outcome]
) -> Outcome:
    """Return the outcome of ``run`` (status and JSON body), or the one stored for ``key`` by a first call.

    ``run`` maps refusals to their status itself, so a refusal is remembered like a success: the
    retry gets the same answer even if the balance has changed since. The key is stored in the
    transaction of the posting, so a posting and its key are committed together or not at all.
    """
    if key is None:
        return run()
    key = key.strip()
    if not key or len(key) > 200:
        raise InvalidInput(HEADER, Message(gettext_noop("expected 1 to 200 characters")))
    fingerprint = hashlib.sha256(endpoint.encode() + b"\n" + body).hexdigest()
    stored = _stored(user=user, key=key, endpoint=endpoint, fingerprint=fingerprint)
    if stored is not None:
        return stored
    try:
        with transaction.atomic():
            status, payload = run()
            IdempotencyKey.objects.create(
                user_id=user.pk,
                key=key,
                endpoint=endpoint,
                fingerprint=fingerprint,
                status=status,
                response=payload,
            )
    except IntegrityError:
        # The same key committed by a concurrent first call: ours is rolled back, theirs answers.
        stored = _stored(user=user, key=key, endpoint=endpoint, fingerprint=fingerprint)
        if stored is None:
            raise
        return stored
    return status, payload
