"""Grants on order import (CRD-1, HRS-1, FLX-2, FLX-5) and on amendments (ORD-9), in the import's transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.ledger_support import NORTHWIND, contoso
from tests.scopes import OPERATOR
from tests.scopes import OPERATOR as VENDOR
from unisupport import clock
from unisupport.domain.errors import RuleViolation
from unisupport.domain.ledger_commands import Redemption
from unisupport.ledger.models import LedgerAccount, LedgerEntry
from unisupport.ledger.selectors import balances, verify_ledger
from unisupport.orders.services import import_order_file

pytestmark = pytest.mark.django_db


def _balances(order: str) -> dict[tuple[str, str, str | None], str]:
    data = balances(VENDOR, order=order)
    return {(a["site"], a["kind"], a["service"]): a["balance"] for a in data["accounts"]}  # type: ignore[attr-defined]


def test_crd1_hrs1_import_grants_credits_hours_and_the_allocation(demo_orders):
    """CRD-1, HRS-1, FLX-2: the demo import grants credits per site, hour blocks per service, the allocation."""
    assert _balances("ESO-2026-001") == {
        ("DE", "credits", None): "200",
        ("DE", "hours", "enhanced-designated-engineering"): "400",
        ("FR", "credits", None): "500",
        ("FR", "hours", "unified-enhanced-response"): "40",  # UER-2's included hours (policy.yaml)
        ("FR", "allocation", None): "0.00",
        ("FR", "allocation", "custom-proactive"): "50000.00",
        ("FR", "allocation", "proactive-credits"): "190000.00",
    }
    assert _balances("ESO-2026-002") == {("JP", "hours", "developer-assistance"): "80"}
    grant = LedgerEntry.objects.get(account__site="FR", account__kind="credits")
    assert (grant.rule, grant.effective_on, grant.expires_on, grant.order_version) == (
        "CRD-1", date(2026, 7, 1), date(2027, 6, 30), 1,
    )  # fmt: skip
    assert grant.cause == "order:ESO-2026-001:v1"
    assert grant.organisation_id == grant.account.order.organisation_id
    assert verify_ledger(scope=OPERATOR).violations == []


def test_ord8_lines_awaiting_acceptance_grant_nothing_yet(catalog_db):
    """ORD-8: an hour block awaiting the vendor's acceptance is not granted until accepted."""
    text = NORTHWIND.replace(
        "      - {service: developer-assistance, quantity: 40}\n",
        "      - {service: developer-assistance, quantity: 40}\n"
        "      - {service: reactive-support-management-addon, quantity: 20, timezone: Europe/Paris}\n",
    )
    assert import_order_file(scope=OPERATOR, at=clock.now(), text=text).verdict.valid
    assert not LedgerAccount.objects.filter(service="reactive-support-management-addon").exists()


def test_flx2_flx5_allocation_granted_per_contract_year_and_the_unassigned_part_forfeited(catalog_db):
    """FLX-2: the allocation is granted per contract year and lapses at its end; FLX-5: what is not
    assigned at execution is forfeited by an entry at once."""
    assert import_order_file(scope=OPERATOR, at=clock.now(), text=NORTHWIND).verdict.valid
    pool = LedgerAccount.objects.get(order__number="ESO-2027-010", kind="allocation", service="")
    entries = list(pool.entries.order_by("serial"))
    grants = [e for e in entries if e.amount > 0]
    assert [(g.effective_on, g.expires_on, g.rule) for g in grants] == [
        (date(2027, 1, 1), date(2027, 12, 31), "FLX-2"),
        (date(2028, 1, 1), date(2028, 12, 31), "FLX-2"),
        (date(2029, 1, 1), date(2029, 12, 31), "FLX-2"),
    ]
    forfeits = [e for e in entries if e.forfeits]
    assert [(e.amount, e.rule, e.forfeits) for e in forfeits] == [
        (Decimal("-20000"), "FLX-5", g.uid) for g in grants
    ]
    assert pool.balance == 0
    workshop = LedgerAccount.objects.get(order__number="ESO-2027-010", service="workshop")
    assert (workshop.site, workshop.balance) == ("DE", Decimal("90000"))
    assert sorted(workshop.entries.values_list("expires_on", flat=True)) == [
        date(2027, 12, 31), date(2028, 12, 31), date(2029, 12, 31),
    ]  # fmt: skip
    assert verify_ledger(scope=OPERATOR).violations == []


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ("    - {service: custom-proactive, site: FR, amount: 50000}\n", "FLX-1"),
        ("    - {service: success-management, site: FR, amount: 10000}\n", "FLX-3"),
        ("    - {service: workshop, site: FR, amount: 60000}\n", "FLX-6"),
    ],
)
def test_flx1_flx3_flx6_an_order_breaking_an_allocation_rule_grants_nothing(catalog_db, change, rule):
    """FLX-1, FLX-3, FLX-6: the import refuses the order, and the ledger holds nothing of it."""
    text = NORTHWIND.replace("    - {service: workshop, site: DE, amount: 30000}\n", change + change)
    result = import_order_file(scope=OPERATOR, at=clock.now(), text=text)
    assert rule in {e.rule for e in result.verdict.errors}
    assert not LedgerEntry.objects.exists()


