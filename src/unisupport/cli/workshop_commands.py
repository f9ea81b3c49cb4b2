"""`unisupport delivery …` for workshops, assessments and deliverables (DEL-4, DEL-6, DEL-7), and
`unisupport azure-subscription add` (DEL-6)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from unisupport.cli.delivery_commands import DATE, _print, delivery, read_files
from unisupport.cli.incident_commands import at_option, json_option, parse_instant
from unisupport.cli.operator import OPERATOR
from unisupport.cli.output import handles_domain_errors, print_json
from unisupport.domain.errors import InvalidInput
from unisupport.domain.ledger_commands import number


def _when(at: str | None) -> Any:

    return parse_instant(at or None, option="--at")


def _amount(value: str, option: str) -> Decimal:
    try:
        return number(value, field=option)
    except InvalidInput as exc:
        raise InvalidInput(option, str(exc).split(": ", 1)[-1]) from None


@delivery.command("terms")
@click.argument("delivery_id", type=int)
@click.option("--minimum", type=click.IntRange(min=1), help="Registrations needed (DEL-4).")
@click.option("--deadline", type=DATE, help="The day by which the minimum must be reached.")
@click.option("--capacity", type=click.IntRange(min=1), help="Most participants the workshop takes (DEL-7).")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def delivery_terms(**options: Any) -> None:
    """Set a workshop's capacity and its minimum of registrations by a deadline (DEL-4, DEL-7)."""
    from unisupport.deliveries.presenters import delivery_json
    from unisupport.deliveries.workshops import set_workshop_terms

    done = set_workshop_terms(
        scope=OPERATOR,
        delivery_id=options["delivery_id"],
        minimum=options["minimum"],
        deadline=options["deadline"].date() if options["deadline"] else None,
        capacity=options["capacity"],
        at=_when(options["at"]),
    )
    _print(delivery_json(done, timeline=True), options["as_json"])


@delivery.command("cancel-below-minimum")
@click.argument("delivery_id", type=int)
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def delivery_cancel_below_minimum(delivery_id: int, at: str | None, as_json: bool) -> None:
    """Cancel a workshop whose minimum of registrations was not reached by its deadline: everything is
    returned (DEL-4)."""
    from unisupport.deliveries.presenters import fee_json
    from unisupport.deliveries.workshops import cancel_below_minimum

    done, fee = cancel_below_minimum(scope=OPERATOR, delivery_id=delivery_id, at=_when(at))
    _print(fee_json(done, fee), as_json)


@delivery.command("attach")
@click.argument("delivery_id", type=int)
@click.option("--file", "files", multiple=True, required=True, help="A deliverable; repeat for several.")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def delivery_attach(delivery_id: int, files: tuple[str, ...], at: str | None, as_json: bool) -> None:
    """Attach deliverables (a report sent after the day) to a delivered service (DEL-7)."""
    from unisupport.deliveries.deliverables import attach_deliverables
    from unisupport.deliveries.presenters import delivery_json
    from unisupport.deliveries.selectors import delivery_for

    attach_deliverables(scope=OPERATOR, delivery_id=delivery_id, files=read_files(files), at=_when(at))
    _print(delivery_json(delivery_for(OPERATOR, delivery_id=delivery_id), timeline=True), as_json)


@delivery.command("deliverable")
@click.argument("delivery_id", type=int)
@click.argument("n", type=int)
@click.option(
    "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="Where to save it."
)
@handles_domain_errors
def delivery_deliverable(delivery_id: int, n: int, output: str) -> None:
    """Save the N-th deliverable of a delivery (not to be redistributed outside the customer, DEL-7)."""
    from unisupport.deliveries.deliverables import deliverable_for

    found, path = deliverable_for(OPERATOR, delivery_id=delivery_id, number=n)
    Path(output).write_bytes(path.read_bytes())
    click.echo(f"{found.name}: {found.size} bytes → {output}")


@delivery.command("setup")
@click.argument("delivery_id", type=int)
@click.option("--start", required=True, help="When the setup assistance began (ISO 8601 with offset).")
@click.option("--hours", required=True, help="How long (DEL-6: at most 2 hours in all).")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def delivery_setup(delivery_id: int, start: str, hours: str, at: str | None, as_json: bool) -> None:
    """Log the initial setup assistance given to an on-demand assessment (DEL-6)."""
    from unisupport.deliveries.workshops import log_setup_assistance

    work = log_setup_assistance(
        scope=OPERATOR,
        delivery_id=delivery_id,
        starts_at=parse_instant(start, option="--start"),
        hours=_amount(hours, "--hours"),
        at=_when(at),
    )
    _work(work, as_json)


@delivery.command("resource")
@click.argument("delivery_id", type=int)
@click.option("--start", required=True, help="When the resource begins (ISO 8601 with offset).")
@click.option("--days", required=True, help="How long (DEL-6: on site up to 2, remote up to 1).")
@click.option("--on-site", "on_site", is_flag=True, help="An on-site resource (default: remote).")
@click.option(
    "--fee", required=True, help="Its fee, in the order's currency (billed to what the order owes)."
)
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def delivery_resource(**options: Any) -> None:
    """Book the extra analysis resource of an on-demand assessment, a separate paid line (DEL-6)."""
    from unisupport.deliveries.workshops import book_analysis_resource

    work = book_analysis_resource(
        scope=OPERATOR,
        delivery_id=options["delivery_id"],
        starts_at=parse_instant(options["start"], option="--start"),
        days=_amount(options["days"], "--days"),
        on_site=options["on_site"],
        fee=_amount(options["fee"], "--fee"),
        at=_when(options["at"]),
    )
    _work(work, options["as_json"])


def _work(work: Any, as_json: bool) -> None:
    from unisupport.deliveries.presenters import assessment_work_json

    data = assessment_work_json(work)
    if as_json:
        print_json(data)
        return
    click.echo(f"D-{work.delivery_id} {work.kind}: {data['starts_at']} → {data['ends_at']} (DEL-6)")


@click.group("azure-subscription")
def azure_subscription() -> None:
    """A customer's Azure subscriptions (DEL-6: an on-demand assessment needs an active one)."""


@azure_subscription.command("add")
@click.option("--org", "organisation", required=True, help="The customer organisation.")
@click.option("--id", "subscription_id", required=True, help="The subscription ID (a GUID).")
@click.option("--from", "active_from", required=True, type=DATE, help="Active from this day.")
@click.option("--until", "active_until", type=DATE, help="Active until this day (included).")
@json_option
@handles_domain_errors(json_errors=True)
def azure_subscription_add(**options: Any) -> None:
    """Record (or update) a customer's Azure subscription."""
    from unisupport import clock
    from unisupport.ledger.posting import actor_name
    from unisupport.orders.subscription_services import record_azure_subscription

    row = record_azure_subscription(
        scope=OPERATOR,
        organisation=options["organisation"],
        subscription_id=options["subscription_id"],
        active_from=options["active_from"].date(),
        active_until=options["active_until"].date() if options["active_until"] else None,
        at=clock.now(),
        actor=actor_name(None),
    )
    data = {
        "organisation": options["organisation"],
        "subscription_id": str(row.subscription_id),
        "active_from": row.active_from.isoformat(),
        "active_until": row.active_until.isoformat() if row.active_until else None,
        "rules": ["DEL-6"],
    }
    if options["as_json"]:
        print_json(data)
    else:
        click.echo(f"{data['subscription_id']} of {data['organisation']}: active from {data['active_from']}")
