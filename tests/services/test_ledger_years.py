"""Issue 11 §3–§4 in the ledger: FLX-1 per contract year, FLX-2 lapses by itself (and through the
worker, with ORD-5), and ORD-2: nothing is posted after the agreement was terminated."""

from __future__ import annotations

import datetime as dt
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from tests.interfaces.clirunner import unisupport
from tests.ledger_support import load_rates
from tests.scopes import OPERATOR
from unisupport import clock
from unisupport.domain import ledger
from unisupport.domain.entries import AccountKind
from unisupport.domain.errors import RuleViolation
from unisupport.domain.ledger_commands import Consumption, Redemption
from unisupport.domain.money import Credits, Hours
from unisupport.ledger import locks, posting
from unisupport.ledger import order_facts as order_facts_module
from unisupport.ledger import worker as ledger_worker
from unisupport.ledger.exchange_services import exchange_allocated_service
from unisupport.ledger.models import LedgerAccount, LedgerEntry
from unisupport.ledger.order_facts import order_facts
from unisupport.ledger.selectors import verify_ledger
from unisupport.ledger.services import (
    cancel_delivery,
    charge_cancellation,
    consume_hours,
    exchange_credits,
    expire_all,
    redeem_credits,
)
from unisupport.orders.services import import_order_file, terminate_agreement

pytestmark = pytest.mark.django_db

ORDER = "ESO-2027-030"
# The issue's case: two contract years, in EUR (USD 50,000 = 45,000 EUR), 200,000 of allocation a
# year of which 30,000 goes to custom proactive services each year.
TAILSPIN = """\
agreement: TAILSPIN-UNIFIED
order: ESO-2027-030
customer: Tailspin Toys
host: FR
start: 2027-01-01
end: 2028-12-31
currency: EUR
usd_rate: 0.9
sites:
  - country: FR
    timezone: Europe/Paris
    lines:
      - {service: foundational, list_price: 1000000}
      - {service: proactive-credits, quantity: 300}
      - {service: developer-assistance, quantity: 40}
  - country: DE
    timezone: Europe/Berlin
    lines:
      - {service: proactive-credits, quantity: 100}
flexible_allocation:
  amount: 200000
  assignments:
    - {service: custom-proactive, site: FR, amount: 30000}
    - {service: workshop, site: FR, amount: 170000}
"""
YEAR1, YEAR2 = date(2027, 3, 1), date(2028, 3, 1)


@pytest.fixture
def tailspin(catalog_db) -> None:
    """Return nothing; the two-year EUR order is imported, the rates loaded, the worker's day forgotten."""
    result = import_order_file(scope=OPERATOR, at=clock.now(), text=TAILSPIN)
    assert result.verdict.valid, result.verdict.as_dict()
    load_rates()
    ledger_worker.forget()


def allocation(service: str) -> Decimal:
    return LedgerAccount.objects.get(
        order__number=ORDER, site="FR", kind="allocation", service=service
    ).balance


def exchange(**overrides):
    options = {
        "order": ORDER,
        "site": "FR",
        "from_service": "workshop",
        "to_service": "custom-proactive",
        "amount": "15000",
        "approved_by": "SDM",
        "on": YEAR1,
    }
    options.update(overrides)
    return exchange_allocated_service(scope=OPERATOR, at=clock.now(), **options)


# --- FLX-1 per contract year ---------------------------------------------------------------------


def test_flx1_an_exchange_of_15000_in_year_1_of_a_two_year_eur_order_is_accepted(tailspin):
    """FLX-1: each year's cap (45,000 EUR) against that year's 30,000 leaves 15,000, in each year."""
    assert allocation("custom-proactive") == 60000  # both years' grants
    posted = exchange()
    assert posted.rule == "FLX-4"
    with pytest.raises(RuleViolation) as refused:  # the exact limit, then one more
        exchange(amount="1")
    assert refused.value.rule == "FLX-1"
    assert "only 0" in refused.value.message
    assert exchange(on=YEAR2).rule == "FLX-4"  # year 2 has its own room
    assert allocation("custom-proactive") == 90000
    assert verify_ledger(scope=OPERATOR).violations == []


