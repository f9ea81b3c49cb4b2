"""The Consumption page as an account's entries grow (issue 16 §1): the same cost at 1,000 and 1,000,000.

Builds, in a fresh database, one order whose FR credits account receives debits of one credit spread
over the order's term (written in bulk, the account's balance kept with them), and after each size
asks the order's Consumption page (balances, burn-down chart, what is at risk, the last lines
of the statement) through Django's test client, reporting p50, p95, the queries it takes and the
peak Python memory of one view (tracemalloc); then downloads the statement's CSV export (every
line, streamed), reporting its lines a second.

    .venv/bin/python bench/bench_consumption.py                                  # SQLite
    .venv/bin/python bench/bench_consumption.py --pg postgres://postgres@127.0.0.1:55433/postgres
    .venv/bin/python bench/bench_consumption.py --entries 1000,10000,100000,1000000
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from page_timing import django_on_fresh_database, measure

DB_NAME = "bench_perf_consumption"
ORDER = """\
agreement: BURN-001
order: BURN-001
customer: Burn Corp
host: FR
start: 2026-07-01
end: 2027-12-31
currency: EUR
sites:
  - country: FR
    lines:
      - {service: foundational, list_price: 1000000}
      - {service: proactive-credits, quantity: 100000000}
"""
START, DAYS = date(2026, 7, 1), 548


def build() -> None:
    """Return nothing; the order is imported and its customer's administrator made."""
    from django.core.management import call_command

    from unisupport.accounts.models import Organisation
    from unisupport.accounts.roles import Role
    from unisupport.accounts.services import create_person
    from unisupport.catalog.services import load_catalog
    from unisupport.cli.operator import OPERATOR
    from unisupport.orders.services import import_order_file

    call_command("migrate", verbosity=0, interactive=False)
    load_catalog()
    result = import_order_file(scope=OPERATOR, at=datetime(2026, 7, 1, 9, tzinfo=UTC), text=ORDER)
    assert result.verdict.valid, result.verdict.as_dict()
    customer = Organisation.objects.get(name="Burn Corp")
    create_person(username="burn-alice", password="x", roles=[Role.CUSTOMER_ADMIN], organisation=customer)


def grow(first: int, last: int) -> None:
    """Return nothing; debits ``first`` .. ``last`` - 1 are written, the account's balance with them."""
    from django.db import connection, transaction
    from django.db.models import F

    from unisupport.ledger.models import LedgerAccount, LedgerEntry

    account = LedgerAccount.objects.get(order__number="BURN-001", site="FR", kind="credits")
    balance = account.balance
    batch: list[LedgerEntry] = []
    with transaction.atomic():
        for n in range(first, last):
            day = START + timedelta(days=n * DAYS // max(last, 1) % DAYS)
            balance -= 1
            batch.append(
                LedgerEntry(
                    uid=f"burn-{n}", organisation_id=account.organisation_id, order_id=account.order_id,
                    account=account, amount=Decimal(-1), balance_after=balance,
                    posted_at=datetime.combine(day, datetime.min.time(), UTC), effective_on=day,
                    actor="bench", reason="redeem 1 credit", rule="CRD-1", order_version=1, cause="bench",
                )
            )  # fmt: skip
            if len(batch) == 10_000:
                LedgerEntry.objects.bulk_create(batch)
                batch = []
        LedgerEntry.objects.bulk_create(batch)
        LedgerAccount.objects.filter(pk=account.pk).update(balance=F("balance") - (last - first))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def peak_mb(client, url: str) -> float:
    """Return the peak Python memory, in MB, one view of ``url`` allocates."""
    tracemalloc.start()
    assert client.get(url).status_code == 200
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def csv_rate(client, url: str) -> float:
    """Return the statement's CSV export speed, in lines a second (the whole download, streamed)."""
    began = time.perf_counter()
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 200
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
    return lines / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", help="PostgreSQL URL of an administration database (…/postgres)")
    parser.add_argument("--sqlite", default="/tmp/unisupport-consumption.sqlite3")
    parser.add_argument("--entries", default="1000,10000,100000", help="account sizes, comma-separated")
    parser.add_argument("--times", type=int, default=50)
    opts = parser.parse_args()
    django_on_fresh_database(opts.pg, opts.sqlite, DB_NAME)
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from unisupport import clock

    build()
    clock.now = lambda: datetime(2027, 3, 1, 9, tzinfo=UTC)  # type: ignore[assignment]
    client = Client()
    client.force_login(User.objects.get(username="burn-alice"))
    url = "/orders/BURN-001/consumption/?site=FR"
    print(
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{connection.vendor}; one account's entries grown in steps; {opts.times} requests a size, "
        "sequential, Django test client"
    )
    print(
        f"{'entries':>10} {'set-up s':>9} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'peak MB':>8} "
        f"{'CSV lines/s':>12}"
    )
    written, medians = 0, []
    sizes = [int(s) for s in opts.entries.split(",")]
    for size in sizes:
        began = time.perf_counter()
        grow(written, size)
        written = size
        setup = time.perf_counter() - began
        p50, p95, count = measure(client, url, opts.times)
        medians.append(p50)
        print(
            f"{size:>10,} {setup:>9.1f} {p50:>8.1f} {p95:>8.1f} {count:>8} {peak_mb(client, url):>8.1f} "
            f"{csv_rate(client, url):>12,.0f}"
        )
    print(f"growth of p50 from {sizes[0]:,} to {sizes[-1]:,} entries: ×{medians[-1] / medians[0]:.2f}")


if __name__ == "__main__":
    main()
