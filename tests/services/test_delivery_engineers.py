"""Engineers' absences and their own site's days in scheduling and in the planner (DEL-4)."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest

from tests.interfaces.clirunner import unisupport
from tests.scopes import OPERATOR
from unisupport.accounts.models import EngineerProfile
from unisupport.accounts.scope import scope_of
from unisupport.deliveries import services
from unisupport.deliveries.engineers import record_absence
from unisupport.deliveries.planner import plan_for
from unisupport.domain.deliveries import DeliveryRequest
from unisupport.domain.errors import Forbidden, InvalidInput, RuleViolation

pytestmark = pytest.mark.django_db

ORDER = "ESO-2026-001"
JAN_4 = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)


def request(**fields):
    command = DeliveryRequest.parse(
        **({"order": ORDER, "site": "FR", "service": "workshop", "quantity": 1} | fields)
    )
    return services.request_delivery(scope=OPERATOR, command=command, at=JAN_4)


def test_del4_an_engineer_away_is_not_scheduled_and_the_absence_lists_what_to_move(rates, bob):
    """DEL-4: bob has a workshop on 2 March; recording his leave 1–5 March names it to reschedule, and
    scheduling another with him on 3 March is refused; 8 March is fine."""
    EngineerProfile.objects.create(user=bob, country="FR", services=["workshop"], languages=["fr", "en"])
    booked = request()
    services.schedule_delivery(
        scope=OPERATOR, delivery_id=booked.pk, on=date(2027, 3, 2), at=JAN_4, engineer=bob
    )
    absence, clashes = record_absence(
        scope=OPERATOR,
        engineer="bob",
        first_day=date(2027, 3, 1),
        last_day=date(2027, 3, 5),
        at=JAN_4,
        reason="leave",
    )
    assert absence.recorded_by.startswith("cli")  # no actor given: the operating-system user of the CLI
    assert [d.pk for d in clashes] == [booked.pk]
    other = request()
    with pytest.raises(RuleViolation) as away:
        services.schedule_delivery(
            scope=OPERATOR, delivery_id=other.pk, on=date(2027, 3, 3), at=JAN_4, engineer=bob
        )
    assert (away.value.rule, away.value.field) == ("DEL-4", "engineer")
    services.schedule_delivery(
        scope=OPERATOR, delivery_id=other.pk, on=date(2027, 3, 8), at=JAN_4, engineer=bob
    )


def test_del4_an_engineer_is_not_scheduled_on_a_day_their_own_site_does_not_work(rates, bob):
    """DEL-4: Good Friday (26 March 2027) is a public holiday in Germany, not in France: a German
    engineer is not scheduled for a French delivery that day, a French one is."""
    EngineerProfile.objects.create(user=bob, country="DE", services=["workshop"], languages=["fr", "en"])
    delivery = request()
    with pytest.raises(RuleViolation) as closed:
        services.schedule_delivery(
            scope=OPERATOR, delivery_id=delivery.pk, on=date(2027, 3, 26), at=JAN_4, engineer=bob
        )
    assert closed.value.rule == "DEL-4"
    EngineerProfile.objects.filter(user=bob).update(country="FR")
    services.schedule_delivery(
        scope=OPERATOR, delivery_id=delivery.pk, on=date(2027, 3, 26), at=JAN_4, engineer=bob
    )


def test_only_the_vendor_records_absences_of_known_engineers_with_a_sensible_range(rates, alice, bob):
    EngineerProfile.objects.create(user=bob, country="FR", services=["workshop"], languages=["fr"])
    with pytest.raises(Forbidden):
        record_absence(
            scope=scope_of(alice),
            engineer="bob",
            first_day=date(2027, 3, 1),
            last_day=date(2027, 3, 1),
            at=JAN_4,
        )
    with pytest.raises(InvalidInput) as unknown:
        record_absence(
            scope=OPERATOR, engineer="alice", first_day=date(2027, 3, 1), last_day=date(2027, 3, 1), at=JAN_4
        )
    assert unknown.value.field == "engineer"
    with pytest.raises(InvalidInput) as backwards:
        record_absence(
            scope=OPERATOR, engineer="bob", first_day=date(2027, 3, 5), last_day=date(2027, 3, 1), at=JAN_4
        )
    assert backwards.value.field == "to"


def test_del4_ord5_the_planner_proposes_no_day_an_engineer_is_away(rates, bob):
    """ORD-5 with DEL-4: bob's leave for all of February leaves no proposal of his in February."""
    EngineerProfile.objects.create(
        user=bob, country="FR", services=["workshop", "chalk-talk"], languages=["fr"]
    )
    record_absence(
        scope=OPERATOR, engineer="bob", first_day=date(2027, 2, 1), last_day=date(2027, 2, 28), at=JAN_4
    )
    days = [p["on"] for p in plan_for(OPERATOR, order=ORDER, at=JAN_4)["proposals"]]
    assert days
    assert not [d for d in days if d.startswith("2027-02")]
    assert "2027-01-05" in days  # the first business day after today: he is not away then


def test_the_cli_records_an_absence_and_names_the_deliveries_to_move(rates, bob, monkeypatch):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: JAN_4)
    EngineerProfile.objects.create(user=bob, country="FR", services=["workshop"], languages=["fr", "en"])
    booked = request()
    services.schedule_delivery(
        scope=OPERATOR, delivery_id=booked.pk, on=date(2027, 3, 2), at=JAN_4, engineer=bob
    )
    run = unisupport("engineer", "absent", "bob", "--from", "2027-03-01", "--to", "2027-03-05", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["to_reschedule"] == [{"id": booked.pk, "on": "2027-03-02", "service": "workshop"}]
    assert run.json()["rules"] == ["DEL-4"]
    shown = unisupport("engineer", "show", "bob", "--json")
    assert shown.json()["absences"][0]["from"] == "2027-03-01"
    bad = unisupport("engineer", "absent", "bob", "--from", "2027-03-05", "--to", "2027-03-01", "--json")
    assert bad.exit_code == 2
