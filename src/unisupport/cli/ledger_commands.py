"""`unisupport ledger | credits | hours | fees | rates`: the entitlements ledger (issue 4).

Exit codes: 0 done, 1 a rule refused the operation (its ID is printed), 2 bad input (the field is
named; nothing is written). The CLI is the operator's tool: it sees every customer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click

from unisupport import clock
from unisupport.cli.operator import OPERATOR
from unisupport.cli.output import EXIT_INPUT, EXIT_REFUSED, fail, handles_domain_errors, print_json
from unisupport.domain.ledger_commands import Consumption, Redemption

P = ParamSpec("P")
R = TypeVar("R")
KINDS = click.Choice(["credits", "hours", "allocation", "money", "events"])


class IsoDate(click.ParamType):
    """A calendar date written YYYY-MM-DD (a bad one is a usage error: exit 2 naming the option)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"expected a date YYYY-MM-DD, got {value!r}", param, ctx)


DATE = IsoDate()


def _actor(func: Callable[P, R]) -> Callable[P, R]:
    return click.option("--actor", default=None, help="Who posts (default: cli:$USER).")(func)


def _json(func: Callable[P, R]) -> Callable[P, R]:
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")(func)


@click.group()
def ledger() -> None:
    """The entitlements ledger: balances, statements, expiry and the audit."""


@ledger.command("balance")
@click.option("--order", required=True, help="The order number, e.g. ESO-2026-001.")
@click.option("--site", help="One site's accounts only (its country, e.g. FR).")
@_json
@handles_domain_errors(json_errors=True)
def ledger_balance(order: str, site: str | None, as_json: bool) -> None:
    """Print the balance of every account of ORDER: credits, hour blocks, the allocation, money owed."""
    from unisupport.deliveries.selectors import reserved_by_account
    from unisupport.ledger.selectors import balances

    data = balances(OPERATOR, order=order, site=site, reserved=reserved_by_account(OPERATOR, order=order))
    if as_json:
        print_json(data)
        return
    click.echo(data["order"])
    for a in data["accounts"]:  # type: ignore[attr-defined]
        held = f"  reserved {a['reserved']}" if Decimal(a["reserved"]) else ""
        click.echo(f"  {a['site']}  {a['kind']:<10} {a['service'] or '':<42} {a['balance']:>14}{held}")


@ledger.command("statement")
@click.option("--order", required=True)
@click.option("--account", help="One account: SITE/KIND[/SERVICE], e.g. FR/credits.")
@click.option("--site")
@click.option("--kind", type=KINDS)
@click.option("--rule", help="Entries posted under one rule, e.g. CRD-1.")
@click.option("--from", "date_from", type=DATE, help="Effective on or after DATE.")
@click.option("--to", "date_to", type=DATE, help="Effective on or before DATE.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (with a header line).")
@_json
@handles_domain_errors(json_errors=True)
def ledger_statement(
    order: str,
    account: str | None,
    site: str | None,
    kind: str | None,
    rule: str | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    as_csv: bool,
    as_json: bool,
) -> None:
    """Print the entries of ORDER in the order written, with the balance after each."""
    from unisupport.ledger.presenters import statement_csv_chunks, statement_rows
    from unisupport.ledger.selectors import StatementFilter, statement

    filters = StatementFilter(account, site, kind, rule, date_from, date_to)
    rows = statement(OPERATOR, order=order, filters=filters)
    if as_csv:
        for chunk in statement_csv_chunks(rows, order=order):
            click.echo(chunk, nl=False)
        return
    data = statement_rows(rows.iterator(), order=order)
    if as_json:
        print_json(data)
        return
    for e in data:
        click.echo(
            f"{e['effective_on']}  {e['account']:<50} {e['amount']:>12} → {e['balance']:>12}  {e['rule']:<6} {e['reason']}"
        )


@ledger.command("expire")
@click.option("--on", type=DATE, help="Forfeit what was usable until before DATE (default: today, UTC).")
@_actor
@_json
@handles_domain_errors(json_errors=True)
def ledger_expire(on: dt.date | None, actor: str | None, as_json: bool) -> None:
    """Forfeit what was not used by its last day (ORD-5, FLX-2); safe to run twice."""
    from unisupport.ledger.services import expire_all

    day = on or clock.today()
    rows = expire_all(scope=OPERATOR, at=clock.now(), on=day, actor=actor)
    if as_json:
        print_json({"on": day, "entries": [r.uid for r in rows]})
        return
    click.echo(f"{len(rows)} forfeiture(s) posted for {day}.")
    for r in rows:
        click.echo(f"  {r.account.label}: {r.amount} ({r.rule})")


