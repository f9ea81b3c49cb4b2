"""Writes of the customer's contacts named on an order: added, changed (the change reported, RSP-3),
deactivated. The customer's administrator and the vendor's CSAMs and back office do it; every
change is kept with when it happened and when it was reported."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from unisupport.accounts.permissions import can_manage_contacts, require
from unisupport.accounts.scope import Scope
from unisupport.calendars.selectors import calendar_for_site
from unisupport.domain.calendar import BusinessCalendar
from unisupport.domain.contacts import ReportVerdict, judge_report, parse_role
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.texts import clean_text
from unisupport.orders.models import ContactChange, Order, OrderContact, OrderVersion, Site
from unisupport.orders.selectors import host_zone

CONTACT_REFUSAL = Message(
    gettext_noop(
        "only the customer's support services administrator, the CSAM or the back office manage contacts"
    )
)


def _order(scope: Scope, number: object) -> Order:
    found = Order.objects.select_for_update().filter(number=str(number or "").strip()).first()
    if found is None or not scope.sees(found.organisation_id):
        raise NotFound(Message(gettext_noop("no order {order!r}"), order=number), field="order")
    return found


def checked_email(value: object) -> str:
    """Return ``value`` as a lower-case e-mail address, or raise InvalidInput naming ``email``."""
    address = clean_text(value, field="email", limit=254, required=True).lower()
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidInput(
            "email", Message(gettext_noop("not an e-mail address: {value!r}"), value=address)
        ) from None
    return address


def _site(order: Order, value: object) -> str:
    code = str(value or "").strip().upper()
    if (
        code
        and not Site.objects.filter(
            order_version__order=order, order_version__version=order.current_version, country=code
        ).exists()
    ):
        raise InvalidInput(
            "site",
            Message(gettext_noop("{site} is not a site of order {order}"), site=code, order=order.number),
        )
    return code


def host_calendar_of(order: Order) -> BusinessCalendar:
    """Return the business calendar of ``order``'s host site (its agreement's host country without one)."""
    version = OrderVersion.objects.get(order=order, version=order.current_version)
    return calendar_for_site(country=version.host_country, timezone=host_zone(version))


@transaction.atomic
def add_contact(
    *,
    scope: Scope,
    order: str,
    role: str,
    name: str,
    email: str,
    at: dt.datetime,
    site: str = "",
    actor: str = "",
) -> OrderContact:
    """Return the contact named on ``order`` for ``role`` (RSP-1 administrator, RSP-2 reactive,
    MCS-5 outage, escalation); an administrator names the host site it serves."""
    require(scope, can_manage_contacts, CONTACT_REFUSAL, field=None)
    found = _order(scope, order)
    return OrderContact.objects.create(
        organisation_id=found.organisation_id,
        order=found,
        role=parse_role(role),
        site=_site(found, site),
        name=clean_text(name, field="name", limit=200, required=True),
        email=checked_email(email),
        created_at=at,
        created_by=actor,
    )


def _contact(scope: Scope, order: Order, contact_id: int) -> OrderContact:
    found = OrderContact.objects.select_for_update().filter(pk=contact_id, order=order).first()
    if found is None or not scope.sees(found.organisation_id):
        raise NotFound(
            Message(gettext_noop("no contact C-{id} on this order"), id=contact_id), field="contact"
        )
    return found


@transaction.atomic
def change_contact(
    *,
    scope: Scope,
    order: str,
    contact_id: int,
    changed_on: dt.date,
    at: dt.datetime,
    name: str | None = None,
    email: str | None = None,
    role: str | None = None,
    active: bool | None = None,
    actor: str = "",
) -> tuple[OrderContact, ContactChange, ReportVerdict]:
    """Return the contact changed as of ``changed_on``, the change recorded as reported at ``at``, and
    the verdict: reported after the 7th business day of the host site, it is late (RSP-3) — still
    recorded, and listed for the CSAM."""
    require(scope, can_manage_contacts, CONTACT_REFUSAL, field=None)
    found = _order(scope, order)
    contact = _contact(scope, found, contact_id)
    verdict = judge_report(changed_on=changed_on, reported_at=at, calendar=host_calendar_of(found))
    before = {"name": contact.name, "email": contact.email, "role": contact.role, "active": contact.active}
    if name is not None:
        contact.name = clean_text(name, field="name", limit=200, required=True)
    if email is not None:
        contact.email = checked_email(email)
    if role is not None:
        contact.role = parse_role(role)
    if active is not None:
        contact.active = active
    after = {"name": contact.name, "email": contact.email, "role": contact.role, "active": contact.active}
    changed = {k: {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]}
    if not changed:
        raise InvalidInput("contact", Message(gettext_noop("nothing changes")))
    contact.save()
    change = ContactChange.objects.create(
        organisation_id=found.organisation_id,
        contact=contact,
        changed_on=changed_on,
        reported_at=at,
        deadline=verdict.deadline,
        late=verdict.late,
        what=changed,
        reported_by=actor,
    )
    return contact, change, verdict
