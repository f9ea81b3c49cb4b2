"""`unisupport delivery …`: request, schedule, reschedule, cancel and deliver proactive services (DEL-*)."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal, InvalidOperation
from typing import Any

import click

from unisupport.accounts.selectors import active_user
from unisupport.cli.incident_commands import at_option, json_option, parse_instant
from unisupport.cli.operator import OPERATOR
from unisupport.cli.output import handles_domain_errors, print_json
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop

DATE = click.DateTime(formats=["%Y-%m-%d"])


@click.group()
def delivery() -> None:
    """Proactive deliveries: request (paid from the entitlements), schedule, reschedule, cancel, deliver."""


def _print(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(data)
        return
    when = f" on {data['on']}" if data.get("on") else ""
    flag = "  best effort (DEL-1)" if data.get("best_effort") else ""
    click.echo(
        f"D-{data['id']} {data['service']} at {data['site']}: {data['state']}{when}; {data['cost']} {data['unit']}{flag}"
    )
    if data.get("fee_percent") is not None or "fee" in data:
        click.echo(
            f"  fee {data.get('fee')} ({data.get('fee_percent')} %), refund {data.get('refund')}; {', '.join(data['rules'])}"
        )


@delivery.command("request")
@click.option("--order", required=True)
@click.option("--site", required=True, help="Country of the delivering site.")
@click.option(
    "--service", required=True, help="Catalog code of a proactive service, workshop or enhanced solution."
)
@click.option("--quantity", default="1", show_default=True, help="Participants of a workshop, or units.")
@click.option(
    "--pay",
    default="credits",
    show_default=True,
    type=click.Choice(["credits", "allocation", "hours", "money"]),
)
@click.option("--on-site", "on_site", is_flag=True, help="Delivered on site (DEL-5).")
@click.option("--language", help="Delivery language (DEL-8); default: the site's.")
@click.option(
    "--price",
    help="Unit price quoted by the vendor in the order's currency, for --pay allocation|money "
    "when the order prices no such line.",
)
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def delivery_request(**options: Any) -> None:
    """Request a service; its cost is reserved at once on what pays for it (CRD-1/CRD-2, HRS-1/HRS-2)."""
    from unisupport.deliveries.presenters import delivery_json
    from unisupport.deliveries.services import request_delivery
    from unisupport.domain.deliveries import DeliveryRequest

    command = DeliveryRequest.parse(
        order=options["order"],
        site=options["site"],
        service=options["service"],
        quantity=options["quantity"],
        pay=options["pay"],
        on_site=options["on_site"],
        language=options["language"],
        price=options["price"],
    )
    at = parse_instant(options["at"] or None, option="--at")
    _print(delivery_json(request_delivery(scope=OPERATOR, command=command, at=at)), options["as_json"])


@delivery.command("schedule")
@click.argument("delivery_id", type=int)
@click.option("--on", "on", required=True, type=DATE, help="The site's local date.")
@click.option("--start", help="HH:MM, the site's time.")
@click.option("--hours", help="Duration in hours.")
@click.option("--engineer", help="The engineer's username.")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def delivery_schedule(
    delivery_id: int,
    on: dt.datetime,
    start: str | None,
    hours: str | None,
    engineer: str | None,
    at: str | None,
    as_json: bool,
) -> None:
    """Schedule a requested delivery on a business day of its site within the order's term (ORD-1)."""
    from unisupport.deliveries.presenters import delivery_json
    from unisupport.deliveries.services import schedule_delivery

    try:
        begins = dt.time.fromisoformat(start) if start else None
    except ValueError:
        raise InvalidInput("--start", f"expected HH:MM, got {start!r}") from None
    try:
        duration = Decimal(hours) if hours else None
    except InvalidOperation:
        raise InvalidInput("--hours", f"expected a number of hours, got {hours!r}") from None
    done = schedule_delivery(
        scope=OPERATOR,
        delivery_id=delivery_id,
        on=on.date(),
        start=begins,
        hours=duration,
        engineer=active_user(engineer, field="--engineer"),
        at=parse_instant(at or None, option="--at"),
    )
    _print(delivery_json(done), as_json)


@delivery.command("reschedule")
@click.argument("delivery_id", type=int)
@click.option("--on", "on", required=True, type=DATE, help="The new local date.")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def delivery_reschedule(delivery_id: int, on: dt.datetime, at: str | None, as_json: bool) -> None:
    """Move a scheduled delivery: the first move is free (DEL-3), later ones pay DEL-2's fee."""
    from unisupport.deliveries.presenters import fee_json
    from unisupport.deliveries.services import reschedule_delivery

    done, fee = reschedule_delivery(
        scope=OPERATOR,
        delivery_id=delivery_id,
        on=on.date(),
        at=parse_instant(at or None, option="--at"),
    )
    _print(fee_json(done, fee), as_json)


