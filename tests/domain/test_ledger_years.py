"""The flexible allocation across contract years (FLX-1, FLX-2) and postings after a termination (ORD-2).

Issue 11 §3–§4: FLX-1's cap holds per contract year; a lot past its last day is never spent,
whether or not its forfeiture was posted; nothing is posted after the agreement was terminated.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from unisupport.domain import ledger as lg
from unisupport.domain.allocation import custom_proactive_cap, custom_proactive_room
from unisupport.domain.errors import RuleViolation
from unisupport.domain.money import Credits, Money
from unisupport.domain.policy import default_policy_text, parse_policy
from unisupport.domain.rates import ExchangeRate
from unisupport.domain.service_exchange import exchange_service
from unisupport.domain.term import Term

TERM = Term(date(2027, 1, 1), date(2028, 12, 31))  # two contract years
YEAR1, YEAR2 = date(2027, 6, 1), date(2028, 3, 1)
CTX = lg.Context(actor="bob@vendor", at=datetime(2027, 6, 1, 9, tzinfo=UTC), order_version=1)
ORDER = "ESO-2027-020"
WORKSHOP = lg.Account(ORDER, "FR", lg.AccountKind.ALLOCATION, "workshop", "EUR")
CUSTOM = lg.Account(ORDER, "FR", lg.AccountKind.ALLOCATION, "custom-proactive", "EUR")
FR = lg.Account(ORDER, "FR", lg.AccountKind.CREDITS)
DE = lg.Account(ORDER, "DE", lg.AccountKind.CREDITS)


def yearly(account: lg.Account, amount: int) -> list[lg.Entry]:
    """Return the grants of ``amount`` bought with the allocation at the start of each contract year."""
    quantity = Money(Decimal(amount), "EUR") if account.currency else Credits(amount)
    return [
        entry
        for year in TERM.contract_years()
        for entry in lg.grant(
            quantity, account=account, on=year.start, term=TERM, ctx=CTX, funded_by_allocation=True
        )
    ]


def given(entries: list[lg.Entry]) -> list[tuple[date, Decimal]]:
    return [(e.expires_on or e.effective_on, e.amount) for e in entries if e.amount > 0]


# --- FLX-1 per contract year -----------------------------------------------------------------------


def test_flx1_the_custom_proactive_cap_holds_per_contract_year() -> None:
    """FLX-1, FLX-2: 200,000 EUR a year with 30,000 of custom proactive a year leaves 15,000 in each
    year (max(20 %, USD 50,000 at 0.9) = 45,000), not 0 from both years' grants added up."""
    policy = parse_policy(default_policy_text())
    cap = custom_proactive_cap(amount=Decimal(200000), currency="EUR", usd_rate=Decimal("0.9"), policy=policy)
    assert cap == Decimal(45000)
    grants = yearly(CUSTOM, 30000)
    assert custom_proactive_room(cap=cap, given=given(grants), term=TERM, on=YEAR1) == 15000
    assert custom_proactive_room(cap=cap, given=given(grants), term=TERM, on=YEAR2) == 15000
    moved = exchange_service(
        Decimal(15000),
        source=WORKSHOP,
        target=CUSTOM,
        source_entries=yearly(WORKSHOP, 50000)[:1],
        approved_by="SDM",
        eligible=True,
        custom_room=custom_proactive_room(cap=cap, given=given(grants), term=TERM, on=YEAR1),
        on=YEAR1,
        term=TERM,
        ctx=CTX,
    )
    after = given(grants + [e for e in moved if e.account == CUSTOM])
    assert custom_proactive_room(cap=cap, given=after, term=TERM, on=YEAR1) == 0  # the exact limit
    assert custom_proactive_room(cap=cap, given=after, term=TERM, on=YEAR2) == 15000


# --- FLX-2: a lapsed lot is never spent -----------------------------------------------------------


