"""Each rule's formula, list or refusal is written once under src/unisupport (issue 10, §1).

A grep over the source proves it: the pattern that spells a rule's decision is found in exactly
one module (its home in the domain), and everything else calls that module. A second spelling
added anywhere — a service, an interface, a plain-SQL path — fails here.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from unisupport.domain.entries import Account, AccountKind, Context, new_entry, transfer

SOURCE = Path(__file__).resolve().parents[2] / "src" / "unisupport"


def _homes(pattern: str) -> list[str]:
    """Return the modules (relative to src/unisupport) whose text matches ``pattern``."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        if re.search(pattern, path.read_text(encoding="utf-8"), flags=re.S):
            found.append(path.relative_to(SOURCE).as_posix())
    return found


@pytest.mark.parametrize(
    ("rule", "pattern", "home"),
    [
        ("FLX-1", r"custom_proactive_floor_usd\s*\*", "domain/allocation.py"),
        (
            "FLX-1",
            r"custom_proactive_share\s*[,)]|\*\s*policy\.custom_proactive_share",
            "domain/allocation.py",
        ),
        ("SEV-7", r"TWENTY_FOUR_SEVEN\s+if\b|is\s+(not\s+)?ClockKind\.TWENTY_FOUR_SEVEN\b", "domain/sla.py"),
        ("MC-6", r"RuleViolation\(\s*\"MC-6\"", "domain/ledger.py"),
        ("HRS-3", r"ADVISORY_HOURS_CAP\s*=", "domain/incidents.py"),
        ("HRS-4", r"RuleViolation\(\s*\"HRS-4\"", "domain/hours.py"),
        ("HRS-4", r"BUSINESS_HOURS_ONLY\s*=", "domain/hours.py"),
        ("INC-8", r"RuleViolation\(\s*\"INC-8\"", "domain/incidents.py"),
        ("MC-7", r"def transfer\(|linked=debit_id|linked=credits\[0\]", "domain/entries.py"),
        ("DEL-2", r"FULL_REFUND_DAYS\s*=|HALF_FEE_DAYS\s*=", "domain/fees.py"),
        ("DEL-1", r"REQUEST_LEAD_DAYS\s*=", "domain/fees.py"),
        ("FLX-6", r"NEVER_NEGATIVE\[AccountKind\.ALLOCATION\]", "domain/ledger_spend.py"),
        ("CAT-1", r"Inclusion\.PURCHASABLE,\s*Inclusion\.QUANTITY_LIMITED", "domain/catalog.py"),
        ("DEL-4", r"def check_available\(|\.covers\(day\)", "domain/engineers.py"),
        ("ORD-2", r"(on|day|date\(\))\s*>\s*(\w+\.)?terminated(_on)?\b", "domain/lines.py"),
        (
            "ORD-8",
            r"\(\s*(LineStatus\.)?(ACTIVE|\"active\")\s*,\s*(LineStatus\.)?(ACCEPTED|\"accepted\")",
            "domain/lines.py",
        ),
    ],
)
def test_a_rule_is_decided_in_one_module(rule, pattern, home):
    assert _homes(pattern) == [home], f"{rule} is spelled out in more than its home"


@pytest.mark.parametrize(
    "code",
    [
        "unified-enhanced-response",
        "mcs-azure-platform",
        "mcs-azure-platform-plus",
        "mcs-azure-events",
        "mcs-azure-events-plus",
        "mcs-security-cloud",
        "azure-rapid-response",
        "reactive-support-management-addon",
        "enhanced-designated-engineering",
        "reactive-enhanced-designated-engineering",
        "custom-proactive",
    ],
)
def test_sev2_mc10_evt1_the_service_codes_the_rules_name_are_written_once(code):
    """SEV-2, MC-10, EVT-1, HRS-4, FLX-1: the agreement-wide and event offerings and the codes rules name."""
    assert _homes(rf"[\"']{re.escape(code)}[\"']") == ["domain/service_codes.py"]


def test_sev2_no_page_restates_the_response_minutes_by_hand():
    """SEV-2: the opening form reads its times from the response-target table (portal/severity_help.py)."""
    restated = re.compile(r"First response by phone in (\d+|one|two|four)\b")
    pages = [*SOURCE.rglob("*.py"), *SOURCE.rglob("*.html")]
    assert [p.name for p in pages if restated.search(p.read_text(encoding="utf-8"))] == []


def test_mc7_flx4_flx5_a_transfer_links_its_debit_and_its_credits_both_ways():
    ctx = Context(actor="bob", at=datetime(2026, 3, 2, 9, tzinfo=UTC), order_version=1)
    source = Account(order="ESO-1", site="FR", kind=AccountKind.CREDITS)
    target = Account(order="ESO-1", site="DE", kind=AccountKind.CREDITS)
    on = date(2026, 3, 2)
    debit = new_entry(ctx, account=source, amount=Decimal(-10), on=on, rule="MC-7", reason="x")
    credits = [
        new_entry(ctx, account=target, amount=Decimal(part), on=on, rule="MC-7", reason="x")
        for part in (6, 3)
    ]
    posted = transfer(debit, credits)
    assert [e.amount for e in posted] == [Decimal(-10), Decimal(6), Decimal(3)]
    assert posted[0].linked == credits[0].id
    assert all(e.linked == debit.id for e in posted[1:])
    with pytest.raises(ValueError, match="at least one"):
        transfer(debit, [])


def test_ord8_only_an_active_or_accepted_line_serves():
    from unisupport.domain.lines import LineStatus, serves

    assert [s.value for s in LineStatus if serves(s)] == ["active", "accepted"]
    assert not serves("pending")
    assert not serves("refused")


def test_evt1_evt2_event_days_within_their_limits():
    """EVT-1: 3 to 20 consecutive days; EVT-2: 3 to 60, gaps allowed."""
    from datetime import timedelta

    from unisupport.domain.errors import RuleViolation
    from unisupport.domain.events import check_event_days

    first = date(2027, 3, 1)
    run = [first + timedelta(days=d) for d in range(20)]
    assert check_event_days(service="mcs-azure-events", days=run) == run
    for days, service, rule in (
        (run[:2], "mcs-azure-events", "EVT-1"),
        ([*run, first + timedelta(days=20)], "mcs-azure-events", "EVT-1"),
        ([first, first + timedelta(days=2), first + timedelta(days=3)], "mcs-azure-events", "EVT-1"),
        ([first + timedelta(days=d) for d in range(61)], "mcs-azure-events-plus", "EVT-2"),
    ):
        with pytest.raises(RuleViolation) as refused:
            check_event_days(service=service, days=days)
        assert refused.value.rule == rule
    gaps = [first, first + timedelta(days=2), first + timedelta(days=9)]
    assert check_event_days(service="mcs-azure-events-plus", days=gaps) == gaps
