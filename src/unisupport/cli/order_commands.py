"""`unisupport order`: validate, import and read orders (ORD, MC and FLX rules)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from unisupport import clock
from unisupport.cli.operator import OPERATOR
from unisupport.cli.output import fail, handles_domain_errors, print_json
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.findings import Finding, Verdict
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import plain


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"FILE: no such file {path!r}")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"FILE: cannot read {path!r}: {exc}")


def _print_verdict(verdict: Verdict) -> None:
    def line(f: Finding, label: str) -> str:
        message = f.message.removeprefix(f"{f.path}: ")
        return f"  {label} {f.path}\n      {message}"

    if verdict.unreadable:
        click.echo("The file cannot be read as an order:")
    elif verdict.valid:
        click.echo("Valid.")
    else:
        click.echo(f"Invalid: {len(verdict.errors)} rule(s) broken.")
    for f in verdict.errors:
        click.echo(line(f, "error  "))
    for f in verdict.warnings:
        click.echo(line(f, "warning"))


@click.group()
def order() -> None:
    """Orders (Ordre de Services): validate, import, list, show."""


@order.command("validate")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help='Print {"valid", "errors", "warnings"}.')
@handles_domain_errors
def order_validate(file: str, as_json: bool) -> None:
    """Check FILE against the rules; exit 0 valid, 1 a rule is broken, 2 unreadable."""
    from unisupport.orders.services import validate_order_file

    checked = validate_order_file(scope=OPERATOR, text=_read(file))
    if as_json:
        print_json(checked.verdict.as_dict())
    else:
        _print_verdict(checked.verdict)
    raise SystemExit(int(checked.verdict.outcome))


@order.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the verdict and what was imported.")
@handles_domain_errors(json_errors=True)
def order_import(file: str, as_json: bool) -> None:
    """Validate FILE, then store all its orders atomically (nothing if invalid); changes make a new version (ORD-9)."""
    from unisupport.orders.services import import_order_file

    result = import_order_file(scope=OPERATOR, at=clock.now(), text=_read(file))
    if as_json:
        print_json(result.as_dict())
    else:
        _print_verdict(result.verdict)
        for item in result.orders:
            state = "imported" if item["created"] else "unchanged"
            click.echo(f"  {item['order']} ({item['agreement']}): version {item['version']} {state}")
    raise SystemExit(int(result.verdict.outcome))


@order.command("list")
@click.option("--json", "as_json", is_flag=True)
@handles_domain_errors
def order_list(as_json: bool) -> None:
    """List orders with their agreement, customer, current version and term."""
    from unisupport.orders.selectors import orders_for, version_of

    rows = []
    for o in orders_for(OPERATOR):
        v = version_of(o)
        rows.append(
            {
                "order": o.number,
                "agreement": o.agreement.code,
                "customer": o.organisation.name,
                "version": o.current_version,
                "start": v.start,
                "end": v.end,
                "host": v.host_country,
            }
        )
    if as_json:
        print_json(rows)
        return
    for r in rows:
        click.echo(
            f"{r['order']:<16} {r['agreement']:<20} v{r['version']:<3} {r['start']} → {r['end']}  {r['customer']}"
        )


@order.command("show")
@click.argument("number")
@click.option("--version", "version_number", type=int, help="A past version (default: the current one).")
@click.option("--json", "as_json", is_flag=True)
@handles_domain_errors
def order_show(number: str, version_number: int | None, as_json: bool) -> None:
    """Show an order: sites (host/downstream), lines, allocation, term and the DEL-1 deadline."""
    from unisupport.orders.models import Order, OrderVersion
    from unisupport.orders.presenters import order_json
    from unisupport.orders.selectors import order_for, version_of

    try:
        found = order_for(OPERATOR, number=number)
        version = version_of(found, version_number)
    except (Order.DoesNotExist, OrderVersion.DoesNotExist):
        text = (
            Message(
                gettext_noop("no order {number!r} version {version}"), number=number, version=version_number
            )
            if version_number
            else Message(gettext_noop("no order {number!r}"), number=number)
        )
        raise NotFound(text, field="order") from None
    data = order_json(version, at=clock.now())
    if as_json:
        print_json(data)
        return
    click.echo(f"{data['order']} v{data['version']} — {data['agreement']} — {data['customer']}")
    click.echo(
        f"  term {data['start']} → {data['end']} ({data['days_remaining']} days left); "
        f"proactive requests due by {data['request_deadline']} (DEL-1)"
    )
    for site in data["sites"]:  # type: ignore[attr-defined]
        click.echo(f"  {site['country']} ({site['role']}, {site['timezone']})")
        for line in site["lines"]:
            amount = line["price"] or line["list_price"]
            price = f"  {amount} {data['currency']}" if amount else ""
            status = "" if line["status"] == "active" else f"  [{line['status']}]"
            click.echo(f"    {line['mark']:<2} {line['service']:<40} × {line['quantity']}{price}{status}")
    if data["flexible_allocation"]:
        alloc = data["flexible_allocation"]
        click.echo(f"  flexible allocation {alloc['amount']} {data['currency']}")  # type: ignore[index]
        for a in alloc["assignments"]:  # type: ignore[index]
            click.echo(f"    {a['service']} @ {a['site']}: {a['amount']}")


@order.command("terminate")
@click.argument("agreement")
@click.option("--on", "on", required=True, help="The day the foundational package ended (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True)
@handles_domain_errors
def order_terminate(agreement: str, on: str, as_json: bool) -> None:
    """Record that AGREEMENT's foundational package ended early: its add-ons end the same day (ORD-2)."""
    from unisupport.orders.services import terminate_agreement

    try:
        day = dt.date.fromisoformat(on)
    except ValueError:
        raise InvalidInput(
            "--on", Message(gettext_noop("expected a date YYYY-MM-DD, got {on!r}"), on=on)
        ) from None
    found = terminate_agreement(scope=OPERATOR, code=agreement, on=day)
    data = {"agreement": found.code, "terminated_on": day.isoformat(), "rule": "ORD-2"}
    if as_json:
        print_json(data)
    else:
        click.echo(
            f"{found.code}: foundational ended on {day}; every add-on ends with it, without prorated refund "
            "(ORD-2). `unisupport ledger expire` forfeits what is left."
        )


