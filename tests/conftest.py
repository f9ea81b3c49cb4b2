"""Shared fixtures: the catalog in the database, the demo agreements, the personas and their tokens.

alice is Contoso's support services administrator, bob the vendor's CSAM, and charlie
Fabrikam's administrator, who must never see anything of Contoso's.

How the shared data work (the suite's speed comes from here):
- ``catalog_db`` and ``demo_orders`` do not load anything per test. The first test that asks for
  one makes a session fixture commit it to the test database (pytest-django's ``django_db_setup``
  and ``django_db_blocker``: the same on SQLite and PostgreSQL), outside any test's transaction;
  each test then runs in its own transaction, rolled back, so it sees the data as loaded.
- The data are committed lazily because some tests need the tables empty (an order file imported
  into nothing, rows counted). ``pytest_collection_modifyitems`` therefore orders the database
  tests: those that ask for neither fixture, then the catalog ones, then the demo ones; the
  transactional tests come after all of them (as pytest-django puts them), then the tests without
  a database.
- A transactional test (``transaction=True``, ``transactional_db``, ``live_server``) commits and is
  followed by a flush of every table: after it the shared data are noted as gone, and the next
  transactional test that asks for them loads them again (committed, flushed in turn).
- The personas and their tokens are made per test (cheap: passwords are hashed with MD5 here).
- Each test starts with the process caches built from the database emptied (catalog, calendars,
  order facts, rate cards): a rolled-back or flushed row must not live on in them.
- Under pytest-xdist (``make test``: ``-n 2 --dist loadgroup --no-loadscope-reorder``) each worker
  process has its own test database and commits its own shared data; each worker gets its tests in
  the collection order, which the ordering above needs (``loadfile``, or ``loadscope``'s default
  reordering, would not keep it), and the transactional tests all go to one worker, in turn.
- The API contract tests call Django's test client (``api_server``, tests/interfaces/http.py) in
  their own rolled-back transaction; only test_api_incident_opening.py, the browser, serve, worker
  and concurrency tests are transactional (a live server or other processes).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from unisupport import clock

REQUIRE_ALL = os.environ.get("UNISUPPORT_REQUIRE_ALL") == "1"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def need(condition: bool, what: str) -> None:
    """Skip the test (or fail, under UNISUPPORT_REQUIRE_ALL=1) when ``condition`` is false."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"{what} is required here (UNISUPPORT_REQUIRE_ALL=1)")
    pytest.skip(f"{what} is missing: install it to run this test")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> None:
    """Return nothing; hash the test personas' passwords with MD5 (PBKDF2's 10⁶ rounds cost ~1 s each here).

    Django's own advice for test suites; the other hashers stay listed so a password hashed by a
    command run in another process is still checked.
    """
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


class _Committed:
    """What the session has committed to the test database: the catalog, and the demo agreements' import."""

    catalog = False
    demo: list | None = None


def _load_catalog() -> None:
    from unisupport.catalog.services import load_catalog

    load_catalog()
    _Committed.catalog = True


def _load_demo() -> list:
    from tests.scopes import OPERATOR
    from unisupport.orders.services import decide_line, import_order_file

    results = []
    for name in ("contoso-unified.yaml", "fabrikam-unified.yaml"):
        text = resources.files("unisupport.demo").joinpath(name).read_text(encoding="utf-8")
        result = import_order_file(scope=OPERATOR, at=clock.now(), text=text)
        assert result.verdict.valid, result.verdict.as_dict()
        results.append(result)
    # As `unisupport demo` does: the vendor accepts Fabrikam's Rapid Response line (ORD-8).
    decide_line(
        scope=OPERATOR,
        at=clock.now(),
        order_number="ESO-2026-101",
        site_country="US",
        service="azure-rapid-response",
        accept=True,
    )
    _Committed.demo = results
    return results


