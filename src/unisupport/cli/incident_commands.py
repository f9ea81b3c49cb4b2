"""`unisupport incident …`, `unisupport sla report` and `unisupport worker`: reactive support."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import click

from unisupport import clock
from unisupport.calendars import instants
from unisupport.cli.operator import OPERATOR
from unisupport.cli.output import handles_domain_errors, print_json
from unisupport.domain.errors import InvalidInput
from unisupport.domain.incident_commands import OpenIncident
from unisupport.domain.messages import Message, gettext_noop


def parse_instant(value: str | None, *, option: str) -> dt.datetime:
    """Return the aware instant of an ISO 8601 option (now when absent); naive input exits 2 naming it."""
    if value is None:
        return clock.now()
    return instants.parse_instant(value, field=option).astimezone(dt.UTC)


def at_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --at (an event logged after the fact) to a command."""
    return click.option("--at", "at", help="When it happened (ISO 8601 with offset); default: now.")(func)


def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --json to a command."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(func)


def _show(incident_id: int, as_json: bool) -> None:
    from unisupport.incidents.presenters import incident_json
    from unisupport.incidents.selectors import incident_for

    incident = incident_for(OPERATOR, incident_id=incident_id)
    data = incident_json(incident, now=clock.now())
    if as_json:
        print_json(data)
        return
    met = {True: "met", False: "missed", None: "pending"}[incident.response_met]
    click.echo(f"#{data['id']}  Sev {data['severity']}  {data['state']}  {data['title']}")
    click.echo(f"  {data['organisation']} — order {data['order']}, site {data['site']} — {data['product']}")
    if data["due"]:
        rules = ", ".join(incident.rules)
        click.echo(
            f"  response: {data['target_minutes']} min ({data['clock']}, {data['offering']}; "
            f"{rules}) due {data['due_local']} = {data['due']} — {met}"
        )
    for event in data["timeline"]:  # type: ignore[attr-defined]
        rule = f" [{event['rule']}]" if event.get("rule") else ""
        click.echo(f"  {event['at']}  {event['kind']}{rule}  ({event['actor']})")


@click.group()
def incident() -> None:
    """Incidents: open, respond, change severity, mitigate, close, RCA, show, list."""


@incident.command("open")
@click.option("--order", "order_number", required=True)
@click.option(
    "--site", required=True, help="Country of the support site (its calendar runs the business clock)."
)
@click.option("--severity", required=True, help="Agreed severity: 1, A, B or C.")
@click.option("--proposed", "proposed", help="The severity the customer proposed, if different (SEV-1).")
@click.option("--product", required=True)
@click.option("--channel", required=True, help="phone or web (advisory: email, chat or phone).")
@click.option("--title", required=True)
@click.option("--description", default="")
@click.option("--kind", default="problem-resolution", type=click.Choice(["problem-resolution", "advisory"]))
@click.option("--24x7", "option_24x7", is_flag=True, help="Sev B with continuous 24x7 engagement (SEV-7).")
@click.option("--language", default="en", show_default=True, help="ISO 639-1 language asked for (SEV-10).")
@click.option("--portal", "source_portal", default="", help="Source portal, e.g. 'Azure portal' (INC-1).")
@click.option("--no-production-impact", is_flag=True, help="For RCA-2.")
@click.option("--subscription", default="", help="The Azure subscription affected (MCS-6: asked under MCS).")
@click.option("--callback-phone", default="", help="The phone number the vendor calls back (RSP-6).")
@click.option("--callback-email", default="", help="The e-mail address the vendor writes back to (RSP-6).")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def incident_open(**options: Any) -> None:
    """Open an incident; print its id, due time, target and the rules that decided it."""
    from unisupport.incidents.presenters import opened_json
    from unisupport.incidents.services import open_incident

    created = open_incident(
        scope=OPERATOR,
        command=OpenIncident.parse(
            order_number=options["order_number"],
            site_country=options["site"],
            severity=options["severity"],
            proposed_severity=options["proposed"],
            product=options["product"],
            channel=options["channel"],
            title=options["title"],
            description=options["description"],
            kind=options["kind"],
            option_24x7=options["option_24x7"],
            language=options["language"],
            source_portal=options["source_portal"],
            production_impact=not options["no_production_impact"],
            subscription=options["subscription"],
            callback_phone=options["callback_phone"],
            callback_email=options["callback_email"],
        ),
        at=parse_instant(options["at"], option="--at"),
    )
    data = opened_json(created)
    if options["as_json"]:
        print_json(data)
    else:
        rules = ", ".join(created.rules)
        click.echo(
            f"#{data['id']} opened; first response due {data['due']} "
            f"({data['target_minutes']} min, {data['clock']}, {data['offering']}; {rules})"
        )
        if data["counts_until"] != data["due"]:
            click.echo(
                f"  a response still counts until {data['counts_until']} (no business time in between, SEV-2)"
            )


