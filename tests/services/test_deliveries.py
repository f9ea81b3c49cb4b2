"""Proactive deliveries on Contoso's ESO-2026-001 (FR host, term 2026-07-01 to 2027-06-30), paid from
its entitlements: DEL-1..DEL-4, DEL-8, CRD-1/CRD-2, HRS-1/HRS-2, ORD-1, SEV-7's calendar.

The FR rate card from 2027-01-01 prices a workshop participant at 12.5 credits (tests/ledger_support).
"""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest

from tests.scopes import OPERATOR
from unisupport.accounts.scope import scope_of
from unisupport.deliveries import services
from unisupport.deliveries.models import Delivery
from unisupport.domain.deliveries import CancelledBy, DeliveryRequest
from unisupport.domain.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from unisupport.ledger.models import LedgerAccount
from unisupport.ledger.selectors import verify_ledger

pytestmark = pytest.mark.django_db

ORDER = "ESO-2026-001"
JAN_4 = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)


def credits(site: str = "FR") -> int:
    return int(LedgerAccount.objects.get(order__number=ORDER, site=site, kind="credits").balance)


def hours(service: str = "enhanced-designated-engineering") -> float:
    return float(
        LedgerAccount.objects.get(order__number=ORDER, site="DE", kind="hours", service=service).balance
    )


def allocation() -> int:
    return int(
        LedgerAccount.objects.get(
            order__number=ORDER, site="FR", kind="allocation", service="custom-proactive"
        ).balance
    )


def owed() -> int:
    row = LedgerAccount.objects.filter(order__number=ORDER, site="FR", kind="money").first()
    return int(row.balance) if row else 0


def request(at: dt.datetime = JAN_4, scope=OPERATOR, **fields) -> Delivery:
    command = DeliveryRequest.parse(
        **({"order": ORDER, "site": "FR", "service": "workshop", "quantity": 2} | fields)
    )
    return services.request_delivery(scope=scope, command=command, at=at)


def test_crd1_crd2_a_request_reserves_its_cost_at_once_and_a_short_balance_refuses_it(rates):
    """CRD-1: 2 participants × 12.5 = 25 credits, taken when requested; CRD-2: more than is left is
    refused and nothing is written."""
    before = credits()
    delivery = request()
    assert (delivery.state, delivery.cost, delivery.unit, delivery.language) == (
        "requested",
        25,
        "credits",
        "fr",
    )
    assert credits() == before - 25
    with pytest.raises(RuleViolation) as refused:
        request(quantity=1000)
    assert refused.value.rule == "CRD-2"
    assert Delivery.objects.count() == 1
    assert credits() == before - 25


def test_del1_a_request_later_than_60_days_before_the_end_is_best_effort(rates):
    """DEL-1 (RSP-5): the order ends 2027-06-30; a request on 2027-05-01 (60 days before, Paris date) is on time,
    one on 2027-05-02 is accepted as best effort and says so."""
    on_time = request(at=dt.datetime(2027, 5, 1, 21, 30, tzinfo=dt.UTC))  # 23:30 in Paris, still 1 May
    late = request(at=dt.datetime(2027, 5, 1, 22, 30, tzinfo=dt.UTC))  # 00:30 on 2 May in Paris
    assert (on_time.best_effort, late.best_effort) == (False, True)
    assert late.timeline.get().rule == "DEL-1"


def test_del8_in_the_sites_language_or_english(rates):
    assert request(language="en").language == "en"
    with pytest.raises(RuleViolation) as refused:
        request(language="ja")
    assert refused.value.rule == "DEL-8"


def test_ord1_sev7_a_delivery_is_scheduled_within_the_term_on_a_business_day(rates):
    delivery = request()
    for day, rule in ((date(2027, 7, 5), "ORD-1"), (date(2027, 1, 9), "SEV-7"), (date(2027, 5, 1), "SEV-7")):
        with pytest.raises(RuleViolation) as refused:
            services.schedule_delivery(scope=OPERATOR, delivery_id=delivery.pk, on=day, at=JAN_4)
        assert refused.value.rule == rule
    scheduled = services.schedule_delivery(
        scope=OPERATOR, delivery_id=delivery.pk, on=date(2027, 2, 1), at=JAN_4
    )
    assert (scheduled.state, scheduled.scheduled_on) == ("scheduled", date(2027, 2, 1))


