"""`unisupport report monthly`: an order's monthly service review as PDF or HTML (issue 14 §4)."""

from __future__ import annotations

from pathlib import Path

import click

from unisupport import clock
from unisupport.cli.operator import OPERATOR
from unisupport.cli.output import handles_domain_errors
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop


@click.group()
def report() -> None:
    """Reports: the monthly service review."""


@report.command("monthly")
@click.option("--order", required=True)
@click.option("--month", required=True, help="YYYY-MM, the host site's calendar month.")
@click.option("--lang", "language", type=click.Choice(["fr", "en"]), default="en", show_default=True)
@click.option("--output", required=True, help="FILE.pdf or FILE.html")
@handles_domain_errors
def report_monthly(order: str, month: str, language: str, output: str) -> None:
    """Write ORDER's review of MONTH: consumption against plan, forfeiture at risk, incidents and
    attainment, breaches, deliveries, milestones, the success plan, contacts to update."""
    from unisupport.success.review_render import parse_month, render_review

    suffix = Path(output).suffix.lower().lstrip(".")
    if suffix not in ("pdf", "html"):
        raise InvalidInput(
            "--output", Message(gettext_noop("a .pdf or .html file, got {value!r}"), value=output)
        )
    data = render_review(
        OPERATOR,
        order=order,
        month=parse_month(month, field="--month"),
        language=language,
        fmt=suffix,
        at=clock.now(),
    )
    Path(output).write_bytes(data)
    click.echo(f"{output}: {len(data):,} bytes")
