"""`unisupport contact …`: the customer's contacts named on an order (RSP-1, RSP-2, MCS-5) and the
reporting of their changes within 7 business days (RSP-3)."""

from __future__ import annotations

import datetime as dt

import click

from unisupport.cli.incident_commands import at_option, json_option, parse_instant
from unisupport.cli.operator import OPERATOR, operator_name
from unisupport.cli.output import handles_domain_errors, print_json
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop

ROLES = click.Choice(["admin", "reactive", "outage", "escalation"])


@click.group()
def contact() -> None:
    """Contacts named on an order: add, list, change (RSP-1, RSP-2, RSP-3)."""


@contact.command("add")
@click.option("--order", required=True)
@click.option("--role", required=True, type=ROLES)
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option(
    "--site", default="", help="The site it serves (a support services administrator: its host site)."
)
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def contact_add(
    order: str, role: str, name: str, email: str, site: str, at: str | None, as_json: bool
) -> None:
    """Name a contact on ORDER."""
    from unisupport.orders.presenters import contact_json
    from unisupport.success.contact_services import add_contact

    row = add_contact(
        scope=OPERATOR, order=order, role=role, name=name, email=email, site=site,
        at=parse_instant(at or None, option="--at"), actor=operator_name(),
    )  # fmt: skip
    if as_json:
        print_json(contact_json(row))
    else:
        click.echo(f"C-{row.pk} {row.name} <{row.email}> {row.role}")


@contact.command("list")
@click.option("--order", required=True)
@json_option
@handles_domain_errors(json_errors=True)
def contact_list(order: str, as_json: bool) -> None:
    """List ORDER's contacts; warn when it names no support services administrator (RSP-1)."""
    from unisupport.orders.presenters import contact_json
    from unisupport.orders.selectors import contacts_of, missing_administrator
    from unisupport.programmes.selectors import order_in_scope

    found = order_in_scope(OPERATOR, order)
    rows = [contact_json(c) for c in contacts_of(found)]
    warnings = (
        [{"rule": "RSP-1", "message": "the order names no support services administrator"}]
        if missing_administrator(found)
        else []
    )
    if as_json:
        print_json({"order": found.number, "contacts": rows, "warnings": warnings})
        return
    for c in rows:
        state = "" if c["active"] else "  [inactive]"
        click.echo(f"C-{c['id']:<5} {c['role']:<10} {c['name']:<28} {c['email']}{state}")
    for w in warnings:
        click.echo(f"warning {w['rule']}: {w['message']}", err=True)


@contact.command("change")
@click.option("--order", required=True)
@click.option("--contact", "contact_id", required=True, type=int)
@click.option("--changed-on", "changed_on", required=True, help="The day the change happened (YYYY-MM-DD).")
@click.option("--name", default=None)
@click.option("--email", default=None)
@click.option("--role", default=None, type=ROLES)
@click.option("--deactivate", is_flag=True, help="The person no longer acts as a contact.")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def contact_change(
    order: str,
    contact_id: int,
    changed_on: str,
    name: str | None,
    email: str | None,
    role: str | None,
    deactivate: bool,
    at: str | None,
    as_json: bool,
) -> None:
    """Record a change of a contact, reported now (or --at): late after 7 business days (RSP-3), still recorded."""
    from unisupport.success.contact_services import change_contact
    from unisupport.success.presenters import contact_change_json

    try:
        day = dt.date.fromisoformat(changed_on)
    except ValueError:
        raise InvalidInput("--changed-on", Message(gettext_noop("expected a date YYYY-MM-DD"))) from None
    row, change, verdict = change_contact(
        scope=OPERATOR, order=order, contact_id=contact_id, changed_on=day, name=name, email=email, role=role,
        active=False if deactivate else None, at=parse_instant(at or None, option="--at"),
        actor=operator_name(),
    )  # fmt: skip
    data = contact_change_json(change)
    if as_json:
        print_json(data)
    else:
        late = " — reported late (RSP-3)" if verdict.late else ""
        click.echo(f"C-{row.pk} changed on {day}, report due by {verdict.deadline}{late}")