@incident.command("respond")
@click.argument("incident_id", type=int)
@click.option("--channel", required=True, type=click.Choice(["phone", "email"]))
@click.option(
    "--automated", is_flag=True, help="An automatic acknowledgement: logged, does not stop the clock."
)
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def incident_respond(incident_id: int, channel: str, automated: bool, at: str | None, as_json: bool) -> None:
    """Record a contact with the customer; the first non-automated one is the first response."""
    from unisupport.incidents.services import respond

    respond(
        scope=OPERATOR,
        incident_id=incident_id,
        channel=channel,
        automated=automated,
        at=parse_instant(at, option="--at"),
    )
    _show(incident_id, as_json)


@incident.command("severity")
@click.argument("incident_id", type=int)
@click.option("--to", "to", required=True, help="1, A, B or C.")
@click.option(
    "--reason",
    help="Required for a downgrade: customer-resources, customer-responses or obligation-missed (SEV-8).",
)
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def incident_severity(incident_id: int, to: str, reason: str | None, at: str | None, as_json: bool) -> None:
    """Change the severity (SEV-8); the response clock carries on under the new one."""
    from unisupport.incidents.services import change_severity

    change_severity(
        scope=OPERATOR, incident_id=incident_id, to=to, reason=reason, at=parse_instant(at, option="--at")
    )
    _show(incident_id, as_json)


def _state_command(name: str, action: str) -> None:
    @incident.command(name)
    @click.argument("incident_id", type=int)
    @at_option
    @json_option
    @handles_domain_errors
    def command(incident_id: int, at: str | None, as_json: bool) -> None:
        from unisupport.incidents import services

        getattr(services, action)(
            scope=OPERATOR, incident_id=incident_id, at=parse_instant(at, option="--at")
        )
        _show(incident_id, as_json)

    command.__doc__ = f"Mark the incident {name}d." if name != "close" else "Close the incident."


_state_command("mitigate", "mitigate")
_state_command("close", "close")


@incident.command("wait")
@click.argument("incident_id", type=int)
@click.option("--what", default="", help="What is asked of the customer.")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def incident_wait(incident_id: int, what: str, at: str | None, as_json: bool) -> None:
    """Ask the customer for something; starts the SEV-9 clock (Sev B: 4 business hours, Sev C: 24 h)."""
    from unisupport.incidents.services import request_customer_action

    request_customer_action(
        scope=OPERATOR, incident_id=incident_id, what=what, at=parse_instant(at, option="--at")
    )
    _show(incident_id, as_json)


@incident.command("answered")
@click.argument("incident_id", type=int)
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def incident_answered(incident_id: int, at: str | None, as_json: bool) -> None:
    """Record the customer's answer to what was asked (SEV-9)."""
    from unisupport.incidents.services import fulfil_customer_action

    fulfil_customer_action(scope=OPERATOR, incident_id=incident_id, at=parse_instant(at, option="--at"))
    _show(incident_id, as_json)