def test_del2_del3_a_first_reschedule_is_free_later_ones_and_a_cancellation_pay_by_notice(rates):
    """DEL-3: the first move is free whatever the notice; DEL-2: the second, 10 days before the
    delivery, costs 50 % on top; cancelling 20 days before keeps nothing; the ledger stays whole."""
    before = credits()
    delivery = request()
    services.schedule_delivery(scope=OPERATOR, delivery_id=delivery.pk, on=date(2027, 2, 1), at=JAN_4)
    moved, free = services.reschedule_delivery(
        scope=OPERATOR,
        delivery_id=delivery.pk,
        on=date(2027, 2, 15),
        at=dt.datetime(2027, 1, 30, 9, tzinfo=dt.UTC),
    )
    assert (free.rule, free.fee_percent, moved.scheduled_on) == ("DEL-3", 0, date(2027, 2, 15))
    assert credits() == before - 25
    _, charged = services.reschedule_delivery(
        scope=OPERATOR,
        delivery_id=delivery.pk,
        on=date(2027, 3, 15),
        at=dt.datetime(2027, 2, 5, 9, tzinfo=dt.UTC),
    )
    # 50 % of 25 credits is 12.5: whole credits, rounded half up (CRD-1).
    assert (charged.rule, charged.fee_percent, charged.fee.amount) == ("DEL-2", 50, 13)
    assert credits() == before - 25 - 13
    cancelled, fee = services.cancel_delivery(
        scope=OPERATOR,
        delivery_id=delivery.pk,
        by=CancelledBy.CUSTOMER,
        at=dt.datetime(2027, 2, 20, 9, tzinfo=dt.UTC),
    )
    assert (cancelled.state, fee.rule, fee.fee_percent) == ("cancelled", "DEL-2", 0)
    assert credits() == before - 13  # the reservation returned; the charged reschedule stays spent
    assert [e.kind for e in cancelled.timeline.all()] == [
        "requested",
        "scheduled",
        "rescheduled",
        "rescheduled",
        "cancelled",
    ]
    assert verify_ledger(scope=OPERATOR).violations == []


def test_del4_a_vendor_cancellation_returns_everything(rates):
    before = credits()
    delivery = request()
    services.schedule_delivery(scope=OPERATOR, delivery_id=delivery.pk, on=date(2027, 1, 6), at=JAN_4)
    _, fee = services.cancel_delivery(
        scope=OPERATOR,
        delivery_id=delivery.pk,
        by=CancelledBy.VENDOR,
        reason="too few registrations",
        at=JAN_4,
    )
    assert (fee.rule, fee.refund.amount) == ("DEL-4", 25)
    assert credits() == before


def test_hrs1_hrs2_hours_pay_for_a_delivery_and_delivering_keeps_them_spent(rates):
    before = hours()
    delivery = request(site="DE", service="enhanced-designated-engineering", quantity="7.5", pay="hours")
    assert (delivery.unit, delivery.cost) == ("hours", 7.5)
    assert hours() == before - 7.5
    services.schedule_delivery(scope=OPERATOR, delivery_id=delivery.pk, on=date(2027, 1, 12), at=JAN_4)
    done = services.deliver(
        scope=OPERATOR, delivery_id=delivery.pk, at=dt.datetime(2027, 1, 12, 17, tzinfo=dt.UTC)
    )
    assert done.state == "delivered"
    assert hours() == before - 7.5
    with pytest.raises(RuleViolation) as short:
        request(site="DE", service="enhanced-designated-engineering", quantity=10_000, pay="hours")
    assert short.value.rule == "HRS-2"


