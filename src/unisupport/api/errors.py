"""How domain decisions travel over HTTP: one status per kind of error, the rule ID or the field named.

:func:`error_body` is the one mapping: the exception handler answers with it, the idempotent
postings store it, and :func:`answered` returns it through the endpoint's ``ErrorOut`` schema
(``detail``, ``rule``, ``field``) for the endpoints whose contract is that schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from ninja import NinjaAPI, Status

from unisupport.domain.errors import DomainError, Forbidden, InvalidInput, NotFound, RuleViolation
from unisupport.domain.messages import Message, gettext_noop

STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (RuleViolation, 409),  # a rule refused: the body names it
    (NotFound, 404),  # nothing the caller may see (another organisation's is not found either)
    (Forbidden, 403),  # the caller may not do this
)
BAD_INPUT = 422  # any other domain error: the input, the field named

A = TypeVar("A", bound=Status | HttpResponseBase)


def error_body(exc: DomainError) -> tuple[int, dict[str, Any]]:
    """Return the HTTP status and the JSON body that answer ``exc``."""
    status = next((code for kind, code in STATUS if isinstance(exc, kind)), BAD_INPUT)
    return status, {"detail": exc.message, **exc.as_dict()}


def no_order(number: str, *, field: str) -> NotFound:
    """Return the 404 for an order the caller does not see (its detail names the order, not the field)."""
    text = Message(gettext_noop("no order {number!r}"), number=number)
    return NotFound(text, field=field, message=text)


def answered(compute: Callable[[], A]) -> A | Status:
    """Return what ``compute`` returns, or the answer to the domain error it raised (through ``ErrorOut``)."""
    try:
        return compute()
    except DomainError as exc:
        return Status(*error_body(exc))


def install(api: NinjaAPI) -> None:
    """Register the handler that turns a domain error an endpoint raised into its JSON response."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        status, body = error_body(exc)
        return api.create_response(request, body, status=status)

    @api.exception_handler(DataError)
    def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        # A value the schema let through that its column cannot hold (too long, out of range):
        # bad input, not a server error; the transaction rolled back, nothing was written.
        text = Message(gettext_noop("a value does not fit where it is stored (too long, or out of range)"))
        status, body = error_body(InvalidInput("body", text))
        return api.create_response(request, body, status=status)
