"""An incident's conversation over the API (RSP-6): comments, files (multipart upload), a file's
download. The same services as the portal and the CLI; internal notes are the vendor's only and
never appear in a customer's answers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.api.errors import answered
from unisupport.api.posting import IDEMPOTENCY, answered_once
from unisupport.api.schemas import ErrorOut
from unisupport.files import file_download
from unisupport.incidents.models import Attachment, Comment
from unisupport.incidents.presenters import iso
from unisupport.incidents.services.conversation import add_comment, attach_file, attachment_for, conversation

router = Router(tags=["incidents"])


class CommentIn(Schema):
    text: str = Field(..., description="The comment (10,000 characters at most)")
    internal: bool = Field(False, description="An internal note the customer never sees (the vendor only)")


def comment_json(row: Comment) -> dict[str, Any]:
    """Return a comment as the API shows it."""
    return {
        "id": row.pk,
        "at": iso(row.at),
        "by": row.author_name,
        "text": row.text,
        "internal": row.internal,
    }


def file_json(row: Attachment) -> dict[str, Any]:
    """Return a file's description (its bytes at .../attachments/{number})."""
    return {
        "number": row.number, "name": row.name, "content_type": row.content_type, "size": row.size,
        "sha256": row.sha256, "at": iso(row.at), "by": row.author_name, "internal": row.internal,
    }  # fmt: skip


@router.get("/incidents/{incident_id}/comments", response={200: dict[str, Any], 404: ErrorOut})
def list_conversation(request: HttpRequest, incident_id: int) -> Any:
    """Return the incident's comments and files the caller sees (RSP-6)."""

    def run() -> dict[str, Any]:
        comments, files = conversation(scope_of(request.user), incident_id=incident_id)
        return {"comments": [comment_json(c) for c in comments], "attachments": [file_json(f) for f in files]}

    return answered(run)


@router.post(
    "/incidents/{incident_id}/comments",
    response={201: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    openapi_extra=IDEMPOTENCY,
)
def post_comment(request: HttpRequest, incident_id: int, data: CommentIn) -> Any:
    """Add a comment to the incident (customers' reactive contacts and administrators, the vendor)."""

    def run() -> tuple[int, dict[str, Any]]:
        row = add_comment(
            scope=scope_of(request.user), incident_id=incident_id, text=data.text, internal=data.internal,
            at=clock.now(),
        )  # fmt: skip
        return 201, comment_json(row)

    return answered_once(request, "incidents.comment", run)


@router.post(
    "/incidents/{incident_id}/attachments",
    response={201: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    openapi_extra=IDEMPOTENCY,
)
def post_attachment(
    request: HttpRequest,
    incident_id: int,
    file: File[UploadedFile],
    internal: Form[bool] = False,
    answers: Form[int | None] = None,
) -> Any:
    """Attach a file (multipart `file`): a log, a trace, a screenshot, a document; checked by kind and size.
    `answers`: the id of the RCA document asked of the customer that the file is; it marks it provided
    (RCA-5)."""

    def run() -> tuple[int, dict[str, Any]]:
        row = attach_file(
            scope=scope_of(request.user), incident_id=incident_id, name=file.name or "", data=file.read(),
            internal=internal, answers=answers, at=clock.now(),
        )  # fmt: skip
        return 201, file_json(row)

    return answered_once(request, "incidents.attachment", run)


@router.get("/incidents/{incident_id}/attachments/{number}", response={200: None, 404: ErrorOut})
def download_attachment(request: HttpRequest, incident_id: int, number: int) -> Any:
    """Return the file's bytes, as an attachment (404 for another organisation's incident)."""

    def run() -> Any:
        found, path = attachment_for(scope_of(request.user), incident_id=incident_id, number=number)
        return file_download(path, name=found.name, content_type=found.content_type)

    return answered(run)
