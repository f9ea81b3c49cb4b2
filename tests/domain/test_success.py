"""Success management as the rules state it: Annexe B's domains and activities (SM-2), a plan's
objectives (SM-3 Product rule) and what changed between two states of it."""

from __future__ import annotations

from datetime import date

import pytest

from unisupport.domain.errors import InvalidInput
from unisupport.domain.success import DOMAINS, check_activity, check_target, compare


def test_sm2_three_domains_and_their_ten_activities():
    assert list(DOMAINS) == ["solution-integrity", "adoption-and-planning", "executive-partnership"]
    assert sum(len(a) for a in DOMAINS.values()) == 10
    assert check_activity(" Solution-Integrity ", "Proactive-Resilience") == (
        "solution-integrity",
        "proactive-resilience",
    )
    with pytest.raises(InvalidInput) as wrong:
        check_activity("solution-integrity", "lifecycle-management")
    assert wrong.value.field == "activity"
    assert "SM-2" in wrong.value.message
    with pytest.raises(InvalidInput) as unknown:
        check_activity("wellness", "yoga")
    assert unknown.value.field == "domain"


def test_sm3_an_objectives_target_is_not_already_past():
    assert check_target(date(2027, 6, 30), today=date(2027, 1, 4)) == date(2027, 6, 30)
    with pytest.raises(InvalidInput):
        check_target(date(2026, 12, 31), today=date(2027, 1, 4))


def test_sm3_two_states_of_a_plan_compared():
    before = {
        "objectives": {"O-1": {"title": "Uptime", "state": "open"}},
        "activities": {"A-1": {"done": False}},
    }
    after = {
        "objectives": {
            "O-1": {"title": "Uptime", "state": "achieved"},
            "O-2": {"title": "Costs", "state": "open"},
        },
        "activities": {},
    }
    diff = compare(before, after)
    assert diff["objectives"]["changed"] == [
        {"key": "O-1", "fields": {"state": {"from": "open", "to": "achieved"}}}
    ]
    assert [o["key"] for o in diff["objectives"]["added"]] == ["O-2"]
    assert [a["key"] for a in diff["activities"]["removed"]] == ["A-1"]
