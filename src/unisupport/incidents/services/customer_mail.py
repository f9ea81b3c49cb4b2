"""What the customer is told by e-mail about their incident, in each recipient's language: its first
response (SEV-2), a severity change (SEV-8), mitigation, closure, and when something is asked of
them (SEV-9). Composed into the outbox in the transaction of the change; the worker sends it, once
per recipient and event. These are service notifications (RSP-8): nobody opts out of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils import formats, translation
from django.utils.translation import gettext

from unisupport.accounts.preferences import by_language
from unisupport.accounts.scope import scope_of
from unisupport.domain.messages import gettext_noop
from unisupport.incidents.models import Incident
from unisupport.incidents.notify import queue_for_incident

# event -> (subject, first line, rule); {id} {title} and the event's own values are filled in.
TEXTS = {
    "responded": (
        gettext_noop("Incident #{id}: an engineer responded"),
        gettext_noop("An engineer responded to your incident #{id} ({title}) by {channel}."),
        "SEV-2",
    ),
    "severity": (
        gettext_noop("Incident #{id}: severity changed to {severity}"),
        gettext_noop("The severity of your incident #{id} ({title}) changed from {previous} to {severity}."),
        "SEV-8",
    ),
    "mitigated": (
        gettext_noop("Incident #{id}: mitigated"),
        gettext_noop(
            "Your incident #{id} ({title}) is mitigated: its impact is contained while the work goes on."
        ),
        "SEV-2",
    ),
    "closed": (
        gettext_noop("Incident #{id}: closed"),
        gettext_noop("Your incident #{id} ({title}) is closed."),
        "SEV-2",
    ),
    "diagnostics": (
        gettext_noop("Incident #{id}: diagnostics asked (RSP-6)"),
        gettext_noop(
            "To work incident #{id} ({title}), please perform: {what}\nReactive contacts are asked to understand "
            "the problem, be able to reproduce it and run the diagnostics the engineer asks for (RSP-6). Say when "
            "it is done on the incident's page."
        ),
        "RSP-6",
    ),
    "asked": (
        gettext_noop("Incident #{id}: we need something from you"),
        gettext_noop(
            "To go on with your incident #{id} ({title}), we need from you: {what}. Please answer by {due}."
        ),
        "SEV-9",
    ),
}
# Words a value stands for, translated with the rest of the message.
WORDS = {
    "phone": gettext_noop("phone"),
    "email": gettext_noop("e-mail"),
    "": gettext_noop("an answer to the engineer's question"),
}
FOOTER = gettext_noop("Follow it on the portal: incident #{id}. Rule {rule}: see the rules page.")


def recipients_of(incident: Incident) -> list[str]:
    """Return who hears about the incident: whoever opened it (if a customer's person), its callback
    e-mail and its contacts."""
    opener = incident.opened_by
    customer = opener is not None and opener.email and not scope_of(opener).is_vendor
    found = [opener.email if customer and opener else "", incident.callback_email, *incident.contacts]
    return list(dict.fromkeys(a.strip() for a in found if a and a.strip()))


def tell_customer(
    incident: Incident,
    *,
    event: str,
    at: dt.datetime,
    also: Iterable[str] = (),
    key: str | None = None,
    **values: object,
) -> None:
    """Return nothing; queue the e-mail about ``event`` for the incident's customer recipients (and
    ``also`` those), each in their language; ``key`` names the event once (default: its kind and instant)."""
    subject_id, line_id, rule = TEXTS[event]
    zone = ZoneInfo(incident.site_timezone)
    everyone = list(dict.fromkeys([*recipients_of(incident), *(a for a in also if a)]))
    for language, addresses in by_language(everyone, kind="incident-update").items():
        with translation.override(language):
            shown = {k: _shown(k, v, zone=zone, name=incident.site_timezone) for k, v in values.items()}
            fields = {"id": incident.pk, "title": incident.title, "rule": rule, **shown}
            subject = gettext(subject_id).format(**fields)
            body = f"{gettext(line_id).format(**fields)}\n\n{gettext(FOOTER).format(**fields)}\n"
        queue_for_incident(
            incident,
            recipients=addresses,
            subject=subject,
            body=body,
            key=f"{key or f'customer:{incident.pk}:{event}:{at.isoformat()}'}:{language}",
            at=at,
        )


def _shown(key: str, value: object, *, zone: ZoneInfo, name: str) -> object:
    """Return a value as the recipient reads it: an instant in the site's time, a word in their language."""
    if isinstance(value, dt.datetime):
        return f"{formats.date_format(value.astimezone(zone), 'DATETIME_FORMAT')} ({name})"
    if key in ("channel", "what") and isinstance(value, str) and value in WORDS:
        return gettext(WORDS[value])
    return value
