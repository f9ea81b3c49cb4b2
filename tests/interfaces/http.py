"""One HTTP client for the API tests: Django's test client in-process, or urllib against a live server.

The API's contract tests send their requests to :data:`TEST_SERVER` (the ``api_server`` fixture):
they go through the whole Django stack (middleware, authentication, CSRF checks, ninja) without a
server thread, a socket or a transactional test. A URL of a live server (``live_server.url``)
goes over real HTTP: test_api_incident_opening.py keeps that proof.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

TEST_SERVER = "http://testserver"


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Server:
    """Where the requests go: ``url`` is the server's root (no trailing slash)."""

    url: str


def request(
    method: str,
    url: str,
    *,
    token: str | None = None,
    body: bytes | None = None,
    content_type: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Return the response to one HTTP request (errors included, never raised)."""
    sent = {"Accept": "application/json"} | (headers or {})
    if token:
        sent["Authorization"] = f"Bearer {token}"
    if content_type:
        sent["Content-Type"] = content_type
    if url.startswith(f"{TEST_SERVER}/"):
        return _in_process(method, url, sent, body)
    req = urllib.request.Request(url, data=body, method=method, headers=sent)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return Response(resp.status, resp.read(), dict(resp.headers))
    except urllib.error.HTTPError as exc:
        return Response(exc.code, exc.read(), dict(exc.headers))


def _in_process(method: str, url: str, headers: dict[str, str], body: bytes | None) -> Response:
    """Return the response of Django's test client, which enforces CSRF checks as a real server does."""
    from django.test import Client

    parts = urlsplit(url)
    path = f"{parts.path}?{parts.query}" if parts.query else parts.path
    content_type = headers.pop("Content-Type", "application/octet-stream")
    response = Client(enforce_csrf_checks=True).generic(
        method, path, data=body or b"", content_type=content_type, headers=headers
    )
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return Response(response.status_code, content, dict(response.items()))
