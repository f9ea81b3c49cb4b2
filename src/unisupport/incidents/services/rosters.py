"""The on-call rosters the escalation assigns from (INC-2, INC-4): add a person, reorder, deactivate.

The escalation takes the first active entry by priority (``escalation._on_roster``); these keep
the priorities dense (1, 2, 3 …) so that moving an entry is a swap with its neighbour.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from unisupport.accounts.permissions import can_manage_rosters, require
from unisupport.accounts.roles import VENDOR_ROLES
from unisupport.accounts.scope import Scope
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.incidents import REACTIVE_OFFERINGS
from unisupport.domain.messages import Message, gettext_noop
from unisupport.incidents.models import RosterEntry, RosterRole

REFUSAL = Message(gettext_noop("only the vendor's back office manages the on-call rosters"))


def roster_people() -> QuerySet[User]:
    """Return the vendor's active people, who alone may be on a roster."""
    return (
        User.objects.filter(is_active=True, memberships__role__in=[r.value for r in VENDOR_ROLES])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _entry(entry_id: int) -> RosterEntry:
    try:
        return RosterEntry.objects.select_for_update().get(pk=entry_id)
    except RosterEntry.DoesNotExist:
        raise NotFound(Message(gettext_noop("no roster entry {id}"), id=entry_id)) from None


def roster_offerings() -> list[str]:
    """Return the offerings a roster may be kept for: those that serve incidents (the empty one: every offering)."""
    return sorted(REACTIVE_OFFERINGS)


def add_to_roster(*, scope: Scope, role: str, user_id: int, offering: str = "") -> RosterEntry:
    """Return the new entry of vendor person ``user_id`` on roster ``role`` for ``offering`` (empty: every
    offering), last by priority (INC-2, INC-4)."""
    require(scope, can_manage_rosters, REFUSAL, field=None)
    if role not in RosterRole.values:
        raise InvalidInput(
            "role", Message(gettext_noop("expected one of {roles}"), roles=", ".join(RosterRole.values))
        )
    offering = offering.strip()
    if offering and offering not in REACTIVE_OFFERINGS:
        raise InvalidInput(
            "offering",
            Message(
                gettext_noop("{offering!r} does not serve incidents: expected one of {offerings}"),
                offering=offering,
                offerings=", ".join(roster_offerings()),
            ),
        )
    if not roster_people().filter(pk=user_id).exists():
        raise InvalidInput(
            "user", Message(gettext_noop("only the vendor's active people can be on a roster"))
        )
    with transaction.atomic():
        # The roster's rows locked: two additions at once do not take the same priority.
        entries = list(RosterEntry.objects.select_for_update().filter(role=role, offering=offering))
        found = next((e for e in entries if e.user_id == user_id), None)
        if found is not None:  # already on it: made active again, where it stood
            found.active = True
            found.save(update_fields=["active"])
            return found
        last = max((e.priority for e in entries), default=0)
        return RosterEntry.objects.create(role=role, offering=offering, user_id=user_id, priority=last + 1)


def move_on_roster(*, scope: Scope, entry_id: int, up: bool) -> RosterEntry:
    """Return the entry after swapping its priority with its neighbour's, above (``up``) or below."""
    require(scope, can_manage_rosters, REFUSAL, field=None)
    with transaction.atomic():
        entry = _entry(entry_id)
        entries = list(
            RosterEntry.objects.select_for_update()
            .filter(role=entry.role, offering=entry.offering)
            .order_by("priority", "pk")
        )
        for position, row in enumerate(entries, start=1):  # dense priorities first: a swap is then exact
            if row.priority != position:
                row.priority = position
                row.save(update_fields=["priority"])
        index = next(i for i, row in enumerate(entries) if row.pk == entry.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(entries):
            mine, theirs = entries[index], entries[other]
            mine.priority, theirs.priority = theirs.priority, mine.priority
            mine.save(update_fields=["priority"])
            theirs.save(update_fields=["priority"])
            return mine
        return entries[index]


def set_on_call(*, scope: Scope, entry_id: int, active: bool) -> RosterEntry:
    """Return the entry deactivated (skipped by the escalation) or made active again."""
    require(scope, can_manage_rosters, REFUSAL, field=None)
    with transaction.atomic():
        entry = _entry(entry_id)
        entry.active = active
        entry.save(update_fields=["active"])
        return entry
