"""`unisupport rules [ID]`: look up a rule the product cited."""

from __future__ import annotations

import click

from unisupport.cli.output import handles_domain_errors, print_json


@click.command("rules")
@click.argument("rule_id", required=False)
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--language",
    type=click.Choice(["en", "fr"]),
    default="en",
    show_default=True,
    help="Say the rules in English (RULES.md) or in the contract's French.",
)
@handles_domain_errors
def rules(rule_id: str | None, as_json: bool, language: str) -> None:
    """Print rule RULE_ID (e.g. SEV-8), or every rule's ID and first words."""
    from unisupport.domain.rules import all_rules, rule

    if rule_id:
        found = rule(rule_id, language=language)
        if as_json:
            print_json(found.as_dict())
        else:
            click.echo(f"{found.id} — {found.section}")
            click.echo(
                click.wrap_text(found.text.replace("**", ""), 96, initial_indent="  ", subsequent_indent="  ")
            )
        return
    if as_json:
        print_json([r.as_dict() for r in all_rules(language).values()])
        return
    for item in all_rules(language).values():
        text = item.text.replace("**", "")
        click.echo(f"{item.id:<8} {text[:88]}{'…' if len(text) > 88 else ''}")
