"""POSTs that write: idempotent on an `Idempotency-Key`, refusals stored as outcomes too."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from ninja import Status

from unisupport.api.errors import error_body
from unisupport.api.schemas import ErrorOut
from unisupport.domain.errors import DomainError
from unisupport.ledger.idempotency import HEADER, idempotent

POSTED = {
    201: dict[str, Any],
    200: dict[str, Any],
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
IDEMPOTENCY = {
    "parameters": [
        {
            "name": HEADER,
            "in": "header",
            "required": False,
            "schema": {"type": "string", "maxLength": 200},
            "description": "A retry with the same key returns the first response and writes nothing more.",
        }
    ]
}


def posted(
    request: HttpRequest,
    endpoint: str,
    run: Callable[[], dict[str, Any]],
) -> Status:
    """Return the response of a posting: the (idempotent) outcome of ``run``; the services check who posts."""
    return Status(*_once(request, endpoint, lambda: (201, run())))


def _once(
    request: HttpRequest, endpoint: str, run: Callable[[], tuple[int, dict[str, Any]]]
) -> tuple[int, dict[str, Any]]:
    """Return the (status, body) of ``run``, or the one stored for the request's Idempotency-Key."""

    def attempt() -> tuple[int, dict[str, Any]]:
        # A refusal is an outcome too: a retry with the same key gets the same refusal back.
        try:
            return run()
        except DomainError as exc:
            return error_body(exc)

    try:
        return idempotent(
            user=request.user,  # type: ignore[arg-type]
            key=request.headers.get(HEADER),
            endpoint=endpoint,
            body=_fingerprinted(request),
            run=attempt,
        )
    except DomainError as exc:
        return error_body(exc)


def _fingerprinted(request: HttpRequest) -> bytes:
    """Return what identifies the request's content: its body, or for a multipart upload already read
    (the files parsed from the stream), its fields and each file's name and SHA-256."""
    try:
        return request.body
    except RawPostDataException:
        parts = [f"{k}={v}" for k, v in sorted(request.POST.items())]
        for field, files in sorted(request.FILES.lists()):
            for upload in files:
                digest = hashlib.sha256()
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
                parts.append(f"{field}:{upload.name}:{digest.hexdigest()}")
        return "\n".join(parts).encode()


def answered_once(
    request: HttpRequest, endpoint: str, run: Callable[[], tuple[int, dict[str, Any]]]
) -> HttpResponse:
    """Return ``run``'s (status, JSON body) as the response, sent as is; with an ``Idempotency-Key``,
    a retry gets the first answer back (a refusal too) and writes nothing more.

    Without a key a refusal propagates to the API's exception handler, as for any endpoint.
    """
    status, body = run() if request.headers.get(HEADER) is None else _once(request, endpoint, run)
    return HttpResponse(json.dumps(body), status=status, content_type="application/json; charset=utf-8")