def test_customers_request_their_own_others_see_nothing_a_viewer_changes_nothing(rates, alice, charlie, vera):
    mine = request(scope=scope_of(alice))
    assert mine.requested_by is None or mine.requested_by == alice
    with pytest.raises(InvalidInput) as foreign:
        request(scope=scope_of(charlie))
    assert foreign.value.field == "order"
    with pytest.raises(NotFound):
        services.cancel_delivery(
            scope=scope_of(charlie), delivery_id=mine.pk, by=CancelledBy.CUSTOMER, at=JAN_4
        )
    with pytest.raises(Forbidden):
        request(scope=scope_of(vera))
    with pytest.raises(Forbidden):  # scheduling is the vendor's
        services.schedule_delivery(scope=scope_of(alice), delivery_id=mine.pk, on=date(2027, 2, 1), at=JAN_4)
    _, fee = services.cancel_delivery(
        scope=scope_of(alice), delivery_id=mine.pk, by=CancelledBy.CUSTOMER, at=JAN_4
    )
    assert (fee.rule, fee.fee_percent) == ("DEL-2", 0)  # not scheduled yet: nothing kept


def test_del2_del3_each_payment_kind_from_request_to_the_end_with_its_e_mails(rates, alice, bob, smtp_server):
    """The scenario of issue 12: one request of each payment kind — credits, hours, the allocation
    (FLX-2) and money (CAT-1) — goes through schedule, a free reschedule (DEL-3), a charged one
    (DEL-2), then cancel or deliver; the balances, the fees, the e-mails read from the SMTP server
    (French for the French site), and `ledger verify`."""
    from unisupport.incidents.notify import send_pending
    from unisupport.orders.models import Agreement

    bob.email = "bob@vendor.test"
    bob.save()
    Agreement.objects.filter(code="CONTOSO-UNIFIED").update(csam=bob)
    start_credits, start_hours = credits(), hours()
    start_allocation, start_owed = allocation(), owed()
    by_credits = services.request_delivery(
        scope=scope_of(alice),
        command=DeliveryRequest.parse(order=ORDER, site="FR", service="workshop", quantity=2),
        at=JAN_4,
        actor=alice,
    )
    by_hours = request(site="DE", service="enhanced-designated-engineering", quantity=4, pay="hours")
    # The allocation's 50,000 for custom proactive services at FR; the vendor quotes 12,000.
    by_allocation = request(service="custom-proactive", quantity=1, pay="allocation", price="12000")
    # Billed at the order's price for an FR workshop participant: 36,000 / 12 = 3,000 each.
    by_money = request(service="workshop", quantity=2, pay="money")
    assert (by_allocation.cost, by_money.cost) == (12000, 6000)
    firsts = {
        by_credits: date(2027, 2, 1),
        by_hours: date(2027, 2, 2),
        by_allocation: date(2027, 2, 3),
        by_money: date(2027, 2, 4),
    }
    for delivery, first in firsts.items():
        services.schedule_delivery(scope=OPERATOR, delivery_id=delivery.pk, on=first, at=JAN_4)
        _, free = services.reschedule_delivery(
            scope=OPERATOR, delivery_id=delivery.pk, on=first + dt.timedelta(days=14), at=JAN_4
        )
        assert (free.rule, free.fee_percent) == ("DEL-3", 0)
        # Ten days before the new date: DEL-2's 50 %, taken from the same account.
        _, charged = services.reschedule_delivery(
            scope=OPERATOR,
            delivery_id=delivery.pk,
            on=first + dt.timedelta(days=28),
            at=dt.datetime.combine(first + dt.timedelta(days=4), dt.time(9), tzinfo=dt.UTC),
        )
        assert (charged.rule, charged.fee_percent) == ("DEL-2", 50)
    for delivery in (by_credits, by_money):
        _, fee = services.cancel_delivery(
            scope=scope_of(alice) if delivery is by_credits else OPERATOR,
            delivery_id=delivery.pk,
            by=CancelledBy.CUSTOMER,
            at=dt.datetime(2027, 2, 20, 9, tzinfo=dt.UTC),
            actor=alice,
        )
        assert (fee.rule, fee.fee_percent) == ("DEL-2", 50)  # 9 and 12 days before 1 and 4 March
    for delivery in (by_hours, by_allocation):
        services.deliver(
            scope=OPERATOR, delivery_id=delivery.pk, at=dt.datetime(2027, 3, 3, 17, tzinfo=dt.UTC)
        )
    assert credits() == start_credits - 13 - 13  # the charged move, and half of the cancelled 25 (12.5 → 13)
    assert hours() == start_hours - 4 - 2  # delivered: its 4 hours, and the charged move's 2
    assert allocation() == start_allocation - 12000 - 6000  # delivered, and the charged move's half
    assert owed() == start_owed + 6000 + 3000 - 3000  # billed, the move's fee, half refunded on cancel
    assert verify_ledger(scope=OPERATOR).violations == []

    # 4 e-mails on the credits delivery to alice and bob, 4 on each other one to bob (the CSAM) alone.
    assert send_pending() == 20
    mails = smtp_server.mailbox.messages
    # (a long encoded subject comes back folded: compare its words)
    to_alice = sorted(" ".join(m["Subject"].split()) for m in mails if m["To"] == "alice@example.com")
    assert to_alice == sorted(
        [
            f"Prestation D-{by_credits.pk} planifiée le 1 février 2027",
            f"Prestation D-{by_credits.pk} déplacée au 15 février 2027",
            f"Prestation D-{by_credits.pk} déplacée au 1 mars 2027",
            f"Prestation D-{by_credits.pk} annulée",
        ]
    )
    cancelled = next(m for m in mails if m["To"] == "alice@example.com" and "annulée" in m["Subject"])
    assert "règle DEL-2" in cancelled.get_payload(decode=True).decode()
    billed = next(
        m
        for m in mails
        if m["To"] == "bob@vendor.test" and f"D-{by_money.pk}" in m["Subject"] and "annulée" in m["Subject"]
    )
    assert (
        "(3\u202f000,00\xa0$US), remboursé : 3\u202f000,00\xa0$US" in billed.get_payload(decode=True).decode()
    )


