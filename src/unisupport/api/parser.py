"""The API's JSON bodies, read with limits (issue 17 §0): no NUL character (PostgreSQL refuses them,
SQLite would store them), no text longer than 20,000 characters, no nesting deeper than 32 — each
refused as 422 naming where it is, before anything is read further or written."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from unisupport.api.errors import error_body
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop

MAX_DEPTH = 32
MAX_TEXT = 20_000


def _depth_ok(body: bytes) -> bool:
    # Only a body with many brackets can be too deep: count first, walk only then.
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH:
        return True
    depth, in_text, escaped = 0, False, False
    for byte in body:
        if in_text:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_text = False
        elif byte == 0x22:
            in_text = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return True


def check_value(value: Any, path: str = "") -> None:
    """Return None if every text in ``value`` is free of NUL and not over-long, else raise InvalidInput at its path."""
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidInput(path or "body", Message(gettext_noop("a NUL character is not accepted")))
        if len(value) > MAX_TEXT:
            raise InvalidInput(
                path or "body",
                Message(
                    gettext_noop("at most {limit} characters, got {count}"), limit=MAX_TEXT, count=len(value)
                ),
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            check_value(key, path)
            check_value(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_value(item, f"{path}[{index}]")


class CheckedParser(Parser):
    """Ninja's JSON parser, with the limits above (the middleware answered a body beyond them already)."""

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        parsed = super().parse_querydict(data, list_fields, request)
        check_value(parsed)
        return parsed


class InputLimits:
    """Middleware: a JSON body sent to the API beyond the limits is answered 422 naming where, before
    any view reads it (ninja would answer 400 without saying why, or the database 500)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and request.content_type == "application/json" and request.body:
            try:
                if not _depth_ok(request.body):
                    raise InvalidInput(
                        "body", Message(gettext_noop("nested deeper than {limit} levels"), limit=MAX_DEPTH)
                    )
                if b"\\u0000" in request.body or len(request.body) > MAX_TEXT:
                    # Only a body that may hold a NUL or an over-long text is read here: the
                    # endpoint parses every other one once, as before.
                    check_value(json.loads(request.body))
            except InvalidInput as exc:
                status, body = error_body(exc)
                return JsonResponse(body, status=status)
            except ValueError:
                pass  # not JSON: the endpoint answers as it does
        return self.get_response(request)
