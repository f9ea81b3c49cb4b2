"""The incident lists as the incidents grow (issue 16 §1): the vendor's queue, newest first, a deep
page, and the API, at 1,000 and at 1,000,000 incidents.

Builds, in a fresh database, 50 customers with one order each, then writes incidents in bulk (most
closed, a few hundred open, some of them breached), spread over the customers and over two years,
and after each size asks each list through Django's test client, reporting p50, p95 and queries:

- the vendor's incident queue (`/incidents/`: time left, breached first), and newest first;
- the queue's next page (`?after=`, the keyset) and a page nine tenths down the list;
- `GET /api/incidents` for the vendor (newest first, and `sort=time-left`) and for one customer,
  and the API's next page (`after=`).

    .venv/bin/python bench/bench_incident_lists.py                                  # SQLite
    .venv/bin/python bench/bench_incident_lists.py --pg postgres://postgres@127.0.0.1:55433/postgres \
        --incidents 1000,100000,1000000
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import time
from datetime import UTC, datetime, timedelta

from page_timing import django_on_fresh_database, measure

CUSTOMERS = 50
DB_NAME = "bench_perf_incident_lists"
NOW = datetime(2027, 1, 4, 9, tzinfo=UTC)
OPEN_EVERY = 997  # about one incident in a thousand is still open, as in a mature organisation


def order_yaml(i: int) -> str:
    return (
        f"agreement: LIST-{i:03d}\norder: LIST-{i:03d}\ncustomer: List Corp {i:03d}\nhost: FR\n"
        "start: 2025-07-01\nend: 2027-12-31\ncurrency: EUR\nsites:\n  - country: FR\n    lines:\n"
        "      - {service: foundational, list_price: 1000000}\n"
        "      - {service: proactive-credits, quantity: 1000000}\n"
    )


def build() -> None:
    """Return nothing; the orders are imported, the vendor's and a customer's person made."""
    from django.core.management import call_command

    from unisupport.accounts.models import Organisation
    from unisupport.accounts.roles import Role
    from unisupport.accounts.services import create_person
    from unisupport.catalog.services import load_catalog
    from unisupport.cli.operator import OPERATOR
    from unisupport.orders.services import import_order_file

    call_command("migrate", verbosity=0, interactive=False)
    load_catalog()
    result = import_order_file(
        scope=OPERATOR, at=NOW, text="---\n".join(order_yaml(i) for i in range(CUSTOMERS))
    )
    assert result.verdict.valid, result.verdict.as_dict()
    create_person(username="list-vendor", password="x", roles=[Role.INCIDENT_MANAGER])
    first = Organisation.objects.get(name="List Corp 000")
    create_person(username="list-alice", password="x", roles=[Role.CUSTOMER_ADMIN], organisation=first)


def grow(first: int, last: int) -> None:
    """Return nothing; incidents ``first`` .. ``last`` - 1 are written in bulk."""
    from django.db import connection, transaction

    from unisupport.incidents.models import Incident
    from unisupport.orders.models import Order

    orders = list(Order.objects.order_by("pk").values_list("pk", "organisation_id"))
    batch: list[Incident] = []
    span = 2 * 365 * 24 * 60  # two years of minutes before NOW
    with transaction.atomic():
        for n in range(first, last):
            order_id, organisation_id = orders[n % len(orders)]
            opened = NOW - timedelta(minutes=span - (n * 7919) % span)
            still_open = n % OPEN_EVERY == 0
            due = opened + timedelta(hours=4)
            batch.append(
                Incident(
                    organisation_id=organisation_id, order_id=order_id, site_country="FR",
                    site_timezone="Europe/Paris", product="Exchange Online", title=f"Incident {n}",
                    kind="problem-resolution", channel="web", proposed_severity="B", severity="B",
                    state="in-progress" if still_open else "closed", opened_at=opened,
                    clock_started_at=opened, target_minutes=240, clock="24x7", offering="foundational",
                    rules=["SEV-2"], served_by=["foundational"], response_due_at=due,
                    response_counts_until=due, response_met=(None if still_open and n % 3 else n % 10 != 0),
                    closed_at=None if still_open else opened + timedelta(days=1),
                )
            )  # fmt: skip
            if len(batch) == 10_000:
                Incident.objects.bulk_create(batch)
                batch = []
        Incident.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", help="PostgreSQL URL of an administration database (…/postgres)")
    parser.add_argument("--sqlite", default="/tmp/unisupport-incident-lists.sqlite3")
    parser.add_argument("--incidents", default="1000,10000,100000", help="sizes, comma-separated")
    parser.add_argument("--times", type=int, default=30)
    opts = parser.parse_args()
    django_on_fresh_database(opts.pg, opts.sqlite, DB_NAME)
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from unisupport import clock
    from unisupport.accounts.services import issue_token
    from unisupport.incidents.models import Incident

    build()
    clock.now = lambda: NOW  # type: ignore[assignment]
    vendor = Client()
    vendor.force_login(User.objects.get(username="list-vendor"))
    tokens = {
        who: Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=User.objects.get(username=who), name='b')}")
        for who in ("list-vendor", "list-alice")
    }
    print(
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{connection.vendor}; {CUSTOMERS} customers, one incident in {OPEN_EVERY} open; "
        f"{opts.times} requests a page, sequential, Django test client"
    )
    print(f"{'incidents':>10} {'page':<44} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    written, worst = 0, 0.0
    for size in (int(s) for s in opts.incidents.split(",")):
        began = time.perf_counter()
        grow(written, size)
        written = size
        print(f"{size:>10,} (set up in {time.perf_counter() - began:.1f} s)")
        first_page = vendor.get("/incidents/", {"sort": "newest"}).content.decode()
        after = re.findall(r"after=(\d+)", first_page)[-1]
        # An incident nine tenths down the newest-first list: where a deep page starts.
        deep = Incident.objects.order_by("-opened_at", "-pk").values_list("pk", flat=True)[size * 9 // 10]
        api_page = tokens["list-vendor"].get("/api/incidents", {"limit": 50}).json()
        pages = [
            ("vendor queue (time left, breached first)", vendor, "/incidents/"),
            ("vendor list, newest first", vendor, "/incidents/?sort=newest"),
            ("vendor list, newest first, next (?after=)", vendor, f"/incidents/?sort=newest&after={after}"),
            ("vendor list, nine tenths down (?after=)", vendor, f"/incidents/?sort=newest&after={deep}"),
            ("GET /api/incidents (vendor, newest)", tokens["list-vendor"], "/api/incidents?limit=50"),
            (
                "GET /api/incidents (vendor, next after=)",
                tokens["list-vendor"],
                f"/api/incidents?limit=50&after={api_page[-1]['id'] if api_page else ''}",
            ),
            ("GET /api/incidents (vendor, time-left)", tokens["list-vendor"], "/api/incidents?limit=50&sort=time-left"),
            ("GET /api/incidents (customer)", tokens["list-alice"], "/api/incidents?limit=50"),
        ]  # fmt: skip
        for name, client, url in pages:
            p50, p95, count = measure(client, url, opts.times)
            worst = max(worst, p95)
            print(f"{'':>10} {name:<44} {p50:>8.1f} {p95:>8.1f} {count:>8}")
    print(f"worst p95 over every page and size: {worst:.1f} ms")


if __name__ == "__main__":
    main()
