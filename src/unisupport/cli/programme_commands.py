"""`unisupport programme …` and `unisupport mcs …`: the enhanced offerings' milestones (MCS-1..MCS-3,
UER-2, UER-3, REDE-1), monitoring scenarios (MCS-3), service improvement plans (MCS-4), outages
(MCS-5), enrolled subscriptions (MCS-6) and MSCIR before signature (MCS-9)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

from unisupport import clock
from unisupport.cli.incident_commands import at_option, json_option, parse_instant
from unisupport.cli.operator import OPERATOR, operator_name
from unisupport.cli.output import handles_domain_errors, print_json
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop
from unisupport.programmes.presenters import (
    alert_json,
    authorisation_json,
    bill_json,
    enrolment_json,
    outage_json,
)


@click.group()
def programme() -> None:
    """Programmes of the enhanced offerings: milestones, their evidence, the late ones."""


@programme.command("show")
@click.option("--order", required=True)
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def programme_show(order: str, at: str | None, as_json: bool) -> None:
    """Print ORDER's milestones with their rule, due date and state (late ones marked)."""
    from unisupport.programmes.presenters import milestone_json
    from unisupport.programmes.selectors import milestones_of, order_in_scope, sev1_reviews, today_at

    found = order_in_scope(OPERATOR, order)
    now = parse_instant(at or None, option="--at")
    today = today_at(found, now)
    rows = [milestone_json(m, now=now) for m in milestones_of(OPERATOR, order=found)]
    if as_json:
        reviews = sev1_reviews(OPERATOR, order=found)
        print_json(
            {"order": found.number, "today": today.isoformat(), "milestones": rows, "sev1_reviews": reviews}
        )
        return
    if not rows:
        click.echo(f"{found.number}: no enhanced offering with a programme (MCS, UER, REDE)")
    for m in rows:
        click.echo(f"M-{m['id']:<6} {m['due'] or '—':<10}  {m['state']:<8} {m['rule']:<7} {m['name']}")


@programme.command("done")
@click.argument("milestone_id", type=int)
@click.option("--note", default="", help="What was done (the evidence), unless --file is given.")
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False), help="A file as evidence.")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def programme_done(milestone_id: int, note: str, file: str | None, at: str | None, as_json: bool) -> None:
    """Mark MILESTONE_ID done, with its evidence."""
    from unisupport.programmes.presenters import milestone_json
    from unisupport.programmes.services import complete_milestone

    instant = parse_instant(at or None, option="--at")
    evidence = (Path(file).name, Path(file).read_bytes()) if file else None
    found = complete_milestone(
        scope=OPERATOR,
        milestone_id=milestone_id,
        at=instant,
        note=note,
        evidence=evidence,
        actor=operator_name(),
    )
    data = milestone_json(found, now=instant)
    if as_json:
        print_json(data)
    else:
        click.echo(f"M-{found.pk} done ({found.rule}): {data['name']}")


@programme.command("waive")
@click.argument("milestone_id", type=int)
@click.option("--reason", required=True, help="Why the vendor waives it.")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def programme_waive(milestone_id: int, reason: str, at: str | None, as_json: bool) -> None:
    """Waive MILESTONE_ID (the vendor), with the reason."""
    from unisupport.programmes.presenters import milestone_json
    from unisupport.programmes.services import waive_milestone

    instant = parse_instant(at or None, option="--at")
    found = waive_milestone(
        scope=OPERATOR, milestone_id=milestone_id, reason=reason, at=instant, actor=operator_name()
    )
    data = milestone_json(found, now=instant)
    if as_json:
        print_json(data)
    else:
        click.echo(f"M-{found.pk} waived ({found.rule}): {data['name']}")


