"""The entitlements ledger (issue 4): CRD-1..4, HRS-1..2, MC-6..7, ORD-2, ORD-5, FLX-2, DEL-2..4.

The domain decides which entries to write; these tests play the persistence layer with a plain
list (``Book``): read the balance, call the operation, append what it returns.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unisupport.domain import ledger as lg
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.fees import cancellation_fee, reschedule_fee, vendor_cancellation
from unisupport.domain.money import Credits, Hours, Money
from unisupport.domain.rates import ExchangeRate, FeeKind
from unisupport.domain.term import Term, anniversary

TERM = Term(date(2027, 1, 1), date(2029, 12, 31))
ON = date(2027, 3, 1)
AT = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
CTX = lg.Context(actor="bob@vendor", at=AT, order_version=1, cause="test")
FR = lg.Account("ESO-2027-001", "FR", lg.AccountKind.CREDITS)
DE = lg.Account("ESO-2027-001", "DE", lg.AccountKind.CREDITS)
IT = lg.Account("ESO-2027-001", "IT", lg.AccountKind.CREDITS)
OTHER_ORDER_DE = lg.Account("ESO-2027-002", "DE", lg.AccountKind.CREDITS)
EDE = lg.Account("ESO-2027-001", "DE", lg.AccountKind.HOURS, "enhanced-designated-engineering")
FEES = lg.Account("ESO-2027-001", "FR", lg.AccountKind.MONEY, currency="EUR")
FR_DE = ExchangeRate("FR", "DE", date(2027, 1, 1), Decimal("0.95"), FeeKind.PERCENT, Decimal(2))


class Book:
    """The persistence layer in miniature: entries in the order written."""

    def __init__(self) -> None:
        self.entries: list[lg.Entry] = []

    def post(self, new: list[lg.Entry]) -> list[lg.Entry]:
        self.entries.extend(new)
        return new

    def of(self, account: lg.Account) -> list[lg.Entry]:
        return [e for e in self.entries if e.account == account]

    def credits(self, account: lg.Account) -> Credits:
        return Credits(lg.balance(self.entries, account=account))

    def hours(self, account: lg.Account) -> Hours:
        return Hours(lg.balance(self.entries, account=account))

    def grant(self, account: lg.Account, amount: int, **kw) -> lg.Entry:
        quantity = Hours(amount) if account.kind is lg.AccountKind.HOURS else Credits(amount)
        return self.post(lg.grant(quantity, account=account, on=kw.pop("on", ON), term=TERM, ctx=CTX, **kw))[
            0
        ]

    def redeem(self, account: lg.Account, cost: int, **kw) -> lg.Entry:
        on = kw.pop("on", ON)
        return self.post(
            lg.redeem_credits(
                self.credits(account), Credits(cost), account=account, on=on, term=TERM, ctx=CTX, **kw
            )
        )[0]

    def exchange(self, debited: int, source=FR, target=DE, rate=FR_DE, host="FR", on=ON) -> list[lg.Entry]:
        return self.post(
            lg.exchange_credits(
                Credits(debited), source=source, target=target, host_site=host,
                source_entries=self.of(source), rate=rate, on=on, term=TERM, ctx=CTX,
            )
        )  # fmt: skip

    def expire(self, account: lg.Account, on: date, **kw) -> list[lg.Entry]:
        return self.post(lg.expire(self.of(account), account=account, term=TERM, on=on, ctx=CTX, **kw))

    def verify(self) -> list[lg.Violation]:
        return lg.verify(lg.balances(self.entries), self.entries)


@pytest.fixture
def book() -> Book:
    return Book()


def exception(**changes) -> lg.CreditException:
    base = lg.CreditException(
        approved_by="carol@vendor (deal desk)",
        approved_at=datetime(2027, 2, 15, 14, 0, tzinfo=UTC),
        terms="invoice the shortfall at list price, net 30",
        reference="mail 2027-02-15 'CRD-3 approval'",
    )
    return dataclasses.replace(base, **changes)


# --- entries and accounts (CRD-4) -------------------------------------------------------------


def test_crd4_entries_are_immutable_and_carry_the_audit_trail(book: Book) -> None:
    """CRD-4: an entry records who, when, why, which rule and order version; it cannot be edited."""
    entry = book.grant(FR, 100)
    assert (entry.actor, entry.posted_at, entry.effective_on, entry.order_version, entry.cause) == (
        "bob@vendor", AT, ON, 1, "test",
    )  # fmt: skip
    assert entry.rule == "CRD-1"
    assert entry.credits == Credits(100)
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.amount = Decimal(1)  # type: ignore[misc]
    with pytest.raises(TypeError):
        _ = entry.hours


def test_crd4_entries_refuse_naive_instants_zero_amounts_and_missing_rules() -> None:
    """CRD-4: aware instants only, no empty entries, every entry names its rule."""
    good = {"id": "e1", "account": FR, "amount": Decimal(5), "posted_at": AT, "effective_on": ON,
            "actor": "bob", "reason": "r", "rule": "CRD-1", "order_version": 1}  # fmt: skip
    lg.Entry(**good)
    for field, value in [
        ("posted_at", datetime(2027, 3, 1, 9, 30)),  # noqa: DTZ001 - the naive value under test
        ("amount", Decimal(0)),
        ("amount", Decimal("1.5")),
        ("rule", ""),
        ("rule", "because"),
        ("effective_on", AT),
    ]:
        with pytest.raises(InvalidInput) as exc:
            lg.Entry(**{**good, field: value})
        assert exc.value.field == field
    with pytest.raises(InvalidInput) as exc:
        lg.Context(actor="bob", at=datetime(2027, 3, 1), order_version=1)  # noqa: DTZ001
    assert exc.value.field == "at"


def test_hrs1_accounts_are_keyed_by_order_site_kind_and_service() -> None:
    """HRS-1: an hour block names its service; credits are one balance per site (CRD-1)."""
    assert EDE.label == "ESO-2027-001/DE/hours/enhanced-designated-engineering"
    with pytest.raises(InvalidInput) as exc:
        lg.Account("ESO-1", "DE", lg.AccountKind.HOURS)
    assert exc.value.field == "service"
    with pytest.raises(InvalidInput) as exc:
        lg.Account("ESO-1", "DE", lg.AccountKind.CREDITS, "workshop")
    assert exc.value.field == "service"
    with pytest.raises(InvalidInput) as exc:
        lg.Account("ESO-1", "XX", lg.AccountKind.CREDITS)
    assert exc.value.field == "site"
    with pytest.raises(ValueError, match="currency"):
        lg.Account("ESO-1", "FR", lg.AccountKind.MONEY)


# --- grant -------------------------------------------------------------------------------------


def test_ord5_grant_lasts_until_the_end_of_the_term(book: Book) -> None:
    """ORD-5: what the order bought can be used until its expiry date."""
    assert book.grant(FR, 500).expires_on == TERM.end


def test_flx2_what_the_allocation_bought_lasts_its_contract_year(book: Book) -> None:
    """FLX-2: credits bought with the allocation in year 2 must be used by the end of year 2."""
    entry = book.grant(FR, 200, on=date(2028, 5, 1), funded_by_allocation=True)
    assert (entry.rule, entry.expires_on) == ("FLX-2", date(2028, 12, 31))
    pool = lg.Account("ESO-2027-001", "FR", lg.AccountKind.ALLOCATION, currency="USD")
    (granted,) = lg.grant(Money(Decimal(250000), "USD"), account=pool, on=TERM.start, term=TERM, ctx=CTX)
    assert (granted.rule, granted.expires_on, granted.money) == (
        "FLX-2",
        date(2027, 12, 31),
        Money(Decimal(250000), "USD"),
    )


def test_crd1_grant_refuses_bad_input() -> None:
    """CRD-1: whole, positive credits of the account's kind, on a date within the term."""
    cases = [
        (Credits(Decimal("2.5")), FR, ON, "quantity"),
        (Credits(-5), FR, ON, "quantity"),
        (Hours(5), FR, ON, "quantity"),
        (Money(Decimal(5), "USD"), FR, ON, "quantity"),
        (Credits(5), FR, date(2030, 1, 1), "on"),
        (Money(Decimal(5), "EUR"), FEES, ON, "account"),
    ]
    for quantity, account, on, field in cases:
        with pytest.raises(InvalidInput) as exc:
            lg.grant(quantity, account=account, on=on, term=TERM, ctx=CTX)
        assert exc.value.field == field, (quantity, account)