def test_flx7_allocation_above_the_list_price_grants_nothing(catalog_db):
    """FLX-7: an allocation larger than the foundational list price is refused: nothing is granted."""
    result = import_order_file(
        scope=OPERATOR, at=clock.now(), text=NORTHWIND.replace("amount: 100000", "amount: 2000000")
    )
    assert "FLX-7" in {e.rule for e in result.verdict.errors}
    assert not LedgerAccount.objects.exists()


def test_ord9_an_amendment_posts_the_difference_and_reimporting_posts_nothing(demo_orders):
    """ORD-9: a new version grants what it adds and takes back what it removes; unchanged, nothing."""
    amended = contoso().replace(
        "{service: proactive-credits, quantity: 500}", "{service: proactive-credits, quantity: 650}"
    )
    amended = amended.replace(
        "{service: proactive-credits, quantity: 200}", "{service: proactive-credits, quantity: 150}"
    )
    before = LedgerEntry.objects.count()
    assert import_order_file(scope=OPERATOR, at=clock.now(), text=amended).orders[0]["version"] == 2
    assert _balances("ESO-2026-001")[("FR", "credits", None)] == "650"
    assert _balances("ESO-2026-001")[("DE", "credits", None)] == "150"
    new = list(
        LedgerEntry.objects.filter(serial__gt=LedgerEntry.objects.order_by("serial")[before - 1].serial)
    )
    assert sorted((e.account.site, e.amount, e.rule, e.order_version) for e in new) == [
        ("DE", Decimal("-50"), "ORD-9", 2),
        ("FR", Decimal("150"), "CRD-1", 2),
    ]
    assert import_order_file(scope=OPERATOR, at=clock.now(), text=amended).orders[0]["created"] is False
    assert LedgerEntry.objects.count() == before + 2
    assert verify_ledger(scope=OPERATOR).violations == []


def test_ord9_an_amendment_cannot_take_back_credits_already_used(demo_orders):
    """ORD-9 with CRD-4: taking back more than is left is refused, and the whole import rolls back."""
    from tests.ledger_support import load_rates
    from unisupport.ledger.services import redeem_credits

    load_rates()
    redeem_credits(
        scope=OPERATOR,
        at=clock.now(),
        command=Redemption.parse(
            order="ESO-2026-001", site="DE", service="workshop", quantity=12, on=date(2026, 9, 1)
        ),
    )
    amended = contoso().replace(
        "{service: proactive-credits, quantity: 200}", "{service: proactive-credits, quantity: 100}"
    )
    with pytest.raises(RuleViolation) as refused:
        import_order_file(scope=OPERATOR, at=clock.now(), text=amended)
    assert refused.value.rule == "CRD-4"
    assert _balances("ESO-2026-001")[("DE", "credits", None)] == "50"


def test_post_grants_for_twice_posts_nothing_more(demo_orders):
    """CRD-1: granting is idempotent: the ledger already holds what the version bought."""
    from unisupport.ledger.services import post_grants_for
    from unisupport.orders.models import OrderVersion

    before = LedgerEntry.objects.count()
    for version in OrderVersion.objects.all():
        assert post_grants_for(version=version, at=clock.now()) == []
    assert LedgerEntry.objects.count() == before


def test_ord9_flx2_an_amended_assignment_moves_by_the_difference_in_every_contract_year_left(catalog_db):
    """ORD-9, FLX-2: an assignment raised by an amendment is granted the difference per contract year;
    the pool is not touched again (FLX-5: what was not assigned at execution stays lost)."""
    assert import_order_file(scope=OPERATOR, at=clock.now(), text=NORTHWIND).verdict.valid
    amended = NORTHWIND.replace(
        "{service: workshop, site: DE, amount: 30000}", "{service: workshop, site: DE, amount: 40000}"
    )
    assert import_order_file(scope=OPERATOR, at=clock.now(), text=amended).orders[0]["version"] == 2
    workshop = LedgerAccount.objects.get(order__number="ESO-2027-010", service="workshop")
    assert workshop.balance == Decimal(120000)
    raised = workshop.entries.filter(order_version=2)
    assert sorted((e.effective_on.year, e.amount, e.rule) for e in raised) == [
        (2027, Decimal(10000), "FLX-2"), (2028, Decimal(10000), "FLX-2"), (2029, Decimal(10000), "FLX-2"),
    ]  # fmt: skip
    pool = LedgerAccount.objects.get(order__number="ESO-2027-010", kind="allocation", service="")
    assert not pool.entries.filter(order_version=2).exists()
    assert verify_ledger(scope=OPERATOR).violations == []
