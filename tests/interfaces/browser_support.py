"""What the browser tests share: chromium's arguments, signing in, and screenshots kept on request."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def sign_in(page, base: str, username: str) -> None:
    """Return nothing; sign ``username`` in on the portal's login page (the personas' password)."""
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("button[type=submit].primary")


def shoot(page, name: str, tmp_path: Path) -> Path:
    """Return the screenshot of the whole page taken into ``tmp_path`` (also into $UNISUPPORT_SCREENSHOTS if set)."""
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=True)
    shots = os.environ.get("UNISUPPORT_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / name), full_page=True)
    return path