def test_del4_scheduling_refuses_an_engineer_without_the_service_or_already_booked(rates, bob):
    from unisupport.accounts.models import EngineerProfile

    EngineerProfile.objects.create(user=bob, country="FR", services=["workshop"], languages=["fr", "en"])
    first, second, third = request(), request(), request(quantity=1)
    nine_thirty, ten = dt.time(9, 30), dt.time(10)
    schedule = {"scope": OPERATOR, "on": date(2027, 2, 1), "at": JAN_4, "engineer": bob}
    services.schedule_delivery(delivery_id=first.pk, start=nine_thirty, hours=3, **schedule)
    with pytest.raises(RuleViolation) as booked:
        services.schedule_delivery(delivery_id=second.pk, start=ten, hours=1, **schedule)
    assert (booked.value.rule, booked.value.field) == ("DEL-4", "engineer")
    services.schedule_delivery(delivery_id=second.pk, start=dt.time(13), hours=2, **schedule)
    # Moving the first to a day bob is taken at 09:30 collides (the move keeps its 09:30 start).
    fourth = request(quantity=1)
    services.schedule_delivery(
        delivery_id=fourth.pk, start=nine_thirty, hours=2, **(schedule | {"on": date(2027, 2, 2)})
    )
    with pytest.raises(RuleViolation) as moved:
        services.reschedule_delivery(scope=OPERATOR, delivery_id=first.pk, on=date(2027, 2, 2), at=JAN_4)
    assert moved.value.rule == "DEL-4"
    EngineerProfile.objects.filter(user=bob).update(languages=["en"])
    with pytest.raises(RuleViolation) as language:
        services.schedule_delivery(delivery_id=third.pk, start=dt.time(15, 30), hours=1, **schedule)
    assert language.value.rule == "DEL-8"