def test_flx2_a_year2_exchange_of_services_does_not_draw_on_the_lapsed_year1_lot() -> None:
    """FLX-2: year 1's 30,000 lapsed on 2027-12-31 (no `ledger expire` yet): a year-2 exchange takes
    year 2's lot, so what it buys lasts until 2028-12-31 and nothing of it is forfeited."""
    entries = yearly(WORKSHOP, 30000)
    assert lg.balance(entries) == 60000
    assert lg.usable_balance(entries, term=TERM, on=YEAR2) == 30000
    assert lg.usable_balance(entries, term=TERM, on=YEAR1) == 60000  # year 2's lot is already granted
    debit, *credits = exchange_service(
        Decimal(20000), source=WORKSHOP, target=CUSTOM, source_entries=entries, approved_by="SDM",
        eligible=True, custom_room=None, on=YEAR2, term=TERM, ctx=CTX,
    )  # fmt: skip
    assert [(c.amount, c.expires_on) for c in credits] == [(20000, date(2028, 12, 31))]
    entries.append(debit)
    assert lg.expire(credits, account=CUSTOM, term=TERM, on=date(2028, 6, 1), ctx=CTX) == []
    (forfeit,) = lg.expire(entries, account=WORKSHOP, term=TERM, on=YEAR2, ctx=CTX)
    assert (forfeit.amount, forfeit.rule, forfeit.forfeits) == (-30000, "FLX-2", entries[0].id)


def test_flx2_a_year2_exchange_beyond_what_year2_holds_is_refused_naming_the_lapse() -> None:
    """FLX-2: 30,000 is usable in year 2; asking 40,000 names the 30,000 that lapsed after 2027-12-31."""
    entries = yearly(WORKSHOP, 30000)
    with pytest.raises(RuleViolation) as refused:
        exchange_service(
            Decimal(40000), source=WORKSHOP, target=CUSTOM, source_entries=entries, approved_by="SDM",
            eligible=True, custom_room=None, on=YEAR2, term=TERM, ctx=CTX,
        )  # fmt: skip
    assert refused.value.rule == "FLX-2"
    assert (
        "holds 30,000.00 EUR usable on 2028-03-01: 30,000.00 EUR lapsed after 2027-12-31"
        in refused.value.message
    )
    with pytest.raises(RuleViolation) as beyond:  # more than both years: still, say what lapsed
        exchange_service(
            Decimal(70000), source=WORKSHOP, target=CUSTOM, source_entries=entries, approved_by="SDM",
            eligible=True, custom_room=None, on=YEAR2, term=TERM, ctx=CTX,
        )  # fmt: skip
    assert beyond.value.rule == "FLX-2"


def test_flx2_a_year2_credit_exchange_and_debit_skip_the_lapsed_year1_lot() -> None:
    """FLX-2, MC-7: allocation credits of year 1 (not forfeited yet) are not exchanged nor redeemed in year 2."""
    entries = yearly(FR, 100)
    rate = ExchangeRate("FR", "DE", date(2027, 1, 1), Decimal(1))
    debit, credit = lg.exchange_credits(
        Credits(60), source=FR, target=DE, host_site="FR", source_entries=entries, rate=rate,
        on=YEAR2, term=TERM, ctx=CTX,
    )  # fmt: skip
    assert credit.expires_on == date(2028, 12, 31)
    entries.append(debit)
    assert lg.usable_balance(entries, term=TERM, on=YEAR2) == 40
    with pytest.raises(RuleViolation) as refused:
        lg.refuse_lapsed(entries, Decimal(41), account=FR, term=TERM, on=YEAR2)
    assert refused.value.rule == "FLX-2"
    assert (
        "holds 40 credits usable on 2028-03-01: 100 credits lapsed after 2027-12-31" in refused.value.message
    )
    lg.refuse_lapsed(entries, Decimal(40), account=FR, term=TERM, on=YEAR2)  # covered: nothing to say
    (redeemed,) = lg.redeem_credits(Credits(40), Credits(40), account=FR, on=YEAR2, term=TERM, ctx=CTX)
    entries.append(redeemed)
    (forfeit,) = lg.expire(entries, account=FR, term=TERM, on=YEAR2, ctx=CTX)
    assert (forfeit.amount, forfeit.rule) == (-100, "FLX-2")  # year 1's lot, whole
    assert lg.usable_balance([*entries, forfeit], term=TERM, on=YEAR2) == 0


# --- ORD-2: nothing is posted after the termination ---------------------------------------------


def test_ord2_a_posting_after_the_terminated_date_is_refused_naming_it() -> None:
    """ORD-2: the last day of the foundational package is still open; the day after is refused."""
    assert lg.check_not_terminated(date(2026, 6, 30), terminated_on=date(2026, 6, 30)) == date(2026, 6, 30)
    assert lg.check_not_terminated(date(2026, 7, 15), terminated_on=None) == date(2026, 7, 15)
    with pytest.raises(RuleViolation) as refused:
        lg.check_not_terminated(date(2026, 7, 15), terminated_on=date(2026, 6, 30))
    assert (refused.value.rule, refused.value.field) == ("ORD-2", "on")
    assert "ended on 2026-06-30" in refused.value.message
    assert "2026-07-15" in refused.value.message