def _transactional(item: pytest.Item) -> bool:
    """Return whether the test commits its writes (and so is followed by a flush of every table)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


def _ensure(*, demo: bool) -> None:
    """Return nothing; commit what is missing of the catalog (and of the demo agreements if ``demo``)."""
    if not _Committed.catalog:
        _load_catalog()
    if demo and _Committed.demo is None:
        _load_demo()


@pytest.fixture(scope="session")
def _session_catalog(django_db_setup, django_db_blocker) -> None:
    """Return nothing; commit the shipped catalog once per session (before any test's transaction)."""
    with django_db_blocker.unblock():
        _ensure(demo=False)


@pytest.fixture(scope="session")
def _session_demo(_session_catalog, django_db_blocker) -> None:
    """Return nothing; commit the two demo agreements once per session, on top of the catalog."""
    with django_db_blocker.unblock():
        _ensure(demo=True)


@pytest.fixture
def catalog_db(request, _session_catalog, db) -> None:
    """Return nothing; the shipped catalog is in the test database (committed once per session)."""
    if _transactional(request.node):
        _ensure(demo=False)  # an earlier transactional test may have flushed it


@pytest.fixture
def demo_orders(request, _session_demo, catalog_db) -> list:
    """Return the import results of the two demo agreements (Contoso and Fabrikam), committed once per session."""
    if _transactional(request.node):
        _ensure(demo=True)  # an earlier transactional test may have flushed them
    assert _Committed.demo is not None
    return _Committed.demo


@pytest.fixture(autouse=True)
def _flushed_after_transactional_tests(request) -> Iterator[None]:
    """Return nothing; note that a transactional test's flush leaves nothing of the session's data."""
    yield
    if _transactional(request.node):
        _Committed.catalog, _Committed.demo = False, None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the tests: database tests needing no shared data, then the catalog, then the demo agreements,
    then the transactional tests, then the tests without a database.

    pytest-django's own ordering (database, transactional, the rest: run after this one, a stable
    sort) is kept and refined: the shared data are committed when the first test asks for them, so
    the tests that expect an empty catalog or no order run before it is there. The files' order
    stays within each stage. The transactional tests form one xdist group: under ``--dist
    loadgroup`` they run in one worker, one after the other, as they would without xdist (they
    start processes and servers, and each one's flush is followed by the next one's reload).
    """

    def stage(item: pytest.Item) -> int:
        names = getattr(item, "fixturenames", ())
        if _transactional(item):
            return 3
        if "db" not in names and item.get_closest_marker("django_db") is None:
            return 4
        return 2 if "demo_orders" in names else 1 if "catalog_db" in names else 0

    items.sort(key=stage)
    for item in items:
        if stage(item) == 3:
            item.add_marker(pytest.mark.xdist_group("transactional"))


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
def vera(demo_orders):
    """Return vera, Contoso's read-only viewer: she sees Contoso's agreement and may change nothing."""
    return _person("vera", "customer-viewer", "Contoso SA")


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
def _fresh_process_caches() -> None:
    """Return nothing; start each test without the values an earlier test left in the process's caches.

    A test's rows are rolled back without the signals that clear those caches (a process's own
    edits do send them), so a closure, an amended order or a rate an earlier test wrote, or rows a
    transactional test's flush removed, could otherwise still apply.
    """
    from unisupport.calendars.selectors import forget_calendars
    from unisupport.catalog.selectors import forget_catalog
    from unisupport.ledger.order_facts import forget_orders
    from unisupport.ledger.sql import forget_rates

    forget_calendars()
    forget_catalog()
    forget_orders()
    forget_rates()


@pytest.fixture
def api_server(db):
    """Return the server the API contract tests call: Django's test client, in the test's transaction."""
    from tests.interfaces.http import TEST_SERVER, Server

    return Server(TEST_SERVER)


@pytest.fixture
def tokens(alice, bob, charlie) -> dict[str, str]:
    """Return an API token for each persona, by username."""
    from unisupport.accounts.services import issue_token

    return {p.username: issue_token(user=p, name="test") for p in (alice, bob, charlie)}


@pytest.fixture
def rates(demo_orders) -> None:
    """Return nothing; the rate cards and exchange rates of tests/ledger_support.py are loaded."""
    from tests.ledger_support import load_rates

    load_rates()
