"""The monthly service review of a busy order (issue 14 §6): 100,000 incidents and 50,000 ledger
entries in the month; the figures (aggregated in the database) and the PDF, timed.

    .venv/bin/python bench/bench_review.py                      # SQLite, /tmp/unisupport-review.sqlite3
    .venv/bin/python bench/bench_review.py --pg postgres://postgres@127.0.0.1:55433/postgres
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from page_timing import fresh_database

DB_NAME = "bench_review"
ORDER = """\
agreement: REVIEW-BENCH
order: REVIEW-001
customer: Review Corp
host: FR
start: 2026-07-01
end: 2027-06-30
currency: EUR
sites:
  - country: FR
    lines:
      - {service: foundational, list_price: 1000000}
      - {service: proactive-credits, quantity: 10000000}
      - {service: unified-enhanced-response, price: 100000}
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", help="PostgreSQL URL of an administration database (…/postgres)")
    parser.add_argument("--sqlite", default="/tmp/unisupport-review.sqlite3")
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--times", type=int, default=5)
    opts = parser.parse_args()
    os.environ["DATABASE_URL"] = fresh_database(opts.pg, opts.sqlite, DB_NAME)
    os.environ["DJANGO_SETTINGS_MODULE"] = "unisupport.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from unisupport.catalog.services import load_catalog
    from unisupport.cli.operator import OPERATOR
    from unisupport.incidents.models import Incident
    from unisupport.ledger.models import LedgerAccount, LedgerEntry
    from unisupport.orders.models import Order
    from unisupport.orders.services import import_order_file
    from unisupport.success.review import monthly_review
    from unisupport.success.review_pdf import review_pdf

    call_command("migrate", verbosity=0, interactive=False)
    load_catalog()
    start = datetime(2026, 12, 1, 8, tzinfo=UTC)
    assert import_order_file(scope=OPERATOR, at=start, text=ORDER).verdict.valid
    order = Order.objects.get(number="REVIEW-001")
    account = LedgerAccount.objects.get(order=order, kind="credits")
    seconds = 27 * 24 * 3600 / opts.incidents
    Incident.objects.bulk_create(
        (
            Incident(
                organisation_id=order.organisation_id, order=order, site_country="FR", site_timezone="Europe/Paris",
                product="Exchange Online", title=f"Incident {n}", kind="problem-resolution", channel="web",
                language="en", proposed_severity="ABC"[n % 3], severity="ABC"[n % 3],
                opened_at=start + timedelta(seconds=seconds * n), clock_started_at=start + timedelta(seconds=seconds * n),
                offering=("foundational", "unified-enhanced-response")[n % 2], response_met=n % 10 != 0,
                response_due_at=start + timedelta(seconds=seconds * n, hours=4), rules=["SEV-2", "SEV-7"],
            )
            for n in range(opts.incidents)
        ),
        batch_size=5000,
    )  # fmt: skip
    LedgerEntry.objects.bulk_create(
        (
            LedgerEntry(
                uid=f"review-{n}", organisation_id=order.organisation_id, order=order, account=account,
                amount=Decimal(-1), balance_after=Decimal(0), posted_at=start + timedelta(seconds=40 * n),
                effective_on=date(2026, 12, 1), actor="bench", reason="redeem 1 credit", rule="CRD-1",
                order_version=1, cause="bench",
            )
            for n in range(opts.entries)
        ),
        batch_size=5000,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    figures, pdfs = [], []
    for _ in range(opts.times):
        begin = time.perf_counter()
        data = monthly_review(
            OPERATOR, order="REVIEW-001", month=date(2026, 12, 1), at=datetime(2027, 1, 4, tzinfo=UTC)
        )
        middle = time.perf_counter()
        review_pdf(data, language="fr")
        figures.append(middle - begin)
        pdfs.append(time.perf_counter() - middle)
    assert data["incidents"]["opened"] == opts.incidents
    print(
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, {connection.vendor}; "
        f"{opts.incidents:,} incidents and {opts.entries:,} ledger entries in the month"
    )
    print(f"figures: best {min(figures) * 1000:.0f} ms, worst {max(figures) * 1000:.0f} ms; "
          f"PDF: best {min(pdfs) * 1000:.0f} ms, worst {max(pdfs) * 1000:.0f} ms ({opts.times} runs)")  # fmt: skip


if __name__ == "__main__":
    main()
