"""`unisupport calendar`: business time at a support location (SEV-7), and the back office's closures
and hours (Annexe A note 5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from unisupport import clock
from unisupport.calendars.instants import parse_instant
from unisupport.cli.operator import OPERATOR
from unisupport.cli.output import handles_domain_errors, print_json
from unisupport.domain.errors import InvalidInput


class Instant(click.ParamType):
    """An ISO 8601 instant with its UTC offset or Z; a naive one is refused (exit 2, naming the flag)."""

    name = "ISO-INSTANT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.datetime:
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value
        try:
            return parse_instant(value, field=param.name if param and param.name else "instant")
        except InvalidInput as exc:
            self.fail(exc.message.split(": ", 1)[-1], param, ctx)


INSTANT = Instant()
DAY = click.DateTime(formats=["%Y-%m-%d"])

location = [
    click.option("--country", required=True, help="The support location's country (ISO 3166-1 alpha-2)."),
    click.option("--tz", "timezone", help="Its IANA time zone (default: the country's)."),
    click.option("--subdivision", help="Its subdivision, for regional holidays (e.g. BY, NY)."),
]


def with_location(func: Any) -> Any:
    """Return ``func`` with the --country, --tz and --subdivision options."""
    for option in reversed(location):
        func = option(func)
    return func


def _local(instant: dt.datetime, zone: Any) -> str:
    return f"{instant.astimezone(zone):%Y-%m-%d %H:%M:%S %Z}"


@click.group()
def calendar() -> None:
    """Business calendars of support locations: business time, holidays, closures (SEV-7)."""


@calendar.command("add")
@with_location
@click.option(
    "--from", "start", required=True, type=INSTANT, help="The start: ISO 8601 with its offset or Z."
)
@click.option("--minutes", required=True, help="Business minutes to add (fractions allowed).")
@click.option("--json", "as_json", is_flag=True, help='Print {"due": "<UTC ISO 8601 Z>"}.')
@handles_domain_errors
def calendar_add(
    country: str,
    timezone: str | None,
    subdivision: str | None,
    start: dt.datetime,
    minutes: str,
    as_json: bool,
) -> None:
    """Print the instant at which N business minutes have elapsed after --from."""
    from unisupport.calendars.instants import minutes_duration, utc_iso
    from unisupport.calendars.selectors import calendar_for_site

    cal = calendar_for_site(country=country, timezone=timezone, subdivision=subdivision)
    due = cal.add_business_time(start, minutes_duration(minutes))
    if as_json:
        print_json({"due": utc_iso(due)})
    else:
        click.echo(f"{utc_iso(due)}  ({_local(due, cal.zone)}, {cal.timezone})")


@calendar.command("between")
@with_location
@click.option("--from", "start", required=True, type=INSTANT, help="ISO 8601 with its offset or Z.")
@click.option("--to", "end", required=True, type=INSTANT, help="ISO 8601 with its offset or Z.")
@click.option("--json", "as_json", is_flag=True, help='Print {"minutes": <business minutes, fractional>}.')
@handles_domain_errors
def calendar_between(
    country: str,
    timezone: str | None,
    subdivision: str | None,
    start: dt.datetime,
    end: dt.datetime,
    as_json: bool,
) -> None:
    """Print the business minutes from --from to --to (negative if --to is earlier)."""
    from unisupport.calendars.instants import duration_minutes
    from unisupport.calendars.selectors import calendar_for_site

    cal = calendar_for_site(country=country, timezone=timezone, subdivision=subdivision)
    minutes = duration_minutes(cal.business_time_between(start, end))
    if as_json:
        print_json({"minutes": minutes})
    else:
        click.echo(f"{minutes:g} business minutes ({cal.country}, {cal.timezone})")


@calendar.command("show")
@click.argument("country")
@click.option("--year", type=click.IntRange(1970, 2199), help="Default: this year (UTC).")
@click.option("--tz", "timezone", help="The site's IANA time zone (default: the country's).")
@click.option("--subdivision", help="A subdivision, for regional holidays (e.g. BY, NY).")
@click.option("--json", "as_json", is_flag=True)
@handles_domain_errors
def calendar_show(
    country: str, year: int | None, timezone: str | None, subdivision: str | None, as_json: bool
) -> None:
    """List the public holidays and closures in force in COUNTRY in a year, with its business hours."""
    from unisupport.calendars.selectors import calendar_for_site, calendar_json

    cal = calendar_for_site(country=country, timezone=timezone, subdivision=subdivision)
    data: dict[str, Any] = calendar_json(calendar=cal, year=year or clock.today().year)
    if as_json:
        print_json(data)
        return
    sub = f"-{data['subdivision']}" if data["subdivision"] else ""
    days = ", ".join(_DAY_NAMES[d] for d in data["weekdays"])
    own = [
        f"{_DAY_NAMES[h['weekday']]} {h['opening']}–{h['closing']}"
        for h in data["hours"]
        if (h["opening"], h["closing"]) != (data["opening"], data["closing"])
    ]
    click.echo(
        f"{data['country']}{sub} {data['year']}: {data['opening']}–{data['closing']} {data['timezone']}, {days}"
        + (f" ({', '.join(own)})" if own else "")
    )
    for day in data["days_off"]:
        click.echo(f"  {day['date']}  {day['kind']:<8} {day['name']}")
    for extra in data["extra_working_days"]:
        click.echo(f"  {extra}  working  (extra working day)")


_DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _closure_json(row: Any) -> dict[str, object]:
    return {
        "id": row.pk,
        "country": row.country,
        "subdivision": row.subdivision or None,
        "timezone": row.timezone or None,
        "from": row.start.isoformat(),
        "to": row.last_day.isoformat(),
        "hours": row.hours(),
        "reason": row.reason,
    }


def _working_day_json(row: Any) -> dict[str, object]:
    return {
        "id": row.pk,
        "country": row.country,
        "subdivision": row.subdivision or None,
        "timezone": row.timezone or None,
        "date": row.day.isoformat(),
        "reason": row.reason,
    }


@calendar.command("add-closure")
@with_location
@click.option("--from", "start", required=True, type=DAY, help="The (first) day closed: YYYY-MM-DD.")
@click.option("--to", "end", type=DAY, help="The last day of a range (default: --from).")
@click.option(
    "--hours",
    help="Close only these local hours of each day, HH:MM-HH:MM (e.g. 09:00-12:00; 24:00 for the end of the day).",
)
@click.option("--reason", required=True, help="Why the locations are closed (shown with the holidays).")
@click.option("--json", "as_json", is_flag=True)
@handles_domain_errors
def calendar_add_closure(
    country: str,
    timezone: str | None,
    subdivision: str | None,
    start: dt.datetime,
    end: dt.datetime | None,
    hours: str | None,
    reason: str,
    as_json: bool,
) -> None:
    """Close the support locations of a country (a subdivision, a time zone) on a day or a range of days, or some hours of each."""
    from unisupport.calendars.hours import parse_hours
    from unisupport.calendars.services import add_closure

    closed_from, closed_until = parse_hours(hours) if hours else (None, None)
    row = add_closure(
        scope=OPERATOR,
        country=country,
        subdivision=subdivision or "",
        timezone=timezone or "",
        start=start.date(),
        end=end.date() if end else None,
        closed_from=closed_from,
        closed_until=closed_until,
        reason=reason,
    )
    if as_json:
        print_json(_closure_json(row))
    else:
        click.echo(f"Closure #{row.pk} added: {row}")


@calendar.command("remove-closure")
@click.argument("closure_id", metavar="ID", type=int)
@handles_domain_errors
def calendar_remove_closure(closure_id: int) -> None:
    """Remove the closure ID (see `calendar list-closures`)."""
    from unisupport.calendars.services import remove_closure

    row = remove_closure(scope=OPERATOR, closure_id=closure_id)
    click.echo(f"Closure #{closure_id} removed: {row}")


@calendar.command("list-closures")
@click.option("--country", help="Only this country's.")
@click.option("--json", "as_json", is_flag=True)
@handles_domain_errors
def calendar_list_closures(country: str | None, as_json: bool) -> None:
    """List the custom closures the back office has added."""
    from unisupport.calendars.selectors import closures

    rows = [_closure_json(row) for row in closures(country=country)]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        where = f"{r['country']}" + (f"-{r['subdivision']}" if r["subdivision"] else "")
        where += f" ({r['timezone']})" if r["timezone"] else ""
        hours = f"  {r['hours']}" if r["hours"] else ""
        click.echo(f"#{r['id']:<5} {where:<24} {r['from']} → {r['to']}{hours}  {r['reason']}")


@calendar.command("add-working-day")
@with_location
@click.option("--date", "day", required=True, type=DAY, help="The day worked: YYYY-MM-DD.")
@click.option("--reason", default="", help="Why (e.g. a bridge day worked in exchange).")
@click.option("--json", "as_json", is_flag=True)
@handles_domain_errors
def calendar_add_working_day(
    country: str, timezone: str | None, subdivision: str | None, day: dt.datetime, reason: str, as_json: bool
) -> None:
    """Open the support locations on a day the calendar would close (a weekend day or a holiday)."""
    from unisupport.calendars.services import add_extra_working_day

    row = add_extra_working_day(
        scope=OPERATOR,
        country=country,
        subdivision=subdivision or "",
        timezone=timezone or "",
        day=day.date(),
        reason=reason,
    )
    if as_json:
        print_json(_working_day_json(row))
    else:
        click.echo(f"Extra working day #{row.pk} added: {row}")


@calendar.command("remove-working-day")
@click.argument("day_id", metavar="ID", type=int)
@handles_domain_errors
def calendar_remove_working_day(day_id: int) -> None:
    """Remove the extra working day ID (see `calendar list-working-days`)."""
    from unisupport.calendars.services import remove_extra_working_day

    row = remove_extra_working_day(scope=OPERATOR, day_id=day_id)
    click.echo(f"Extra working day #{day_id} removed: {row}")


@calendar.command("list-working-days")
@click.option("--country", help="Only this country's.")
@click.option("--json", "as_json", is_flag=True)
@handles_domain_errors
def calendar_list_working_days(country: str | None, as_json: bool) -> None:
    """List the extra working days the back office has added."""
    from unisupport.calendars.selectors import extra_working_days

    rows = [_working_day_json(row) for row in extra_working_days(country=country)]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        click.echo(f"#{r['id']:<5} {r['country']:<4} {r['date']}  {r['reason']}")


@calendar.command("set-hours")
@click.option("--country", required=True, help="The country (ISO 3166-1 alpha-2).")
@click.option(
    "--weekday",
    help="Only this weekday: mon, tue, wed, thu, fri, sat or sun (default: every weekday's default).",
)
@click.option(
    "--hours",
    required=True,
    help="Local opening hours, HH:MM-HH:MM (e.g. 09:00-16:00); with --weekday, `closed` makes it a day off.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the country's business hours.")
@handles_domain_errors
def calendar_set_hours(country: str, weekday: str | None, hours: str, as_json: bool) -> None:
    """Set a country's business hours, for one weekday (e.g. Friday 09:00-16:00) or as its default."""
    from unisupport.calendars.hours import parse_hours, parse_weekday
    from unisupport.calendars.selectors import calendar_for_site, calendar_json
    from unisupport.calendars.services import set_hours

    day = parse_weekday(weekday) if weekday is not None else None
    if day is not None and hours.strip().casefold() == "closed":
        pair = None
    else:
        opening, closing = parse_hours(hours)
        pair = (opening, closing or dt.time.max)
    row = set_hours(scope=OPERATOR, country=country, weekday=day, hours=pair)
    data: dict[str, Any] = calendar_json(
        calendar=calendar_for_site(country=row.country), year=clock.today().year
    )
    keys = ("country", "subdivision", "timezone", "opening", "closing", "weekdays", "hours")
    if as_json:
        print_json({key: data[key] for key in keys})
        return
    for h in data["hours"]:
        click.echo(f"{data['country']} {_DAY_NAMES[h['weekday']]}  {h['opening']}–{h['closing']}")