def test_del2_del1_reminders_go_once_before_the_last_free_day_and_75_days_before_the_end(rates, alice, bob):
    """DEL-2: a delivery on Monday 15 February is free to cancel until Monday 1 February; its reminder
    goes three business days before (Wednesday 27 January), once. DEL-1/ORD-5: 75 days before the
    order's end (2027-06-30), the CSAM and the customer's administrator hear what is unspent."""
    from unisupport.deliveries.worker import remind_due
    from unisupport.incidents.models import Notification
    from unisupport.orders.models import Agreement

    bob.email = "bob@vendor.test"
    bob.save()
    Agreement.objects.filter(code="CONTOSO-UNIFIED").update(csam=bob)
    delivery = services.request_delivery(
        scope=scope_of(alice),
        command=DeliveryRequest.parse(order=ORDER, site="FR", service="workshop", quantity=1),
        at=JAN_4,
        actor=alice,
    )
    services.schedule_delivery(scope=OPERATOR, delivery_id=delivery.pk, on=date(2027, 2, 15), at=JAN_4)
    Notification.objects.all().delete()  # the scheduling e-mails: not what this test counts
    assert remind_due(now=dt.datetime(2027, 1, 26, 9, tzinfo=dt.UTC)) == 0
    assert remind_due(now=dt.datetime(2027, 1, 27, 9, tzinfo=dt.UTC)) == 2  # alice and bob
    assert remind_due(now=dt.datetime(2027, 1, 28, 9, tzinfo=dt.UTC)) == 0  # exactly once
    subjects = set(Notification.objects.values_list("subject", flat=True))
    assert subjects == {
        f"Prestation D-{delivery.pk} : annulation ou déplacement sans frais jusqu'au 2027-02-01"
    }
    assert remind_due(now=dt.datetime(2027, 4, 15, 9, tzinfo=dt.UTC)) == 0  # 76 days before the end
    # Contoso's two orders end on 2027-06-30, both with entitlements left: two e-mails to each.
    assert remind_due(now=dt.datetime(2027, 4, 20, 9, tzinfo=dt.UTC)) == 4
    assert remind_due(now=dt.datetime(2027, 4, 21, 9, tzinfo=dt.UTC)) == 0
    unspent = Notification.objects.get(recipient="alice@example.com", subject__startswith=f"{ORDER}: unspent")
    assert "until 2027-05-01 (DEL-1)" in unspent.body
    assert "  DE credits: 200\n" in unspent.body  # written plainly, not 2E+2
    assert "  FR allocation custom-proactive: 50000 USD\n" in unspent.body  # FLX-2: its last year ends too


def test_del5_an_on_site_delivery_not_prepaid_bills_its_travel(rates):
    """DEL-5: remote by default; on site, reasonable travel and living expenses are billed on top, recorded."""
    from unisupport.deliveries.presenters import delivery_json

    remote, on_site = request(), request(on_site=True)
    assert (remote.travel_and_expenses, on_site.travel_and_expenses) == (False, True)
    assert on_site.timeline.get().data["travel_and_expenses"] == "billed at cost (DEL-5)"
    assert "DEL-5" in delivery_json(on_site)["rules"]
    assert "DEL-5" not in delivery_json(remote)["rules"]


def test_del5_a_service_sold_on_site_bills_no_travel(rates):
    """DEL-5: when the order sells the FR workshops as on-site (`on_site: true` on its line), an
    on-site workshop is prepaid: no travel and expenses on top; another service on site still bills them."""
    from unisupport.orders.models import OrderLine

    OrderLine.objects.filter(
        site__order_version__order__number=ORDER, site__country="FR", service_id="workshop"
    ).update(on_site=True)
    sold, other = request(on_site=True), request(on_site=True, service="chalk-talk", quantity=1)
    assert (sold.travel_and_expenses, other.travel_and_expenses) == (False, True)


