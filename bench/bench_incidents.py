"""Benchmark of reactive support on PostgreSQL (issue 5, §4). Not a test: it prints figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_incidents.py [--rows 1000000]

It creates a fresh database `unisupport_bench_incidents` on that server (dropping an old one; the
ledger's benchmark uses `unisupport_bench`, so both may share a server), then measures:
1. incidents opened per second through the HTTP API (the due time computed; one client keeping
   its connection open), against plain INSERTs of the same rows (incident, timeline events,
   milestones; one connection, one transaction each) in the same run, in rounds taking turns;
2. one worker tick over N open incidents of which 1,000 are due: wall time and peak memory
   of the worker process;
3. the attainment report over N closed incidents (computed in the database).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
EXE = str(Path(PY).with_name("unisupport"))
OPENED = "2026-12-17T09:00:00+00:00"


BENCH_DB = "unisupport_bench_incidents"


def bench_url(base: str) -> str:
    parts = urlparse(base)
    return urlunparse(parts._replace(path=f"/{BENCH_DB}"))


def recreate(base: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run([EXE, *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unisupport.settings")
    import django

    django.setup()


def api_opens(base_url: str, token: str, count: int) -> float:
    """Return incidents opened per second by one client, one request after the other.

    The client keeps its connection open between requests (HTTP/1.1 keep-alive), as an
    integration does, and as the plain inserts keep theirs to the database.
    """
    body = json.dumps(
        {
            "order": "ESO-2026-001",
            "site": "FR",
            "severity": "B",
            "product": "Exchange Online",
            "channel": "phone",
            "title": "bench",
            "at": OPENED,
        }
    ).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    address = urlparse(base_url)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=30)
    started = time.perf_counter()
    for _ in range(count):
        connection.request("POST", "/api/incidents", body=body, headers=headers)
        response = connection.getresponse()
        assert response.status == 201, (response.status, response.read())
        response.read()
        if response.will_close:  # the server closed it: open another
            connection.close()
    rate = count / (time.perf_counter() - started)
    connection.close()
    return rate


def warm_up(base_url: str, token: str) -> None:
    """Return once every worker of the server has served opens (its first ones load code and caches).

    Several clients at once: one alone would keep to the worker that accepted its connection.
    """
    with concurrent.futures.ThreadPoolExecutor(4) as clients:
        list(clients.map(lambda _: api_opens(base_url, token, 50), range(4)))


def plain_inserts(url: str, count: int) -> float:
    """Return rows/s for plain INSERTs of the same rows the API writes (copied from one of them)."""
    import psycopg

    with psycopg.connect(url) as conn:
        incident = conn.execute("SELECT * FROM incidents_incident ORDER BY id DESC LIMIT 1").fetchone()
        columns = [c.name for c in conn.execute("SELECT * FROM incidents_incident LIMIT 0").description]
        events = conn.execute(
            "SELECT organisation_id, at, recorded_at, kind, actor_id, actor_name, rule, data FROM incidents_timelineevent WHERE incident_id = %s",
            (incident[0],),
        ).fetchall()
        milestones = conn.execute(
            "SELECT organisation_id, kind, due_at, state, processed_at, data FROM incidents_milestone WHERE incident_id = %s",
            (incident[0],),
        ).fetchall()
        cols = [c for c in columns if c != "id"]
        values = [v for c, v in zip(columns, incident, strict=True) if c != "id"]
        insert = f"INSERT INTO incidents_incident ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))}) RETURNING id"
        from psycopg.types.json import Jsonb

        values = [Jsonb(v) if isinstance(v, dict | list) else v for v in values]
        started = time.perf_counter()
        for _ in range(count):
            with conn.transaction():
                new_id = conn.execute(insert, values).fetchone()[0]
                conn.cursor().executemany(
                    "INSERT INTO incidents_timelineevent (organisation_id, at, recorded_at, kind, actor_id, actor_name, rule, data, incident_id) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                    [(*e[:7], Jsonb(e[7]), new_id) for e in events],
                )
                conn.cursor().executemany(
                    "INSERT INTO incidents_milestone (organisation_id, kind, due_at, state, processed_at, data, incident_id) VALUES (%s,%s,%s,%s,%s,%s,%s)",
                    [(*m[:5], Jsonb(m[5]), new_id) for m in milestones],
                )
        return count / (time.perf_counter() - started)


def fill(url: str, rows: int) -> None:
    """Return nothing; copy the first incident into ``rows`` open incidents with future milestones, 1,000 due."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        columns = [c.name for c in conn.execute("SELECT * FROM incidents_incident LIMIT 0").description]
        cols = [c for c in columns if c not in ("id", "opened_at", "response_due_at", "title")]
        first = conn.execute("SELECT min(id) FROM incidents_incident").fetchone()[0]
        conn.execute(
            f"INSERT INTO incidents_incident ({', '.join(cols)}, opened_at, response_due_at, title) "
            f"SELECT {', '.join(cols)}, opened_at + (g || ' seconds')::interval, "
            f"response_due_at + interval '30 days', 'bench ' || g "
            f"FROM incidents_incident, generate_series(1, %s) g WHERE id = %s",
            (rows, first),
        )
        conn.execute(
            "INSERT INTO incidents_milestone (organisation_id, incident_id, kind, due_at, state, data) "
            "SELECT organisation_id, id, 'response-breach', response_due_at, 'pending', '{}'::jsonb "
            "FROM incidents_incident WHERE title LIKE 'bench %%'"
        )
        # 1,000 of them fall due now.
        conn.execute(
            "UPDATE incidents_milestone SET due_at = %s::timestamptz WHERE id IN "
            "(SELECT id FROM incidents_milestone WHERE state = 'pending' ORDER BY id LIMIT 1000)",
            (OPENED,),
        )
        conn.execute("VACUUM ANALYZE")


