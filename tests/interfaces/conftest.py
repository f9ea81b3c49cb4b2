"""Fixtures of the interface tests: a headless chromium for the browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.interfaces.browser_support import CHROMIUM_ARGS


@pytest.fixture
def browser(chromium_path, monkeypatch) -> Iterator[Any]:
    """Return Debian's chromium launched headless by Playwright (skipped when chromium is missing)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
    # around it are still synchronous, so Django's async-safety guard is lifted for the test.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
