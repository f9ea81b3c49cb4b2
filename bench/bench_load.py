"""Fifty people at once (issue 16 §2): the portal and the API under `unisupport serve`, on a realistic volume.

Builds, in a fresh database, 50 customers with an order each (credits bought), 100,000 incidents and
200,000 ledger entries written in bulk, and signs in 35 customers' people and 15 of the vendor's.
Then serves the product with granian on loopback (`unisupport serve --workers … --threads …`) and
lets each person, from an asyncio client (httpx), open a page or call the API, think 1 to 5 seconds,
and go on, for the given time. Reports p50, p95 and p99 per kind of page and overall, requests a
second, errors, and the peak memory of the server's worker processes.

    .venv/bin/python bench/bench_load.py                                   # SQLite, 60 s
    .venv/bin/python bench/bench_load.py --pg postgres://postgres@127.0.0.1:55433/postgres
    .venv/bin/python bench/bench_load.py --users 50 --seconds 60 --incidents 100000 --entries 200000

Loopback only; bounded in time and in requests (--max-requests).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import bench_incident_lists as lists
from page_timing import django_on_fresh_database

DB_NAME = "bench_perf_load"
ROOT = Path(__file__).resolve().parent.parent


def grow_entries(total: int) -> None:
    """Return nothing; ``total`` debits of one credit written in bulk over the customers' credits
    accounts and the last year, each account's balance kept with them."""
    from django.db import connection, transaction
    from django.db.models import F

    from unisupport.ledger.models import LedgerAccount, LedgerEntry

    accounts = list(LedgerAccount.objects.filter(kind="credits").order_by("pk"))
    per = defaultdict(int)
    batch: list[LedgerEntry] = []
    with transaction.atomic():
        for n in range(total):
            account = accounts[n % len(accounts)]
            per[account.pk] += 1
            posted = lists.NOW - timedelta(minutes=(n * 7919) % (365 * 24 * 60))
            batch.append(
                LedgerEntry(
                    uid=f"load-{n}", organisation_id=account.organisation_id, order_id=account.order_id,
                    account=account, amount=Decimal(-1), balance_after=account.balance - per[account.pk],
                    posted_at=posted, effective_on=posted.date(), actor="bench", reason="redeem 1 credit",
                    rule="CRD-1", order_version=1, cause="bench",
                )
            )  # fmt: skip
            if len(batch) == 10_000:
                LedgerEntry.objects.bulk_create(batch)
                batch = []
        LedgerEntry.objects.bulk_create(batch)
        for pk, count in per.items():
            LedgerAccount.objects.filter(pk=pk).update(balance=F("balance") - count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def people(customers: int, vendors: int) -> list[dict[str, object]]:
    """Return the signed-in people: their kind, session cookie, API token and what they may open."""
    from django.contrib.auth.models import User
    from django.test import Client

    from unisupport.accounts.models import Organisation
    from unisupport.accounts.roles import Role
    from unisupport.accounts.services import create_person, issue_token
    from unisupport.incidents.models import Incident

    found: list[dict[str, object]] = []
    organisations = list(Organisation.objects.filter(name__startswith="List Corp").order_by("name"))
    for n in range(customers + vendors):
        vendor = n >= customers
        organisation = None if vendor else organisations[n % len(organisations)]
        roles = [Role.INCIDENT_MANAGER, Role.CSAM] if vendor else [Role.CUSTOMER_ADMIN]
        user = create_person(username=f"load-{n}", password="x", roles=roles, organisation=organisation)
        client = Client()
        client.force_login(User.objects.get(pk=user.pk))
        order = f"LIST-{organisations.index(organisation):03d}" if organisation else "LIST-000"
        mine = (
            Incident.objects.filter(order__number=order).order_by("-opened_at").values_list("pk", flat=True)
        )
        found.append(
            {
                "kind": "vendor" if vendor else "customer",
                "cookie": f"sessionid={client.cookies['sessionid'].value}",
                "token": issue_token(user=user, name="load"),
                "order": order,
                "incidents": list(mine[:20]),
            }
        )
    return found


def pages(person: dict[str, object]) -> list[tuple[str, str, bool]]:
    """Return (kind of page, path, through the API) that ``person`` opens, in a realistic mix."""
    order, incidents = person["order"], person["incidents"]
    incident = random.choice(incidents) if incidents else None  # type: ignore[arg-type]
    mix = [
        ("home", "/", False),
        ("incident list", "/incidents/", False),
        ("consumption", f"/orders/{order}/consumption/?site=FR", False),
        ("api: incidents", "/api/incidents?limit=50", True),
    ]
    if incident is not None:
        mix += [
            ("incident page", f"/incidents/{incident}/", False),
            ("api: incident", f"/api/incidents/{incident}", True),
        ]
    if person["kind"] == "vendor":
        mix += [
            ("incident list, newest", "/incidents/?sort=newest", False),
            ("deliveries", "/deliveries/", False),
        ]
    return mix


async def someone(client, person, *, until: float, think: tuple[float, float], seen, budget) -> None:
    """Open pages as ``person`` until ``until``, thinking between them; record each answer's time."""
    import httpx

    await asyncio.sleep(random.uniform(0, think[1]))  # not all at once at the start
    while time.monotonic() < until and budget[0] > 0:
        budget[0] -= 1
        name, path, api = random.choice(pages(person))
        headers = {"Authorization": f"Bearer {person['token']}"} if api else {"Cookie": person["cookie"]}
        began = time.perf_counter()
        try:
            response = await client.get(path, headers=headers)
            status = response.status_code
        except httpx.HTTPError:
            status = 0
        seen.append((name, (time.perf_counter() - began) * 1000, status))
        await asyncio.sleep(random.uniform(*think))


async def load(base: str, crowd, *, seconds: float, think: tuple[float, float], max_requests: int):
    import httpx

    seen: list[tuple[str, float, int]] = []
    budget = [max_requests]
    limits = httpx.Limits(max_connections=len(crowd), max_keepalive_connections=len(crowd))
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        until = time.monotonic() + seconds
        await asyncio.gather(
            *(someone(client, p, until=until, think=think, seen=seen, budget=budget) for p in crowd)
        )
    return seen


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    """Return the largest peak resident memory (VmHWM) among ``pid`` and its children, in MB."""
    peaks = []
    for child in [
        pid,
        *map(int, subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()),
    ]:
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        peaks += [int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM")]
    return max(peaks, default=0.0)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", help="PostgreSQL URL of an administration database (…/postgres)")
    parser.add_argument("--sqlite", default="/tmp/unisupport-load.sqlite3")
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--users", type=int, default=50, help="people at once (70 %% customers' people)")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", default="1,5", help="seconds between a person's requests, MIN,MAX")
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--workers", default="auto", help="serve's worker processes (auto: its default)")
    parser.add_argument("--threads", default="auto", help="threads per worker (auto: serve's default)")
    opts = parser.parse_args()
    # The server it starts answers the load's client on 127.0.0.1 too, and never in debug mode.
    os.environ.update(UNISUPPORT_DEBUG="0", UNISUPPORT_ALLOWED_HOSTS="127.0.0.1,testserver")
    django_on_fresh_database(opts.pg, opts.sqlite, DB_NAME)
    from django.db import connection

    began = time.perf_counter()
    lists.build()
    lists.grow(0, opts.incidents)
    grow_entries(opts.entries)
    customers = round(opts.users * 0.7)
    crowd = people(customers, opts.users - customers)
    setup = time.perf_counter() - began
    connection.close()

    port = free_port()
    serve = [str(Path(sys.executable).with_name("unisupport")), "serve", "--addr", f"127.0.0.1:{port}",
             "--workers", opts.workers, "--threads", opts.threads]  # fmt: skip
    server = subprocess.Popen(serve, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit(
                        f"the server did not start: {server.stderr.read().decode() if server.stderr else ''}"
                    )
                time.sleep(0.2)
        low, high = (float(x) for x in opts.think.split(","))
        random.seed(7)
        seen = asyncio.run(
            load(f"http://127.0.0.1:{port}", crowd, seconds=opts.seconds, think=(low, high),
                 max_requests=opts.max_requests)
        )  # fmt: skip
        peak = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{connection.vendor}; {opts.incidents:,} incidents, {opts.entries:,} ledger entries, "
        f"{lists.CUSTOMERS} customers (set up in {setup:.0f} s); `{' '.join(serve[1:])}`; "
        f"{opts.users} people thinking {opts.think} s, {opts.seconds:g} s"
    )
    print(f"{'page':<26} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    by_kind: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for name, ms, status in seen:
        by_kind[name].append((ms, status))
    for name in sorted(by_kind):
        times = [ms for ms, _ in by_kind[name]]
        errors = sum(1 for _, status in by_kind[name] if status != 200)
        print(
            f"{name:<26} {len(times):>9} {statistics.median(times):>8.1f} {percentile(times, 0.95):>8.1f} "
            f"{percentile(times, 0.99):>8.1f} {errors:>7}"
        )
    every = [ms for _, ms, _ in seen]
    errors = sum(1 for *_, status in seen if status != 200)
    print(
        f"{'all':<26} {len(every):>9} {statistics.median(every):>8.1f} {percentile(every, 0.95):>8.1f} "
        f"{percentile(every, 0.99):>8.1f} {errors:>7}"
    )
    print(f"{len(every) / opts.seconds:.1f} requests/s; server's peak worker memory {peak:.0f} MB")
    print(
        f"aims (p95 < 100 ms, p99 < 300 ms, no error, < 200 MB a worker): "
        f"{'met' if percentile(every, 0.95) < 100 and percentile(every, 0.99) < 300 and not errors and peak < 200 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