# --- FLX-2: lapsed lots are never spent ----------------------------------------------------------


def test_flx2_a_year_2_exchange_does_not_draw_on_the_lapsed_year_1_lot(tailspin):
    """FLX-2: without `ledger expire`, a year-2 exchange takes year 2's lot; the service it buys is
    usable until the end of year 2 and is not forfeited; year 1's lot is, whole."""
    posted = exchange(to_service="hackathon", amount="20000", on=YEAR2)
    credit = next(e for e in posted.entries if e.amount > 0)
    assert credit.expires_on == date(2028, 12, 31)
    with pytest.raises(RuleViolation) as refused:  # year 2 has 150,000 left; year 1's 170,000 lapsed
        exchange(to_service="hackathon", amount="150001", on=YEAR2)
    assert refused.value.rule == "FLX-2"
    assert "usable on 2028-03-01" in refused.value.message
    assert "lapsed after 2027-12-31" in refused.value.message
    forfeited = expire_all(scope=OPERATOR, on=YEAR2, at=clock.now())
    by_service = {e.account.service: (e.amount, e.rule) for e in forfeited}
    assert by_service == {"workshop": (-170000, "FLX-2"), "custom-proactive": (-30000, "FLX-2")}
    assert allocation("hackathon") == 20000
    assert allocation("workshop") == 150000
    assert verify_ledger(scope=OPERATOR).violations == []


def _lapsing_grant(kind: AccountKind, quantity: Credits | Hours, service: str | None = None) -> None:
    """Post a year-1 grant bought with the allocation on the FR account (it lapses on 2027-12-31)."""
    facts = order_facts(number=ORDER)
    with transaction.atomic():
        rows = locks.lock([locks.account_row(facts, site="FR", kind=kind, service=service)])
        accounts = posting.keyed(facts, rows)
        (account,) = accounts
        ctx = posting.context(facts, at=clock.now(), actor="test")
        entries = ledger.grant(
            quantity, account=account, on=YEAR1, term=facts.term, ctx=ctx, funded_by_allocation=True
        )
        posting.write(entries, accounts=accounts)


def test_flx2_a_year_2_redemption_or_consumption_does_not_draw_on_a_lapsed_lot(tailspin):
    """FLX-2: credits and hours of year 1, not forfeited yet, are not redeemed nor consumed in year 2;
    the refusal says what is usable and what lapsed; what is usable is spent and the rest forfeited."""
    _lapsing_grant(AccountKind.CREDITS, Credits(100))
    _lapsing_grant(AccountKind.HOURS, Hours(10), "developer-assistance")
    redeem = {"order": ORDER, "site": "FR", "service": "workshop", "on": YEAR2}
    with pytest.raises(RuleViolation) as refused:  # 32 × 12.5 = 400 = 300 usable + 100 lapsed
        redeem_credits(scope=OPERATOR, at=clock.now(), command=Redemption.parse(quantity=32, **redeem))
    assert refused.value.rule == "FLX-2"
    assert (
        "holds 300 credits usable on 2028-03-01: 100 credits lapsed after 2027-12-31" in refused.value.message
    )
    hours = {"order": ORDER, "site": "FR", "service": "developer-assistance", "on": YEAR2}
    with pytest.raises(RuleViolation) as short:
        consume_hours(scope=OPERATOR, at=clock.now(), command=Consumption.parse(hours="45", **hours))
    assert short.value.rule == "FLX-2"
    assert (
        redeem_credits(scope=OPERATOR, at=clock.now(), command=Redemption.parse(quantity=24, **redeem))
        .entries[0]
        .amount
        == -300
    )
    assert (
        consume_hours(scope=OPERATOR, at=clock.now(), command=Consumption.parse(hours="40", **hours))
        .entries[0]
        .amount
        == -40
    )
    with pytest.raises(RuleViolation) as nothing_left:
        redeem_credits(scope=OPERATOR, at=clock.now(), command=Redemption.parse(quantity=1, **redeem))
    assert nothing_left.value.rule == "FLX-2"
    forfeited = expire_all(scope=OPERATOR, on=YEAR2, at=clock.now())
    assert sorted((e.account.kind, e.amount) for e in forfeited if e.account.kind != "allocation") == [
        ("credits", -100),
        ("hours", -10),
    ]


