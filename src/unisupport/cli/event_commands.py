"""`unisupport event …`: book an event's coverage under MCS for Azure Events (Plus) and list bookings
(EVT-1..EVT-6)."""

from __future__ import annotations

from typing import Any

import click

from unisupport.cli.incident_commands import at_option, json_option, parse_instant
from unisupport.cli.operator import OPERATOR
from unisupport.cli.output import handles_domain_errors, print_json
from unisupport.orders.presenters import event_json


@click.group()
def event() -> None:
    """Events covered by MCS for Azure Events (Plus): book them, list them."""


@event.command("book")
@click.option("--order", required=True)
@click.option("--name", required=True, help="The event's name.")
@click.option("--days", required=True, help="Covered days: dates and FROM..TO ranges, comma-separated.")
@click.option(
    "--product", "products", multiple=True, required=True, help="An Azure service in scope; repeat."
)
@click.option("--scenario", default="", help="The business outcome and its Azure resources (EVT-3).")
@click.option("--contacts", default="", help="The customer's contacts for the event.")
@click.option("--chat-bridge", "chat_bridge", default="", help="The 24x7 chat bridge's address (EVT-6).")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def event_book(**options: Any) -> None:
    """Book an event: exit 0 accepted (also when it awaits the vendor's approval, EVT-4), exit 1 refused
    naming every rule (nothing written), exit 2 bad input naming the flag."""
    from unisupport.domain.event_booking import parse_days
    from unisupport.ledger.posting import actor_name
    from unisupport.orders.booking_services import book_event

    days = parse_days(options["days"], field="--days")
    verdict, row = book_event(
        scope=OPERATOR,
        order=options["order"],
        name=options["name"],
        days=days,
        products=options["products"],
        scenario=options["scenario"],
        contacts=options["contacts"],
        chat_bridge=options["chat_bridge"],
        at=parse_instant(options["at"] or None, option="--at"),
        actor=actor_name(None),
    )
    data: dict[str, Any] = verdict.as_dict() | ({"id": row.pk, "service": row.service_id} if row else {})
    if options["as_json"]:
        print_json(data)
    elif row is not None:
        waits = " — awaiting the vendor's approval (EVT-4)" if verdict.needs_vendor_approval else ""
        click.echo(f"E-{row.pk} {row.name}: {data['days']} days from {data['first_day']}{waits}")
    else:
        for error in data["errors"]:
            click.echo(f"{error['rule']}: {error['message']}", err=True)
    if row is None:
        raise SystemExit(1)


@event.command("list")
@click.option("--order")
@json_option
@handles_domain_errors
def event_list(order: str | None, as_json: bool) -> None:
    """List event bookings, newest first."""
    from unisupport.orders.selectors import events_for

    data = [event_json(e) for e in events_for(OPERATOR, order=order)[:500]]
    if as_json:
        print_json(data)
        return
    for e in data:
        click.echo(
            f"E-{e['id']} {e['order']} {e['name']}: {e['first_day']}..{e['last_day']} ({e['days']} days)"
        )


@event.command("approve")
@click.argument("event_id", type=int)
@click.option(
    "--reduced-scope", "reduced_scope", default="", help="The resilience scope kept, if reduced (EVT-4)."
)
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def event_approve(event_id: int, reduced_scope: str, at: str | None, as_json: bool) -> None:
    """Approve a booking made with less than six weeks' notice (the vendor; EVT-4)."""
    from unisupport.ledger.posting import actor_name
    from unisupport.orders.booking_services import approve_event

    row = approve_event(
        scope=OPERATOR, event_id=event_id, reduced_scope=reduced_scope,
        at=parse_instant(at or None, option="--at"), actor=actor_name(None),
    )  # fmt: skip
    data = event_json(row) | {"rules": ["EVT-4"]}
    print_json(data) if as_json else click.echo(f"E-{row.pk} approved (EVT-4)")


