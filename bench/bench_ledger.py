"""Benchmark: the entitlements ledger under concurrency, and reads at 100,000 entries (issue 4 §4).

For each database (PostgreSQL when --pg is given, then SQLite), in fresh databases of its own:

1. redemptions per second with N worker processes (default 8), each with its own connection,
   calling the real service (``unisupport.ledger.services.redeem_credits``: order lookup, rate card
   in force, account row lock, domain decision, entry and running balance written, commit):
   against one hot order (every worker on the same account row), then spread over 1,000 orders;
2. in the same run, the bare locked update in plain SQL by the same number of processes, on one
   row: ``BEGIN; SELECT … FOR UPDATE; UPDATE …; COMMIT`` (PostgreSQL) or ``BEGIN IMMEDIATE; SELECT;
   UPDATE; COMMIT`` (SQLite, the same pragmas as the product), and the ratio hot-order / bare;
   and, for reference, the same update as one guarded statement in autocommit (``UPDATE … WHERE
   balance >= 1``), the shape the ledger's covered redemption takes on PostgreSQL;
3. an order with 100,000 entries: its balance read (``ledger balance``: the running balances),
   a statement page (the latest 100 lines), the whole statement, and ``ledger verify``.

    .venv/bin/python bench/bench_ledger.py --pg postgres://postgres@127.0.0.1:55433/postgres

Options: --workers N (8), --seconds S (10 per measurement), --orders N (1,000), --entries N
(100,000), --sqlite PATH (/tmp/unisupport-bench.sqlite3), --skip-sqlite. The PostgreSQL URL names
a database to connect to for administration; the benchmark creates and drops ``unisupport_bench``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import sqlite3
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from unisupport import clock
from unisupport.domain.ledger_commands import Redemption

BENCH_DB = "unisupport_bench"
# The bare peer commits as the product does (settings.py: UNISUPPORT_SQLITE_SYNCHRONOUS, FULL by default).
SYNCHRONOUS = os.environ.get("UNISUPPORT_SQLITE_SYNCHRONOUS", "FULL")
ON = date(2027, 6, 1)
RATES = """\
rate_cards:
  - {site: FR, effective_from: 2026-01-01, credits: {workshop: 1}}
