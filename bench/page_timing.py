"""What the page benchmarks share: a fresh database (SQLite file or a PostgreSQL database made anew)
and timing one URL through Django's test client (p50, p95 and the queries it takes)."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path


def fresh_database(pg: str | None, sqlite: str, name: str) -> str:
    """Return the DATABASE_URL of an empty database: ``sqlite`` (deleted first), or ``name`` created
    anew on the PostgreSQL server whose administration database ``pg`` names."""
    if pg is None:
        Path(sqlite).unlink(missing_ok=True)
        return f"sqlite:///{sqlite}"
    import psycopg

    with psycopg.connect(pg, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    return pg.rsplit("/", 1)[0] + f"/{name}"


def django_on_fresh_database(pg: str | None, sqlite: str, name: str) -> str:
    """Return the DATABASE_URL of a fresh database (see fresh_database), with Django set up on it for a
    benchmark: production settings (no debug), the test client's host allowed."""
    url = fresh_database(pg, sqlite, name)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "unisupport.settings"
    os.environ.setdefault("UNISUPPORT_DEBUG", "0")
    os.environ.setdefault("UNISUPPORT_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    return url


def measure(client, url: str, times: int) -> tuple[float, float, int]:
    """Return the p50 and p95 milliseconds of ``times`` GETs of ``url`` (after 5 to warm up), and the
    queries one takes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):  # warm: caches, plans
        assert client.get(url).status_code == 200, url
    spent = []
    for _ in range(times):
        begin = time.perf_counter()
        response = client.get(url)
        spent.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    spent.sort()
    return statistics.median(spent), spent[int(len(spent) * 0.95) - 1], len(captured.captured_queries)