@ledger.command("verify")
@_json
@handles_domain_errors
def ledger_verify(as_json: bool) -> None:
    """Check every invariant over the whole database; exit 1 on any violation."""
    from unisupport.deliveries.selectors import verify_deliveries
    from unisupport.ledger.selectors import verify_ledger

    audit = verify_ledger(scope=OPERATOR)
    deliveries = verify_deliveries(OPERATOR)  # the reservations that pay for deliveries (DEL-2)
    if as_json:
        data = audit.as_dict()
        print_json(data | {"ok": data["ok"] and not deliveries, "deliveries": deliveries})
    else:
        click.echo(
            f"{audit.accounts} accounts, {audit.entries} entries: {len(audit.violations)} violation(s)."
        )
        for v in audit.violations:
            click.echo(f"  {v.rule}: {v.account.label if v.account else '-'} {v.entry or ''} {v.message}")
        for d in deliveries:
            click.echo(f"  {d['rule']}: D-{d['delivery']} {d['message']}")
    if audit.violations or deliveries:
        raise SystemExit(EXIT_REFUSED)


@ledger.command("grant")
@click.option("--order", required=True)
@_actor
@_json
@handles_domain_errors(json_errors=True)
def ledger_grant(order: str, actor: str | None, as_json: bool) -> None:
    """Post what ORDER's current version grants and the ledger lacks (after an ORD-8 acceptance, or for
    orders imported before the ledger existed); posts nothing when all is granted."""
    from unisupport.ledger.selectors import scoped_order
    from unisupport.ledger.services import post_grants_for
    from unisupport.orders.selectors import version_of

    rows = post_grants_for(
        version=version_of(scoped_order(OPERATOR, number=order)), at=clock.now(), actor=actor
    )
    if as_json:
        print_json({"order": order, "entries": [r.uid for r in rows]})
    else:
        click.echo(f"{order}: {len(rows)} entr{'y' if len(rows) == 1 else 'ies'} posted.")


@ledger.command("compensate")
@click.option("--entry", required=True, help="The id of the entry to correct.")
@click.option("--reason", required=True, help="Why (CRD-4: a correction says why).")
@click.option("--on", type=DATE)
@_actor
@_json
@handles_domain_errors(json_errors=True)
def ledger_compensate(entry: str, reason: str, on: dt.date | None, actor: str | None, as_json: bool) -> None:
    """Correct ENTRY by a compensating entry (CRD-4: never an edit or a delete)."""
    from unisupport.ledger.services import compensate_entry

    done = compensate_entry(scope=OPERATOR, at=clock.now(), entry=entry, reason=reason, actor=actor, on=on)
    if as_json:
        print_json({"rule": done.rule, "entries": done.ids})
    else:
        click.echo(f"compensated by {done.ids[0]} (CRD-4)")


@click.group()
def credits() -> None:
    """Proactive credits: redeem (CRD-1..3), exchange between sites (MC-6, MC-7), CRD-3 exceptions."""