TICK = """
import os, time, resource, datetime as dt
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unisupport.settings")
import django; django.setup()
from unisupport.incidents.worker import process_due
now = dt.datetime.fromisoformat("2026-12-17T10:00:00+00:00")
started = time.perf_counter()
count = process_due(now=now)
elapsed = time.perf_counter() - started
print(count, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--opens", type=int, default=1000, help="incidents opened (and inserted) in all")
    parser.add_argument(
        "--rounds", type=int, default=5, help="rounds of API opens and plain inserts, in turn"
    )
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL server (the bench makes its own database there)")
    url = bench_url(base)
    recreate(base)
    env = dict(
        os.environ,
        DATABASE_URL=url,
        UNISUPPORT_DEBUG="0",
        UNISUPPORT_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    run("migrate", env=env)
    run("demo", "--quiet", env=env)
    token = run("token", "create", "bob", env=env).strip()

    base_url = f"http://127.0.0.1:{free_port()}"  # (a fixed port may be another server's)
    server = subprocess.Popen(
        [EXE, "serve", "--addr", base_url.removeprefix("http://"), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base_url}/login/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        warm_up(base_url, token)
        # Rounds of each, taking turns: the machine's speed drifts (shared CPUs), and a drift
        # between one long run of each would show in the ratio.
        rounds = []
        for _ in range(args.rounds):
            api = api_opens(base_url, token, args.opens // args.rounds)
            plain = plain_inserts(url, args.opens // args.rounds)
            rounds.append((api, plain))
    finally:
        server.terminate()
        server.wait()
    api_rate = statistics.median(api for api, _ in rounds)
    plain_rate = statistics.median(plain for _, plain in rounds)
    ratios = sorted(api / plain for api, plain in rounds)
    print(
        f"1. opens through the API: {api_rate:,.0f}/s; plain inserts of the same rows: {plain_rate:,.0f}/s "
        f"(medians of {args.rounds} rounds of {args.opens // args.rounds} each, taking turns); "
        f"ratio {statistics.median(ratios):.2f} (median; rounds {' '.join(f'{r:.2f}' for r in ratios)})"
    )

    started = time.perf_counter()
    fill(url, args.rows)
    print(
        f"   (filled {args.rows:,} open incidents with pending milestones in {time.perf_counter() - started:.1f} s)"
    )
    tick = subprocess.run([PY, "-c", TICK], env=env, capture_output=True, text=True, check=True)
    count, elapsed, maxrss_kb = tick.stdout.split()
    print(
        f"2. worker tick over {args.rows:,} open incidents: {count} due processed in {float(elapsed) * 1000:.0f} ms; "
        f"worker peak RSS {int(maxrss_kb) / 1024:.0f} MB"
    )

    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "UPDATE incidents_incident SET state = 'closed', response_met = (id % 10 <> 0), "
            "severity = (ARRAY['1','A','B','C'])[1 + id % 4], site_country = (ARRAY['FR','DE','JP'])[1 + id % 3]"
        )
        conn.execute("VACUUM ANALYZE incidents_incident")
    setup_django(url)
    import datetime as dt

    from unisupport.cli.operator import OPERATOR
    from unisupport.incidents.selectors import attainment_report

    timings = []
    for _ in range(3):
        started = time.perf_counter()
        report = attainment_report(
            OPERATOR,
            order=None,
            start=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            end=dt.datetime(2028, 1, 1, tzinfo=dt.UTC),
        )
        timings.append(time.perf_counter() - started)
    print(
        f"3. attainment report over {report['incidents']:,} closed incidents: first {timings[0] * 1000:.0f} ms, "
        f"best of 3 {min(timings) * 1000:.0f} ms (attainment {report['attainment']:.3f})"
    )
    print(f"   bench process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