"""


def order_yaml(number: str, credits: int) -> str:
    """Return one order document: FR foundational and ``credits`` proactive credits."""
    return (
        f"agreement: AG-{number}\norder: {number}\ncustomer: Bench Corp\nhost: FR\n"
        "start: 2026-01-01\nend: 2028-12-31\ncurrency: USD\nsites:\n  - country: FR\n    lines:\n"
        "      - {service: foundational, list_price: 1000000}\n"
        f"      - {{service: proactive-credits, quantity: {credits}}}\n"
    )


def spread_orders(count: int) -> list[str]:
    return [f"BENCH-{i:04d}" for i in range(1, count + 1)]


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "unisupport.settings"
    import django

    django.setup()


def setup(url: str, orders: int, entries: int) -> dict[str, float]:
    """Create the schema, the catalog, the orders, the rates, 100,000 entries and the bare table."""
    _django(url)
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from unisupport.catalog.services import load_catalog
    from unisupport.cli.operator import OPERATOR
    from unisupport.ledger.models import LedgerAccount, LedgerEntry
    from unisupport.ledger.rate_services import import_rates
    from unisupport.orders.services import import_order_file

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_catalog()
    docs = [order_yaml("BENCH-HOT", 100_000_000), order_yaml("BENCH-READ", 1)]
    docs += [order_yaml(n, 1_000_000) for n in spread_orders(orders)]
    result = import_order_file(scope=OPERATOR, at=clock.now(), text="---\n".join(docs))
    assert result.verdict.valid, result.verdict.as_dict()
    import_rates(text=RATES)
    imported = time.perf_counter() - started

    # The read benchmark's order: one grant then single-credit debits, written directly in bulk with
    # their running balances (the services would take minutes to post 100,000 entries one by one).
    account = LedgerAccount.objects.get(order__number="BENCH-READ", kind="credits")
    first = LedgerEntry.objects.get(account=account)
    balance = first.balance_after + Decimal(entries * 2)
    now = timezone.now()
    rows = [
        LedgerEntry(
            uid=f"bench-read-top-up-{entries}", organisation_id=account.organisation_id, order_id=account.order_id,
            account=account,
            amount=Decimal(entries * 2), balance_after=balance, posted_at=now, effective_on=ON,
            actor="bench", reason="grant (bench)", rule="CRD-1", order_version=1, cause="bench",
        )
    ]  # fmt: skip
    for i in range(entries - 2):
        balance -= 1
        rows.append(
            LedgerEntry(
                uid=f"bench-read-{i}", organisation_id=account.organisation_id, order_id=account.order_id,
                account=account,
                amount=Decimal(-1), balance_after=balance, posted_at=now, effective_on=ON, actor="bench",
                reason="redeem 1 credits", rule="CRD-1", order_version=1, cause="bench",
            )
        )  # fmt: skip
    LedgerEntry.objects.bulk_create(rows, batch_size=5000)
    LedgerAccount.objects.filter(pk=account.pk).update(balance=balance)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_bare (id integer PRIMARY KEY, balance bigint NOT NULL)")
        cursor.execute("INSERT INTO bench_bare VALUES (1, 1000000000)")
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    connection.close()
    return {"setup_s": imported, "entries": float(LedgerEntry.objects.filter(account=account).count())}


def redeemer(url: str, seed: int, orders: list[str], seconds: float, barrier: Any, results: Any) -> None:
    """Put how many redemptions this process committed in ``seconds`` after every process was ready."""
    _django(url)
    from django.db import connection

    from unisupport.cli.operator import OPERATOR
    from unisupport.ledger.services import redeem_credits

    rng = random.Random(seed)
    for _ in range(3):  # warm up: connection, imports, query plans
        redeem_credits(
            scope=OPERATOR,
            at=clock.now(),
            actor="bench",
            command=Redemption.parse(
                order=rng.choice(orders), site="FR", service="workshop", quantity=1, on=ON
            ),
        )
    barrier.wait()
    done, stop = 0, time.perf_counter() + seconds
    while time.perf_counter() < stop:
        redeem_credits(
            scope=OPERATOR,
            at=clock.now(),
            actor="bench",
            command=Redemption.parse(
                order=rng.choice(orders), site="FR", service="workshop", quantity=1, on=ON
            ),
        )
        done += 1
    connection.close()
    results.put(done)


def bare(url: str, sqlite_path: str | None, seconds: float, single: bool, barrier: Any, results: Any) -> None:
    """Put how many bare locked updates this process committed in ``seconds`` after every process was ready.

    ``single``: the update as one guarded statement in autocommit (``UPDATE … WHERE balance >= 1``),
    the shape of the ledger's covered redemption, instead of the issue's four statements.
    """
    if single:
        guarded = "UPDATE bench_bare SET balance = balance - 1 WHERE id = 1 AND balance >= 1"
        if sqlite_path:
            db = sqlite3.connect(sqlite_path, timeout=20, isolation_level=None)
            db.executescript(f"PRAGMA journal_mode=WAL; PRAGMA synchronous={SYNCHRONOUS};")
            statements, run = [guarded], db.execute
        else:
            import psycopg

            pg = psycopg.connect(url, autocommit=True)
            statements, run = [guarded], pg.execute  # type: ignore[assignment]
    elif sqlite_path:
        db = sqlite3.connect(sqlite_path, timeout=20, isolation_level=None)
        db.executescript(f"PRAGMA journal_mode=WAL; PRAGMA synchronous={SYNCHRONOUS};")
        statements = ["BEGIN IMMEDIATE", "SELECT balance FROM bench_bare WHERE id = 1",
                      "UPDATE bench_bare SET balance = balance - 1 WHERE id = 1", "COMMIT"]  # fmt: skip
        run = db.execute
    else:
        import psycopg

        pg = psycopg.connect(url, autocommit=True)
        statements = ["BEGIN", "SELECT balance FROM bench_bare WHERE id = 1 FOR UPDATE",
                      "UPDATE bench_bare SET balance = balance - 1 WHERE id = 1", "COMMIT"]  # fmt: skip
        run = pg.execute  # type: ignore[assignment]
    barrier.wait()
    done, stop = 0, time.perf_counter() + seconds
    while time.perf_counter() < stop:
        for statement in statements:
            run(statement)
        done += 1
    results.put(done)


def hold_times(url: str, sqlite_path: str | None, repeat: int) -> dict[str, float]:
    """Return the median time (ms) one uncontended process holds the write lock: from the account
    row lock (SQLite: BEGIN IMMEDIATE) to the end of COMMIT, for a redemption and for the bare update.

    The locking statement is the first ``… FOR UPDATE`` or the one-statement redemption's UPDATE
    (PostgreSQL), or the first statement of the IMMEDIATE transaction (SQLite)."""
    _django(url)
    from django.db import connection

    from unisupport.cli.operator import OPERATOR
    from unisupport.ledger.services import redeem_credits

    marks: list[float] = []

    def mark(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        # PostgreSQL: the row lock; SQLite: the first statement in the service's IMMEDIATE transaction.
        locking = "FOR UPDATE" in sql if connection.vendor == "postgresql" else connection.in_atomic_block
        if locking and not marks:
            marks.append(time.perf_counter())
        return execute(sql, params, many, context)

    # On PostgreSQL a covered redemption is one prepared statement in autocommit (UPDATE … RETURNING
    # feeding the INSERT): the row lock lasts from its start to its end, outside Django's wrapper.
    from unisupport.ledger import sql

    prepared = sql._prepared

    def timed(statement: str, params: Any, **options: Any) -> Any:
        if "UPDATE" in statement and not marks:
            marks.append(time.perf_counter())
        return prepared(statement, params, **options)

    sql._prepared = timed  # type: ignore[assignment]
    ledger = []
    with connection.execute_wrapper(mark):
        for _ in range(repeat):
            marks.clear()
            redeem_credits(
                scope=OPERATOR,
                at=clock.now(),
                actor="bench",
                command=Redemption.parse(order="BENCH-HOT", site="FR", service="workshop", quantity=1, on=ON),
            )
            ledger.append((time.perf_counter() - marks[0]) * 1000)  # the service has committed
    if sqlite_path:
        db = sqlite3.connect(sqlite_path, timeout=20, isolation_level=None)
        lock, statements = "BEGIN IMMEDIATE", ["SELECT balance FROM bench_bare WHERE id = 1"]
        run = db.execute
    else:
        import psycopg

        pg = psycopg.connect(url, autocommit=True)
        lock, statements = "BEGIN", ["SELECT balance FROM bench_bare WHERE id = 1 FOR UPDATE"]
        run = pg.execute  # type: ignore[assignment]
    plain = []
    for _ in range(repeat):
        run(lock)
        began = time.perf_counter()
        for statement in [*statements, "UPDATE bench_bare SET balance = balance - 1 WHERE id = 1", "COMMIT"]:
            run(statement)
        plain.append((time.perf_counter() - began) * 1000)
    return {"hold_ledger_ms": statistics.median(ledger), "hold_bare_ms": statistics.median(plain)}


def reads(url: str, repeat: int) -> dict[str, float]:
    """Return the read timings (ms) on the order with 100,000 entries."""
    _django(url)
    from unisupport.accounts.roles import Role
    from unisupport.accounts.scope import Scope
    from unisupport.ledger.presenters import statement_rows
    from unisupport.ledger.selectors import StatementFilter, balances, statement, verify_ledger

    operator = Scope(None, frozenset(), frozenset({Role.BACK_OFFICE}))

    def timed(func: Any, times: int) -> list[float]:
        out = []
        for _ in range(times):
            began = time.perf_counter()
            func()
            out.append((time.perf_counter() - began) * 1000)
        return out

    every = StatementFilter()
    balance = timed(lambda: balances(operator, order="BENCH-READ"), repeat)
    page = timed(
        lambda: statement_rows(
            statement(operator, order="BENCH-READ", filters=every).order_by("-serial")[:100], order="x"
        ),
        repeat,
    )
    full = timed(
        lambda: statement_rows(statement(operator, order="BENCH-READ", filters=every).iterator(), order="x"),
        3,
    )
    audit = timed(lambda: verify_ledger(scope=operator), 1)
    assert not verify_ledger(scope=operator).violations
    return {
        "balance_median_ms": statistics.median(balance),
        "balance_p95_ms": sorted(balance)[int(len(balance) * 0.95)],
        "page_median_ms": statistics.median(page),
        "full_statement_ms": statistics.median(full),
        "verify_ms": audit[0],
    }


def in_process(func: Any, *args: Any) -> Any:
    """Return ``func(*args)`` run in a fresh process (Django is configured once per process)."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(func, args)