def test_del2_crd4_the_audit_checks_each_delivery_against_the_entries_that_pay_for_it(rates):
    """DEL-2, CRD-4: a payment is a debit of the cost; a refund only for a cancelled delivery, once,
    as its timeline recorded it. A doctored timeline is reported, naming the delivery."""
    from unisupport.deliveries.models import DeliveryEvent
    from unisupport.deliveries.selectors import verify_deliveries

    kept, cancelled = request(), request()
    services.cancel_delivery(scope=OPERATOR, delivery_id=cancelled.pk, by=CancelledBy.VENDOR, at=JAN_4)
    assert verify_deliveries(OPERATOR) == []
    event = DeliveryEvent.objects.get(delivery=cancelled, kind="cancelled")
    DeliveryEvent.objects.filter(pk=event.pk).update(data=event.data | {"refund": "3"})
    assert verify_deliveries(OPERATOR) == [
        {
            "delivery": cancelled.pk,
            "rule": "DEL-2",
            "message": "its timeline says 3 was refunded; the ledger holds 25.00",
        }
    ]
    assert kept.state == "requested"
    with pytest.raises(Forbidden):
        verify_deliveries(scope_of_customer())


def scope_of_customer():
    from unisupport.accounts.roles import Role
    from unisupport.accounts.scope import Scope

    return Scope(None, frozenset({1}), frozenset({Role.CUSTOMER_ADMIN}))


def test_del7_a_workshop_registers_its_participants_with_their_consent_up_to_those_paid_for(rates, alice):
    """DEL-7: participants who join consent to the recording and to their name being seen; a workshop
    bought for 2 participants takes 2."""
    workshop = request(quantity=2)
    register = {"scope": scope_of(alice), "delivery_id": workshop.pk, "at": JAN_4}
    with pytest.raises(RuleViolation) as no_consent:
        services.register_participant(
            **register,
            name="Ana",
            email="ana@contoso.test",
            consents_recording=True,
            consents_name_visible=False,
        )
    assert (no_consent.value.rule, no_consent.value.field) == ("DEL-7", "consent")
    consent = {"consents_recording": True, "consents_name_visible": True}
    services.register_participant(**register, name="Ana", email="ana@contoso.test", **consent)
    with pytest.raises(InvalidInput) as twice:
        services.register_participant(**register, name="Ana", email="ANA@contoso.test", **consent)
    assert twice.value.field == "email"
    services.register_participant(**register, name="Ben", email="ben@contoso.test", **consent)
    with pytest.raises(RuleViolation) as full:
        services.register_participant(**register, name="Cy", email="cy@contoso.test", **consent)
    assert full.value.rule == "DEL-7"
    assert [e.rule for e in workshop.timeline.filter(kind="registered")] == ["DEL-7", "DEL-7"]
    hours = request(site="DE", service="enhanced-designated-engineering", quantity=2, pay="hours")
    with pytest.raises(InvalidInput):
        services.register_participant(
            scope=OPERATOR, delivery_id=hours.pk, at=JAN_4, name="Ana", email="ana@contoso.test", **consent
        )


def test_del1_a_request_on_cached_facts_of_an_amended_order_is_judged_on_the_new_version(rates):
    """DEL-1 with ORD-9: this process cached version 1 (ending 2027-06-30); another extended the order
    to 2027-12-31. A request on 2027-05-10 is on time under the version its payment was posted on."""
    from tests.ledger_support import contoso
    from unisupport.ledger import order_facts as order_facts_module
    from unisupport.ledger.order_facts import order_facts
    from unisupport.orders.services import import_order_file

    stale = order_facts(number=ORDER, cached=True)
    extended = contoso().replace("end: 2027-06-30", "end: 2027-12-31", 1)
    assert import_order_file(scope=OPERATOR, at=JAN_4, text=extended).orders[0]["version"] == 2
    order_facts_module._facts[ORDER] = stale  # as another process would still hold it
    delivery = request(at=dt.datetime(2027, 5, 10, 9, tzinfo=dt.UTC))
    assert delivery.payment.order_version == 2
    assert delivery.best_effort is False
