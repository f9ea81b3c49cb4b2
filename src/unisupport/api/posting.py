"""POSTs that write: idempotent on an `Idempotency-Key`, refusals stored as outcomes too."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
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

    def attempt() -> tuple[int, dict[str, Any]]:
        # A refusal is an outcome too: a retry with the same key gets the same refusal back.
        try:
            return 201, run()
        except DomainError as exc:
            return error_body(exc)

    try:
        status, body = idempotent(
            user=request.user,  # type: ignore[arg-type]
            key=request.headers.get(HEADER),
            endpoint=endpoint,
            body=request.body,
            run=attempt,
        )
    except DomainError as exc:
        status, body = error_body(exc)
    return Status(status, body)


def answered_once(
    request: HttpRequest, endpoint: str, run: Callable[[], tuple[int, dict[str, Any]]]
) -> HttpResponse:
    """Return ``run``'s (status, JSON body) as the response, sent as is; with an ``Idempotency-Key``,
    a retry gets the first answer back (a refusal too) and writes nothing more.

    Without a key a refusal propagates to the API's exception handler, as for any endpoint.
    """
    if request.headers.get(HEADER) is None:
        status, body = run()
    else:

        def attempt() -> tuple[int, dict[str, Any]]:
            try:
                return run()
            except DomainError as exc:
                return error_body(exc)

        try:
            status, body = idempotent(
                user=request.user,  # type: ignore[arg-type]
                key=request.headers.get(HEADER),
                endpoint=endpoint,
                body=request.body,
                run=attempt,
            )
        except DomainError as exc:
            status, body = error_body(exc)
    return HttpResponse(json.dumps(body), status=status, content_type="application/json; charset=utf-8")
