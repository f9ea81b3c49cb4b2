"""`unisupport sla`: when the first response to an incident is due (RULES.md §8, SEV-2..SEV-7)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from unisupport.cli.calendar_commands import INSTANT
from unisupport.cli.operator import OPERATOR
from unisupport.cli.output import handles_domain_errors, print_json
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.messages import Message, gettext_noop

if TYPE_CHECKING:
    from unisupport.orders.models import Order


@click.group()
def sla() -> None:
    """Initial response targets (RULES.md §8) and their due times."""


@sla.command("due")
@click.option(
    "--opened",
    required=True,
    type=INSTANT,
    help="When the incident was opened: ISO 8601 with its offset or Z.",
)
@click.option("--country", help="Calculator form: the support location's country (ISO 3166-1 alpha-2).")
@click.option("--tz", "timezone", help="Calculator form: its IANA time zone (default: the country's).")
@click.option("--subdivision", help="Calculator form: its subdivision, for regional holidays.")
@click.option(
    "--offering",
    "offerings",
    multiple=True,
    help="Calculator form: an offering covering the incident (repeat). Foundational is implied.",
)
@click.option("--order", "order_number", help="Order form: the order whose offerings apply (with --site).")
@click.option("--site", help="Order form: the site's country on the order; its calendar applies.")
@click.option("--severity", required=True, help="1, A, B or C.")
@click.option(
    "--product",
    required=True,
    help='The product, as the product catalogue names it (e.g. "Azure Virtual Machines").',
)
@click.option("--24x7", "option_24x7", is_flag=True, help="Sev B submitted with the 24x7 option (SEV-7).")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"due", "counts_until", "target_minutes", "clock", "offering", "rules"}.',
)
@handles_domain_errors
def sla_due(
    opened: dt.datetime,
    country: str | None,
    timezone: str | None,
    subdivision: str | None,
    offerings: tuple[str, ...],
    order_number: str | None,
    site: str | None,
    severity: str,
    product: str,
    option_24x7: bool,
    as_json: bool,
) -> None:
    """Print when the first response is due, the target, its clock, the offering and the rules that decided.

    Calculator form: --country (and --offering …); naming mcs-azure-events(-plus) means an event's
    coverage window is open at --opened. Order form: --order and --site take the offerings active
    on that order's site at --opened, and the site's calendar.
    """
    from unisupport.calendars.sla import due_in_calculator, due_on_order

    if order_number:
        if country or timezone or subdivision or offerings:
            text = gettext_noop(
                "the order form takes the country, time zone and offerings from the order and --site"
            )
            raise InvalidInput("--order", Message(text))
        if not site:
            text = gettext_noop(
                "the order form needs the site's country (e.g. --order ESO-2026-001 --site FR)"
            )
            raise InvalidInput("--site", Message(text))
        answer = due_on_order(
            order=_order(order_number),
            site=site,
            opened=opened,
            severity=severity,
            product=product,
            option_24x7=option_24x7,
        )
    elif site:
        raise InvalidInput(
            "--site", Message(gettext_noop("only with --order (the calculator form takes --country)"))
        )
    elif not country:
        raise InvalidInput(
            "--country", Message(gettext_noop("give the support location's country, or --order and --site"))
        )
    else:
        answer = due_in_calculator(
            opened=opened,
            country=country,
            timezone=timezone,
            subdivision=subdivision,
            severity=severity,
            product=product,
            offerings=offerings,
            option_24x7=option_24x7,
        )
    data = answer.as_dict()
    if as_json:
        print_json(data)
        return
    clock = "business hours" if data["clock"] == "business" else "24x7"
    click.echo(f"Due {data['due']}")
    if data["counts_until"] != data["due"]:
        click.echo(
            f"  a response still counts until {data['counts_until']} (no business time in between, SEV-2)"
        )
    click.echo(
        f"  {data['target_minutes']} min, {clock}, {data['offering']}  ({', '.join(answer.target.rules)})"
    )


def _order(number: str) -> Order:
    from unisupport.orders.models import Order
    from unisupport.orders.selectors import order_for

    # The CLI is the operator's tool: it runs with the back office's view of every customer.
    every_customer = OPERATOR
    try:
        return order_for(every_customer, number=number)
    except Order.DoesNotExist:
        raise NotFound(Message(gettext_noop("no order {number!r}"), number=number), field="--order") from None