# --- contract years (FLX-2) --------------------------------------------------------------------


def test_flx2_contract_years_are_anniversaries_of_the_start() -> None:
    """FLX-2: a term from 15 Mar 2027 to 14 Mar 2030 has three contract years; a longer tail is cut."""
    years = Term(date(2027, 3, 15), date(2030, 3, 14)).contract_years()
    assert [(y.index, y.start, y.end) for y in years] == [
        (1, date(2027, 3, 15), date(2028, 3, 14)),
        (2, date(2028, 3, 15), date(2029, 3, 14)),
        (3, date(2029, 3, 15), date(2030, 3, 14)),
    ]
    short = Term(date(2027, 3, 15), date(2028, 6, 30)).contract_years()
    assert [(y.start, y.end) for y in short] == [
        (date(2027, 3, 15), date(2028, 3, 14)),
        (date(2028, 3, 15), date(2028, 6, 30)),
    ]
    assert TERM.contract_year(date(2028, 12, 31)).index == 2


def test_flx2_contract_years_from_29_february() -> None:
    """FLX-2: a 29 Feb start has its anniversary on 28 Feb in common years, back to 29 Feb in leap years."""
    assert anniversary(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)
    years = Term(date(2024, 2, 29), date(2028, 2, 28)).contract_years()
    assert [(y.start, y.end) for y in years] == [
        (date(2024, 2, 29), date(2025, 2, 27)),
        (date(2025, 2, 28), date(2026, 2, 27)),
        (date(2026, 2, 28), date(2027, 2, 27)),
        (date(2027, 2, 28), date(2028, 2, 28)),
    ]
    with pytest.raises(InvalidInput) as exc:
        Term(date(2027, 1, 1), date(2026, 12, 31))
    assert exc.value.field == "term.end"


