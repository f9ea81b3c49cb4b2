"""The portal's CSV exports in the reader's language: column headings and words (numbers keep a dot,
dates ISO 8601: a spreadsheet reads them either way). The API and the CLI keep their English columns."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from unisupport.i18n import service_name


def statement_headers() -> dict[str, str]:
    """Return the ledger statement's column headings in the active language."""
    return {
        "serial": _("line"), "entry": _("entry"), "effective_on": _("effective on"), "posted_at": _("posted at"),
        "account": _("account"), "site": _("site"), "kind": _("kind"), "service": _("service"),
        "amount": _("amount"), "balance": _("balance"), "currency": _("currency"), "rule": _("rule"),
        "reason": _("reason"), "actor": _("by"), "order_version": _("order version"), "cause": _("cause"),
        "expires_on": _("usable until"), "compensates": _("compensates"), "refunds": _("refunds"),
        "forfeits": _("forfeits"), "linked": _("linked to"),
    }  # fmt: skip


def attainment_columns() -> list[str]:
    """Return the SLA attainment export's column headings in the active language."""
    return [_("breakdown"), _("key"), _("incidents"), _("met"), _("pending"), _("attainment")]


def attainment_words(report: dict[str, Any]) -> dict[str, str]:
    """Return the breakdowns' names and the offerings' names in the active language."""
    words = {"total": _("total"), "severity": _("severity"), "offering": _("offering"), "site": _("site")}
    offerings = report.get("by_offering") or {}
    words |= {str(code): service_name(str(code)) for code in offerings}
    return words
