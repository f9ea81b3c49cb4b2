"""Template filters that show the domain's English texts in the reader's language."""

from __future__ import annotations

from decimal import Decimal

from django import template

from unisupport import i18n
from unisupport.domain.money import Money
from unisupport.ledger.models import AccountKind

ACCOUNT_KINDS = dict(AccountKind.choices)

register = template.Library()


@register.filter
def translated(text: str) -> str:
    """Return a stored constant text of the domain (e.g. an RCA note) in the active language."""
    return i18n.translated(text)


@register.filter
def quantity(value: object) -> str:
    """Return money, credits, hours or a number written in the reader's language."""
    return "" if value is None else i18n.written(value)


@register.filter
def money(amount: object, currency: str) -> str:
    """Return ``amount`` of ``currency`` written in the reader's language ("50 000,00 $US")."""
    if amount in (None, "") or not currency:
        return "" if amount is None else str(amount)
    return i18n.written(Money(Decimal(str(amount)), currency))


@register.filter
def localized_message(text: str) -> str:
    """Return a domain Message (e.g. a milestone's name) in the active language."""
    return i18n.localized(text)


@register.filter
def service_name(code: str) -> str:
    """Return the catalogue's name of service ``code`` in the reader's language (the code if unknown)."""
    return i18n.service_name(code) if code else ""


@register.filter
def account_kind(kind: str) -> str:
    """Return what a ledger account counts, in the reader's language (credits, hour block …)."""
    return str(ACCOUNT_KINDS.get(kind, kind))