@incident.command("rca")
@click.argument("incident_id", type=int)
@click.option("--via", default="customer", type=click.Choice(["customer", "csam", "mcs-engineer"]))
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def incident_rca(incident_id: int, via: str, at: str | None, as_json: bool) -> None:
    """Request a root cause analysis (RCA-1..RCA-3); a refusal exits 1 naming its rule."""
    from unisupport.incidents.presenters import iso
    from unisupport.incidents.services import request_rca

    rca = request_rca(scope=OPERATOR, incident_id=incident_id, via=via, at=parse_instant(at, option="--at"))
    data = {"incident": incident_id, "rule": rca.rule, "due_at": iso(rca.due_at), "note": rca.note}
    if as_json:
        print_json(data)
    else:
        click.echo(
            f"RCA accepted under {rca.rule}"
            + (f", due {data['due_at']}" if rca.due_at else "")
            + f": {rca.note}"
        )


@incident.command("advisory-time")
@click.argument("incident_id", type=int)
@click.option("--hours", required=True)
@click.option("--note", default="")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def incident_advisory_time(incident_id: int, hours: str, note: str, at: str | None, as_json: bool) -> None:
    """Log time on an advisory request; refused past 6 hours per incident (HRS-3)."""
    from unisupport.incidents.services import log_advisory_time

    try:
        amount = Decimal(hours)
    except InvalidOperation:
        raise InvalidInput(
            "--hours", Message(gettext_noop("expected a number, got {hours!r}"), hours=hours)
        ) from None
    log_advisory_time(
        scope=OPERATOR, incident_id=incident_id, hours=amount, note=note, at=parse_instant(at, option="--at")
    )
    _show(incident_id, as_json)


@incident.command("review")
@click.argument("incident_id", type=int)
@click.option("--scheduled-for", help="When the review takes place (ISO 8601).")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def incident_review(incident_id: int, scheduled_for: str | None, at: str | None, as_json: bool) -> None:
    """Request UER's post-incident review of a Sev 1 incident (INC-8)."""
    from unisupport.incidents.services import request_post_incident_review

    request_post_incident_review(
        scope=OPERATOR,
        incident_id=incident_id,
        at=parse_instant(at, option="--at"),
        scheduled_for=parse_instant(scheduled_for, option="--scheduled-for") if scheduled_for else None,
    )
    _show(incident_id, as_json)


@incident.command("show")
@click.argument("incident_id", type=int)
@json_option
@handles_domain_errors(json_errors=True)
def incident_show(incident_id: int, as_json: bool) -> None:
    """Show an incident: target, due time (site time and UTC), outcome and timeline."""
    _show(incident_id, as_json)


@incident.command("list")
@click.option("--breached", is_flag=True, help="Only incidents whose first response was late.")
@click.option("--order", "order_number")
@click.option("--open", "open_only", is_flag=True, help="Only incidents not closed.")
@click.option("--severity")
@json_option
@handles_domain_errors(json_errors=True)
def incident_list(
    breached: bool, order_number: str | None, open_only: bool, severity: str | None, as_json: bool
) -> None:
    """List incidents, newest first."""
    from unisupport.incidents.presenters import incident_json
    from unisupport.incidents.selectors import filtered

    now = clock.now()
    rows = filtered(OPERATOR, order=order_number, breached=breached, open_only=open_only, severity=severity)
    data = [
        incident_json(i, now=now, timeline=False)
        for i in rows.select_related("assigned_engineer", "incident_manager")
    ]
    if as_json:
        print_json(data)
        return
    for row in data:
        met = {True: "met", False: "MISSED", None: "pending"}[row["response_met"]]  # type: ignore[index]
        click.echo(
            f"#{row['id']:<6} Sev {row['severity']}  {row['state']:<20} {row['order']:<14} due {row['due']}  {met:<8} {row['title']}"
        )