# --- the worker forfeits by itself (ORD-5, FLX-2) ------------------------------------------------


def test_flx2_ord5_the_worker_forfeits_what_lapsed_once_the_sites_day_has_begun(tailspin):
    """FLX-2: the worker forfeits year 1's allocation from 00:00 at the site (Paris), not before;
    a second pass the same day touches nothing, and a run by hand then forfeits nothing more."""
    before_midnight = dt.datetime(2027, 12, 31, 22, 30, tzinfo=dt.UTC)  # 23:30 in Paris
    assert ledger_worker.expire_due(now=before_midnight) == []
    after_midnight = dt.datetime(2027, 12, 31, 23, 30, tzinfo=dt.UTC)  # 00:30 on 1 January
    forfeited = ledger_worker.expire_due(now=after_midnight)
    assert sorted((e.account.service, e.amount, e.rule, e.effective_on) for e in forfeited) == [
        ("custom-proactive", -30000, "FLX-2", date(2028, 1, 1)),
        ("workshop", -170000, "FLX-2", date(2028, 1, 1)),
    ]
    assert {e.actor for e in forfeited} == {"system"}
    assert ledger_worker.expire_due(now=after_midnight + dt.timedelta(hours=1)) == []  # same day
    ledger_worker.forget()  # a restarted worker
    assert ledger_worker.expire_due(now=after_midnight + dt.timedelta(hours=2)) == []  # idempotent
    assert expire_all(scope=OPERATOR, on=date(2028, 1, 2), at=clock.now()) == []
    assert verify_ledger(scope=OPERATOR).violations == []


def test_ord5_unisupport_worker_forfeits_what_the_term_left_unused(tailspin):
    """ORD-5: `unisupport worker --once` after the end of the term forfeits every lot left, and says so."""
    run = unisupport("worker", "--once", "--no-send", "--now", "2029-01-01T08:00:00+01:00")
    assert run.exit_code == 0, run.stderr
    assert "processed 0 milestones" in run.stdout
    # FR and DE credits, the hours, and both years' custom proactive and workshop lots.
    assert "posted 7 forfeitures" in run.stdout
    rules = set(LedgerEntry.objects.filter(cause="expire:2029-01-01").values_list("rule", flat=True))
    assert rules == {"ORD-5", "FLX-2"}
    again = unisupport("worker", "--once", "--no-send", "--now", "2029-01-01T09:00:00+01:00")
    assert "posted 0 forfeitures" in again.stdout


# --- ORD-2: nothing is posted after the termination ----------------------------------------------

AFTER = date(2027, 7, 15)


@pytest.fixture
def terminated(tailspin) -> LedgerEntry:
    """Return a redemption made before the agreement was terminated on 2027-06-30 (ORD-2)."""
    paid = redeem_credits(
        scope=OPERATOR,
        at=clock.now(),
        command=Redemption.parse(order=ORDER, site="FR", service="workshop", quantity=2, on=YEAR1),
    ).entries[0]
    order_facts(number=ORDER, cached=True)  # this process holds the facts from before
    terminate_agreement(scope=OPERATOR, code="TAILSPIN-UNIFIED", on=date(2027, 6, 30))
    return paid


