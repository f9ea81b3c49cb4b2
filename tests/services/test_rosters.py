"""The on-call rosters (INC-2, INC-4): added at the end, reordered by swaps, deactivated people skipped."""

from __future__ import annotations

import pytest

from tests.conftest import _person
from tests.scopes import OPERATOR
from unisupport.accounts.roles import Role
from unisupport.accounts.scope import Scope
from unisupport.domain.errors import Forbidden, InvalidInput
from unisupport.incidents.models import RosterEntry, RosterRole
from unisupport.incidents.services.escalation import _on_roster
from unisupport.incidents.services.rosters import add_to_roster, move_on_roster, set_on_call

pytestmark = pytest.mark.django_db

ROLE = RosterRole.SENIOR_INCIDENT_MANAGER


def _names() -> list[str]:
    return [e.user.username for e in RosterEntry.objects.filter(role=ROLE).order_by("priority", "pk")]


def test_inc_4_the_escalation_takes_the_first_active_person_of_the_roster_as_ordered(catalog_db):
    erin = _person("erin", "incident-manager", None)
    frank = _person("frank", "incident-manager", None)
    first = add_to_roster(scope=OPERATOR, role=ROLE, user_id=erin.pk)
    add_to_roster(scope=OPERATOR, role=ROLE, user_id=frank.pk)
    assert _names() == ["erin", "frank"]
    assert _on_roster(ROLE).user == erin
    move_on_roster(scope=OPERATOR, entry_id=first.pk, up=False)
    assert _names() == ["frank", "erin"]
    assert _on_roster(ROLE).user == frank
    frank_entry = RosterEntry.objects.get(role=ROLE, user=frank)
    set_on_call(scope=OPERATOR, entry_id=frank_entry.pk, active=False)
    assert _on_roster(ROLE).user == erin
    add_to_roster(scope=OPERATOR, role=ROLE, user_id=frank.pk)  # back on: active again, where he stood
    assert _on_roster(ROLE).user == frank
    assert RosterEntry.objects.filter(role=ROLE).count() == 2


def test_inc_2_only_the_back_office_keeps_rosters_and_only_with_vendor_people(catalog_db):
    erin = _person("erin", "incident-manager", None)
    alice = _person("alice", "customer-admin", "Contoso SA")
    with pytest.raises(Forbidden):
        add_to_roster(scope=Scope(erin.pk, frozenset(), frozenset({Role.CSAM})), role=ROLE, user_id=erin.pk)
    with pytest.raises(InvalidInput):
        add_to_roster(scope=OPERATOR, role=ROLE, user_id=alice.pk)
    with pytest.raises(InvalidInput):
        add_to_roster(scope=OPERATOR, role="nobody", user_id=erin.pk)