# --- redeem (CRD-1..3) -------------------------------------------------------------------------


def test_crd1_redeeming_debits_the_cost(book: Book) -> None:
    """CRD-1: redeeming 38 credits from 100 leaves 62."""
    book.grant(FR, 100)
    entry = book.redeem(FR, 38)
    assert (entry.amount, entry.rule, entry.exception) == (Decimal(-38), "CRD-1", None)
    assert book.credits(FR) == Credits(62)


def test_crd2_short_balance_is_refused(book: Book) -> None:
    """CRD-2: 30 credits cannot pay 38; more must be bought first, and nothing is written."""
    book.grant(FR, 30)
    with pytest.raises(RuleViolation) as exc:
        book.redeem(FR, 38)
    assert exc.value.rule == "CRD-2"
    assert book.credits(FR) == Credits(30)


def test_crd1_redemption_refuses_dates_outside_the_term_and_bad_costs(book: Book) -> None:
    """CRD-1: the redemption date is within the term; the cost is positive whole credits."""
    book.grant(FR, 100)
    with pytest.raises(InvalidInput) as exc:
        book.redeem(FR, 10, on=date(2030, 1, 1))
    assert exc.value.field == "on"
    for bad in (Credits(0), Credits(-3), Credits(Decimal("2.5"))):
        with pytest.raises(InvalidInput) as exc:
            lg.redeem_credits(Credits(100), bad, account=FR, on=ON, term=TERM, ctx=CTX)
        assert exc.value.field == "cost"


def test_crd3_approved_exception_allows_scheduling_on_too_few_credits(book: Book) -> None:
    """CRD-3: active agreement, > 90 days left, approved in writing before delivery: recorded on the entry."""
    book.grant(FR, 30)
    approval = exception()
    entry = book.redeem(FR, 38, exception=approval, delivery_on=date(2027, 4, 1))
    assert (entry.rule, entry.exception) == ("CRD-3", approval)
    assert (entry.exception.approved_by, entry.exception.approved_on, entry.exception.terms) == (
        "carol@vendor (deal desk)", date(2027, 2, 15), "invoice the shortfall at list price, net 30",
    )  # fmt: skip
    assert book.credits(FR) == Credits(-8)
    assert book.verify() == []


def test_crd3_an_exception_is_not_used_when_the_balance_suffices(book: Book) -> None:
    """CRD-3: the exception is only for a short balance; a covered redemption is plain CRD-1."""
    book.grant(FR, 100)
    assert book.redeem(FR, 38, exception=exception(), delivery_on=date(2027, 4, 1)).rule == "CRD-1"


@pytest.mark.parametrize(
    ("changes", "delivery_on", "why"),
    [
        ({"approved_at": datetime(2029, 10, 2, tzinfo=UTC)}, date(2029, 11, 1), "90 days"),  # exactly 90 left
        ({"in_writing": False}, date(2027, 4, 1), "writing"),
        ({"agreement_active": False}, date(2027, 4, 1), "active"),
        ({"approved_at": datetime(2027, 4, 1, 8, 0, tzinfo=UTC)}, date(2027, 5, 1), "did not exist yet"),
        ({}, date(2027, 2, 15), "before delivery"),  # approved on the delivery day
        ({"credit_limit": Decimal(5)}, date(2027, 4, 1), "at most 5"),  # 30 − 38 = −8 < −5
    ],
    ids=[
        "90-days-left",
        "not-in-writing",
        "inactive-agreement",
        "approved-later",
        "not-before-delivery",
        "beyond-limit",
    ],
)
def test_crd3_invalid_exceptions_are_refused(book: Book, changes: dict, delivery_on: date, why: str) -> None:
    """CRD-3: each condition of the exception is checked; a failed one is refused with CRD-3."""
    book.grant(FR, 30)
    on = date(2029, 10, 2) if "approved_at" in changes and changes["approved_at"].year == 2029 else ON
    with pytest.raises(RuleViolation) as exc:
        book.redeem(FR, 38, exception=exception(**changes), delivery_on=delivery_on, on=on)
    assert exc.value.rule == "CRD-3"
    assert why in exc.value.message
    assert book.credits(FR) == Credits(30)


def test_crd3_91_days_left_is_enough(book: Book) -> None:
    """CRD-3: "more than 90 days": 91 days left on the approval date qualifies (90 does not)."""
    book.grant(FR, 30)
    approval = exception(approved_at=datetime(2029, 10, 1, tzinfo=UTC))
    assert TERM.days_left(approval.approved_on) == 91
    entry = book.redeem(FR, 38, exception=approval, delivery_on=date(2029, 11, 1), on=date(2029, 10, 1))
    assert entry.rule == "CRD-3"


def test_crd3_needs_the_delivery_date(book: Book) -> None:
    """CRD-3: "before delivery" cannot be checked without the delivery date."""
    book.grant(FR, 30)
    with pytest.raises(InvalidInput) as exc:
        book.redeem(FR, 38, exception=exception())
    assert exc.value.field == "delivery_on"