def _decide(
    number: str, service: str, site: str | None, at: str | None, as_json: bool, *, accept: bool
) -> None:
    from unisupport.cli.incident_commands import parse_instant
    from unisupport.orders.services import decide_line

    line = decide_line(
        scope=OPERATOR,
        order_number=number,
        site_country=site or "",
        service=service,
        accept=accept,
        at=parse_instant(at or None, option="--at"),
    )
    data = {
        "order": number,
        "site": line.site.country,
        "service": line.service_id,
        "quantity": str(plain(line.quantity)),
        "status": line.status,
        "rule": "ORD-8",
    }
    if as_json:
        print_json(data)
    else:
        click.echo(f"{number} {data['site']} {data['service']}: {data['status']} (ORD-8)")


def _decision(name: str, accept: bool, help_text: str) -> None:
    @order.command(name, help=help_text)
    @click.argument("number", metavar="ORDER")
    @click.option("--service", required=True, help="The service code of the line awaiting the decision.")
    @click.option("--site", default=None, help="The site's country; needed when several sites hold the line.")
    @click.option(
        "--at", "at", default=None, help="When the vendor decided (ISO 8601 with offset); default: now."
    )
    @click.option("--json", "as_json", is_flag=True, help="Print the line decided (an error as JSON too).")
    @handles_domain_errors(json_errors=True)
    def command(number: str, service: str, site: str | None, at: str | None, as_json: bool) -> None:
        _decide(number, service, site, at, as_json, accept=accept)


_decision(
    "accept",
    True,
    "Accept ORDER's line of --service, which awaits the vendor (ORD-8): it serves, and what it bought is granted.",
)
_decision(
    "refuse", False, "Refuse ORDER's line of --service, which awaits the vendor (ORD-8): it never serves."
)
