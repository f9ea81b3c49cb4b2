"""A customer's administrator manages their organisation's people (issue 14 §2): invites by e-mail
(a one-time link to set a password, valid 72 hours), changes roles, deactivates; every change is
recorded for the vendor to see."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from unisupport.accounts.models import Invitation, Membership, Organisation
from unisupport.accounts.permissions import can_manage_contacts, can_manage_vendor_people, require
from unisupport.accounts.roles import CUSTOMER_ROLES, VENDOR_ROLES, OrganisationKind, Role, role_fits
from unisupport.accounts.scope import Scope
from unisupport.accounts.services import back_office_group, record_access_change
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.messages import Message, gettext_noop
from unisupport.incidents.notify import queue_mail
from unisupport.success.contact_services import checked_email

VALID_FOR = dt.timedelta(hours=72)
REFUSAL = Message(gettext_noop("only the customer's support services administrator manages its people"))
VENDOR_REFUSAL = Message(gettext_noop("only the vendor's back office adds the vendor's own people"))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _organisation(scope: Scope, organisation_id: int) -> Organisation:
    found = Organisation.objects.filter(pk=organisation_id).first()
    if found is None or not scope.sees(found.pk):
        raise NotFound(
            Message(gettext_noop("no organisation {id}"), id=organisation_id), field="organisation"
        )
    return found


def _role(value: str, organisation: Organisation) -> Role:
    """Return the role ``value`` if it fits ``organisation``: vendor roles in the vendor's, customer roles in a customer's."""
    allowed = VENDOR_ROLES if organisation.kind == OrganisationKind.VENDOR else CUSTOMER_ROLES
    try:
        role = Role(value)
    except ValueError:
        role = None
    if role is None or not role_fits(role, organisation.kind):
        raise InvalidInput(
            "role",
            Message(
                gettext_noop("expected one of {roles}"), roles=", ".join(sorted(r.value for r in allowed))
            ),
        )
    return role


def _require_for(scope: Scope, organisation: Organisation) -> None:
    """Raise Forbidden unless ``scope`` may manage ``organisation``'s people: the vendor's own, the back office only."""
    if organisation.kind == OrganisationKind.VENDOR:
        require(scope, can_manage_vendor_people, VENDOR_REFUSAL, field=None)


def _record(organisation: Organisation, *, at: dt.datetime, by: str, what: str) -> None:
    record_access_change(organisation_ids=[organisation.pk], at=at, by=by, what=what)


@transaction.atomic
def invite(
    *,
    scope: Scope,
    organisation_id: int,
    email: str,
    role: str,
    at: dt.datetime,
    actor: str,
    language: str = "en",
) -> Invitation:
    """Return the invitation e-mailed to ``email`` in ``language`` (the inviter's: French or English):
    a one-time link, valid 72 hours, to join with ``role``."""
    require(scope, can_manage_contacts, REFUSAL, field=None)
    organisation = _organisation(scope, organisation_id)
    _require_for(scope, organisation)
    address = checked_email(email)
    chosen = _role(role, organisation)
    token = secrets.token_urlsafe(24)
    row = Invitation.objects.create(
        organisation=organisation, email=address, role=chosen, token_digest=_digest(token), created_at=at,
        expires_at=at + VALID_FOR, invited_by=actor,
    )  # fmt: skip
    link = f"{settings.UNISUPPORT_BASE_URL.rstrip('/')}/invite/{token}/"
    with translation.override("fr" if language.startswith("fr") else "en"):
        names = {"organisation": organisation.name, "actor": actor, "role": chosen.label}
        subject = _("You are invited to %(organisation)s's support portal") % names
        until = formats.date_format(row.expires_at.astimezone(dt.UTC), "DATETIME_FORMAT")
        body = (
            _("%(actor)s invites you to join %(organisation)s on the support portal as %(role)s.") % names
            + "\n"
            + _("Set your password here (the link works once, until %(until)s UTC):") % {"until": until}
            + f"\n{link}\n"
        )
    queue_mail(
        organisation_id=organisation.pk, recipients=[address], subject=subject, body=body,
        key=f"invitation:{row.pk}", at=at,
    )  # fmt: skip
    _record(organisation, at=at, by=actor, what=f"invited {address} as {chosen.value}")
    return row


@transaction.atomic
def accept(*, token: str, username: str, password: str, at: dt.datetime) -> User:
    """Return the person created from an invitation; refused once used or after 72 hours."""
    found = Invitation.objects.select_for_update().filter(token_digest=_digest(str(token or ""))).first()
    if found is None:
        raise NotFound(Message(gettext_noop("no such invitation")), field="token")
    if found.accepted_at is not None:
        raise InvalidInput("token", Message(gettext_noop("this invitation was used already")))
    if at > found.expires_at:
        raise InvalidInput(
            "token", Message(gettext_noop("this invitation expired on {day}"), day=found.expires_at)
        )
    name = str(username or "").strip()
    if not name or len(name) > 150 or User.objects.filter(username=name).exists():
        raise InvalidInput("username", Message(gettext_noop("choose another user name")))
    try:
        validate_password(password)
    except ValidationError as exc:
        raise InvalidInput("password", Message(gettext_noop("{why}"), why=" ".join(exc.messages))) from None
    user = User.objects.create_user(name, email=found.email, password=password)
    Membership.objects.create(user=user, organisation=found.organisation, role=found.role)
    if found.role == Role.BACK_OFFICE:  # the Django admin's rights, as create_person gives them
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(back_office_group())
    found.accepted_at = at
    found.save(update_fields=["accepted_at"])
    _record(found.organisation, at=at, by=name, what=f"{found.email} joined as {found.role}")
    return user


@transaction.atomic
def set_role(
    *, scope: Scope, organisation_id: int, user_id: int, role: str, at: dt.datetime, actor: str
) -> Membership:
    """Return the person's membership with its new role (their other roles in the organisation end)."""
    require(scope, can_manage_contacts, REFUSAL, field=None)
    organisation = _organisation(scope, organisation_id)
    _require_for(scope, organisation)
    chosen = _role(role, organisation)
    rows = Membership.objects.filter(organisation=organisation, user_id=user_id)
    if not rows.exists():
        raise NotFound(Message(gettext_noop("no such person in the organisation")), field="user")
    rows.exclude(role=chosen).delete()
    row, _ = Membership.objects.get_or_create(organisation=organisation, user_id=user_id, role=chosen)
    _record(organisation, at=at, by=actor, what=f"user {user_id} now {chosen.value}")
    return row


@transaction.atomic
def deactivate(*, scope: Scope, organisation_id: int, user_id: int, at: dt.datetime, actor: str) -> User:
    """Return the person deactivated: they can no longer sign in (their records stay)."""
    require(scope, can_manage_contacts, REFUSAL, field=None)
    organisation = _organisation(scope, organisation_id)
    _require_for(scope, organisation)
    user = User.objects.filter(pk=user_id, memberships__organisation=organisation).distinct().first()
    if user is None:
        raise NotFound(Message(gettext_noop("no such person in the organisation")), field="user")
    user.is_active = False
    user.save(update_fields=["is_active"])
    _record(organisation, at=at, by=actor, what=f"user {user.get_username()} deactivated")
    return user