@programme.command("late")
@click.option("--csam", default=None, help="One CSAM's customers only (a username).")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def programme_late(csam: str | None, at: str | None, as_json: bool) -> None:
    """List the late milestones across every customer, oldest first."""
    from django.contrib.auth.models import User

    from unisupport.programmes.presenters import milestone_json
    from unisupport.programmes.selectors import late_milestones

    instant = parse_instant(at or None, option="--at")
    csam_id = None
    if csam:
        csam_id = User.objects.filter(username=csam).values_list("pk", flat=True).first()
        if csam_id is None:
            raise InvalidInput("--csam", Message(gettext_noop("no user {name!r}"), name=csam))
    rows = [
        milestone_json(m, now=instant) | {"customer": m.organisation.name}
        for m in late_milestones(OPERATOR, now=instant, csam_id=csam_id, limit=10_000)
    ]
    if as_json:
        print_json({"milestones": rows})
        return
    for m in rows:
        click.echo(
            f"M-{m['id']:<6} {m['due']}  {m['order']:<16} {m['customer']:<24} {m['rule']:<7} {m['name']}"
        )
    click.echo(f"{len(rows)} late")


@click.group()
def mcs() -> None:
    """MCS for Azure Platform (Plus): monitoring scenarios, SIPs, outages, subscriptions, MSCIR."""


@mcs.group("monitor")
def monitor() -> None:
    """Monitoring scenarios of an MCS Plus order (MCS-3: at most 7; their telemetry is confidential)."""


@monitor.command("add")
@click.option("--order", required=True)
@click.option("--name", required=True)
@click.option("--monitors", default="", help="The monitors (vendor-confidential).")
@click.option("--thresholds", default="", help="Their thresholds (vendor-confidential).")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def monitor_add(order: str, name: str, monitors: str, thresholds: str, at: str | None, as_json: bool) -> None:
    """Agree a monitoring scenario: exit 1 with MCS-3 for the 8th."""
    from unisupport.programmes.mcs_services import add_scenario
    from unisupport.programmes.presenters import scenario_json

    row = add_scenario(
        scope=OPERATOR,
        order=order,
        name=name,
        monitors=monitors,
        thresholds=thresholds,
        at=parse_instant(at or None, option="--at"),
        actor=operator_name(),
    )
    if as_json:
        print_json(scenario_json(row, scope=OPERATOR))
    else:
        click.echo(f"S-{row.pk} {row.name} (MCS-3)")


@monitor.command("fired")
@click.argument("scenario_id", type=int)
@click.option("--summary", default="", help="What the customer is told (never the telemetry).")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def monitor_fired(scenario_id: int, summary: str, at: str | None, as_json: bool) -> None:
    """Record that a monitor of SCENARIO_ID fired: linked to the open incident, or the customer asked to open one."""
    from unisupport.programmes.mcs_services import record_fired_monitor

    alert = record_fired_monitor(
        scope=OPERATOR,
        scenario_id=scenario_id,
        at=parse_instant(at or None, option="--at"),
        summary=summary,
        actor=operator_name(),
    )
    data = alert_json(alert)
    if as_json:
        print_json(data)
    elif alert.incident_id:
        click.echo(f"linked to incident {alert.incident_id}")
    else:
        click.echo("no incident open: the customer is asked to open one (MCS-3)")


@mcs.group("sip")
def sip() -> None:
    """Service improvement plans (MCS-4: two per rolling 12 months)."""


@sip.command("request")
@click.option("--order", required=True)
@click.option("--topic", default="")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def sip_request(order: str, topic: str, at: str | None, as_json: bool) -> None:
    """Request a SIP: exit 1 with MCS-4 for a third within 12 months, naming when the next is possible."""
    from unisupport.programmes.mcs_services import request_sip
    from unisupport.programmes.presenters import plan_json

    row = request_sip(
        scope=OPERATOR,
        order=order,
        topic=topic,
        at=parse_instant(at or None, option="--at"),
        actor=operator_name(),
    )
    if as_json:
        print_json(plan_json(row))
    else:
        click.echo(f"SIP-{row.pk} requested on {row.requested_on} (MCS-4)")


@mcs.group("outage")
def outage() -> None:
    """Declared Azure outages and their communications (MCS-5)."""


@outage.command("declare")
@click.option("--title", required=True)
@click.option(
    "--service", "services", multiple=True, required=True, help="An affected Azure service; repeat."
)
@click.option("--region", "regions", multiple=True, help="An affected Azure region; repeat.")
@click.option("--start", "start", required=True, help="When it started (ISO 8601 with offset).")
@click.option("--end", "end", default=None, help="When it ended, if it has.")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def outage_declare(**options: Any) -> None:
    """Record an Azure outage and send its tailored communications to the MCS Plus customers' contacts."""
    from unisupport.programmes.outages import declare_outage

    found, sent = declare_outage(
        scope=OPERATOR,
        title=options["title"],
        services=options["services"],
        regions=options["regions"],
        started_at=parse_instant(options["start"], option="--start"),
        ended_at=parse_instant(options["end"], option="--end") if options["end"] else None,
        at=parse_instant(options["at"] or None, option="--at"),
        actor=operator_name(),
    )
    data = outage_json(found, sent)
    if options["as_json"]:
        print_json(data)
    else:
        click.echo(f"outage {found.pk}: {len(sent)} communications sent (MCS-5)")


