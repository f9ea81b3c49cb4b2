"""Shared data for the ledger tests: rate files and a multi-year order with an allocation."""

from __future__ import annotations

from importlib import resources

from tests.scopes import OPERATOR
from unisupport import clock
from unisupport.domain.ledger_commands import Consumption, Redemption

# The issue's own example (FR card and FR→DE rate from 2027-01-01), an earlier FR card so that the
# card in force on the redemption date matters, a DE card and the DE→FR rate.
RATES_YAML = """\
rate_cards:
  - site: FR
    effective_from: 2026-07-01
    credits: {workshop: 10, chalk-talk: 40, developer-assistance: 2.5}
  - site: FR
    effective_from: 2027-01-01
    credits:
      workshop: 12.5
      chalk-talk: 40
  - site: DE
    effective_from: 2026-07-01
    credits: {workshop: 12.5, chalk-talk: 45}
exchange_rates:
  - {from: FR, to: DE, effective_from: 2027-01-01, rate: 0.95, fee_percent: 2}
  - {from: FR, to: DE, effective_from: 2026-07-01, rate: 1, fee_percent: 0}
  - {from: DE, to: FR, effective_from: 2026-07-01, rate: 1.05, fee_percent: 2}
"""

# Three contract years, a flexible allocation of which 20,000 is left unassigned (FLX-5).
NORTHWIND = """\
agreement: NORTHWIND-UNIFIED
order: ESO-2027-010
customer: Northwind Traders
host: FR
start: 2027-01-01
end: 2029-12-31
currency: USD
sites:
  - country: FR
    lines:
      - {service: foundational, list_price: 1000000}
      - {service: proactive-credits, quantity: 300}
      - {service: developer-assistance, quantity: 40}
  - country: DE
    lines:
      - {service: proactive-credits, quantity: 100}
flexible_allocation:
  amount: 100000
  assignments:
    - {service: custom-proactive, site: FR, amount: 50000}
    - {service: workshop, site: DE, amount: 30000}
"""


def contoso() -> str:
    """Return the demo agreement's order file (Contoso: ESO-2026-001 FR+DE, ESO-2026-002 JP)."""
    return resources.files("unisupport.demo").joinpath("contoso-unified.yaml").read_text(encoding="utf-8")


def load_rates() -> None:
    """Import RATES_YAML into the database."""
    from unisupport.ledger.rate_services import import_rates

    import_rates(text=RATES_YAML)


def burn_contoso(*, hours: str = "7.5", reason: str = "") -> None:
    """Load the rates, then redeem 3 workshop credits at FR (2027-01-15) and consume ``hours`` of the DE block (2026-09-02)."""
    from datetime import date

    from unisupport.ledger.services import consume_hours, redeem_credits

    load_rates()
    redeem_credits(
        scope=OPERATOR,
        at=clock.now(),
        command=Redemption.parse(
            order="ESO-2026-001",
            site="FR",
            service="workshop",
            quantity=3,
            on=date(2027, 1, 15),
            reason=reason,
        ),
    )
    consume_hours(
        scope=OPERATOR,
        at=clock.now(),
        command=Consumption.parse(
            order="ESO-2026-001",
            site="DE",
            service="enhanced-designated-engineering",
            hours=hours,
            on=date(2026, 9, 2),
        ),
    )


# Litware's order buying events: the line awaits the vendor's acceptance (ORD-8) when imported.
EVENTS_ORDER = """\
agreement: LITWARE-UNIFIED
order: ESO-2027-EVT
customer: Litware SA
host: FR
start: 2027-01-01
end: 2027-12-31
currency: EUR
sites:
  - country: FR
    lines:
      - {service: foundational, list_price: 900000}
      - {service: mcs-azure-events, quantity: 2}
"""


def buy_events(
    *, order: str = "ESO-2026-001", country: str = "FR", service: str = "mcs-azure-events", quantity: int = 2
):
    """Return the line added to ``order``'s current version buying ``quantity`` events, granted by the ledger."""
    import datetime as dt

    from unisupport.ledger.grants import post_grants_for
    from unisupport.orders.models import Order, OrderLine, Site

    found = Order.objects.get(number=order)
    site = Site.objects.get(
        order_version__order=found, order_version__version=found.current_version, country=country
    )
    line = OrderLine.objects.create(
        organisation_id=site.organisation_id, site=site, service_id=service, quantity=quantity, position=99
    )
    post_grants_for(version=site.order_version, at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    return line
