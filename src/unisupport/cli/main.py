"""The ``unisupport`` command: one entry point, subcommands per domain (catalog, order, …)."""

from __future__ import annotations

import os
import sys

import click


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unisupport.settings")
    import django

    django.setup()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="unisupport")
def cli() -> None:
    """unisupport: run the Unified Enterprise Support offering.

    The database is the one DATABASE_URL names (default: the embedded SQLite file var/unisupport.sqlite3).
    """


def _register() -> None:
    from unisupport.cli import admin_commands, catalog_commands, ledger_commands, order_commands

    cli.add_command(admin_commands.migrate)
    cli.add_command(admin_commands.serve)
    cli.add_command(admin_commands.demo)
    cli.add_command(admin_commands.user)
    cli.add_command(admin_commands.token)
    cli.add_command(admin_commands.django_command)
    cli.add_command(catalog_commands.catalog)
    cli.add_command(order_commands.order)
    for group in ledger_commands.GROUPS:  # ledger, credits, hours, fees, rates
        cli.add_command(group)
    for module_name, attribute in (
        ("unisupport.cli.calendar_commands", "calendar"),
        ("unisupport.cli.sla_commands", "sla"),
        ("unisupport.cli.delivery_commands", "delivery"),
        ("unisupport.cli.engineer_commands", "engineer"),
        ("unisupport.cli.workshop_commands", "azure_subscription"),
        ("unisupport.cli.event_commands", "event"),
        ("unisupport.cli.programme_commands", "programme"),
        ("unisupport.cli.programme_commands", "mcs"),
        ("unisupport.cli.contact_commands", "contact"),
        ("unisupport.cli.webhook_commands", "webhook"),
        ("unisupport.cli.plan_commands", "plan"),
        ("unisupport.cli.report_commands", "report"),
    ):
        try:
            module = __import__(module_name, fromlist=[attribute])
        except ModuleNotFoundError:
            continue
        cli.add_command(getattr(module, attribute))
    from unisupport.cli import incident_commands, rules_commands

    cli.add_command(rules_commands.rules)

    incident_commands.register(cli)


def main(argv: list[str] | None = None) -> None:
    """Run the command line (the ``unisupport`` console script)."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        _setup_django()
    except ImproperlyConfigured as exc:
        # A setting that cannot be read (e.g. UNISUPPORT_SMTP_PORT=abc) stops the start, naming it.
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(2) from None
    _register()
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="unisupport")
