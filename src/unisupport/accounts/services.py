"""Writes for organisations, people and tokens."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.utils import timezone

from unisupport.accounts.models import ApiToken, Membership, Organisation
from unisupport.accounts.roles import CUSTOMER_ROLES, OrganisationKind, Role


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
    """Return the active user owning the token ``secret``, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(secret), revoked=False, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
