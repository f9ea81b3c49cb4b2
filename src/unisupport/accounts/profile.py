"""A person's profile: their name, callback phone (RSP-6), language and time zone, and their own API
tokens (created with the secret shown once, revoked)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import available_timezones

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from unisupport.accounts.models import ApiToken, Membership, Preferences
from unisupport.accounts.preferences import check_language, preferences_of
from unisupport.accounts.services import issue_token, record_access_change
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.incident_commands import parse_callback
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.texts import clean_text


@transaction.atomic
def update_profile(
    *, user: User, first_name: str, last_name: str, phone: str, language: str, time_zone: str, at: dt.datetime
) -> Preferences:
    """Return ``user``'s profile changed, or raise InvalidInput naming the first bad field (nothing written)."""
    first = clean_text(first_name, field="first_name", limit=150)
    last = clean_text(last_name, field="last_name", limit=150)
    try:
        number, _email = parse_callback(phone=phone, email="")
    except InvalidInput as exc:  # the same rule as an incident's callback number, named as this form names it
        raise InvalidInput("phone", exc.text) from None
    check_language(language)
    zone = str(time_zone or "").strip()
    if zone and zone not in available_timezones():
        raise InvalidInput("time_zone", Message(gettext_noop("not a time zone: {value!r}"), value=zone))
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    found = preferences_of(user)
    found.phone, found.language, found.time_zone, found.changed_at = number, language, zone, at
    found.save(update_fields=["phone", "language", "time_zone", "changed_at"])
    return found


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """Return ``user``'s API tokens still in force, newest first."""
    return ApiToken.objects.filter(user=user, revoked=False).order_by("-created_at", "-pk")


def _recorded(user: User, *, at: dt.datetime, by: str, what: str) -> None:
    """Record a change of ``user``'s API access in each organisation they belong to (the vendor sees it)."""
    organisations = Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
    record_access_change(organisation_ids=organisations, at=at, by=by, what=what)


@transaction.atomic
def create_token(*, user: User, name: str, at: dt.datetime, by: str | None = None) -> str:
    """Return the secret of a new API token of ``user`` named ``name`` (shown once, stored as a digest),
    recorded as an access change (by ``by``: the person themself unless the back office made it)."""
    clean = clean_text(name, field="name", limit=100, required=True)
    secret = issue_token(user=user, name=clean)
    _recorded(user, at=at, by=by or user.get_username(),
              what=f"API token “{clean}” created for {user.get_username()}")  # fmt: skip
    return secret


@transaction.atomic
def revoke_token(*, user: User, token_id: int, at: dt.datetime) -> ApiToken:
    """Return ``user``'s token ``token_id`` revoked (another person's token is not found), recorded as
    an access change."""
    found = ApiToken.objects.select_for_update().filter(user=user, pk=token_id, revoked=False).first()
    if found is None:
        raise NotFound(Message(gettext_noop("no token {id}"), id=token_id), field="token")
    found.revoked = True
    found.save(update_fields=["revoked"])
    _recorded(user, at=at, by=user.get_username(),
              what=f"API token “{found.name}” of {user.get_username()} revoked")  # fmt: skip
    return found