@delivery.command("cancel")
@click.argument("delivery_id", type=int)
@click.option("--by", "by", default="customer", show_default=True, type=click.Choice(["customer", "vendor"]))
@click.option("--reason", default="")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def delivery_cancel(delivery_id: int, by: str, reason: str, at: str | None, as_json: bool) -> None:
    """Cancel a delivery: DEL-2's fee by notice for the customer, everything returned by the vendor (DEL-4)."""
    from unisupport.deliveries.presenters import fee_json
    from unisupport.deliveries.services import cancel_delivery
    from unisupport.domain.deliveries import CancelledBy

    done, fee = cancel_delivery(
        scope=OPERATOR,
        delivery_id=delivery_id,
        by=CancelledBy(by),
        reason=reason,
        at=parse_instant(at or None, option="--at"),
    )
    _print(fee_json(done, fee), as_json)


@delivery.command("refuse")
@click.argument("delivery_id", type=int)
@click.option("--rule", required=True, help="The rule the refusal cites, e.g. DEL-4 (no resource) or MC-11.")
@click.option("--reason", required=True, help="Why, in words the customer reads.")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def delivery_refuse(delivery_id: int, rule: str, reason: str, at: str | None, as_json: bool) -> None:
    """Refuse a request not yet scheduled (the vendor), citing the rule; everything paid is returned (DEL-4)."""
    from unisupport.deliveries.presenters import refusal_json
    from unisupport.deliveries.services import refuse_delivery

    done, fee = refuse_delivery(
        scope=OPERATOR,
        delivery_id=delivery_id,
        rule=rule,
        reason=reason,
        at=parse_instant(at or None, option="--at"),
    )
    _print(refusal_json(done, fee), as_json)


@delivery.command("deliver")
@click.argument("delivery_id", type=int)
@click.option(
    "--file", "files", multiple=True, help="A deliverable (recording, report) to attach; repeat for several."
)
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def delivery_deliver(delivery_id: int, files: tuple[str, ...], at: str | None, as_json: bool) -> None:
    """Record a scheduled delivery as delivered (its reserved payment is what it consumed), with its
    deliverables (DEL-7)."""
    from unisupport.deliveries.presenters import delivery_json
    from unisupport.deliveries.services import deliver

    uploads = read_files(files)
    done = deliver(
        scope=OPERATOR,
        delivery_id=delivery_id,
        at=parse_instant(at or None, option="--at"),
        files=uploads,
    )
    _print(delivery_json(done, timeline=True), as_json)


def read_files(paths: tuple[str, ...]) -> list[tuple[str, bytes]]:
    """Return each file's name and bytes, or raise InvalidInput naming --file (nothing written)."""
    read = []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                read.append((os.path.basename(path), handle.read()))
        except OSError as exc:
            raise InvalidInput(
                "--file", Message(gettext_noop("cannot read {path}: {why}"), path=path, why=exc.strerror)
            ) from None
    return read


@delivery.command("show")
@click.argument("delivery_id", type=int)
@json_option
@handles_domain_errors
def delivery_show(delivery_id: int, as_json: bool) -> None:
    """Show a delivery with its timeline."""
    from unisupport import clock
    from unisupport.deliveries.presenters import delivery_json
    from unisupport.deliveries.selectors import cancellation_preview, delivery_for

    found = delivery_for(OPERATOR, delivery_id=delivery_id)
    data = delivery_json(found, timeline=True) | {"preview": cancellation_preview(found, at=clock.now())}
    if as_json:
        print_json(data)
        return
    _print(data, False)
    preview = data["preview"]
    if isinstance(preview, dict):
        now = preview["cancel_now"]
        free = f"; free until {preview['free_until']}" if preview["free_until"] else ""
        click.echo(
            f"  cancel now: {now['fee_percent']} % = {now['fee']} {data['unit']}{free} ({now['rule']})"
        )
    for event in found.timeline.all():
        click.echo(f"  {event.at:%Y-%m-%d %H:%M}  {event.kind:<12} {event.rule}")


@delivery.command("register")
@click.argument("delivery_id", type=int)
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option(
    "--consent",
    is_flag=True,
    help="The participant consents to the recording and to their name being seen (DEL-7).",
)
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def delivery_register(
    delivery_id: int, name: str, email: str, consent: bool, at: str | None, as_json: bool
) -> None:
    """Register a participant of a workshop bought per participant (DEL-7)."""
    from unisupport.deliveries.services import register_participant

    done = register_participant(
        scope=OPERATOR,
        delivery_id=delivery_id,
        name=name,
        email=email,
        consents_recording=consent,
        consents_name_visible=consent,
        at=parse_instant(at or None, option="--at"),
    )
    data = {"id": done.pk, "delivery": delivery_id, "email": done.email, "rule": "DEL-7"}
    if as_json:
        print_json(data)
        return
    click.echo(f"{done.name} <{done.email}> registered for D-{delivery_id} (DEL-7)")


