"""An incident's conversation: comments from both sides and files (logs, traces, screenshots, RCA-5
documents). A customer-visible comment or file is a timeline event; an internal note (the vendor's
staff only) is not, so it never reaches the customer's pages, API answers, e-mails or webhooks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max, QuerySet

from unisupport.accounts.permissions import can_follow_up_incidents, require
from unisupport.accounts.scope import Scope
from unisupport.domain.attachments import check_attachment
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.incidents import TimelineKind
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.texts import clean_text
from unisupport.files import store, stored_path
from unisupport.incidents.models import Attachment, Comment
from unisupport.incidents.selectors import incident_for, rca_document_for
from unisupport.incidents.services.common import FOLLOW_UP_REFUSAL, actor_of, record, require_aware
from unisupport.incidents.services.reviews import provide_rca_document
from unisupport.orders.policy import current_policy

INTERNAL_REFUSAL = Message(gettext_noop("internal notes are the vendor's staff's only"))
ANSWER_REFUSAL = Message(
    gettext_noop("a file that answers an RCA document is the customer's to see: not internal")
)
COMMENT_LIMIT = 10_000


def _author(scope: Scope) -> tuple[User | None, str]:
    actor = actor_of(scope)
    return actor, actor.get_username() if actor else "operator"


@transaction.atomic
def add_comment(
    *, scope: Scope, incident_id: int, text: str, internal: bool = False, at: dt.datetime
) -> Comment:
    """Return the comment added to the incident's conversation (an internal note: the vendor only)."""
    at = require_aware(at, field="at")
    require(scope, can_follow_up_incidents, FOLLOW_UP_REFUSAL)
    if internal and not scope.is_vendor:
        raise InvalidInput("internal", INTERNAL_REFUSAL)
    body = clean_text(text, field="text", limit=COMMENT_LIMIT, required=True)
    incident = incident_for(scope, incident_id=incident_id, for_update=True)
    actor, name = _author(scope)
    comment = Comment.objects.create(
        organisation_id=incident.organisation_id, incident=incident, at=at, author=actor,
        author_name=name, text=body, internal=internal,
    )  # fmt: skip
    if not internal:
        record(incident, kind=TimelineKind.COMMENTED, at=at, actor=actor, rule="RSP-6", comment=comment.pk)
    return comment


@transaction.atomic
def attach_file(
    *,
    scope: Scope,
    incident_id: int,
    name: str,
    data: bytes,
    internal: bool = False,
    answers: int | None = None,
    at: dt.datetime,
) -> Attachment:
    """Return the file attached to the incident, checked (kind and size, a Product rule) and stored
    outside the web root; nothing is stored when it is refused. ``answers``: the RCA document (RCA-5)
    the file is, which it marks provided."""
    at = require_aware(at, field="at")
    require(scope, can_follow_up_incidents, FOLLOW_UP_REFUSAL)
    if internal and not scope.is_vendor:
        raise InvalidInput("internal", INTERNAL_REFUSAL)
    if internal and answers is not None:
        raise InvalidInput("internal", ANSWER_REFUSAL)
    limit = current_policy().incident_attachment_max_bytes
    clean, content_type = check_attachment(name, data[:4096], size=len(data), max_bytes=limit)
    if answers is not None:
        try:  # checked before the file is stored
            rca_document_for(scope, incident_id=incident_id, document_id=answers)
        except NotFound as exc:
            raise InvalidInput("answers", exc.text) from None
    incident = incident_for(scope, incident_id=incident_id, for_update=True)
    actor, author = _author(scope)
    number = (Attachment.objects.filter(incident=incident).aggregate(n=Max("number"))["n"] or 0) + 1
    row = Attachment.objects.create(
        organisation_id=incident.organisation_id, incident=incident, number=number, name=clean,
        content_type=content_type, size=len(data), sha256=store(data), at=at, author=actor,
        author_name=author, internal=internal,
    )  # fmt: skip
    if not internal:
        record(
            incident,
            kind=TimelineKind.FILE_ATTACHED,
            at=at,
            actor=actor,
            rule="RSP-6",
            file=clean,
            number=number,
        )
    if answers is not None:
        provide_rca_document(scope=scope, document_id=answers, at=at, attachment=row)
    return row


def conversation(scope: Scope, *, incident_id: int) -> tuple[QuerySet[Comment], QuerySet[Attachment]]:
    """Return the incident's comments and files that ``scope`` sees (internal ones for the vendor only)."""
    incident = incident_for(scope, incident_id=incident_id)
    comments = Comment.objects.filter(incident=incident)
    files = Attachment.objects.filter(incident=incident)
    if not scope.is_vendor:
        comments, files = comments.filter(internal=False), files.filter(internal=False)
    return comments, files


def attachment_for(scope: Scope, *, incident_id: int, number: int) -> tuple[Attachment, Path]:
    """Return the N-th file of an incident ``scope`` sees and where it is stored (NotFound otherwise:
    another organisation's incident, or an internal file for a customer)."""
    _comments, files = conversation(scope, incident_id=incident_id)
    found = files.filter(number=number).first()
    if found is None:
        raise NotFound(Message(gettext_noop("no file {n} on incident #{id}"), n=number, id=incident_id))
    return found, stored_path(found.sha256)
