"""Shared fixtures: the catalog in the database, and the personas.

alice is Contoso's support services administrator, bob the vendor's CSAM, and charlie
Fabrikam's administrator, who must never see anything of Contoso's.
"""

from __future__ import annotations

import os
import shutil
from importlib import resources
from pathlib import Path

import pytest

REQUIRE_ALL = os.environ.get("UNISUPPORT_REQUIRE_ALL") == "1"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def need(condition: bool, what: str) -> None:
    """Skip the test (or fail, under UNISUPPORT_REQUIRE_ALL=1) when ``condition`` is false."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"{what} is required here (UNISUPPORT_REQUIRE_ALL=1)")
    pytest.skip(f"{what} is missing: install it to run this test")


@pytest.fixture
def catalog_db(db):
    """Return nothing; load the shipped catalog into the test database."""
    from unisupport.catalog.services import load_catalog

    load_catalog()


@pytest.fixture
def demo_orders(catalog_db):
    """Return the import results of the two demo agreements (Contoso and Fabrikam)."""
    from unisupport.orders.services import decide_line, import_order_file

    results = []
    for name in ("contoso-unified.yaml", "fabrikam-unified.yaml"):
        text = resources.files("unisupport.demo").joinpath(name).read_text(encoding="utf-8")
        result = import_order_file(text=text)
        assert result.verdict.valid, result.verdict.as_dict()
        results.append(result)
    # As `unisupport demo` does: the vendor accepts Fabrikam's Rapid Response line (ORD-8).
    decide_line(order_number="ESO-2026-101", site_country="US", service="azure-rapid-response", accept=True)
    return results


def _person(username: str, role: str, organisation: str | None):
    from unisupport.accounts.roles import Role
    from unisupport.accounts.services import create_person, customer_organisation

    org = customer_organisation(name=organisation) if organisation else None
    return create_person(
        username=username,
        password="correct horse battery staple",
        roles=[Role(role)],
        organisation=org,
        email=f"{username}@example.com",
    )


@pytest.fixture
def alice(demo_orders):
    """Return alice, Contoso's support services administrator (RSP-1)."""
    return _person("alice", "customer-admin", "Contoso SA")


@pytest.fixture
def bob(demo_orders):
    """Return bob, the vendor's CSAM."""
    return _person("bob", "csam", None)


@pytest.fixture
def charlie(demo_orders):
    """Return charlie, Fabrikam's administrator: he must see nothing of Contoso's."""
    return _person("charlie", "customer-admin", "Fabrikam Inc.")


@pytest.fixture
def chromium_path() -> str:
    """Return the path of Debian's chromium, or skip (fail under UNISUPPORT_REQUIRE_ALL=1)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    need(path is not None, "Debian's chromium (apt-get install chromium)")
    assert path is not None
    return path


@pytest.fixture
def smtp_server(settings):
    """Return a real SMTP server on loopback, with Django's e-mail pointed at it."""
    from tests.smtp import SmtpServer

    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        yield server


def database_url() -> str:
    """Return a DATABASE_URL for the test database, for commands run in other processes."""
    from django.db import connection

    config = connection.settings_dict
    if config["ENGINE"].endswith("sqlite3"):
        name = str(config["NAME"])
        need(
            not name.startswith(":memory:") and "mode=memory" not in name, "a file-based SQLite test database"
        )
        return f"sqlite:///{name}"
    user = config.get("USER") or "postgres"
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{config.get('HOST') or '127.0.0.1'}:{config.get('PORT') or 5432}/{config['NAME']}"


@pytest.fixture(autouse=True)
def _fresh_calendars():
    """Return nothing; start each test without the site calendars an earlier test cached.

    A test's rows are rolled back without the signals that clear that cache (a process's own
    edits do send them), so a closure an earlier test added could otherwise still apply.
    """
    from unisupport.calendars.selectors import forget_calendars

    forget_calendars()