@click.command("report")
@click.option("--order", "order_number")
@click.option("--from", "start", required=True, help="ISO date or instant (inclusive).")
@click.option("--to", "end", required=True, help="ISO date or instant (exclusive).")
@json_option
@handles_domain_errors(json_errors=True)
def sla_report(order_number: str | None, start: str, end: str, as_json: bool) -> None:
    """SLA attainment of first responses, per severity, offering and site (computed in the database)."""
    from unisupport.incidents.selectors import attainment_report

    def bound(value: str, option: str) -> dt.datetime:
        if len(value) == 10:
            value += "T00:00:00Z"
        return parse_instant(value, option=option)

    report = attainment_report(
        OPERATOR, order=order_number, start=bound(start, "--from"), end=bound(end, "--to")
    )
    if as_json:
        print_json(report)
        return

    def pct(v: object) -> str:
        return "—" if v is None else f"{float(v) * 100:.1f} %"  # type: ignore[arg-type]

    click.echo(
        f"{report['incidents']} decided, {report['met']} met: {pct(report['attainment'])} ({report['pending']} pending)"
    )
    for name in ("by_severity", "by_offering", "by_site"):
        click.echo(f"  {name.removeprefix('by_')}:")
        for key, fig in report[name].items():  # type: ignore[attr-defined]
            click.echo(f"    {key:<28} {fig['met']}/{fig['incidents']}  {pct(fig['attainment'])}")


@click.command("worker")
@click.option("--once", is_flag=True, help="One pass, then exit.")
@click.option("--now", "now", help="Act as if it were this instant (ISO 8601): for tests and replays.")
@click.option("--interval", default=15.0, show_default=True, help="Seconds between passes.")
@click.option("--no-send", is_flag=True, help="Queue e-mails without sending them.")
@handles_domain_errors
def worker(once: bool, now: str | None, interval: float, no_send: bool) -> None:
    """Process due milestones (75 % warnings, breaches, SEV-9, RCA) and send the notifications;
    forfeit, once a day at each site, what lapsed in the ledger (ORD-5, FLX-2, ORD-2); remind of
    deliveries' last free day (DEL-2) and of entitlements unspent 75 days before an order's end;
    remind once of each programme milestone that turned late (MCS-1..MCS-3, UER-2, UER-3, REDE-1);
    e-mail each order's monthly review on the first business day of the month at its host site;
    owe the webhook endpoints the new events and send what is due."""
    from unisupport.deliveries.worker import remind_due
    from unisupport.incidents.worker import tick
    from unisupport.ledger.worker import expire_due
    from unisupport.ops.services import record_beat
    from unisupport.programmes.worker import remind_late
    from unisupport.success.review_mail import send_monthly_reviews
    from unisupport.webhooks.delivery import deliver_due
    from unisupport.webhooks.feed import collect

    while True:
        instant = parse_instant(now, option="--now")
        reminders = remind_due(now=instant)  # queued before the tick sends the outbox
        late = remind_late(now=instant)
        reviews = send_monthly_reviews(now=instant)
        owed = collect(now=instant)
        hooks = deliver_due(now=instant) if not no_send else {"delivered": 0}
        result = tick(now=instant, send=not no_send)
        forfeited = expire_due(now=instant)
        record_beat(name="worker", at=instant)  # /health/ready: the worker is alive
        if once:
            click.echo(f"processed {result['processed']} milestones, sent {result['sent']} e-mails")
            click.echo(f"posted {len(forfeited)} forfeitures (ORD-5, FLX-2, ORD-2)")
            click.echo(f"queued {reminders} delivery reminders (DEL-2, DEL-1)")
            click.echo(f"reminded {late} late programme milestones")
            click.echo(f"queued {reviews} monthly review e-mails")
            click.echo(f"owed {owed} webhook messages, delivered {hooks['delivered']}")
            return
        time.sleep(interval)


