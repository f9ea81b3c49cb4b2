"""Texts the product no longer writes but still shows: ledger entries keep their reason as a
template and its parameters (domain/messages.py), so an entry written by an earlier release is
translated with its own template. Listed here so that `make messages` keeps their French."""

from __future__ import annotations

from unisupport.domain.messages import gettext_noop

RETIRED = (
    gettext_noop("custom proactive services may receive only {room} {currency} more from the allocation"),
    gettext_noop("exchange of {amount} {currency}: {source} → {target}, approved by {approved_by}"),
    gettext_noop("the {service} assignment holds {held} {currency}; it cannot give {amount}"),
    gettext_noop("the allocation ({amount} {currency}) exceeds the foundational list price (None)"),
    gettext_noop("the allocation ({amount} {currency}) exceeds the foundational list price ({list_price})"),
)