def concurrently(func: Any, args: list[tuple[Any, ...]]) -> int:
    """Return the total count of ``func`` run in one process per ``args``, all starting together."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(len(args)), context.Queue()
    processes = [context.Process(target=func, args=(*a, barrier, results)) for a in args]
    for p in processes:
        p.start()
    total = sum(results.get(timeout=600) for _ in processes)
    for p in processes:
        p.join()
    return total


def measure(name: str, url: str, sqlite_path: str | None, opts: argparse.Namespace) -> dict[str, Any]:
    """Return every figure for one database."""
    print(f"== {name}: setting up ({opts.orders} orders, {opts.entries:,} entries)…", flush=True)
    prepared = in_process(setup, url, opts.orders, opts.entries)
    figures: dict[str, Any] = {"setup_s": prepared["setup_s"]}
    for label, orders in (("hot", ["BENCH-HOT"]), ("spread", spread_orders(opts.orders))):
        count = concurrently(redeemer, [(url, seed, orders, opts.seconds) for seed in range(opts.workers)])
        figures[label] = count / opts.seconds
        print(f"   {label:<6} ledger redemptions/s: {figures[label]:,.0f}", flush=True)
    count = concurrently(bare, [(url, sqlite_path, opts.seconds, False) for _ in range(opts.workers)])
    figures["bare"] = count / opts.seconds
    figures["ratio"] = figures["hot"] / figures["bare"]
    print(f"   bare locked UPDATE/s: {figures['bare']:,.0f}; hot / bare = {figures['ratio']:.2f}", flush=True)
    count = concurrently(bare, [(url, sqlite_path, opts.seconds, True) for _ in range(opts.workers)])
    figures["single"] = count / opts.seconds
    print(
        f"   bare one-statement guarded UPDATE/s: {figures['single']:,.0f}; "
        f"hot / that = {figures['hot'] / figures['single']:.2f}",
        flush=True,
    )
    figures |= in_process(hold_times, url, sqlite_path, 300)
    print(
        f"   write lock held per operation (one process, median): ledger {figures['hold_ledger_ms']:.2f} ms, "
        f"bare {figures['hold_bare_ms']:.2f} ms",
        flush=True,
    )
    figures |= in_process(reads, url, opts.repeat)
    print(
        f"   at {opts.entries:,} entries: balance {figures['balance_median_ms']:.2f} ms (p95 "
        f"{figures['balance_p95_ms']:.2f}), statement page {figures['page_median_ms']:.2f} ms, whole statement "
        f"{figures['full_statement_ms']:,.0f} ms, ledger verify {figures['verify_ms']:,.0f} ms",
        flush=True,
    )
    return figures


def fresh_postgres(admin_url: str, name: str = BENCH_DB) -> str:
    """Return the URL of an empty benchmark database ``name`` on the server of ``admin_url`` (each
    benchmark its own, so that two never drop each other's)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
        version = admin.execute("SHOW server_version").fetchone()
        settings = admin.execute(
            "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit')"
        ).fetchall()
    print(f"PostgreSQL {version[0] if version else '?'} ({', '.join(f'{n}={v}' for n, v in settings)})")
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", help="PostgreSQL URL of an administration database (e.g. …/postgres)")
    parser.add_argument("--sqlite", default="/tmp/unisupport-bench.sqlite3")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=500)
    opts = parser.parse_args()
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{opts.workers} worker processes, {opts.seconds:g} s per measurement")  # fmt: skip
    results: dict[str, dict[str, Any]] = {}
    if opts.pg:
        results["PostgreSQL"] = measure("PostgreSQL", fresh_postgres(opts.pg), None, opts)
    if not opts.skip_sqlite:
        for suffix in ("", "-wal", "-shm"):
            Path(opts.sqlite + suffix).unlink(missing_ok=True)
        print(f"SQLite {sqlite3.sqlite_version} (WAL, synchronous={SYNCHRONOUS}, BEGIN IMMEDIATE)")
        results["SQLite"] = measure("SQLite", f"sqlite:///{opts.sqlite}", opts.sqlite, opts)
    print(
        "\n| database | hot order /s | 1,000 orders /s | bare locked UPDATE /s | hot / bare "
        "| one-statement UPDATE /s | hot / that | lock held: ledger, bare "
        "| balance read (median, p95) | statement page | whole statement | ledger verify |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, f in results.items():
        print(
            f"| {name} | {f['hot']:,.0f} | {f['spread']:,.0f} | {f['bare']:,.0f} | {f['ratio']:.2f} | "
            f"{f['single']:,.0f} | {f['hot'] / f['single']:.2f} | "
            f"{f['hold_ledger_ms']:.2f} ms, {f['hold_bare_ms']:.2f} ms | "
            f"{f['balance_median_ms']:.2f} ms, {f['balance_p95_ms']:.2f} ms | {f['page_median_ms']:.2f} ms | "
            f"{f['full_statement_ms']:,.0f} ms | {f['verify_ms']:,.0f} ms |"
        )


if __name__ == "__main__":
    main()