# --- hours (HRS-1, HRS-2) ----------------------------------------------------------------------


def test_hrs1_hours_are_deducted_as_delivered(book: Book) -> None:
    """HRS-1: 7.5 hours of EDE from a 40-hour block leave 32.5."""
    book.grant(EDE, 40)
    (entry,) = book.post(
        lg.consume_hours(book.hours(EDE), Hours(Decimal("7.5")), account=EDE, on=ON, term=TERM, ctx=CTX)
    )
    assert (entry.hours, entry.rule) == (Hours(Decimal("-7.5")), "HRS-1")
    assert book.hours(EDE) == Hours(Decimal("32.5"))


def test_hrs2_an_hour_block_cannot_be_overdrawn(book: Book) -> None:
    """HRS-2: 8 hours cannot come out of 7.5; exactly 7.5 can."""
    book.grant(EDE, 8)
    book.post(
        lg.consume_hours(book.hours(EDE), Hours(Decimal("0.5")), account=EDE, on=ON, term=TERM, ctx=CTX)
    )
    with pytest.raises(RuleViolation) as exc:
        lg.consume_hours(book.hours(EDE), Hours(8), account=EDE, on=ON, term=TERM, ctx=CTX)
    assert exc.value.rule == "HRS-2"
    book.post(
        lg.consume_hours(book.hours(EDE), Hours(Decimal("7.5")), account=EDE, on=ON, term=TERM, ctx=CTX)
    )
    assert book.hours(EDE) == Hours(0)


def test_hrs1_consumption_refuses_bad_input(book: Book) -> None:
    """HRS-1: positive hours (at most hundredths), of an hours account, within the term."""
    for hours, account, on, field in [
        (Hours(0), EDE, ON, "hours"),
        (Hours(Decimal("0.125")), EDE, ON, "hours"),
        (Credits(1), EDE, ON, "hours"),
        (Hours(1), EDE, date(2026, 12, 31), "on"),
    ]:
        with pytest.raises(InvalidInput) as exc:
            lg.consume_hours(Hours(10), hours, account=account, on=on, term=TERM, ctx=CTX)  # type: ignore[arg-type]
        assert exc.value.field == field


# --- exchange (MC-6, MC-7) ---------------------------------------------------------------------


def test_mc7_exchange_100_fr_credits_gives_93_de_credits_recording_both_sites(book: Book) -> None:
    """MC-7: round-half-up(100 × 0.95 × 0.98) = 93; both entries record the sites, rate and fee."""
    book.grant(FR, 150)
    debit, credit = book.exchange(100)
    assert (debit.account, debit.amount, credit.account, credit.amount) == (FR, -100, DE, 93)
    for entry in (debit, credit):
        assert entry.rule == "MC-7"
        assert entry.exchange == FR_DE
        assert (entry.exchange.from_site, entry.exchange.to_site, entry.exchange.rate, entry.exchange.fee) == (
            "FR", "DE", Decimal("0.95"), Decimal(2),
        )  # fmt: skip
    assert (debit.linked, credit.linked) == (credit.id, debit.id)
    assert (book.credits(FR), book.credits(DE)) == (Credits(50), Credits(93))
    assert book.verify() == []


def test_mc6_exchange_across_orders_is_refused(book: Book) -> None:
    """MC-6: credits never move from one order to another."""
    book.grant(FR, 150)
    with pytest.raises(RuleViolation) as exc:
        book.exchange(100, target=OTHER_ORDER_DE)
    assert exc.value.rule == "MC-6"


def test_mc6_exchange_is_between_the_host_and_a_downstream_site(book: Book) -> None:
    """MC-6: with FR as host, DE → IT (two downstream sites) is refused; FR → DE and DE → FR are allowed."""
    book.grant(DE, 150)
    de_it = ExchangeRate("DE", "IT", date(2027, 1, 1), Decimal(1))
    with pytest.raises(RuleViolation) as exc:
        book.exchange(10, source=DE, target=IT, rate=de_it, host="FR")
    assert exc.value.rule == "MC-6"
    de_fr = ExchangeRate("DE", "FR", date(2027, 1, 1), Decimal("1.05"))
    assert [e.amount for e in book.exchange(10, source=DE, target=FR, rate=de_fr, host="FR")] == [
        -10,
        11,
    ]  # 10.5 → 11


