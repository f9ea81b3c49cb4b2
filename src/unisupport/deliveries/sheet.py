"""What a customer reads before requesting a service on an order: what each service costs at each
site, what is available to pay with, and until when a request is on time (CRD-1, DEL-1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from unisupport.accounts.scope import Scope
from unisupport.catalog.selectors import current_catalog
from unisupport.domain.delivery_prices import agreed_unit_price
from unisupport.domain.errors import DomainError, NotFound
from unisupport.domain.fees import request_deadline
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Money, plain
from unisupport.domain.rates import rate_card_in_force
from unisupport.ledger.models import LedgerAccount
from unisupport.ledger.order_facts import order_facts
from unisupport.ledger.selectors import rate_cards
from unisupport.orders.policy import current_policy
from unisupport.orders.selectors import priced_lines


@dataclass(frozen=True, slots=True)
class Price:
    """What one unit of a service costs at a site: credits at the card in force, the order's price."""

    service: str
    name: str
    credits: Decimal | None
    money: Money | None


@dataclass(slots=True)
class SiteSheet:
    """A site's balances and prices."""

    site: str
    credits: Decimal | None = None
    hours: list[tuple[str, Decimal]] = field(default_factory=list)
    allocation: list[tuple[str, Money]] = field(default_factory=list)
    prices: list[Price] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RequestSheet:
    """An order's request sheet: DEL-1's date and whether today is past it, and each site's sheet."""

    order: str
    today: dt.date
    deadline: dt.date
    best_effort: bool
    sites: list[SiteSheet]


def request_sheet(scope: Scope, *, order: str, at: dt.datetime, language: str) -> RequestSheet:
    """Return the request sheet of ``order`` at ``at`` (NotFound if ``scope`` does not see it)."""
    facts = order_facts(number=order)
    if not scope.sees(facts.order.organisation_id):
        raise NotFound(Message(gettext_noop("no order {order!r}"), order=order), field="order")
    host = facts.host if facts.host in facts.sites else min(facts.sites)
    today = facts.local_date(host, at)
    deadline = request_deadline(facts.term.end, lead_days=current_policy().request_lead_days)
    sheets = {site: SiteSheet(site) for site in facts.sites}
    catalog = current_catalog()
    names = {code: s.name(language) for code, s in catalog.services.items()}
    for row in LedgerAccount.objects.filter(order=facts.order).order_by("site", "kind", "service"):
        sheet = sheets.get(row.site)
        if sheet is None:
            continue
        if row.kind == "credits":
            sheet.credits = plain(row.balance)
        elif row.kind == "hours":
            sheet.hours.append((names.get(row.service, row.service), plain(row.balance)))
        elif row.kind == "allocation" and row.service:
            sheet.allocation.append((names.get(row.service, row.service), Money(row.balance, row.currency)))
    priced = priced_lines(facts.version)
    deliverable = {s.code: s.name(language) for s in catalog.services.values() if s.is_requestable}
    for site, sheet in sheets.items():
        try:
            card = rate_card_in_force(rate_cards(site=site), site=site, on=today).credits
        except DomainError:
            card = {}  # no card in force: nothing is priced in credits at this site
        codes = sorted(
            {c for c in card if c in deliverable} | {s for (c, s) in priced if c == site and s in deliverable}
        )
        sheet.prices = [
            Price(
                code,
                deliverable[code],
                plain(card[code]) if code in card else None,
                agreed_unit_price(priced.get((site, code), []), currency=facts.version.currency),
            )
            for code in codes
        ]
    return RequestSheet(facts.number, today, deadline, today > deadline, list(sheets.values()))
