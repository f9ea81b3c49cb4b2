"""Proactive deliveries: states, the day a delivery may take place, DEL-8's languages."""

from __future__ import annotations

from datetime import date

import pytest

from unisupport.domain.calendar import Closure, calendar_for
from unisupport.domain.deliveries import DeliveryState, check_delivery_day, check_language, check_transition
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.term import Term

TERM = Term(date(2026, 7, 1), date(2027, 6, 30))


def test_ord1_sev7_a_delivery_takes_place_within_the_term_on_a_business_day():
    france = calendar_for("FR", closures=[Closure(date(2027, 3, 3))])
    assert check_delivery_day(date(2027, 3, 2), term=TERM, calendar=france) == date(2027, 3, 2)
    for day, rule in (
        (date(2027, 7, 1), "ORD-1"),  # after the term
        (date(2027, 3, 6), "SEV-7"),  # a Saturday
        (date(2027, 5, 1), "SEV-7"),  # Labour Day, a public holiday in France
        (date(2027, 3, 3), "SEV-7"),  # a closure of the site
    ):
        with pytest.raises(RuleViolation) as refused:
            check_delivery_day(day, term=TERM, calendar=france)
        assert (refused.value.rule, refused.value.field) == (rule, "on")


def test_del8_the_delivering_sites_language_or_english():
    assert check_language("FR", site_languages=["fr"]) == "fr"
    assert check_language("en", site_languages=["de"]) == "en"
    assert check_language("ja", site_languages=["fr"], agreed=["ja"]) == "ja"
    with pytest.raises(RuleViolation) as refused:
        check_language("ja", site_languages=["fr"])
    assert refused.value.rule == "DEL-8"


def test_a_delivery_moves_only_forward():
    check_transition(DeliveryState.REQUESTED, DeliveryState.SCHEDULED)
    check_transition(DeliveryState.SCHEDULED, DeliveryState.SCHEDULED)  # a reschedule
    for current, target in (
        (DeliveryState.DELIVERED, DeliveryState.CANCELLED),
        (DeliveryState.CANCELLED, DeliveryState.SCHEDULED),
        (DeliveryState.REQUESTED, DeliveryState.DELIVERED),
    ):
        with pytest.raises(InvalidInput):
            check_transition(current, target)


def test_del4_del8_an_engineer_delivers_their_services_in_their_languages_once_at_a_time():
    from datetime import time
    from decimal import Decimal

    from unisupport.domain.deliveries import Booking, booking, check_engineer

    morning = booking(date(2027, 2, 1), start=time(9, 30), hours=Decimal(3), zone="Europe/Paris")
    afternoon = booking(date(2027, 2, 1), start=time(13), hours=Decimal(2), zone="Europe/Paris")
    late_morning = booking(date(2027, 2, 1), start=time(10), hours=Decimal(1), zone="Europe/Paris")
    assert not morning.overlaps(afternoon)
    assert morning.overlaps(late_morning)
    assert Booking(date(2027, 2, 1)).overlaps(afternoon)  # a whole-day booking takes the day
    fields = {"name": "bob", "skills": ["workshop"], "languages": ["fr", "en"], "language": "fr"}
    check_engineer(**fields, service="workshop", wanted=afternoon, booked=[morning])
    for change, rule in (
        ({"service": "chalk-talk", "wanted": afternoon, "booked": []}, "DEL-4"),
        ({"service": "workshop", "wanted": late_morning, "booked": [morning]}, "DEL-4"),
        ({"service": "workshop", "wanted": afternoon, "booked": [], "language": "ja"}, "DEL-8"),
    ):
        with pytest.raises(RuleViolation) as refused:
            check_engineer(**(fields | change))
        assert (refused.value.rule, refused.value.field) == (rule, "engineer")
