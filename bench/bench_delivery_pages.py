"""The delivery pages with 100,000 requests in the database (issue 12 §8: p95 under 100 ms).

Builds, in a fresh database, 50 customers with one order each and 100,000 deliveries (each with the
ledger entry that pays for it) spread over them and over a year — requested, scheduled, delivered,
cancelled — written in bulk, then asks each page 200 times in turn through Django's test client
(the whole stack: middleware, session, views, templates; no network) and reports p50 and p95 and the
queries a page takes:

- a customer's Deliveries page and its next page (`?after=`), the vendor's Deliveries page;
- the vendor's scheduling board for a busy week;
- `GET /api/deliveries` for a customer (100 rows) and the vendor.

    .venv/bin/python bench/bench_delivery_pages.py                      # SQLite, /tmp/unisupport-pages.sqlite3
    .venv/bin/python bench/bench_delivery_pages.py --pg postgres://postgres@127.0.0.1:55433/postgres
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal

from page_timing import django_on_fresh_database, measure

CUSTOMERS = 50
DB_NAME = "bench_perf_pages"


def order_yaml(i: int) -> str:
    return (
        f"agreement: PAGES-{i:03d}\norder: PAGES-{i:03d}\ncustomer: Pages Corp {i:03d}\nhost: FR\n"
        "start: 2026-07-01\nend: 2027-12-31\ncurrency: EUR\nsites:\n  - country: FR\n    lines:\n"
        "      - {service: foundational, list_price: 1000000}\n"
        "      - {service: proactive-credits, quantity: 100000000}\n"
    )


def build(total: int) -> tuple[float, int, int]:
    """Return the seconds the set-up took, a customer's organisation id and the busy week's Monday."""
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from unisupport.accounts.models import Organisation
    from unisupport.accounts.roles import Role
    from unisupport.accounts.services import create_person
    from unisupport.catalog.services import load_catalog
    from unisupport.cli.operator import OPERATOR
    from unisupport.deliveries.models import Delivery
    from unisupport.ledger.models import LedgerAccount, LedgerEntry
    from unisupport.orders.services import import_order_file

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_catalog()
    now = datetime(2027, 1, 4, 9, tzinfo=UTC)
    result = import_order_file(
        scope=OPERATOR, at=now, text="---\n".join(order_yaml(i) for i in range(CUSTOMERS))
    )
    assert result.verdict.valid, result.verdict.as_dict()
    accounts = list(LedgerAccount.objects.filter(kind="credits").select_related("order").order_by("pk"))
    create_person(username="pages-vendor", password="x", roles=[Role.CSAM, Role.DELIVERY_SCHEDULER])
    first = Organisation.objects.get(name="Pages Corp 000")
    create_person(username="pages-alice", password="x", roles=[Role.CUSTOMER_ADMIN], organisation=first)
    engineers = [
        create_person(username=f"pages-eng-{e}", password="x", roles=[Role.SUPPORT_ENGINEER])
        for e in range(20)
    ]
    states = ["delivered", "delivered", "cancelled", "scheduled", "requested"]
    entries, deliveries = [], []
    for n in range(total):
        account = accounts[n % len(accounts)]
        requested = now - timedelta(minutes=5 * (total - n))
        state = states[n % len(states)]
        entries.append(
            LedgerEntry(
                uid=f"pages-{n}", organisation_id=account.organisation_id, order_id=account.order_id,
                account=account, amount=Decimal(-13), balance_after=Decimal(0), posted_at=requested,
                effective_on=requested.date(), actor="bench", reason="redeem 13 credits", rule="CRD-1",
                order_version=1, cause="bench",
            )
        )  # fmt: skip
        on = requested.date() + timedelta(days=20) if state != "requested" else None
        deliveries.append(
            Delivery(
                organisation_id=account.organisation_id, order_id=account.order_id, site="FR",
                service_id="workshop", quantity=1, pay="credits", cost=13, unit="credits", language="fr",
                state=state, requested_at=requested, scheduled_on=on,
                start=clock_time(9 + n % 8) if on else None,
                engineer=engineers[n % len(engineers)] if on else None,
            )
        )  # fmt: skip
    LedgerEntry.objects.bulk_create(entries, batch_size=5000)
    paid = dict(LedgerEntry.objects.filter(uid__startswith="pages-").values_list("uid", "serial"))
    for n, d in enumerate(deliveries):
        d.payment_id = paid[f"pages-{n}"]
    Delivery.objects.bulk_create(deliveries, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    busiest = (
        Delivery.objects.filter(state="scheduled")
        .order_by("-scheduled_on")
        .values_list("scheduled_on", flat=True)
        .first()
    )
    monday = busiest - timedelta(days=busiest.weekday()) if busiest else date(2027, 1, 4)
    assert User.objects.filter(username="pages-alice").exists()
    return time.perf_counter() - started, first.pk, monday.toordinal()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", help="PostgreSQL URL of an administration database (…/postgres)")
    parser.add_argument("--sqlite", default="/tmp/unisupport-pages.sqlite3")
    parser.add_argument("--deliveries", type=int, default=100_000)
    parser.add_argument("--times", type=int, default=200)
    opts = parser.parse_args()
    django_on_fresh_database(opts.pg, opts.sqlite, DB_NAME)
    from django.contrib.auth.models import User
    from django.test import Client

    from unisupport import clock
    from unisupport.accounts.services import issue_token
    from unisupport.deliveries.models import Delivery

    seconds, _, monday = build(opts.deliveries)
    clock.now = lambda: datetime(2027, 1, 4, 9, tzinfo=UTC)  # type: ignore[assignment]
    customer, vendor = Client(), Client()
    customer.force_login(User.objects.get(username="pages-alice"))
    vendor.force_login(User.objects.get(username="pages-vendor"))
    mine = Delivery.objects.filter(organisation__name="Pages Corp 000").order_by("-requested_at", "-pk")
    # The second page starts after the first 200 rows (or after the last one, at a smoke run's sizes).
    after = mine.values_list("pk", flat=True)[min(199, mine.count() - 1)]
    week = date.fromordinal(monday).isoformat()
    alice_api = Client(
        HTTP_AUTHORIZATION=f"Bearer {issue_token(user=User.objects.get(username='pages-alice'), name='b')}"
    )
    vendor_api = Client(
        HTTP_AUTHORIZATION=f"Bearer {issue_token(user=User.objects.get(username='pages-vendor'), name='b')}"
    )
    pages = [
        ("customer Deliveries page", customer, "/deliveries/"),
        ("customer Deliveries page 2 (?after=)", customer, f"/deliveries/?after={after}"),
        ("vendor Deliveries page", vendor, "/deliveries/"),
        ("vendor scheduling board (busy week)", vendor, f"/deliveries/week/?start={week}"),
        ("GET /api/deliveries (customer)", alice_api, "/api/deliveries"),
        ("GET /api/deliveries (vendor)", vendor_api, "/api/deliveries"),
    ]
    from django.db import connection

    print(
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{connection.vendor}; {Delivery.objects.count():,} deliveries of {CUSTOMERS} customers "
        f"(set up in {seconds:.0f} s); {opts.times} requests a page, sequential, Django test client"
    )
    print(f"{'page':<40} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for name, client, url in pages:
        p50, p95, count = measure(client, url, opts.times)
        print(f"{name:<40} {p50:>8.1f} {p95:>8.1f} {count:>8}")


if __name__ == "__main__":
    main()
