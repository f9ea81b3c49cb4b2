"""`unisupport plan …`: an agreement's success plan (SM-1..SM-3): show, objectives, activities of
Annexe B, comments, and what changed between two dates."""

from __future__ import annotations

import datetime as dt

import click

from unisupport import clock
from unisupport.cli.incident_commands import at_option, json_option, parse_instant
from unisupport.cli.operator import OPERATOR, operator_name
from unisupport.cli.output import handles_domain_errors, print_json
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.success import DOMAINS


def _date(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            option, Message(gettext_noop("expected a date YYYY-MM-DD, got {value!r}"), value=value)
        ) from None


@click.group()
def plan() -> None:
    """Success plans (SM-1..SM-3): objectives, Annexe B activities, outcomes, comments."""


@plan.command("show")
@click.option("--agreement", required=True)
@json_option
@handles_domain_errors(json_errors=True)
def plan_show(agreement: str, as_json: bool) -> None:
    """Print the agreement's success plan."""
    from unisupport.success.plan_services import plan_for
    from unisupport.success.presenters import plan_json

    data = plan_json(plan_for(OPERATOR, agreement, at=clock.now()))
    if as_json:
        print_json(data)
        return
    click.echo(f"Success plan of {data['agreement']} (CSAM: {data['csam'] or '—'})")
    for o in data["objectives"]:  # type: ignore[attr-defined]
        click.echo(
            f"  O-{o['id']} [{o['state']}] {o['title']} — {o['measure'] or ''} by {o['target'] or '—'}"
        )
    for domain, rows in data["activities"].items():  # type: ignore[attr-defined]
        for a in rows:
            click.echo(
                f"  A-{a['id']} {domain}/{a['activity']} {'(done)' if a['done'] else ''} {a['description'] or ''}"
            )


@plan.group("objective")
def objective() -> None:
    """The customer's objectives."""


@objective.command("add")
@click.option("--agreement", required=True)
@click.option("--title", required=True)
@click.option("--measure", default="")
@click.option("--target", default=None, help="Target date (YYYY-MM-DD).")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def objective_add(
    agreement: str, title: str, measure: str, target: str | None, at: str | None, as_json: bool
) -> None:
    """Add an objective to the plan (the CSAM)."""
    from unisupport.success.plan_services import add_objective

    row = add_objective(
        scope=OPERATOR, agreement=agreement, title=title, measure=measure, target=_date(target, "--target"),
        at=parse_instant(at or None, option="--at"), actor=operator_name(),
    )  # fmt: skip
    data = {
        "id": row.pk,
        "title": row.title,
        "target": row.target.isoformat() if row.target else None,
        "rule": "SM-3",
    }
    print_json(data) if as_json else click.echo(f"O-{row.pk} {row.title}")


@objective.command("update")
@click.option("--agreement", required=True)
@click.option("--objective", "objective_id", required=True, type=int)
@click.option("--state", type=click.Choice(["open", "achieved", "dropped"]), default=None)
@click.option("--outcome", default=None, help="The value reached (value validation).")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def objective_update(
    agreement: str, objective_id: int, state: str | None, outcome: str | None, at: str | None, as_json: bool
) -> None:
    """Record an objective's state and outcome."""
    from unisupport.success.plan_services import update_objective

    row = update_objective(
        scope=OPERATOR, agreement=agreement, objective_id=objective_id, state=state, outcome=outcome, at=parse_instant(at or None, option="--at"),
        actor=operator_name(),
    )  # fmt: skip
    data = {"id": row.pk, "state": row.state, "outcome": row.outcome or None, "rule": "SM-2"}
    print_json(data) if as_json else click.echo(f"O-{row.pk} {row.state}")


@plan.group("activity")
def activity() -> None:
    """Activities of Annexe B planned for the customer (SM-2)."""


@activity.command("add")
@click.option("--agreement", required=True)
@click.option("--domain", required=True, type=click.Choice(list(DOMAINS)))
@click.option(
    "--activity", "name", required=True, help="An activity of the domain, e.g. proactive-resilience."
)
@click.option("--description", default="")
@click.option("--objective", "objective_id", type=int, default=None)
@click.option("--delivery", "delivery_id", type=int, default=None, help="A delivery that serves it.")
@click.option("--incident", "incident_id", type=int, default=None)
@click.option("--milestone", "milestone_id", type=int, default=None, help="A programme milestone.")
@at_option
@json_option
@handles_domain_errors(json_errors=True)
def activity_add(**o: object) -> None:
    """Plan an activity (the CSAM); exit 2 when the activity is not of the domain (SM-2)."""
    from unisupport.success.plan_services import add_activity

    row = add_activity(
        scope=OPERATOR, agreement=str(o["agreement"]), domain=str(o["domain"]), activity=str(o["name"]),
        description=str(o["description"]), objective_id=o["objective_id"], delivery_id=o["delivery_id"],  # type: ignore[arg-type]
        incident_id=o["incident_id"], milestone_id=o["milestone_id"], at=parse_instant(o["at"] or None, option="--at"), actor=operator_name(),  # type: ignore[arg-type]
    )  # fmt: skip
    data = {"id": row.pk, "domain": row.domain, "activity": row.activity, "rule": "SM-2"}
    print_json(data) if o["as_json"] else click.echo(f"A-{row.pk} {row.domain}/{row.activity}")


@plan.command("comment")
@click.option("--agreement", required=True)
@click.option("--text", required=True)
@at_option
@handles_domain_errors
def plan_comment(agreement: str, text: str, at: str | None) -> None:
    """Comment the plan."""
    from unisupport.success.plan_services import comment

    comment(
        scope=OPERATOR,
        agreement=agreement,
        text=text,
        at=parse_instant(at or None, option="--at"),
        actor=operator_name(),
    )
    click.echo("commented")


@plan.command("compare")
@click.option("--agreement", required=True)
@click.option("--from", "start", required=True, help="ISO date or instant.")
@click.option("--to", "end", required=True, help="ISO date or instant.")
@json_option
@handles_domain_errors(json_errors=True)
def plan_compare(agreement: str, start: str, end: str, as_json: bool) -> None:
    """Print what changed in the plan between two dates (the end of each day)."""
    from unisupport.domain.success import compare
    from unisupport.success.plan_services import plan_at, plan_for

    found = plan_for(OPERATOR, agreement)

    def instant(value: str, option: str) -> dt.datetime:
        day = _date(value, option) if len(value) == 10 else None
        return (
            dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)
            if day
            else parse_instant(value, option=option)
        )

    data = compare(plan_at(found, instant(start, "--from")), plan_at(found, instant(end, "--to")))
    if as_json:
        print_json(data)
        return
    for section, parts in data.items():
        for kind, rows in parts.items():
            for row in rows:
                click.echo(f"{section} {kind}: {row}")