def test_mc7_exchange_refuses_a_short_balance_a_wrong_rate_and_a_null_result(book: Book) -> None:
    """MC-7, CRD-4: no exchange beyond the balance, at another pair's or a future rate, or crediting nothing."""
    book.grant(FR, 50)
    with pytest.raises(RuleViolation) as exc:
        book.exchange(100)
    assert exc.value.rule == "CRD-4"
    with pytest.raises(InvalidInput) as exc:
        book.exchange(10, rate=ExchangeRate("FR", "IT", date(2027, 1, 1), Decimal(1)))
    assert exc.value.field == "rate"
    with pytest.raises(InvalidInput) as exc:
        book.exchange(10, rate=dataclasses.replace(FR_DE, effective_from=date(2027, 6, 1)))
    assert exc.value.field == "rate"
    flat = ExchangeRate("FR", "DE", date(2027, 1, 1), Decimal("0.95"), FeeKind.FLAT, Decimal(5))
    with pytest.raises(RuleViolation) as exc:
        book.exchange(5, rate=flat)
    assert exc.value.rule == "MC-7"
    with pytest.raises(InvalidInput) as exc:
        book.exchange(10, target=lg.Account("ESO-2027-001", "FR", lg.AccountKind.CREDITS))
    assert exc.value.field == "to"
    assert book.credits(FR) == Credits(50)


def test_flx2_exchanged_credits_keep_their_contract_year(book: Book) -> None:
    """FLX-2, MC-7: an exchange does not extend allocation credits; the credit splits by last day of use."""
    book.grant(FR, 100, funded_by_allocation=True)  # usable until 2027-12-31
    book.grant(FR, 50)  # until the end of the term
    debit, *credits = book.exchange(120)  # 120 × 0.931 = 111.72 → 112 = 93 + 19 (100:20)
    assert debit.amount == -120
    assert [(c.amount, c.expires_on) for c in credits] == [(93, date(2027, 12, 31)), (19, TERM.end)]
    assert book.verify() == []
    forfeited = book.expire(DE, date(2028, 1, 1))
    assert [(e.amount, e.rule) for e in forfeited] == [(-93, "FLX-2")]


# --- expiry (ORD-5, FLX-2, ORD-2) --------------------------------------------------------------


def test_ord5_unused_credits_are_forfeited_after_the_term_and_expiry_is_idempotent(book: Book) -> None:
    """ORD-5: what is left after the expiry date is forfeited by an entry; a second run adds nothing."""
    lot = book.grant(FR, 100)
    book.redeem(FR, 38)
    assert book.expire(FR, TERM.end) == []  # still usable on the last day
    (forfeit,) = book.expire(FR, TERM.end + timedelta(days=1))
    assert (forfeit.amount, forfeit.rule, forfeit.forfeits, forfeit.effective_on) == (
        -62,
        "ORD-5",
        lot.id,
        date(2030, 1, 1),
    )
    assert book.expire(FR, date(2030, 6, 1)) == []
    assert book.credits(FR) == Credits(0)
    assert book.verify() == []


def test_flx2_allocation_credits_expire_at_the_end_of_each_contract_year_idempotently(book: Book) -> None:
    """FLX-2: year-1 allocation credits lapse on 1 Jan 2028; ordinary credits stay; re-running adds nothing."""
    book.grant(FR, 100, funded_by_allocation=True)
    book.grant(FR, 40)
    book.redeem(FR, 30)  # first-expiring first: taken from the allocation's lot
    (forfeit,) = book.expire(FR, date(2028, 1, 1))
    assert (forfeit.amount, forfeit.rule) == (-70, "FLX-2")
    assert book.expire(FR, date(2028, 1, 1)) == []
    assert book.expire(FR, date(2028, 1, 2)) == []
    assert book.credits(FR) == Credits(40)
    year2 = book.grant(FR, 60, on=date(2028, 2, 1), funded_by_allocation=True)
    (second,) = book.expire(FR, date(2029, 1, 1))
    assert (second.amount, second.forfeits) == (-60, year2.id)


def test_flx2_expiry_ids_are_deterministic(book: Book) -> None:
    """FLX-2: two runs racing on the same state decide the same entry id (the database keeps one)."""
    book.grant(FR, 100, funded_by_allocation=True)
    first = lg.expire(book.of(FR), account=FR, term=TERM, on=date(2028, 1, 1), ctx=CTX)
    second = lg.expire(book.of(FR), account=FR, term=TERM, on=date(2028, 3, 1), ctx=CTX)
    assert [e.id for e in first] == [e.id for e in second]


def test_ord2_termination_of_foundational_forfeits_add_ons_without_refund(book: Book) -> None:
    """ORD-2: the foundational package ending early ends the add-ons the same day; what is left is forfeited."""
    book.grant(EDE, 40)
    assert book.expire(EDE, date(2028, 6, 30), terminated_on=date(2028, 6, 30)) == []
    (forfeit,) = book.expire(EDE, date(2028, 7, 1), terminated_on=date(2028, 6, 30))
    assert (forfeit.amount, forfeit.rule, forfeit.effective_on) == (-40, "ORD-2", date(2028, 7, 1))


def test_ord5_a_refund_after_expiry_is_forfeited_again(book: Book) -> None:
    """ORD-5, DEL-2: a refund put back into a lot that has lapsed lapses too on the next run."""
    book.grant(FR, 100, funded_by_allocation=True)
    paid = book.redeem(FR, 40)
    book.expire(FR, date(2028, 1, 1))
    fee = cancellation_fee(Credits(40), delivery=date(2028, 1, 12), on=date(2028, 1, 2))  # 10 days: 50 %
    book.post(lg.post_cancellation(fee, paid=paid, ctx=CTX, on=date(2028, 1, 2), existing=book.of(FR)))
    (again,) = book.expire(FR, date(2028, 1, 3))
    assert again.amount == -20
    assert book.credits(FR) == Credits(0)
    assert book.verify() == []


