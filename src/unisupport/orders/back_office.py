"""The back office's reads and writes on orders in the portal: lines awaiting acceptance (ORD-8), an agreement's CSAM (MC-3).

The import and the line decisions themselves are ``orders.services``' (the CLI's and the API's too).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, QuerySet

from unisupport.accounts.permissions import can_manage_orders, require
from unisupport.accounts.roles import Role
from unisupport.accounts.scope import Scope, scoped
from unisupport.accounts.services import record_access_change
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.messages import Message, gettext_noop
from unisupport.orders.models import Agreement, LineStatus, OrderLine

CSAM_REFUSAL = Message(gettext_noop("only the vendor's CSAMs and back office assign an agreement's CSAM"))


def pending_lines(scope: Scope) -> QuerySet[OrderLine]:
    """Return the lines of current order versions awaiting the vendor's acceptance (ORD-8), oldest order first."""
    return scoped(
        OrderLine.objects.filter(
            status=LineStatus.PENDING_ACCEPTANCE,
            site__order_version__version=F("site__order_version__order__current_version"),
        ).select_related("site__order_version__order__agreement", "service", "organisation"),
        scope,
    ).order_by("site__order_version__order__number", "site__position", "position")


def csam_candidates() -> QuerySet[User]:
    """Return the vendor's active people holding the CSAM role (MC-3)."""
    return (
        User.objects.filter(is_active=True, memberships__role=Role.CSAM)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def assign_csam(*, scope: Scope, code: str, csam_id: int | None, at: dt.datetime, actor: str) -> Agreement:
    """Return agreement ``code`` with its CSAM set to person ``csam_id`` (or none), the change recorded (MC-3)."""
    require(scope, can_manage_orders, CSAM_REFUSAL, field=None)
    with transaction.atomic():
        try:
            agreement = Agreement.objects.select_for_update().get(code=code)
        except Agreement.DoesNotExist:
            raise NotFound(Message(gettext_noop("no agreement {code!r}"), code=code)) from None
        person = None
        if csam_id is not None:
            person = csam_candidates().filter(pk=csam_id).first()
            if person is None:
                raise InvalidInput(
                    "csam",
                    Message(gettext_noop("the CSAM must be one of the vendor's people with the CSAM role")),
                )
        if agreement.csam_id == csam_id:
            return agreement
        agreement.csam = person
        agreement.save(update_fields=["csam"])
        named = (person.get_full_name() or person.username) if person else "—"
        record_access_change(
            organisation_ids=[agreement.organisation_id], at=at, by=actor, what=f"CSAM of {code}: {named}"
        )
    return agreement
