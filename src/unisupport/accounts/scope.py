"""The one place that decides what a person may see: the organisation scope.

Every view, endpoint and command that reads customer data filters through ``scoped``; a
customer's staff see their own organisation's rows and nothing else (charlie sees none of
alice's), the vendor's staff see every customer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, QuerySet

from unisupport.accounts.models import Membership, Organisation
from unisupport.accounts.roles import CUSTOMER_ROLES, ORDER_MANAGERS, VENDOR_ROLES, OrganisationKind, Role
from unisupport.plainsql import fetch

M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class Scope:
    """What a person sees (organisation ids, or everything) and which roles they hold."""

    user_id: int | None
    organisation_ids: frozenset[int]
    roles: frozenset[Role]

    @property
    def is_vendor(self) -> bool:
        """Return True for the vendor's staff, who see every customer."""
        return bool(self.roles & VENDOR_ROLES)

    @property
    def is_customer(self) -> bool:
        """Return True for a customer's staff."""
        return bool(self.roles & CUSTOMER_ROLES) and not self.is_vendor

    def can_manage_orders(self) -> bool:
        """Return True for the roles that validate and import orders."""
        return bool(self.roles & ORDER_MANAGERS)

    def has(self, *roles: Role) -> bool:
        """Return True if the person holds any of ``roles``."""
        return bool(self.roles & set(roles))

    def sees(self, organisation_id: int) -> bool:
        """Return True if rows of ``organisation_id`` are visible."""
        return self.is_vendor or organisation_id in self.organisation_ids


NOBODY = Scope(None, frozenset(), frozenset())


def scope_of(user: AbstractBaseUser | AnonymousUser | None) -> Scope:
    """Return the scope of ``user`` (NOBODY for anonymous or inactive users)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, "_unisupport_scope", None)
    if cached is not None:
        return cached
    # Every API call asks: one plain statement (plainsql).
    return remember_scope(user, fetch(_memberships_sql(), [user.pk], read=True))


def remember_scope(user: AbstractBaseUser, memberships: Iterable[tuple[int, str]]) -> Scope:
    """Return the scope of active ``user`` holding ``memberships`` (organisation id, role), kept on the user.

    For the rest of the request (the user object lives as long): ``scope_of`` answers from it.
    The API's token lookup reads the memberships with the token, and hands them in here.
    """
    rows = list(memberships)
    roles = frozenset(Role(role) for _, role in rows)
    if getattr(user, "is_superuser", False):
        roles |= {Role.BACK_OFFICE}
    scope = Scope(user.pk, frozenset(org for org, _ in rows), roles)
    setattr(user, "_unisupport_scope", scope)  # noqa: B010 (a per-request cache on the user object)
    return scope


@cache
def fitting_roles_sql() -> str:
    """Return the SQL condition on memberships ``m`` of organisations ``o`` that keeps only roles that
    fit the organisation (accounts.roles.role_fits): a vendor role held in a customer's organisation,
    however it was written, grants nothing."""
    vendor = ", ".join(f"'{r.value}'" for r in sorted(VENDOR_ROLES))
    customer = ", ".join(f"'{r.value}'" for r in sorted(CUSTOMER_ROLES))
    return (
        f"((o.kind = '{OrganisationKind.VENDOR.value}' AND m.role IN ({vendor})) "
        f"OR (o.kind = '{OrganisationKind.CUSTOMER.value}' AND m.role IN ({customer})))"
    )


@cache
def _memberships_sql() -> str:
    return (
        f"SELECT m.organisation_id, m.role FROM {Membership._meta.db_table} m "
        f"JOIN {Organisation._meta.db_table} o ON o.id = m.organisation_id AND {fitting_roles_sql()} "
        "WHERE m.user_id = %s"
    )


def scoped(queryset: QuerySet[M], scope: Scope, *, field: str = "organisation_id") -> QuerySet[M]:
    """Return ``queryset`` restricted to what ``scope`` may see."""
    if scope.is_vendor:
        return queryset
    if not scope.organisation_ids:
        return queryset.none()
    return queryset.filter(**{f"{field}__in": scope.organisation_ids})