def test_crd3_a_refund_during_an_overdraft_repays_it_before_anything_can_lapse(book: Book) -> None:
    """CRD-3, ORD-5: credits returned while the balance is below zero repay the overdraft first, so
    a later expiry never forfeits them and never takes the balance further below zero."""
    book.grant(FR, 30, funded_by_allocation=True)
    first = book.redeem(FR, 20)
    book.redeem(FR, 38, exception=exception(), delivery_on=date(2027, 4, 1))  # −28
    fee = cancellation_fee(Credits(20), delivery=date(2027, 4, 1), on=ON)  # 31 days: all back
    book.post(lg.post_cancellation(fee, paid=first, ctx=CTX, on=ON, existing=book.of(FR)))
    assert book.credits(FR) == Credits(-8)
    assert book.expire(FR, date(2028, 1, 1)) == []
    assert book.verify() == []


def test_ord5_money_owed_never_expires(book: Book) -> None:
    """ORD-5 concerns services: money owed is not forfeited."""
    book.post(lg.charge(Money(Decimal(300), "EUR"), account=FEES, on=ON, ctx=CTX, rule="DEL-5"))
    assert book.expire(FEES, date(2031, 1, 1)) == []


# --- compensation (CRD-4) ----------------------------------------------------------------------


def test_crd4_a_correction_is_a_compensating_entry(book: Book) -> None:
    """CRD-4: a wrong redemption is cancelled by an opposite entry pointing at it, never edited."""
    book.grant(FR, 100)
    wrong = book.redeem(FR, 38)
    (fix,) = book.post(lg.compensate(wrong, reason="wrong service", ctx=CTX, on=ON, existing=book.of(FR)))
    assert (fix.amount, fix.compensates, fix.rule) == (Decimal(38), wrong.id, "CRD-4")
    assert "wrong service" in fix.reason
    assert book.credits(FR) == Credits(100)
    with pytest.raises(RuleViolation) as exc:
        lg.compensate(wrong, reason="again", ctx=CTX, on=ON, existing=book.of(FR))
    assert exc.value.rule == "CRD-4"
    with pytest.raises(InvalidInput) as exc:
        lg.compensate(wrong, reason=" ", ctx=CTX, on=ON)
    assert exc.value.field == "reason"
    assert book.verify() == []


def test_crd4_a_correction_cannot_take_the_balance_below_zero(book: Book) -> None:
    """CRD-4: cancelling a grant whose credits were used would go below zero: refused."""
    grant = book.grant(FR, 100)
    book.redeem(FR, 80)
    with pytest.raises(RuleViolation) as exc:
        lg.compensate(grant, reason="duplicate import", ctx=CTX, on=ON, balance=book.credits(FR).amount)
    assert exc.value.rule == "CRD-4"


# --- fees posted to what paid (DEL-2..4) -------------------------------------------------------


def test_del2_the_refund_goes_back_to_the_credits_that_paid(book: Book) -> None:
    """DEL-2 Product rule: a 38-credit workshop cancelled 10 days ahead keeps 19 and returns 19."""
    book.grant(FR, 100)
    paid = book.redeem(FR, 38)
    fee = cancellation_fee(paid.credits.__neg__(), delivery=date(2027, 3, 20), on=date(2027, 3, 10))
    (back,) = book.post(
        lg.post_cancellation(fee, paid=paid, ctx=CTX, on=date(2027, 3, 10), existing=book.of(FR))
    )
    assert (back.amount, back.refunds, back.rule) == (Decimal(19), paid.id, "DEL-2")
    assert book.credits(FR) == Credits(81)
    with pytest.raises(RuleViolation) as exc:  # a second refund would return more than was paid
        lg.post_cancellation(fee, paid=paid, ctx=CTX, on=date(2027, 3, 11), existing=book.of(FR))
    assert exc.value.rule == "CRD-4"


def test_del4_vendor_cancellation_returns_every_credit(book: Book) -> None:
    """DEL-4 Product rule: too few registrations: the 38 credits come back."""
    book.grant(FR, 100)
    paid = book.redeem(FR, 38)
    (back,) = book.post(lg.post_cancellation(vendor_cancellation(Credits(38)), paid=paid, ctx=CTX, on=ON))
    assert (back.amount, back.rule) == (Decimal(38), "DEL-4")


def test_del2_money_paid_is_refunded_by_a_negative_charge(book: Book) -> None:
    """DEL-2: a service invoiced 12,000 EUR and cancelled 10 days ahead: 6,000 is credited back."""
    (paid,) = book.post(lg.charge(Money(Decimal(12000), "EUR"), account=FEES, on=ON, ctx=CTX, rule="ORD-9"))
    fee = cancellation_fee(paid.money, delivery=date(2027, 3, 20), on=date(2027, 3, 10))
    (back,) = book.post(lg.post_cancellation(fee, paid=paid, ctx=CTX, on=date(2027, 3, 10)))
    assert back.money == Money(Decimal(-6000), "EUR")
    assert lg.balance(book.entries, account=FEES) == Decimal(6000)
    with pytest.raises(InvalidInput) as exc:
        lg.post_cancellation(cancellation_fee(Credits(10), delivery=ON, on=ON), paid=paid, ctx=CTX, on=ON)
    assert exc.value.field == "refund"