@calendar.command("next-opening")
@with_location
@click.option("--at", type=INSTANT, help="From this instant: ISO 8601 with its offset or Z (default: now).")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"open_now", "next_opening", "closes", …} (UTC ISO 8601 Z).',
)
@handles_domain_errors
def calendar_next_opening(
    country: str, timezone: str | None, subdivision: str | None, at: dt.datetime | None, as_json: bool
) -> None:
    """Print when the support location is next open (now, if it is open) and until when."""
    from unisupport.calendars.selectors import calendar_for_site, next_opening

    cal = calendar_for_site(country=country, timezone=timezone, subdivision=subdivision)
    answer = next_opening(calendar=cal, at=at or clock.now())
    if as_json:
        print_json(answer.as_dict())
        return
    until = f"until {_local(answer.closes, cal.zone)}"
    if answer.opens == answer.at:
        click.echo(f"Open now, {until} ({cal.country}, {cal.timezone})")
    else:
        click.echo(f"Opens {_local(answer.opens, cal.zone)}, {until} ({cal.country}, {cal.timezone})")


@calendar.command("recompute")
@click.option("--since", "since", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--country", help="Only the incidents of this country's sites.")
@click.option("--json", "as_json", is_flag=True)
@handles_domain_errors
def calendar_recompute(since: dt.datetime, country: str | None, as_json: bool) -> None:
    """Judge anew, on today's calendars, the first responses given since a date (SEV-2, SEV-7).

    A calendar change moves running clocks by itself; a response already given is re-judged only
    here (a closure entered after the fact can make a late response on time, or the reverse).
    """
    from unisupport.incidents.presenters import iso
    from unisupport.incidents.services.recompute import rejudge_responses

    changed = rejudge_responses(since=since.date(), at=clock.now(), country=country)
    rows = [
        {
            "id": i.pk,
            "due": iso(i.response_due_at),
            "counts_until": iso(i.response_counts_until),
            "met": i.response_met,
        }
        for i in changed
    ]
    if as_json:
        print_json({"rejudged": rows, "rule": "SEV-7"})
        return
    click.echo(f"{len(rows)} first response(s) judged anew (SEV-7)")
    for r in rows:
        click.echo(f"  #{r['id']}: due {r['due']}, {'met' if r['met'] else 'missed'}")
