"""E-mail notifications: composed into the outbox in the same transaction as their cause, sent later.

Each notification gets its Message-ID when it is queued. The sender marks a row sent in the
transaction that holds its lock, so each row is handed to SMTP once; should a worker die
between SMTP's acceptance and the commit, the row is sent again with the same Message-ID,
which mail systems and the tests treat as the same message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import smtplib
from collections.abc import Callable, Iterable, Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.db import transaction

from unisupport import clock
from unisupport.incidents.models import Incident, Milestone, MilestoneKind, Notification

log = logging.getLogger(__name__)

SUBJECTS = {
    MilestoneKind.RESPONSE_WARNING: "[Sev {sev}] #{id} 75 % of the response target elapsed — due {due}",
    MilestoneKind.RESPONSE_BREACH: "[Sev {sev}] #{id} response target breached (due {due})",
    MilestoneKind.CUSTOMER_OBLIGATION: "[Sev {sev}] #{id} customer obligation passed (SEV-9)",
    MilestoneKind.RCA_DUE: "[Sev {sev}] #{id} root cause analysis due",
    "senior-management": "[Sev 1] #{id} critical business system down — {title}",
}


# What a header may hold: one line (a CR or LF would start a header of its own: BadHeaderError).
_HEADER_MAX = 300


def one_line(text: str) -> str:
    """Return ``text`` as one header line: control characters become spaces, runs collapse, at most 300."""
    flat = "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in str(text))
    return " ".join(flat.split())[:_HEADER_MAX]


def _message_id(key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1] or "localhost"
    return f"<{digest}@{domain}>"


def _local(incident: Incident, instant: dt.datetime | None) -> str:
    if instant is None:
        return "—"
    local = instant.astimezone(ZoneInfo(incident.site_timezone))
    return f"{local:%Y-%m-%d %H:%M} {incident.site_timezone} ({instant.astimezone(dt.UTC):%H:%M} UTC)"


def _body(incident: Incident, headline: str) -> str:
    return (
        f"{headline}\n\n"
        f"Incident #{incident.pk}: {incident.title}\n"
        f"Customer: {incident.organisation.name} — order {incident.order.number}, site {incident.site_country}\n"
        f"Severity {incident.severity}, product {incident.product}\n"
        f"Response target: {incident.target_minutes} min ({incident.clock}), offering {incident.offering}, "
        f"rules {', '.join(incident.rules)}\n"
        f"Response due: {_local(incident, incident.response_due_at)}\n"
        f"State: {incident.state}\n"
    )


def recipients_for(incident: Incident) -> list[str]:
    """Return who hears of a milestone: the assignee, the incident manager and the CSAM (distinct, with e-mail)."""
    people: list[User | None] = [
        incident.assigned_engineer,
        incident.incident_manager,
        incident.order.agreement.csam,
    ]
    seen: dict[str, None] = {}
    for person in people:
        if person is not None and person.email:
            seen.setdefault(person.email.lower(), None)
    return list(seen)


def compose_for_milestone(milestone: Milestone, *, at: dt.datetime) -> list[Notification]:
    """Return the (unsaved) notifications of ``milestone``: one per recipient."""
    incident = milestone.incident
    subject = SUBJECTS[MilestoneKind(milestone.kind)].format(
        sev=incident.severity, id=incident.pk, due=_local(incident, milestone.due_at), title=incident.title
    )
    recipients, body = recipients_for(incident), _body(incident, subject)
    if not recipients:
        # Nobody to tell (no assignee, incident manager or CSAM with an e-mail): never dropped
        # silently, it goes to the vendor's fallback address and is logged (issue 17 §0).
        log.warning(
            "incident %s milestone %s has no recipient: sent to the fallback address",
            incident.pk,
            milestone.kind,
        )
        recipients = [settings.UNISUPPORT_FALLBACK_EMAIL]
        body = (
            "Nobody is assigned to this incident (no engineer, incident manager or CSAM with an "
            "e-mail address): this goes to the vendor's fallback address.\n\n" + body
        )
    return _compose(
        incident,
        milestone=milestone,
        recipients=recipients,
        subject=subject,
        body=body,
        key=f"milestone:{milestone.pk}",
        at=at,
    )


def queue_immediate(
    incident: Incident, *, kind: str, recipients: Iterable[str], at: dt.datetime
) -> list[Notification]:
    """Return the notifications queued now for an event of ``incident`` (e.g. INC-2's senior management list)."""
    subject = SUBJECTS[kind].format(sev=incident.severity, id=incident.pk, due="", title=incident.title)
    rows = _compose(
        incident,
        milestone=None,
        recipients=recipients,
        subject=subject,
        body=_body(incident, subject),
        key=f"incident:{incident.pk}:{kind}",
        at=at,
    )
    return Notification.objects.bulk_create(rows, ignore_conflicts=True)


def compose_mail(
    *, organisation_id: int, recipients: Iterable[str], subject: str, body: str, key: str, at: dt.datetime
) -> list[Notification]:
    """Return the (unsaved) e-mails of one message to ``recipients``, each with its fixed Message-ID
    for ``key``; :func:`enqueue` queues them."""
    return [
        Notification(
            organisation_id=organisation_id,
            recipient=recipient,
            subject=one_line(subject),
            body=body,
            message_id=_message_id(f"{key}:{recipient}"),
            created_at=at,
        )
        for recipient in dict.fromkeys(r for r in recipients if r)
    ]


def enqueue(rows: Sequence[Notification]) -> list[Notification]:
    """Return those of ``rows`` queued now: one not queued before (its Message-ID), in one query and one insert."""
    # Already queued (an earlier pass, the same key): not again. A race between two workers is
    # settled by the unique Message-ID (the conflict is ignored).
    queued = set(
        Notification.objects.filter(message_id__in=[r.message_id for r in rows]).values_list(
            "message_id", flat=True
        )
    )
    fresh = list({r.message_id: r for r in rows if r.message_id not in queued}.values())
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    return fresh


def queue_mail(
    *, organisation_id: int, recipients: Iterable[str], subject: str, body: str, key: str, at: dt.datetime
) -> list[Notification]:
    """Return the e-mails queued in the outbox for ``recipients`` (each once per ``key``, however often asked).

    For what is not an incident (a delivery scheduled, cancelled …): the worker sends them with the
    rest, exactly once; call it inside the transaction of the change it tells about.
    """
    return enqueue(
        compose_mail(
            organisation_id=organisation_id, recipients=recipients, subject=subject, body=body, key=key, at=at
        )
    )


def queue_for_incident(
    incident: Incident, *, recipients: Iterable[str], subject: str, body: str, key: str, at: dt.datetime
) -> list[Notification]:
    """Return the e-mails about ``incident`` queued in the outbox (each recipient once per ``key``)."""
    return enqueue(
        _compose(incident, milestone=None, recipients=recipients, subject=subject, body=body, key=key, at=at)
    )


def _compose(
    incident: Incident,
    *,
    milestone: Milestone | None,
    recipients: Iterable[str],
    subject: str,
    body: str,
    key: str,
    at: dt.datetime,
) -> list[Notification]:
    return [
        Notification(
            organisation_id=incident.organisation_id,
            incident=incident,
            milestone=milestone,
            recipient=recipient,
            subject=one_line(subject),
            body=body,
            message_id=_message_id(f"{key}:{recipient}"),
            created_at=at,
        )
        for recipient in dict.fromkeys(recipients)
    ]


# Failures of one message for its own content, as opposed to the server being away.
MESSAGE_FAULTS = (BadHeaderError, ValueError, UnicodeError, smtplib.SMTPRecipientsRefused)


def _quarantine(row: Notification | None, exc: Exception) -> None:
    if row is None:
        raise exc
    log.error("e-mail %s to %s quarantined: %s", row.pk, row.recipient, exc)
    Notification.objects.filter(pk=row.pk).update(failed_at=clock.now(), error=str(exc)[:2000])


def retry_quarantined(*, ids: Iterable[int]) -> int:
    """Return how many quarantined e-mails were put back in the queue (the back office, by hand)."""
    return Notification.objects.filter(
        pk__in=list(ids), failed_at__isnull=False, sent_at__isnull=True
    ).update(failed_at=None, error="")


def send_pending(*, limit: int = 100, after_send: Callable[[int], None] | None = None) -> int:
    """Return how many queued e-mails were sent now (each row in its own short transaction).

    ``after_send`` is called with the number sent so far, after each row's commit.
    """
    sent = 0
    connection = get_connection()
    try:
        for _ in range(limit):
            row: Notification | None = None
            try:
                with transaction.atomic():
                    row = (
                        Notification.objects.select_for_update(skip_locked=True)
                        .filter(sent_at__isnull=True, failed_at__isnull=True)
                        .order_by("created_at", "pk")
                        .first()
                    )
                    if row is None:
                        break
                    EmailMessage(
                        subject=one_line(row.subject),
                        body=row.body,
                        to=[row.recipient],
                        headers={**row.headers, "Message-ID": row.message_id},
                        connection=connection,
                    ).send()
                    # The instant the message left, not the pass's: a slow server's queue shows.
                    row.sent_at = clock.now()
                    row.save(update_fields=["sent_at"])
                    sent += 1
            except MESSAGE_FAULTS as exc:
                # This message's own content: quarantined, and the queue goes on (issue 17 §0).
                _quarantine(row, exc)
                continue
            except (smtplib.SMTPException, OSError) as exc:
                # The mail server is away: the row stays queued (its transaction rolled back)
                # and the next pass tries again.
                log.warning("cannot send e-mail now, will retry: %s", exc)
                break
            if after_send is not None:
                after_send(sent)
    finally:
        connection.close()
    return sent
