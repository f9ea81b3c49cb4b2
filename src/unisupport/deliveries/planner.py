"""What the planner reads for an order, and its proposals (domain/planner.py decides)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from unisupport.accounts.models import EngineerAbsence, EngineerProfile
from unisupport.accounts.scope import Scope
from unisupport.calendars.selectors import calendar_for_site
from unisupport.deliveries.models import Delivery
from unisupport.domain.deliveries import DeliveryState, is_business_day
from unisupport.domain.delivery_prices import agreed_unit_price
from unisupport.domain.engineers import Absence
from unisupport.domain.errors import DomainError, NotFound
from unisupport.domain.fees import request_deadline
from unisupport.domain.ledger import available_lots
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import plain
from unisupport.domain.planner import Engineer, Leftover, Price, plan
from unisupport.domain.rates import rate_card_in_force
from unisupport.ledger.convert import domain_account
from unisupport.ledger.models import LedgerAccount
from unisupport.ledger.order_facts import OrderFacts, order_facts
from unisupport.ledger.posting import entries_of
from unisupport.ledger.selectors import rate_cards
from unisupport.orders.policy import current_policy
from unisupport.orders.selectors import priced_lines


def plan_for(scope: Scope, *, order: str, at: dt.datetime) -> dict[str, object]:
    """Return the planner's proposals for ``order`` at ``at``: what they spend, and what would still expire."""
    facts = order_facts(number=order)
    if not scope.sees(facts.order.organisation_id):
        raise NotFound(Message(gettext_noop("no order {order!r}"), order=order), field="order")
    local = facts.host if facts.host in facts.sites else min(facts.sites)
    today = facts.local_date(local, at)
    accounts = LedgerAccount.objects.filter(order=facts.order, kind__in=["credits", "hours"], balance__gt=0)
    # ORD-5: what is left of credits and hour blocks is forfeited after the term's last day.
    leftovers = [
        Leftover(
            a.site,
            "credits" if a.kind == "credits" else "hours",
            a.balance,
            facts.term.end,
            a.service or None,
        )
        for a in accounts
    ] + _allocation_leftovers(facts, today=today)
    prices = []
    for site in sorted({lot.site for lot in leftovers if lot.unit == "credits"}):
        try:
            card = rate_card_in_force(rate_cards(site=site), site=site, on=today)
        except DomainError:
            continue  # no card in force at that site: its credits cannot be priced, so still expire
        prices += [Price(site, service, credits) for service, credits in card.credits.items()]
    taken: dict[int, set[dt.date]] = {}
    for user_id, day in Delivery.objects.filter(
        state=DeliveryState.SCHEDULED.value, engineer__isnull=False, scheduled_on__gt=today
    ).values_list("engineer_id", "scheduled_on"):
        if day is not None:
            taken.setdefault(user_id, set()).add(day)

    @cache
    def open_day(site: str, day: dt.date) -> bool:
        timezone = facts.sites[site].timezone if site in facts.sites else None
        return is_business_day(day, calendar_for_site(country=site, timezone=timezone or None))

    # DEL-4: an engineer is not free on the days they are away or their own site does not work.
    horizon = [today + dt.timedelta(days=n) for n in range(1, (facts.term.end - today).days + 1)]
    away: dict[int, set[dt.date]] = {}
    for absence in EngineerAbsence.objects.filter(last_day__gt=today, first_day__lte=facts.term.end):
        away.setdefault(absence.engineer_id, set()).update(
            Absence(absence.first_day, absence.last_day).days(since=today, until=facts.term.end)
        )
    engineers = [
        Engineer(
            p.user.get_username(),
            p.country,
            frozenset(p.services),
            taken.get(p.user_id, set())
            | away.get(p.pk, set())
            | {day for day in horizon if not open_day(p.country, day)},
        )
        for p in EngineerProfile.objects.select_related("user").order_by("user__username")
    ]

    deadline = request_deadline(facts.term.end, lead_days=current_policy().request_lead_days)
    proposals, left = plan(
        leftovers=leftovers,
        prices=prices,
        engineers=engineers,
        today=today,
        deadline=deadline,
        is_business_day=open_day,
    )
    return {
        "order": facts.number,
        "today": today.isoformat(),
        "deadline": deadline.isoformat(),
        "proposals": [p.as_dict() for p in proposals],
        "still_expiring": [
            {
                "site": lot.site,
                "unit": lot.unit,
                "service": lot.service,
                "amount": str(plain(lot.amount)),
                "expires_on": lot.expires_on.isoformat(),
            }
            for lot in left
        ],
        "rules": ["ORD-5", "FLX-2", "DEL-1"],
    }


def _allocation_leftovers(facts: OrderFacts, *, today: dt.date) -> list[Leftover]:
    """Return what the allocation assigned to each service holds, lot by lot (one per contract year,
    lapsing at its end, FLX-2), with the order's unit price of that service at that site."""
    lines = priced_lines(facts.version)
    found = []
    rows = LedgerAccount.objects.filter(order=facts.order, kind="allocation", balance__gt=0).exclude(
        service=""
    )
    for row in rows:
        account = domain_account(row, order_number=facts.number)
        price = agreed_unit_price(lines.get((row.site, row.service), []), currency=row.currency)
        found += [
            Leftover(
                row.site,
                row.currency,
                lot.remaining,
                lot.expires_on,
                row.service,
                None if price is None else price.amount,
            )
            for lot in available_lots(entries_of(row, account), term=facts.term)
            if lot.expires_on >= today
        ]
    return found
