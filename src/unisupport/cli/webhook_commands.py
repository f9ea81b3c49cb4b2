"""`unisupport webhook …`: signed webhook endpoints (Standard Webhooks): register, list, rotate the
secret, disable, enable, send a test event, read the delivery log."""

from __future__ import annotations

import click

from unisupport import clock
from unisupport.cli.incident_commands import json_option
from unisupport.cli.operator import OPERATOR, operator_name
from unisupport.cli.output import handles_domain_errors, print_json


@click.group()
def webhook() -> None:
    """Webhook endpoints: an organisation's events, signed, delivered at least once."""


@webhook.command("add")
@click.option(
    "--org", "org", default=None, help="The organisation whose events it receives (omit: every one's)."
)
@click.option("--url", required=True, help="https:// (http:// only to loopback in development).")
@click.option("--event", "events", multiple=True, help="An event type; repeat. None: every event.")
@json_option
@handles_domain_errors(json_errors=True)
def webhook_add(org: str | None, url: str, events: tuple[str, ...], as_json: bool) -> None:
    """Register an endpoint; its secret (whsec_…) is printed this once."""
    from unisupport.webhooks.presenters import endpoint_json
    from unisupport.webhooks.services import add_endpoint

    row, secret = add_endpoint(
        scope=OPERATOR, organisation=org, url=url, events=events, at=clock.now(), actor=operator_name()
    )
    if as_json:
        print_json(endpoint_json(row) | {"secret": secret})
    else:
        click.echo(f"W-{row.pk} {row.url}\nsecret (shown once): {secret}")


@webhook.command("list")
@json_option
@handles_domain_errors(json_errors=True)
def webhook_list(as_json: bool) -> None:
    """List the endpoints."""
    from unisupport.webhooks.models import Endpoint
    from unisupport.webhooks.presenters import endpoint_json

    rows = [endpoint_json(e) for e in Endpoint.objects.select_related("organisation").order_by("pk")]
    if as_json:
        print_json(rows)
        return
    for e in rows:
        state = "active" if e["active"] else f"disabled ({e['disabled_reason']})"
        click.echo(f"W-{e['id']:<4} {state:<10} {e['organisation'] or '(every organisation)':<24} {e['url']}")


@webhook.command("rotate")
@click.argument("endpoint_id", type=int)
@json_option
@handles_domain_errors(json_errors=True)
def webhook_rotate(endpoint_id: int, as_json: bool) -> None:
    """Give the endpoint a new secret (printed once); the old one also signs for 24 hours."""
    from unisupport.webhooks.presenters import endpoint_json
    from unisupport.webhooks.services import rotate_secret

    row, secret = rotate_secret(scope=OPERATOR, endpoint_id=endpoint_id, at=clock.now())
    if as_json:
        print_json(endpoint_json(row) | {"secret": secret})
    else:
        click.echo(
            f"W-{row.pk}: new secret (shown once): {secret}; the previous one signs until {row.previous_until}"
        )


def _toggle(name: str, active: bool, text: str) -> None:
    @webhook.command(name, help=text)
    @click.argument("endpoint_id", type=int)
    @json_option
    @handles_domain_errors(json_errors=True)
    def command(endpoint_id: int, as_json: bool) -> None:
        from unisupport.webhooks.presenters import endpoint_json
        from unisupport.webhooks.services import set_active

        row = set_active(scope=OPERATOR, endpoint_id=endpoint_id, active=active, at=clock.now())
        if as_json:
            print_json(endpoint_json(row))
        else:
            click.echo(f"W-{row.pk} {'enabled' if active else 'disabled'}")


_toggle("disable", False, "Disable the endpoint: nothing more is sent to it.")
_toggle("enable", True, "Enable the endpoint again.")


@webhook.command("test")
@click.argument("endpoint_id", type=int)
@json_option
@handles_domain_errors(json_errors=True)
def webhook_test(endpoint_id: int, as_json: bool) -> None:
    """Queue a `webhook.test` event for the endpoint (the worker sends it)."""
    from unisupport.webhooks.services import send_test

    message = send_test(scope=OPERATOR, endpoint_id=endpoint_id, at=clock.now())
    if as_json:
        print_json({"endpoint": endpoint_id, "webhook_id": message.msg_id, "type": message.type})
    else:
        click.echo(
            f"W-{endpoint_id}: test event {message.msg_id} queued; `unisupport worker --once` sends it"
        )


@webhook.command("log")
@click.argument("endpoint_id", type=int)
@json_option
@handles_domain_errors(json_errors=True)
def webhook_log(endpoint_id: int, as_json: bool) -> None:
    """Print the endpoint's latest deliveries: status, latency, the response's start."""
    from unisupport.webhooks.selectors import delivery_log

    rows = delivery_log(OPERATOR, endpoint_id=endpoint_id)
    if as_json:
        print_json(rows)
        return
    for m in rows:
        click.echo(
            f"{m['created_at']}  {m['type']:<28} {m['status']:<9} {m['last_status'] or '—'}  {m['latency_ms']} ms"
        )
