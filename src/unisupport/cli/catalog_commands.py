"""`unisupport catalog`: read the service catalog (CAT-1..CAT-3)."""

from __future__ import annotations

import click

from unisupport.catalog.presenters import service_json
from unisupport.cli.output import fail, handles_domain_errors, print_json
from unisupport.domain.catalog import Category


@click.group()
def catalog() -> None:
    """The service catalog."""


@catalog.command("list")
@click.option("--category", type=click.Choice([c.value for c in Category]), help="Only this category.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="en", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@handles_domain_errors
def catalog_list(category: str | None, lang: str, as_json: bool) -> None:
    """List the services: code, mark (✓ included, + purchasable, +¹ limited), category, unit, name."""
    from unisupport.catalog.selectors import services_in

    services = services_in(category=category)
    if as_json:
        print_json([service_json(s, lang) for s in services])
        return
    width = max((len(s.code) for s in services), default=4)
    for s in services:
        click.echo(
            f"{s.code:<{width}}  {s.inclusion.mark:<2}  {s.category.value:<26}  {s.unit.value:<12}  {s.name(lang)}"
        )


@catalog.command("show")
@click.argument("code")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="en", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@handles_domain_errors
def catalog_show(code: str, lang: str, as_json: bool) -> None:
    """Show one service in full."""
    from unisupport.catalog.selectors import current_catalog

    service = current_catalog().services.get(code)
    if service is None:
        fail(f"CAT-1: unknown service code {code!r} (see `unisupport catalog list`)")
    if as_json:
        print_json(service_json(service, lang))
        return
    other = "en" if lang == "fr" else "fr"
    click.echo(f"{service.code}  {service.inclusion.mark}  {service.name(lang)}")
    click.echo(f"  {other}: {service.name(other)}")
    click.echo(f"  category: {service.category.value}    unit: {service.unit.value}")
    note = service.unit_note_fr if lang == "fr" else service.unit_note_en
    if note:
        click.echo(f"  unit note: {note}")
    if service.languages:
        click.echo(f"  delivery languages (CAT-2): {', '.join(service.languages)}")
    if service.not_sold_in:
        click.echo(f"  not sold in (CAT-2): {', '.join(service.not_sold_in)}")
    if service.provider != "Microsoft":
        click.echo(f"  provider (CAT-3): {service.provider} — {service.provider_terms}")
    if service.needs_vendor_acceptance:
        click.echo("  subject to resource availability (ORD-8)")
    if service.hour_block:
        click.echo("  bought as a block of hours (HRS-1)")
    if not service.allocation_eligible:
        click.echo("  not payable with the flexible allocation")
    click.echo(f"  source: {service.source}    rules: {', '.join(service.rules) or '—'}")
    click.echo("")
    click.echo(click.wrap_text(service.description(lang), 96, initial_indent="  ", subsequent_indent="  "))


@catalog.command("load")
@click.option("--overwrite", is_flag=True, help="Replace rows edited in the admin with the shipped data.")
@handles_domain_errors
def catalog_load(overwrite: bool) -> None:
    """Load the shipped catalog into the database (missing rows; all rows with --overwrite)."""
    from unisupport.catalog.services import load_catalog

    services, products = load_catalog(overwrite=overwrite)
    click.echo(f"{services} services and {products} products written.")