@incident.command("diagnostics")
@click.argument("incident_id", type=int)
@click.option("--ask", "what", required=True, help="What the reactive contacts are asked to perform (RSP-6).")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def incident_diagnostics(incident_id: int, what: str, at: str | None, as_json: bool) -> None:
    """Ask the incident's reactive contacts to perform diagnostics (RSP-6); they are e-mailed."""
    from unisupport.incidents.services.diagnostics import ask_diagnostics

    row = ask_diagnostics(
        scope=OPERATOR,
        incident_id=incident_id,
        what=what,
        at=parse_instant(at or None, option="--at"),
    )
    data = {"id": row.pk, "incident": incident_id, "what": row.what, "rule": "RSP-6"}
    print_json(data) if as_json else click.echo(
        f"diagnostics #{row.pk} asked on incident {incident_id} (RSP-6)"
    )


@incident.command("diagnostics-provided")
@click.argument("request_id", type=int)
@click.option("--note", default="")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def incident_diagnostics_provided(request_id: int, note: str, at: str | None, as_json: bool) -> None:
    """Record that the diagnostics asked were performed (RSP-6)."""
    from unisupport.incidents.services.diagnostics import provide_diagnostics

    row = provide_diagnostics(
        scope=OPERATOR,
        request_id=request_id,
        note=note,
        at=parse_instant(at or None, option="--at"),
    )
    data = {
        "id": row.pk,
        "incident": row.incident_id,
        "provided_at": row.provided_at.isoformat() if row.provided_at else None,
        "rule": "RSP-6",
    }
    print_json(data) if as_json else click.echo(f"diagnostics #{row.pk} provided (RSP-6)")


def register(cli: click.Group) -> None:
    """Add the incident commands to ``cli`` (and `report` to its `sla` group, if present)."""
    cli.add_command(incident)
    cli.add_command(worker)
    sla = cli.commands.get("sla")
    if isinstance(sla, click.Group):
        sla.add_command(sla_report)
    else:
        group = click.Group("sla", help="Response targets and attainment.")
        group.add_command(sla_report)
        cli.add_command(group)


@incident.command("comment")
@click.argument("incident_id", type=int)
@click.option("--text", required=True, help="The comment.")
@click.option("--internal", is_flag=True, help="An internal note the customer never sees.")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def incident_comment(incident_id: int, text: str, internal: bool, at: str | None, as_json: bool) -> None:
    """Add a comment to the incident's conversation (RSP-6)."""
    from unisupport.incidents.services.conversation import add_comment

    row = add_comment(
        scope=OPERATOR, incident_id=incident_id, text=text, internal=internal,
        at=parse_instant(at or None, option="--at"),
    )  # fmt: skip
    data = {"id": row.pk, "incident": incident_id, "internal": row.internal, "rule": "RSP-6"}
    print_json(data) if as_json else click.echo(f"comment #{row.pk} added to incident {incident_id}")


@incident.command("attach")
@click.argument("incident_id", type=int)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--internal", is_flag=True, help="A file the customer never sees.")
@click.option(
    "--answers",
    type=int,
    default=None,
    metavar="DOCUMENT",
    help="The RCA document (RCA-5) the file is: marks it provided.",
)
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def incident_attach(
    incident_id: int, path: str, internal: bool, answers: int | None, at: str | None, as_json: bool
) -> None:
    """Attach the file at PATH to the incident (a log, a trace, a screenshot, a document)."""
    from pathlib import Path

    from unisupport.incidents.services.conversation import attach_file

    source = Path(path)
    row = attach_file(
        scope=OPERATOR, incident_id=incident_id, name=source.name, data=source.read_bytes(),
        internal=internal, answers=answers, at=parse_instant(at or None, option="--at"),
    )  # fmt: skip
    data = {"incident": incident_id, "number": row.number, "name": row.name, "size": row.size}
    if answers is not None:
        data["answers"] = answers
    print_json(data) if as_json else click.echo(
        f"{row.name} attached to incident {incident_id} as file {row.number}"
    )