POSTINGS = {
    "redeem": lambda paid, on: redeem_credits(
        scope=OPERATOR,
        at=clock.now(),
        command=Redemption.parse(order=ORDER, site="FR", service="workshop", quantity=1, on=on),
    ),
    "consume hours": lambda paid, on: consume_hours(
        scope=OPERATOR,
        at=clock.now(),
        command=Consumption.parse(order=ORDER, site="FR", service="developer-assistance", hours="1", on=on),
    ),
    "exchange credits": lambda paid, on: exchange_credits(
        scope=OPERATOR, at=clock.now(), order=ORDER, from_site="FR", to_site="DE", credits=10, on=on
    ),
    "exchange allocated services": lambda paid, on: exchange(to_service="hackathon", amount="1000", on=on),
    "charge a cancellation fee": lambda paid, on: charge_cancellation(
        scope=OPERATOR, at=clock.now(), order=ORDER, site="FR", cost="1000", delivery=date(2027, 7, 20), on=on
    ),
    "cancel a delivery paid with credits": lambda paid, on: cancel_delivery(
        scope=OPERATOR, at=clock.now(), entry=paid.uid, delivery=date(2027, 7, 20), on=on
    ),
}


@pytest.mark.parametrize("kind", list(POSTINGS))
def test_ord2_every_posting_after_the_termination_is_refused_and_writes_nothing(terminated, kind):
    """ORD-2: after `order terminate --on 2027-06-30`, a posting dated 2027-07-15 is refused naming
    the date, whether or not `ledger expire` has run, and nothing is written."""
    written = LedgerEntry.objects.count()
    with pytest.raises(RuleViolation) as refused:
        POSTINGS[kind](terminated, AFTER)
    assert refused.value.rule == "ORD-2"
    assert "ended on 2027-06-30" in refused.value.message
    assert LedgerEntry.objects.count() == written


def test_ord2_the_terminated_day_itself_is_still_open(terminated):
    """ORD-2: the add-ons end the same day as the foundational package: that day is still theirs."""
    last_day = date(2027, 6, 30)
    assert POSTINGS["consume hours"](terminated, last_day).rule == "HRS-1"
    assert POSTINGS["redeem"](terminated, last_day).rule == "CRD-1"


def test_ord2_a_termination_another_process_made_is_seen_under_the_lock(terminated):
    """ORD-2: facts cached by this process before another process terminated the agreement (no signal
    reaches this one) are found stale under the account's lock, and the posting is refused."""
    stale = dataclass_replace(order_facts(number=ORDER), terminated_on=None)
    order_facts_module._facts[ORDER] = stale
    with pytest.raises(RuleViolation) as refused:
        POSTINGS["redeem"](terminated, AFTER)
    assert refused.value.rule == "ORD-2"
    order_facts_module._facts[ORDER] = stale
    with pytest.raises(RuleViolation):
        POSTINGS["consume hours"](terminated, AFTER)


def dataclass_replace(facts, **changes):
    import dataclasses

    return dataclasses.replace(facts, **changes)


def test_ord2_the_issues_case_on_the_command_line(demo_orders):
    """ORD-2: `order terminate … --on 2026-12-31`, then hours of the add-on consumed on 2027-01-15:
    refused (exit 1) naming ORD-2 and the date, in text and in JSON; the block is untouched."""
    assert unisupport("order", "terminate", "CONTOSO-UNIFIED", "--on", "2026-12-31").exit_code == 0
    consume = ("hours", "consume", "--order", "ESO-2026-001", "--site", "DE",
               "--service", "enhanced-designated-engineering", "--hours", "7.5", "--on", "2027-01-15")  # fmt: skip
    run = unisupport(*consume)
    assert run.exit_code == 1
    assert "ORD-2" in run.stderr
    assert "2026-12-31" in run.stderr
    refused = unisupport(*consume, "--json")
    assert refused.exit_code == 1
    assert refused.json()["error"]["rule"] == "ORD-2"
    block = LedgerAccount.objects.get(order__number="ESO-2026-001", site="DE", kind="hours")
    assert block.balance == 400