@event.command("cancel")
@click.argument("event_id", type=int)
@click.option("--by", "by", default="customer", show_default=True, type=click.Choice(["customer", "vendor"]))
@click.option("--reason", required=True)
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def event_cancel(event_id: int, by: str, reason: str, at: str | None, as_json: bool) -> None:
    """Cancel a booking: the customer before its first day, the vendor when the customer did not
    provide resources or answers (EVT-8)."""
    from unisupport.ledger.posting import actor_name
    from unisupport.orders.booking_services import cancel_event

    row = cancel_event(
        scope=OPERATOR, event_id=event_id, by=by, reason=reason,
        at=parse_instant(at or None, option="--at"), actor=actor_name(None),
    )  # fmt: skip
    data = event_json(row) | {"rules": ["EVT-8"] if by == "vendor" else ["EVT-1"]}
    print_json(data) if as_json else click.echo(f"E-{row.pk} cancelled by the {by}")


@event.command("summary")
@click.argument("event_id", type=int)
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="One line an incident, as CSV.")
@handles_domain_errors
def event_summary(event_id: int, as_json: bool, as_csv: bool) -> None:
    """Summarise an event (EVT-7): its incidents, response met, mitigated; flagged when one is not."""
    import csv
    import sys

    from unisupport import clock
    from unisupport.incidents.event_summary import event_summary as summary

    data = summary(OPERATOR, event_id=event_id, at=clock.now())
    if as_csv:
        out = csv.writer(sys.stdout)
        out.writerow(["incident", "severity", "title", "opened_at", "response_met", "mitigated"])
        for row in data["incidents"]:  # type: ignore[attr-defined]
            out.writerow(
                [
                    row["incident"],
                    row["severity"],
                    row["title"],
                    row["opened_at"],
                    row["response_met"],
                    row["mitigated"],
                ]
            )
        return
    if as_json:
        print_json(data)
        return
    flag = " — UNMITIGATED incidents (EVT-7)" if data["flagged"] else ""
    click.echo(f"E-{data['event']} {data['name']}: {len(data['incidents'])} incidents{flag}")  # type: ignore[arg-type]


@event.command("scenario")
@click.argument("event_id", type=int)
@click.option(
    "--text", "scenario", required=True, help="The new scenario: its business outcome and Azure resources."
)
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def event_scenario(event_id: int, scenario: str, at: str | None, as_json: bool) -> None:
    """Ask to change a booked event's scenario: the vendor approves or refuses it (EVT-3)."""
    from unisupport.ledger.posting import actor_name
    from unisupport.orders.booking_services import ask_scenario_change

    row = ask_scenario_change(
        scope=OPERATOR, event_id=event_id, scenario=scenario,
        at=parse_instant(at or None, option="--at"), actor=actor_name(None),
    )  # fmt: skip
    data = event_json(row) | {"scenario_change": row.scenario_change, "rules": ["EVT-3"]}
    print_json(data) if as_json else click.echo(f"E-{row.pk}: scenario change awaiting the vendor (EVT-3)")


@event.command("scenario-decide")
@click.argument("event_id", type=int)
@click.option("--approve/--refuse", "approve", required=True)
@click.option("--fee", help="A fee the change carries, in the order's currency.")
@click.option("--new-assessment", "new_assessment", is_flag=True, help="The change needs a new assessment.")
@click.option("--reason", default="", help="Why it is refused.")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def event_scenario_decide(**options: Any) -> None:
    """Approve or refuse a booked event's scenario change (the vendor; EVT-3)."""
    from unisupport.domain.ledger_commands import number
    from unisupport.ledger.posting import actor_name
    from unisupport.orders.booking_services import decide_scenario_change

    row = decide_scenario_change(
        scope=OPERATOR, event_id=options["event_id"], approve=options["approve"],
        fee=number(options["fee"], field="--fee") if options["fee"] else None,
        new_assessment=options["new_assessment"], reason=options["reason"],
        at=parse_instant(options["at"] or None, option="--at"), actor=actor_name(None),
    )  # fmt: skip
    data = event_json(row) | {
        "scenario": row.scenario,
        "decisions": row.scenario_changes,
        "rules": ["EVT-3"],
    }
    print_json(data) if options["as_json"] else click.echo(f"E-{row.pk}: scenario change decided (EVT-3)")
