"""Communication preferences (RSP-8): every person may opt out of product and feature
communications, on their preference page or with the one-click link those e-mails carry (RFC 8058
`List-Unsubscribe` and `List-Unsubscribe-Post`). Service notifications the contract needs are not
affected."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from unisupport.accounts.models import Preferences
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop

# Service e-mails a person may turn off: reminders and reports, never the notifications the
# contract needs (incident milestones, delivery changes, RSP-8).
OPTIONAL_KINDS = ("milestone-late", "monthly-review")


def preferences_of(user: User) -> Preferences:
    """Return ``user``'s preferences (created with the defaults on first use)."""
    # 96 bits: unguessable, and short enough that the List-Unsubscribe header stays on one line
    # (a longer one is folded into an encoded word, which mail clients do not read as a link).
    found, _ = Preferences.objects.get_or_create(
        user=user, defaults={"unsubscribe_token": secrets.token_urlsafe(12)}
    )
    return found


def check_language(language: str) -> str:
    """Return ``language`` if the product speaks it (en, fr), else raise InvalidInput naming ``language``."""
    if language not in ("en", "fr"):
        raise InvalidInput(
            "language", Message(gettext_noop("expected en or fr, got {value!r}"), value=language)
        )
    return language


@transaction.atomic
def set_preferences(
    *, user: User, language: str, product_emails: bool, at: dt.datetime, muted: Iterable[str] = ()
) -> Preferences:
    """Return ``user``'s preferences changed: the language of their e-mails, product communications
    or not, and the optional service e-mails turned off."""
    check_language(language)
    off = sorted(set(muted))
    unknown = [k for k in off if k not in OPTIONAL_KINDS]
    if unknown:
        raise InvalidInput(
            "muted",
            Message(
                gettext_noop("expected some of {kinds}, got {value!r}"),
                kinds=", ".join(OPTIONAL_KINDS),
                value=unknown[0],
            ),
        )
    found = preferences_of(user)
    found.language, found.product_emails, found.changed_at, found.muted = language, product_emails, at, off
    found.save()
    return found


@transaction.atomic
def unsubscribe(*, token: str, at: dt.datetime) -> Preferences | None:
    """Return the preferences whose one-click token is ``token``, opted out of product communications
    (RSP-8); None for an unknown token."""
    found = Preferences.objects.select_for_update().filter(unsubscribe_token=str(token or "")).first()
    if found is not None and found.product_emails:
        found.product_emails, found.changed_at = False, at
        found.save(update_fields=["product_emails", "changed_at"])
    return found


def product_audience(addresses: Iterable[str]) -> list[tuple[str, dict[str, str]]]:
    """Return, of ``addresses``, those who accept product communications (RSP-8), each with the
    headers its e-mail carries: the one-click unsubscribe link (RFC 8058). An address that is no
    person's gets the e-mail without a link (it has no preference page)."""
    wanted = list(dict.fromkeys(a.lower() for a in addresses if a))
    people = {u.email.lower(): u for u in User.objects.filter(email__in=wanted, is_active=True)}
    audience: list[tuple[str, dict[str, str]]] = []
    for address in wanted:
        user = people.get(address)
        if user is None:
            audience.append((address, {}))
            continue
        prefs = preferences_of(user)
        if not prefs.product_emails:
            continue
        link = f"{settings.UNISUPPORT_BASE_URL.rstrip('/')}/unsubscribe/{prefs.unsubscribe_token}/"
        audience.append(
            (
                address,
                {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
            )
        )
    return audience


def by_language(addresses: Iterable[str], *, kind: str) -> dict[str, list[str]]:
    """Return ``addresses`` grouped by the language their people chose (English for an address that
    is no person's), leaving out those who turned the optional e-mail ``kind`` off."""
    wanted = list(dict.fromkeys(a for a in addresses if a))
    chosen = {
        email.lower(): (language, muted)
        for email, language, muted in Preferences.objects.filter(user__email__in=wanted).values_list(
            "user__email", "language", "muted"
        )
    }
    groups: dict[str, list[str]] = {}
    for address in wanted:
        language, muted = chosen.get(address.lower(), ("en", []))
        if kind in muted:
            continue
        groups.setdefault(language, []).append(address)
    return groups
