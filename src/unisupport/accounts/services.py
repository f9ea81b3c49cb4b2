"""Writes for organisations, people and tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from unisupport import clock
from unisupport.accounts.models import AccessChange, ApiToken, Membership, Organisation
from unisupport.accounts.roles import CUSTOMER_ROLES, OrganisationKind, Role, role_fits
from unisupport.accounts.scope import fitting_roles_sql, remember_scope
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop
from unisupport.plainsql import fetch, loaded

LAST_USED_PRECISION = dt.timedelta(minutes=1)  # how stale a token's last_used_at may be


def vendor_organisation() -> Organisation:
    """Return the vendor's own organisation, creating it on first use."""
    org, _ = Organisation.objects.get_or_create(name="Microsoft", defaults={"kind": OrganisationKind.VENDOR})
    return org


def customer_organisation(*, name: str) -> Organisation:
    """Return the customer organisation called ``name``, creating it if needed."""
    org, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": OrganisationKind.CUSTOMER})
    return org


@transaction.atomic
def create_person(
    *,
    username: str,
    password: str,
    roles: list[Role],
    organisation: Organisation | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "",
) -> User:
    """Return a new (or updated) user holding ``roles`` in ``organisation`` (the vendor's by default)."""
    if organisation is None:
        if any(role in CUSTOMER_ROLES for role in roles):
            raise ValueError("organisation: customer roles need the customer's organisation")
        organisation = vendor_organisation()
    misplaced = [role.value for role in roles if not role_fits(role, organisation.kind)]
    if misplaced:
        raise InvalidInput(
            "role",
            Message(
                gettext_noop(
                    "{roles} cannot be held in {organisation}: vendor roles are for the vendor's own "
                    "people, customer roles for a customer's"
                ),
                roles=", ".join(misplaced),
                organisation=organisation.name,
            ),
        )
    user, _ = User.objects.get_or_create(username=username)
    user.email = email or user.email
    user.first_name = first_name or user.first_name
    user.last_name = last_name or user.last_name
    user.set_password(password)
    user.is_staff = Role.BACK_OFFICE in roles or user.is_staff
    user.save()
    if Role.BACK_OFFICE in roles:
        user.groups.add(back_office_group())
    for role in roles:
        Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return user


BACK_OFFICE_APPS = ("accounts", "catalog", "orders", "incidents", "calendars", "ledger")


def back_office_group() -> Group:
    """Return the "Back office" group, holding every permission on the product's own models."""
    group, _ = Group.objects.get_or_create(name="Back office")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=BACK_OFFICE_APPS))
    return group


def issue_token(*, user: User, name: str) -> str:
    """Return the secret of a new API token for ``user`` (shown once, stored as a digest)."""
    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=user, name=name, prefix=secret[:10], digest=ApiToken.digest_of(secret))
    return secret


def user_for_token(secret: str) -> User | None:
    """Return the active user owning the token ``secret``, or None; their scope is read with it.

    Every API call asks, so it is one plain statement (plainsql): the token, the user's names,
    e-mail and flags (the rest of the user is deferred: read on first use), and their
    memberships, which make their scope for the request (``scope.remember_scope``).
    """
    found = fetch(_token_sql(), [ApiToken.digest_of(secret), False, True], read=True)
    if not found:
        return None
    first = found[0]
    token = loaded(ApiToken, TOKEN_COLUMNS, first[: len(TOKEN_COLUMNS)])
    user = loaded(User, USER_COLUMNS, first[len(TOKEN_COLUMNS) : -2])
    remember_scope(user, [(org, role) for *_, org, role in found if org is not None])
    now = clock.now()  # authentication is the request's edge: it reads the clock itself
    # To the minute: a write on every call would cost each API request a round trip.
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user


TOKEN_COLUMNS = ("id", "last_used_at")
USER_COLUMNS = ("id", "username", "first_name", "last_name", "email", "is_staff", "is_active", "is_superuser")


@cache
def _token_sql() -> str:
    token, user, membership = ApiToken._meta.db_table, User._meta.db_table, Membership._meta.db_table
    organisation = Organisation._meta.db_table
    columns = [f"t.{c}" for c in TOKEN_COLUMNS] + [f"u.{c}" for c in USER_COLUMNS]
    return (
        f"SELECT {', '.join(columns)}, m.organisation_id, m.role FROM {token} t "
        f"JOIN {user} u ON u.id = t.user_id LEFT JOIN ({membership} m JOIN {organisation} o "
        f"ON o.id = m.organisation_id AND {fitting_roles_sql()}) ON m.user_id = u.id "
        "WHERE t.digest = %s AND t.revoked = %s AND u.is_active = %s"
    )


def record_access_change(*, organisation_ids: Iterable[int], at: dt.datetime, by: str, what: str) -> None:
    """Return nothing; a change of who may do what (a role, a token, a CSAM) is recorded in each of
    ``organisation_ids``, for the vendor to see (its text cut to the column's length)."""
    limit = AccessChange._meta.get_field("what").max_length or 300
    AccessChange.objects.bulk_create(
        AccessChange(organisation_id=pk, at=at, by=by, what=what[:limit])
        for pk in sorted(set(organisation_ids))
    )
