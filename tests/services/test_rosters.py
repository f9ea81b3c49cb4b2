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
    assert _on_roster(ROLE, []).user == erin
    move_on_roster(scope=OPERATOR, entry_id=first.pk, up=False)
    assert _names() == ["frank", "erin"]
    assert _on_roster(ROLE, []).user == frank
    frank_entry = RosterEntry.objects.get(role=ROLE, user=frank)
    set_on_call(scope=OPERATOR, entry_id=frank_entry.pk, active=False)
    assert _on_roster(ROLE, []).user == erin
    add_to_roster(scope=OPERATOR, role=ROLE, user_id=frank.pk)  # back on: active again, where he stood
    assert _on_roster(ROLE, []).user == frank
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


def test_inc_4_a_roster_kept_for_an_offering_comes_first_for_the_incidents_it_serves(catalog_db):
    """INC-4: under UER a Senior Incident Manager is assigned; the UER roster's person before the
    list for every offering, which still covers an incident no offering's roster serves."""
    erin = _person("erin", "incident-manager", None)
    frank = _person("frank", "incident-manager", None)
    add_to_roster(scope=OPERATOR, role=ROLE, user_id=erin.pk)
    uer = add_to_roster(scope=OPERATOR, role=ROLE, user_id=frank.pk, offering="unified-enhanced-response")
    assert uer.priority == 1  # first of its own roster
    assert _on_roster(ROLE, ["foundational", "unified-enhanced-response"]).user == frank
    assert _on_roster(ROLE, ["foundational", "mcs-azure-platform-plus"]).user == erin
    set_on_call(scope=OPERATOR, entry_id=uer.pk, active=False)
    assert _on_roster(ROLE, ["unified-enhanced-response"]).user == erin  # the offering's roster is empty


def test_inc_2_a_roster_for_an_offering_that_serves_no_incident_is_refused(catalog_db):
    erin = _person("erin", "incident-manager", None)
    with pytest.raises(InvalidInput) as refused:
        add_to_roster(scope=OPERATOR, role=ROLE, user_id=erin.pk, offering="workshop")
    assert refused.value.field == "offering"
    assert not RosterEntry.objects.exists()


def test_inc_2_senior_management_is_the_offerings_list_and_every_offerings_once_each(catalog_db):
    from unisupport.incidents.services.escalation import senior_management

    grace = _person("grace", "incident-manager", None)
    grace.email = "grace@vendor.example"
    grace.save()
    frank = _person("frank", "incident-manager", None)
    frank.email = "frank@vendor.example"
    frank.save()
    role = RosterRole.SENIOR_MANAGEMENT
    add_to_roster(scope=OPERATOR, role=role, user_id=grace.pk)
    add_to_roster(scope=OPERATOR, role=role, user_id=frank.pk, offering="unified-enhanced-response")
    add_to_roster(scope=OPERATOR, role=role, user_id=grace.pk, offering="unified-enhanced-response")
    assert senior_management(["unified-enhanced-response"]) == [
        "frank@vendor.example",
        "grace@vendor.example",
    ]
    assert senior_management(["foundational"]) == ["grace@vendor.example"]