@outage.command("contact")
@click.option("--order", required=True)
@click.option("--email", required=True)
@click.option("--name", default="")
@json_option
@handles_domain_errors(json_errors=True)
def outage_contact(order: str, email: str, name: str, as_json: bool) -> None:
    """Add a pre-identified contact for ORDER's outage communications (MCS-5)."""
    from unisupport.orders.presenters import contact_json
    from unisupport.success.contact_services import add_contact

    row = add_contact(
        scope=OPERATOR, order=order, role="outage", email=email, name=name or email, at=clock.now()
    )
    data = contact_json(row)
    if as_json:
        print_json(data)
    else:
        click.echo(f"{row.order.number}: outage contact {row.email}")


@mcs.command("enrol")
@click.option("--order", required=True)
@click.option("--subscription", required=True, help="The subscription's ID.")
@click.option("--name", default="")
@click.option("--region", default="", help="Its main Azure region (for outage communications).")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def mcs_enrol(order: str, subscription: str, name: str, region: str, at: str | None, as_json: bool) -> None:
    """Enrol a subscription on an MCS for Azure Platform order: only enrolled ones are prioritised (MCS-6)."""
    from unisupport.programmes.mcs_services import enrol_subscription

    row = enrol_subscription(
        scope=OPERATOR,
        order=order,
        subscription=subscription,
        name=name,
        region=region,
        at=parse_instant(at or None, option="--at"),
        actor=operator_name(),
    )
    data = enrolment_json(row)
    if as_json:
        print_json(data)
    else:
        click.echo(f"{row.order.number}: {row.subscription_id} enrolled (MCS-6)")


@mcs.command("authorise")
@click.option("--order", required=True)
@click.option("--by", "by", required=True, help="The customer's person who authorised the early start.")
@click.option("--started-on", "started_on", required=True, help="The day MSCIR work started (YYYY-MM-DD).")
@click.option("--note", default="")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def mcs_authorise(order: str, by: str, started_on: str, note: str, at: str | None, as_json: bool) -> None:
    """Record the customer's authorisation to start MSCIR before its contract is signed (MCS-9)."""
    from unisupport.programmes.mcs_services import authorise_before_signature

    try:
        day = dt.date.fromisoformat(started_on)
    except ValueError:
        raise InvalidInput("--started-on", Message(gettext_noop("expected a date YYYY-MM-DD"))) from None
    row = authorise_before_signature(
        scope=OPERATOR,
        order=order,
        authorised_by=by,
        started_on=day,
        note=note,
        at=parse_instant(at or None, option="--at"),
        actor=operator_name(),
    )
    data = authorisation_json(row)
    if as_json:
        print_json(data)
    else:
        click.echo(f"{row.order.number}: authorised by {row.authorised_by} (MCS-9)")


@mcs.command("bill-before-signature")
@click.option("--order", required=True)
@click.option("--amount", required=True, help="In the order's currency.")
@click.option("--note", default="")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def mcs_bill(order: str, amount: str, note: str, at: str | None, as_json: bool) -> None:
    """Bill MSCIR work done before signature to what ORDER owes (MCS-9)."""
    from unisupport.programmes.mcs_services import bill_before_signature

    try:
        value = Decimal(amount)
    except InvalidOperation:
        raise InvalidInput("--amount", Message(gettext_noop("expected a number"))) from None
    (entry,) = bill_before_signature(
        scope=OPERATOR,
        order=order,
        amount=value,
        note=note,
        at=parse_instant(at or None, option="--at"),
        actor=operator_name(),
    )
    data = bill_json(order, entry)
    if as_json:
        print_json(data)
    else:
        click.echo(f"{order}: {entry.amount} billed (MCS-9)")