def test_del3_a_paid_reschedule_fee_is_taken_from_what_paid(book: Book) -> None:
    """DEL-3: the second move of a 40-credit delivery 10 days ahead costs 20 more credits (DEL-2);
    the first move is free and posts nothing; a fee beyond the balance is refused (CRD-2, HRS-2)."""
    book.grant(FR, 60)
    book.redeem(FR, 40)
    free = reschedule_fee(Credits(40), delivery=date(2027, 3, 11), on=ON, previous_reschedules=0)
    assert lg.charge_fee(free, account=FR, balance=book.credits(FR).amount, ctx=CTX, on=ON) == []
    second = reschedule_fee(Credits(40), delivery=date(2027, 3, 11), on=ON, previous_reschedules=1)
    (fee,) = book.post(lg.charge_fee(second, account=FR, balance=book.credits(FR).amount, ctx=CTX, on=ON))
    assert (fee.amount, fee.rule) == (Decimal(-20), "DEL-2")
    with pytest.raises(RuleViolation) as exc:
        lg.charge_fee(second, account=FR, balance=book.credits(FR).amount, ctx=CTX, on=ON)
    assert exc.value.rule == "CRD-2"
    late = cancellation_fee(Hours(8), delivery=ON, on=ON)
    with pytest.raises(RuleViolation) as exc:
        lg.charge_fee(late, account=EDE, balance=Decimal(4), ctx=CTX, on=ON)
    assert exc.value.rule == "HRS-2"
    (owed,) = lg.charge_fee(
        cancellation_fee(Money(Decimal(900), "EUR"), delivery=ON, on=ON),
        account=FEES,
        balance=Decimal(0),
        ctx=CTX,
        on=ON,
    )
    assert owed.money == Money(Decimal(900), "EUR")


# --- balance and verify ------------------------------------------------------------------------


def test_crd4_balance_is_the_sum_of_entries(book: Book) -> None:
    """CRD-4: a balance is the sum of its entries; mixing accounts needs naming one."""
    book.grant(FR, 100)
    book.grant(DE, 10)
    book.redeem(FR, 38)
    assert lg.balances(book.entries) == {FR: Decimal(62), DE: Decimal(10)}
    with pytest.raises(InvalidInput):
        lg.balance(book.entries)


def test_crd4_verify_catches_a_corrupted_running_balance(book: Book) -> None:
    """CRD-4: ``ledger verify`` reports a running balance that differs from the sum of entries."""
    book.grant(FR, 100)
    book.redeem(FR, 38)
    accounts = {FR: Decimal(62)}
    assert lg.verify(accounts, book.entries) == []
    (violation,) = lg.verify({FR: Decimal(63)}, book.entries)
    assert (violation.rule, violation.account) == ("CRD-4", FR)
    assert "63" in violation.message
    assert "62" in violation.message
    assert violation.as_dict()["account"] == "ESO-2027-001/FR/credits"


def test_crd4_verify_catches_a_balance_below_zero_without_exception(book: Book) -> None:
    """CRD-4, HRS-2: an entry taking a balance below zero without a CRD-3 exception is reported."""
    book.grant(FR, 10)
    bad = lg.Entry(str(1), FR, Decimal(-20), AT, ON, "mallory", "forced", "CRD-1", 1)
    hours = lg.Entry(str(2), EDE, Decimal(-1), AT, ON, "mallory", "forced", "HRS-1", 1)
    rules = [v.rule for v in lg.verify(lg.balances([*book.entries, bad, hours]), [*book.entries, bad, hours])]
    assert rules == ["CRD-4", "HRS-2"]


def test_crd4_verify_checks_rules_ids_references_and_exchanges(book: Book) -> None:
    """CRD-4, MC-6, MC-7: unknown rules, duplicate ids, dangling or repeated corrections, wrong exchanges."""
    grant = book.grant(FR, 100)
    debit, credit = book.exchange(50)
    forged = [
        dataclasses.replace(grant),  # the same id twice
        dataclasses.replace(grant, id="c1", amount=Decimal(-100), compensates=grant.id, rule="CRD-4"),
        dataclasses.replace(grant, id="c2", amount=Decimal(100), compensates="nowhere", rule="CRD-4"),
        dataclasses.replace(credit, id="x1", account=OTHER_ORDER_DE, amount=Decimal(1)),
        dataclasses.replace(grant, id="z9", rule="ZZZ-9"),
    ]
    entries = [*book.entries, *forged]
    found = lg.verify(lg.balances(entries), entries, known_rules={"CRD-1", "CRD-4", "MC-7"})
    messages = {(v.rule, v.entry): v.message for v in found}
    assert ("CRD-4", grant.id) in messages  # written twice
    assert ("CRD-4", "z9") in messages  # unknown rule
    assert ("CRD-4", "c2") in messages  # compensates nothing
    assert ("MC-6", "x1") in messages  # exchange across orders
    assert ("MC-7", debit.id) in messages  # 46 + 1 credited where the rate gives 46
    assert ("CRD-4", "nowhere") not in messages


