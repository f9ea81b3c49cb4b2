"""An incident's conversation on the portal: comments, files, and a file's download. Thin: the
service checks who may write, the selector who may read (404 for another organisation)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.domain.errors import DomainError, Forbidden, InvalidInput, NotFound
from unisupport.domain.messages import Message, gettext_noop
from unisupport.files import file_download
from unisupport.i18n import cited
from unisupport.incidents.services.conversation import add_comment, attach_file, attachment_for


def _written(request: HttpRequest, pk: int, write: Callable[[], object], done: str) -> HttpResponse:
    """Return to the incident's conversation after ``write``: its refusal shown, or ``done``."""
    try:
        write()
    except NotFound:
        raise Http404("no such incident") from None
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, cited(exc))
    else:
        messages.success(request, done)
    return redirect(f"/incidents/{pk}/#conversation-h")


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a comment (or, for the vendor, an internal note) to the incident's conversation."""
    return _written(
        request, pk,
        lambda: add_comment(
            scope=scope_of(request.user), incident_id=pk, text=request.POST.get("text", ""),
            internal=request.POST.get("internal") == "on", at=clock.now(),
        ),
        _("Comment added."),
    )  # fmt: skip


@login_required
@require_POST
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the uploaded file to the incident (a log, a trace, a screenshot, a document)."""
    upload = request.FILES.get("file")
    answers = request.POST.get("answers", "").strip()
    return _written(
        request, pk,
        lambda: attach_file(
            scope=scope_of(request.user), incident_id=pk, name=(upload.name or "") if upload else "",
            data=upload.read() if upload else b"", internal=request.POST.get("internal") == "on",
            answers=_document_number(answers), at=clock.now(),
        ),
        _("File attached."),
    )  # fmt: skip


def _document_number(raw: str) -> int | None:
    """Return the RCA document a file answers (none when the field is empty), or raise naming the field."""
    if not raw:
        return None
    if not raw.isdigit():
        raise InvalidInput(
            "answers", Message(gettext_noop("not an RCA document number: {value!r}"), value=raw)
        )
    return int(raw)


@login_required
def download(request: HttpRequest, pk: int, n: int) -> FileResponse:
    """Return the N-th file of an incident the reader sees, as an attachment (404 for anybody else)."""
    try:
        found, path = attachment_for(scope_of(request.user), incident_id=pk, number=n)
    except NotFound:
        raise Http404("no such file") from None
    return file_download(path, name=found.name, content_type=found.content_type)