@credits.command("redeem")
@click.option("--order", required=True)
@click.option("--site", required=True)
@click.option("--service", required=True, help="The service's catalog code, e.g. workshop.")
@click.option("--quantity", required=True, help="Units of the service (participants for a workshop).")
@click.option("--on", type=DATE, help="The redemption date (default: today at the site).")
@click.option("--delivery", type=DATE, help="The delivery date, for a CRD-3 exception (default: --on).")
@click.option("--reason", default="")
@_actor
@_json
@handles_domain_errors(json_errors=True)
def credits_redeem(
    order: str, site: str, service: str, quantity: str, on: dt.date | None, delivery: dt.date | None,
    reason: str, actor: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Redeem credits for a service at the rate card in force (CRD-1); refused with CRD-2 when short."""
    from unisupport.ledger.presenters import redemption_json
    from unisupport.ledger.services import redeem_credits

    done = redeem_credits(scope=OPERATOR, at=clock.now(), actor=actor, command=Redemption.parse(order=order, site=site, service=service, quantity=quantity, on=on, delivery_on=delivery, reason=reason))  # fmt: skip
    data = redemption_json(done, order=order, site=site, service=service, quantity=quantity)
    if as_json:
        print_json(data)
    else:
        click.echo(
            f"{data['credits']} credits redeemed ({data['rule']}); {data['site']} balance {data['balance']}"
        )


@credits.command("exchange")
@click.option("--order", required=True)
@click.option("--from", "from_site", required=True, help="The site giving credits.")
@click.option("--to", "to_site", required=True, help="The site receiving them.")
@click.option("--credits", "amount", required=True, help="Whole credits debited at --from.")
@click.option("--on", type=DATE)
@click.option("--to-order", help="The order of the receiving site: any other order is refused (MC-6).")
@_actor
@_json
@handles_domain_errors(json_errors=True)
def credits_exchange(
    order: str, from_site: str, to_site: str, amount: str, on: dt.date | None, to_order: str | None,
    actor: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Exchange credits between the host and a downstream site of one order (MC-6) at the rate and fee in
    force (MC-7), rounded half up."""
    from unisupport.ledger.services import exchange_credits

    done, debited, credited = exchange_credits(
        scope=OPERATOR,
        at=clock.now(),
        order=order,
        from_site=from_site,
        to_site=to_site,
        credits=amount,
        actor=actor,
        on=on,
        to_order=to_order,
    )
    data = {"debited": int(debited.amount), "credited": int(credited.amount), "rule": done.rule}
    if as_json:
        print_json(data)
    else:
        click.echo(
            f"{data['debited']} credits at {from_site.upper()} → {data['credited']} at {to_site.upper()} (MC-7)"
        )


@credits.command("exception")
@click.option("--order", required=True)
@click.option("--site", default="", help="One site only (default: every site of the order).")
@click.option("--approved-by", required=True)
@click.option("--approved-at", required=True, type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"]),
              help="When, with its offset: 2027-02-15T14:00+01:00.")  # fmt: skip
@click.option("--terms", required=True, help="The approved payment terms.")
@click.option("--reference", default="", help="The written approval (document or mail).")
@click.option("--limit", "credit_limit", help="How many credits below zero the terms allow.")
@_actor
@_json
@handles_domain_errors(json_errors=True)
def credits_exception(
    order: str, site: str, approved_by: str, approved_at: dt.datetime, terms: str, reference: str,
    credit_limit: str | None, actor: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Record a CRD-3 approval (who, when, terms, in writing) letting a redemption go below zero."""
    from unisupport.ledger.services import record_credit_exception

    row = record_credit_exception(scope=OPERATOR,
        order=order, site=site, approved_by=approved_by, approved_at=approved_at.astimezone(dt.UTC),
        terms=terms, reference=reference, credit_limit=credit_limit, actor=actor,
    )  # fmt: skip
    data = {"id": row.pk, "order": order, "site": row.site or None, "rule": "CRD-3"}
    if as_json:
        print_json(data)
    else:
        click.echo(f"CRD-3 exception {row.pk} recorded for {order}")


@click.group()
def hours() -> None:
    """Hour blocks: consume hours (HRS-1), never below zero (HRS-2)."""


@hours.command("consume")
@click.option("--order", required=True)
@click.option("--site", required=True)
@click.option(
    "--service", required=True, help="The hour block's service, e.g. enhanced-designated-engineering."
)
@click.option("--hours", "amount", required=True, help="Hours used (up to two decimals, e.g. 7.5).")
@click.option("--on", type=DATE)
@click.option("--reason", default="")
@_actor
@_json
@handles_domain_errors(json_errors=True)
def hours_consume(
    order: str, site: str, service: str, amount: str, on: dt.date | None, reason: str, actor: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """Consume hours from a block (HRS-1); refused with HRS-2 beyond its balance."""
    from unisupport.ledger.presenters import consumption_json
    from unisupport.ledger.services import consume_hours

    done = consume_hours(
        scope=OPERATOR,
        at=clock.now(),
        actor=actor,
        command=Consumption.parse(
            order=order, site=site, service=service, hours=amount, on=on, reason=reason
        ),
    )
    data = consumption_json(done, order=order, site=site, service=service)
    if as_json:
        print_json(data)
    else:
        click.echo(f"{data['hours']} h consumed ({data['rule']}); {data['balance']} h left")


@click.group()
def fees() -> None:
    """Fees: the cancellation policy (DEL-2)."""


@fees.command("cancellation")
@click.option(
    "--cost", help="The service's cost (with --order and --site: charged to the order's money owed)."
)
@click.option("--currency", default="USD", show_default=True, help="The currency of --cost for a quote.")
@click.option("--entry", help="The entry that paid for the delivery: the refund is posted to it.")
@click.option("--order")
@click.option("--site")
@click.option("--delivery", required=True, type=DATE, help="The delivery date (the site's local date).")
@click.option("--on", type=DATE, help="The cancellation date (default: today at the site).")
@_actor
@_json
@handles_domain_errors(json_errors=True)
def fees_cancellation(
    cost: str | None, currency: str, entry: str | None, order: str | None, site: str | None,
    delivery: dt.date, on: dt.date | None, actor: str | None, as_json: bool,
) -> None:  # fmt: skip
    """The DEL-2 fee for cancelling a delivery: 0 % at 14 days or more, 50 % from 6 to 13, 100 % at 5 or fewer."""
    from unisupport.ledger.presenters import fee_json
    from unisupport.ledger.services import cancel_delivery

    fee, done = cancel_delivery(
        scope=OPERATOR,
        at=clock.now(),
        delivery=delivery,
        entry=entry,
        cost=cost,
        currency=currency,
        order=order,
        site=site,
        actor=actor,
        on=on,
    )
    data = fee_json(fee, done)
    if as_json:
        print_json(data)
        return
    click.echo(
        f"{data['days_before']} days before: fee {data['fee_percent']} % = {data['fee']}, refund {data['refund']} (DEL-2)"
    )


@click.group()
def rates() -> None:
    """Rate cards (CRD-1) and credit exchange rates (MC-7), with effective dates."""


@rates.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@_json
@handles_domain_errors(json_errors=True)
def rates_import(file: str, as_json: bool) -> None:
    """Import FILE's rate cards and exchange rates (all or nothing)."""
    from unisupport.ledger.rate_services import import_rates

    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"FILE: cannot read {file!r}: {exc}", code=EXIT_INPUT)
    counts = import_rates(text=text)
    if as_json:
        print_json(counts)
        return
    for section, numbers in counts.items():
        click.echo(f"{section}: " + ", ".join(f"{n} {what}" for what, n in numbers.items()))


@click.group()
def allocation() -> None:
    """The flexible allocation: exchange a service it bought for another of equal value (FLX-4, DEL-9)."""


@allocation.command("exchange")
@click.option("--order", required=True)
@click.option("--site", required=True, help="The site of both services (its country).")
@click.option("--from-service", required=True, help="The service the allocation bought.")
@click.option("--to-service", required=True, help="The service to have instead.")
@click.option("--amount", required=True, help="The value moved, in the order's currency.")
@click.option("--approved-by", required=True, help="The service delivery manager who agreed (DEL-9).")
@click.option("--on", type=DATE)
@click.option("--reason", default="")
@_actor
@_json
@handles_domain_errors(json_errors=True)
def allocation_exchange(
    order: str, site: str, from_service: str, to_service: str, amount: str, approved_by: str,
    on: dt.date | None, reason: str, actor: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Move AMOUNT of the allocation from one service to another of equal value at a site."""
    from unisupport.ledger.exchange_services import exchange_allocated_service

    done = exchange_allocated_service(scope=OPERATOR, at=clock.now(),
        order=order, site=site, from_service=from_service, to_service=to_service, amount=amount,
        approved_by=approved_by, on=on, reason=reason, actor=actor,
    )  # fmt: skip
    data = {"order": order, "site": site.upper(), "from": from_service, "to": to_service,
            "amount": amount, "rule": done.rule, "entries": done.ids}  # fmt: skip
    if as_json:
        print_json(data)
    else:
        click.echo(
            f"{amount} moved from {from_service} to {to_service} at {site.upper()} (FLX-4, approved by {approved_by})"
        )


GROUPS = [ledger, credits, hours, fees, rates, allocation]