def test_crd3_verify_accepts_an_exception_within_its_limit(book: Book) -> None:
    """CRD-3: below zero under an approved exception is fine, beyond its limit is reported."""
    book.grant(FR, 30)
    book.redeem(FR, 38, exception=exception(credit_limit=Decimal(10)), delivery_on=date(2027, 4, 1))
    assert book.verify() == []
    beyond = lg.Entry(
        "b",
        FR,
        Decimal(-5),
        AT,
        ON,
        "mallory",
        "forced",
        "CRD-3",
        1,
        exception=exception(credit_limit=Decimal(10)),
    )
    (violation,) = lg.verify(lg.balances([*book.entries, beyond]), [*book.entries, beyond])
    assert violation.rule == "CRD-3"


# --- property: any sequence of accepted operations ---------------------------------------------

operations = st.lists(
    st.one_of(
        st.tuples(st.just("grant"), st.sampled_from([FR, DE]), st.integers(1, 200), st.booleans()),
        st.tuples(st.just("redeem"), st.sampled_from([FR, DE]), st.integers(1, 150), st.booleans()),
        st.tuples(st.just("exchange"), st.sampled_from([FR, DE]), st.integers(1, 150), st.booleans()),
        st.tuples(st.just("hours"), st.just(EDE), st.integers(1, 20), st.booleans()),
        st.tuples(st.just("compensate"), st.sampled_from([FR, DE, EDE]), st.integers(0, 50), st.booleans()),
        st.tuples(st.just("refund"), st.sampled_from([FR, DE]), st.integers(0, 50), st.integers(-5, 20)),
        st.tuples(st.just("expire"), st.sampled_from([FR, DE, EDE]), st.integers(0, 1200), st.booleans()),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_crd4_hrs2_property_no_balance_below_zero_without_an_exception(ops: list[tuple]) -> None:
    """CRD-4, HRS-2, MC-7, ORD-5 (property): whatever operations are accepted, in any order, no balance
    goes below zero without a CRD-3 exception, ``verify`` finds nothing and expiry is idempotent."""
    book = Book()
    rates = {("FR", "DE"): FR_DE, ("DE", "FR"): ExchangeRate("DE", "FR", date(2027, 1, 1), Decimal("1.05"))}
    day = ON
    for op, account, n, flag in ops:
        day = min(day + timedelta(days=7), TERM.end)
        try:
            if op == "grant":
                book.grant(account, n, on=day, funded_by_allocation=flag)
            elif op == "redeem":
                kw = (
                    {
                        "exception": exception(credit_limit=Decimal(50)),
                        "delivery_on": day + timedelta(days=30),
                    }
                    if flag
                    else {}
                )
                book.redeem(account, n, on=day, **kw)
            elif op == "exchange":
                target = DE if account == FR else FR
                book.exchange(
                    n, source=account, target=target, rate=rates[(account.site, target.site)], on=day
                )
            elif op == "hours":
                grant_first = book.hours(EDE).amount < n and flag
                if grant_first:
                    book.grant(EDE, n, on=day)
                book.post(
                    lg.consume_hours(book.hours(EDE), Hours(n), account=EDE, on=day, term=TERM, ctx=CTX)
                )
            elif op == "compensate" and book.of(account):
                target = book.of(account)[n % len(book.of(account))]
                book.post(
                    lg.compensate(
                        target,
                        reason="fix",
                        ctx=CTX,
                        on=day,
                        balance=lg.balance(book.of(account)),
                        existing=book.of(account),
                    )
                )
            elif op == "refund":
                debits = [e for e in book.of(account) if e.amount < 0 and e.forfeits is None]
                if debits:
                    paid = debits[n % len(debits)]
                    fee = cancellation_fee(Credits(-paid.amount), delivery=day + timedelta(days=flag), on=day)
                    book.post(
                        lg.post_cancellation(fee, paid=paid, ctx=CTX, on=day, existing=book.of(account))
                    )
            elif op == "expire":
                book.expire(account, TERM.start + timedelta(days=n))
        except (RuleViolation, InvalidInput):
            pass  # refused: nothing written
        assert book.verify() == [], (op, account, n, flag)
        for acc, value in lg.balances(book.entries).items():
            if value < 0:
                assert acc.kind is lg.AccountKind.CREDITS
                assert any(e.exception for e in book.of(acc)), acc
    for account in (FR, DE, EDE):
        book.expire(account, TERM.end + timedelta(days=1))
        assert book.expire(account, TERM.end + timedelta(days=2)) == []
        assert lg.balance(book.of(account)) <= 0  # everything left was forfeited (or is owed, CRD-3)