@delivery.command("plan")
@click.option("--order", required=True)
@json_option
@handles_domain_errors
def delivery_plan(order: str, as_json: bool) -> None:
    """Propose deliveries that spend what the order would forfeit at its end (ORD-5), on engineers' free days."""
    from unisupport import clock
    from unisupport.deliveries.planner import plan_for

    data = plan_for(OPERATOR, order=order, at=clock.now())
    if as_json:
        print_json(data)
        return
    flag = "  best effort (DEL-1)" if str(data["today"]) > str(data["deadline"]) else ""
    click.echo(f"{data['order']}: requests in full until {data['deadline']}{flag}")
    for p in data["proposals"]:  # type: ignore[attr-defined]
        click.echo(
            f"  {p['on']}  {p['site']}  {p['service']:<32} {p['cost']:>6} {p['unit']:<7} {p['engineer']}"
        )
    for lot in data["still_expiring"]:  # type: ignore[attr-defined]
        click.echo(f"  still expiring on {lot['expires_on']}: {lot['amount']} {lot['unit']} at {lot['site']}")


@delivery.command("list")
@click.option("--order")
@click.option("--state", type=click.Choice(["requested", "scheduled", "delivered", "cancelled", "refused"]))
@click.option("--best-effort", "best_effort", is_flag=True, help="Only the best-effort requests (DEL-1).")
@click.option("--after", type=int, help="Continue after this delivery id (the last of the page before).")
@click.option("--limit", type=click.IntRange(1, 5000), default=500, show_default=True)
@json_option
@handles_domain_errors
def delivery_list(
    order: str | None, state: str | None, best_effort: bool, after: int | None, limit: int, as_json: bool
) -> None:
    """List deliveries, newest request first, a page at a time."""
    from unisupport.deliveries.presenters import delivery_json
    from unisupport.deliveries.selectors import deliveries_for

    rows = [
        delivery_json(d)
        for d in deliveries_for(
            OPERATOR, order=order, state=state, best_effort=True if best_effort else None, after=after
        ).select_related("payment", "engineer")[:limit]
    ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        _print(row, False)


# iCalendar feeds (RFC 5545) of scheduled deliveries: an organisation's, or an engineer's.


@delivery.group("feed")
def delivery_feed() -> None:
    """Calendar feeds of scheduled deliveries (/deliveries.ics?token=…): create one, revoke one."""


def _feed_json(token: Any, path: str | None = None) -> dict[str, Any]:
    from unisupport.deliveries.presenters import iso

    data: dict[str, Any] = {
        "id": token.pk,
        "organisation": token.organisation.name if token.organisation_id else None,
        "engineer": token.engineer.get_username() if token.engineer_id else None,
        "created_at": iso(token.created_at),
        "revoked_at": iso(token.revoked_at),
    }
    if path is not None:
        data["path"] = path  # the secret, shown this once
    return data


@delivery_feed.command("create")
@click.option("--organisation", help="The customer organisation's name: its scheduled deliveries.")
@click.option("--engineer", help="An engineer's username: the deliveries they deliver.")
@json_option
@handles_domain_errors(json_errors=True)
def delivery_feed_create(organisation: str | None, engineer: str | None, as_json: bool) -> None:
    """Create a feed and print its address once (the secret is stored only as a digest)."""
    from unisupport import clock
    from unisupport.accounts.models import Organisation
    from unisupport.deliveries.feeds import create_feed_token

    if (organisation is None) == (engineer is None):
        raise InvalidInput("--organisation", "give --organisation NAME or --engineer USERNAME")
    organisation_id = None
    if organisation is not None:
        found = Organisation.objects.filter(name=organisation).first()
        if found is None:
            raise InvalidInput("--organisation", f"no organisation {organisation!r}")
        organisation_id = found.pk
    issued = create_feed_token(
        scope=OPERATOR,
        organisation_id=organisation_id,
        engineer=active_user(engineer, field="--engineer"),
        at=clock.now(),
    )
    data = _feed_json(issued.token, issued.path)
    if as_json:
        print_json(data)
        return
    click.echo(f"F-{data['id']} {data['organisation'] or data['engineer']}: {issued.path}")
    click.echo("  shown once: subscribe to it with the portal's host in front of it.")


@delivery_feed.command("revoke")
@click.argument("token_id", type=int)
@json_option
@handles_domain_errors(json_errors=True)
def delivery_feed_revoke(token_id: int, as_json: bool) -> None:
    """Revoke a feed: its address answers 404 from now on."""
    from unisupport import clock
    from unisupport.deliveries.feeds import revoke_feed_token

    token = revoke_feed_token(scope=OPERATOR, token_id=token_id, at=clock.now())
    data = _feed_json(token)
    if as_json:
        print_json(data)
        return
    click.echo(f"F-{data['id']} revoked at {data['revoked_at']}")


# The workshop, assessment and deliverable commands join the group (cli/workshop_commands.py).
from unisupport.cli import workshop_commands  # noqa: E402, F401
