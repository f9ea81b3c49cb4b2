"""The programmes at volume (issue 13 §4): the CSAM's list of late milestones and an event's summary
under 100 ms p95 with 10,000 orders and 1,000,000 incidents; the worker's milestone pass over
100,000 programmes under 1 second.

Builds, in a fresh database, ``--orders`` MCS Plus + UER orders (100,000 by default; their
executions spread over a year) with their programmes' milestones planned by the domain (11 each),
``--incidents`` incidents (1,000,000) spread over the orders, and one booked event with 200 of
them; rows written in bulk. Then:

- the late list (``/programmes/late/``, the CSAM's and the vendor's) and ``GET /api/programmes/late``,
  and the event's summary page and ``GET /api/events/{id}/summary``, each asked ``--times`` times
  through Django's test client (the whole stack, no network): p50, p95 and the queries it takes;
- the worker's programme pass (``programmes.worker.remind_late``) at an instant when the
  milestones of one day have just turned late (a day's worth of e-mails queued), then idle.

    .venv/bin/python bench/bench_programmes.py                      # SQLite, /tmp/unisupport-programmes.sqlite3
    .venv/bin/python bench/bench_programmes.py --pg postgres://postgres@127.0.0.1:55433/postgres
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import UTC, date, datetime, timedelta

from page_timing import django_on_fresh_database, measure

DB_NAME = "bench_programmes"
NOW = datetime(2027, 3, 15, 9, tzinfo=UTC)


def build(orders: int, incidents: int) -> tuple[float, int]:
    """Return the seconds the set-up took and the booked event's id."""
    from django.core.management import call_command
    from django.db import connection

    from unisupport.accounts.models import Organisation, OrganisationKind
    from unisupport.accounts.roles import Role
    from unisupport.accounts.services import create_person
    from unisupport.catalog.services import load_catalog
    from unisupport.domain.programmes import late_from, plan_milestones
    from unisupport.incidents.models import Incident
    from unisupport.orders.models import Agreement, EventCoverage, Order, OrderLine, OrderVersion, Site
    from unisupport.programmes.models import Milestone

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_catalog()
    # Ten CSAMs share the customers; prog-csam is the one whose list is measured.
    csams = [
        create_person(
            username="prog-csam" if c == 0 else f"prog-csam-{c}", password="x", roles=[Role.CSAM],
            email=f"csam{c}@vendor.test",
        )
        for c in range(10)
    ]  # fmt: skip
    customers = [
        Organisation(name=f"Programme Corp {c:03d}", kind=OrganisationKind.CUSTOMER) for c in range(100)
    ]
    Organisation.objects.bulk_create(customers)
    customers = list(Organisation.objects.filter(name__startswith="Programme Corp").order_by("pk"))
    create_person(username="prog-alice", password="x", roles=[Role.CUSTOMER_ADMIN], organisation=customers[0])
    agreements = [
        Agreement(code=f"PROG-{c:03d}", organisation=o, host_country="FR", csam=csams[c % 10])
        for c, o in enumerate(customers)
    ]
    Agreement.objects.bulk_create(agreements)
    agreements = list(Agreement.objects.filter(code__startswith="PROG-").order_by("pk"))
    Order.objects.bulk_create(
        Order(
            number=f"PROG-{n:06d}",
            agreement=agreements[n % 100],
            organisation_id=agreements[n % 100].organisation_id,
        )
        for n in range(orders)
    )
    by_number = dict(Order.objects.filter(number__startswith="PROG-").values_list("number", "pk"))
    first_day = date(2026, 7, 1)
    executed = {n: first_day + timedelta(days=n % 365) for n in range(orders)}
    OrderVersion.objects.bulk_create(
        (
            OrderVersion(
                organisation_id=agreements[n % 100].organisation_id, order_id=by_number[f"PROG-{n:06d}"],
                version=1, customer_name="Programme Corp", host_country="FR", start=executed[n],
                end=executed[n] + timedelta(days=364), currency="EUR", fingerprint="bench", source_yaml="",
            )
            for n in range(orders)
        ),
        batch_size=5000,
    )  # fmt: skip
    versions = dict(
        OrderVersion.objects.filter(order__number__startswith="PROG-").values_list("order_id", "pk")
    )
    Site.objects.bulk_create(
        (
            Site(organisation_id=agreements[n % 100].organisation_id, order_version_id=versions[by_number[f"PROG-{n:06d}"]],
                 country="FR", timezone="Europe/Paris", role="host")
            for n in range(orders)
        ),
        batch_size=5000,
    )  # fmt: skip
    sites = dict(
        Site.objects.filter(order_version__order__number__startswith="PROG-").values_list(
            "order_version__order_id", "pk"
        )
    )
    lines = []
    for n in range(orders):
        site = sites[by_number[f"PROG-{n:06d}"]]
        for position, code in enumerate(
            ("foundational", "mcs-azure-platform-plus", "unified-enhanced-response")
        ):
            lines.append(
                OrderLine(organisation_id=agreements[n % 100].organisation_id, site_id=site, service_id=code,
                          quantity=1, position=position)
            )  # fmt: skip
    lines.append(
        OrderLine(organisation_id=agreements[0].organisation_id, site_id=sites[by_number["PROG-000000"]],
                  service_id="mcs-azure-events", quantity=1, position=9)
    )  # fmt: skip
    OrderLine.objects.bulk_create(lines, batch_size=5000)
    rows = []
    for n in range(orders):
        for m in plan_milestones(
            offerings=["mcs-azure-platform-plus", "unified-enhanced-response"],
            executed_on=executed[n],
            term_end=executed[n] + timedelta(days=364),
        ):
            reminded = m.due is not None and m.due < NOW.date() - timedelta(days=1)
            rows.append(
                Milestone(
                    organisation_id=agreements[n % 100].organisation_id, order_id=by_number[f"PROG-{n:06d}"],
                    key=m.key, offering=m.offering, rule=m.rule, name=m.name.as_json(), position=m.position,
                    due=m.due, late_from=late_from(m.due, "Europe/Paris"),
                    # What turned late before yesterday was reminded by earlier passes.
                    reminded_at=NOW if reminded else None,
                    remind_at=None if reminded else late_from(m.due, "Europe/Paris"),
                )
            )  # fmt: skip
        if len(rows) >= 50_000:
            Milestone.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Milestone.objects.bulk_create(rows, batch_size=5000)
    event_order = by_number["PROG-000000"]
    event = EventCoverage.objects.create(
        organisation_id=agreements[0].organisation_id, order_id=event_order, service_id="mcs-azure-events",
        name="Spring sale", days=[(date(2027, 3, 1) + timedelta(days=d)).isoformat() for d in range(5)],
        timezone="Europe/Paris", products=["Azure Virtual Machines"],
    )  # fmt: skip
    batch = []
    opened0 = datetime(2026, 7, 1, tzinfo=UTC)
    for i in range(incidents):
        n = i % orders
        in_event = i < 200
        opened = (
            datetime(2027, 3, 1, 8, tzinfo=UTC) + timedelta(minutes=i)
            if in_event
            else opened0 + timedelta(seconds=31 * i)
        )
        batch.append(
            Incident(
                organisation_id=agreements[0 if in_event else n % 100].organisation_id,
                order_id=event_order if in_event else by_number[f"PROG-{n:06d}"],
                site_country="FR", site_timezone="Europe/Paris", product="Azure Virtual Machines",
                title=f"Incident {i}", kind="problem-resolution", channel="web", language="en",
                proposed_severity="B", severity="B", opened_at=opened, clock_started_at=opened,
                state="closed" if i % 3 else "in-progress", event_id=event.pk if in_event else None,
                response_met=bool(i % 4),
            )
        )  # fmt: skip
        if len(batch) >= 20_000:
            Incident.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Incident.objects.bulk_create(batch, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started, event.pk


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", help="PostgreSQL URL of an administration database (…/postgres)")
    parser.add_argument("--sqlite", default="/tmp/unisupport-programmes.sqlite3")
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--times", type=int, default=200)
    opts = parser.parse_args()
    django_on_fresh_database(opts.pg, opts.sqlite, DB_NAME)
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from unisupport import clock
    from unisupport.accounts.services import issue_token
    from unisupport.incidents.models import Incident, Notification
    from unisupport.programmes.models import Milestone
    from unisupport.programmes.worker import remind_late

    seconds, event = build(opts.orders, opts.incidents)
    clock.now = lambda: NOW  # type: ignore[assignment]
    csam = User.objects.get(username="prog-csam")
    vendor, customer = Client(), Client()
    vendor.force_login(csam)
    customer.force_login(User.objects.get(username="prog-alice"))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=csam, name='bench')}")
    print(
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{connection.vendor}; {opts.orders:,} orders with a programme, {Milestone.objects.count():,} "
        f"milestones, {Incident.objects.count():,} incidents (set up in {seconds:.0f} s); "
        f"{opts.times} requests a page, sequential, Django test client"
    )
    print(f"{'page':<44} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    pages = [
        ("late milestones, the vendor (all customers)", vendor, "/programmes/late/"),
        ("late milestones, the CSAM's own (?mine=1)", vendor, "/programmes/late/?mine=1"),
        ("late milestones, a customer", customer, "/programmes/late/"),
        ("GET /api/programmes/late (vendor)", api, "/api/programmes/late"),
        ("event page with its summary (200 incidents)", vendor, f"/events/{event}/"),
        ("GET /api/events/{id}/summary", api, f"/api/events/{event}/summary"),
    ]
    for name, client, url in pages:
        p50, p95, count = measure(client, url, opts.times)
        print(f"{name:<44} {p50:>8.1f} {p95:>8.1f} {count:>8}")
    due = Milestone.objects.filter(remind_at__lte=NOW).count()
    begin = time.perf_counter()
    reminded = remind_late(now=NOW)
    busy = time.perf_counter() - begin
    begin = time.perf_counter()
    again = remind_late(now=NOW)
    idle = time.perf_counter() - begin
    assert reminded == due
    assert again == 0
    print(
        f"worker pass over {opts.orders:,} programmes: {reminded:,} milestones just late reminded "
        f"({Notification.objects.count():,} e-mails queued) in {busy * 1000:.0f} ms; idle pass {idle * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
