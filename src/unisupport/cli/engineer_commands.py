"""`unisupport engineer …`: delivery engineers' absences, which scheduling and the planner respect (DEL-4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from unisupport.cli.delivery_commands import DATE
from unisupport.cli.incident_commands import json_option
from unisupport.cli.operator import OPERATOR
from unisupport.cli.output import handles_domain_errors, print_json


@click.group()
def engineer() -> None:
    """Delivery engineers: their skills, languages, site and absences."""


@engineer.command("absent")
@click.argument("username")
@click.option("--from", "first_day", required=True, type=DATE, help="First day away.")
@click.option("--to", "last_day", required=True, type=DATE, help="Last day away (included).")
@click.option("--reason", default="", help="Leave, training…")
@json_option
@handles_domain_errors(json_errors=True)
def engineer_absent(**options: Any) -> None:
    """Record days an engineer is away; prints the deliveries already scheduled with them then (to move)."""
    from unisupport import clock
    from unisupport.deliveries.engineers import record_absence

    absence, clashes = record_absence(
        scope=OPERATOR,
        engineer=options["username"],
        first_day=options["first_day"].date(),
        last_day=options["last_day"].date(),
        reason=options["reason"],
        at=clock.now(),
    )
    data = {
        "engineer": options["username"],
        "from": absence.first_day.isoformat(),
        "to": absence.last_day.isoformat(),
        "reason": absence.reason,
        "to_reschedule": [{"id": d.pk, "on": _iso(d.scheduled_on), "service": d.service_id} for d in clashes],
        "rules": ["DEL-4"],
    }
    if options["as_json"]:
        print_json(data)
        return
    click.echo(f"{data['engineer']} away from {data['from']} to {data['to']} (DEL-4)")
    for d in data["to_reschedule"]:
        click.echo(f"  D-{d['id']} {d['service']} on {d['on']} is scheduled with them: reschedule it")


@engineer.command("show")
@click.argument("username")
@json_option
@handles_domain_errors(json_errors=True)
def engineer_show(**options: Any) -> None:
    """Show an engineer's services, languages, site and coming absences."""
    from unisupport import clock
    from unisupport.deliveries.engineers import profile_of

    profile = profile_of(options["username"])
    today = clock.now().date()
    data = {
        "engineer": profile.user.get_username(),
        "site": profile.country,
        "services": list(profile.services),
        "languages": list(profile.languages),
        "absences": [
            {"from": a.first_day.isoformat(), "to": a.last_day.isoformat(), "reason": a.reason}
            for a in profile.absences.filter(last_day__gte=today)
        ],
    }
    if options["as_json"]:
        print_json(data)
        return
    click.echo(
        f"{data['engineer']} ({data['site']}): {', '.join(data['services'])}; {', '.join(data['languages'])}"
    )
    for a in data["absences"]:
        click.echo(f"  away {a['from']} .. {a['to']} {a['reason']}")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
