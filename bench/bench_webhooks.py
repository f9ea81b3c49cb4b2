"""Webhook delivery at volume (issue 14 §6): 10,000 pending events to a local receiver, with one
endpoint that refuses connections and one that hangs past the 10-second timeout.

Builds a fresh database with ``--endpoints`` endpoints (one organisation each) pointing at a
receiver running in its own process (a threading HTTP server answering 204), plus a refusing and a
hanging endpoint, and ``--events`` messages spread over the working endpoints; then runs the
worker's delivery pass (``webhooks.delivery.deliver_due``) until nothing is due, and reports the
deliveries per second, the passes, the peak memory of the process (ru_maxrss) and what the refusing
and hanging endpoints cost the others.

    .venv/bin/python bench/bench_webhooks.py                     # SQLite, /tmp/unisupport-webhooks.sqlite3
    .venv/bin/python bench/bench_webhooks.py --pg postgres://postgres@127.0.0.1:55433/postgres
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime

from page_timing import fresh_database

DB_NAME = "bench_webhooks"

RECEIVER = textwrap.dedent(
    """
    import sys, time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def do_POST(self):
            self.rfile.read(int(self.headers["content-length"]))
            if self.path == "/hang":
                time.sleep(30)
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()
        def log_message(self, *args):
            pass

    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    print("ready", flush=True)
    server.serve_forever()
    """
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", help="PostgreSQL URL of an administration database (…/postgres)")
    parser.add_argument("--sqlite", default="/tmp/unisupport-webhooks.sqlite3")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--endpoints", type=int, default=50)
    parser.add_argument("--port", type=int, default=18765)
    opts = parser.parse_args()
    os.environ["DATABASE_URL"] = fresh_database(opts.pg, opts.sqlite, DB_NAME)
    os.environ["DJANGO_SETTINGS_MODULE"] = "unisupport.settings"
    os.environ["UNISUPPORT_DEBUG"] = "1"  # http:// to loopback
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from unisupport.accounts.models import Organisation
    from unisupport.webhooks.delivery import deliver_due
    from unisupport.webhooks.models import Endpoint, WebhookMessage

    call_command("migrate", verbosity=0, interactive=False)
    receiver = subprocess.Popen(
        [sys.executable, "-c", RECEIVER, str(opts.port)], stdout=subprocess.PIPE, text=True
    )
    assert receiver.stdout is not None
    assert receiver.stdout.readline().strip() == "ready"
    try:
        now = datetime.now(UTC)
        base = f"http://127.0.0.1:{opts.port}"
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Hook Corp {n:03d}") for n in range(opts.endpoints + 2)
        )
        endpoints = Endpoint.objects.bulk_create(
            [
                Endpoint(organisation=o, url=f"{base}/in/{n}", secret="whsec_" + "A" * 44, created_at=now)
                for n, o in enumerate(organisations[: opts.endpoints])
            ]
            + [
                Endpoint(organisation=organisations[-2], url="http://127.0.0.1:9/refused", secret="whsec_" + "A" * 44, created_at=now),
                Endpoint(organisation=organisations[-1], url=f"{base}/hang", secret="whsec_" + "A" * 44, created_at=now),
            ]
        )  # fmt: skip
        working, refusing, hanging = endpoints[: opts.endpoints], endpoints[-2], endpoints[-1]
        body = (
            '{"type":"incident.opened","timestamp":"2027-01-04T09:00:00+00:00","data":{"id":1,"title":"x"}}'
        )
        bad = [
            WebhookMessage(endpoint=e, msg_id=f"msg_bad-{e.pk}-{n}", type="incident.opened", body=body,
                           created_at=now, next_attempt_at=now)
            for e in (refusing, hanging)
            for n in range(5)
        ]  # fmt: skip
        good = [
            WebhookMessage(endpoint=working[n % len(working)], msg_id=f"msg_bench-{n}", type="incident.opened",
                           body=body, created_at=now, next_attempt_at=now)
            for n in range(opts.events)
        ]  # fmt: skip
        WebhookMessage.objects.bulk_create(bad + good, batch_size=5000)  # the bad ones first in line
        started = time.perf_counter()
        passes = 0
        while WebhookMessage.objects.filter(delivered_at__isnull=True, endpoint__in=working).exists():
            deliver_due(now=datetime.now(UTC))
            passes += 1
        seconds = time.perf_counter() - started
        delivered = WebhookMessage.objects.filter(delivered_at__isnull=False).count()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
            f"{connection.vendor}; {opts.events:,} events to {opts.endpoints} endpoints on a local receiver "
            "(another process), plus one refusing and one hanging endpoint"
        )
        print(
            f"delivered {delivered:,} in {seconds:.2f} s over {passes} passes: {delivered / seconds:,.0f} deliveries/s"
        )
        print(f"peak memory of the process (ru_maxrss): {peak_mb:.0f} MB")
        refused = WebhookMessage.objects.filter(endpoint=refusing, attempts__gt=0).count()
        hung = WebhookMessage.objects.filter(endpoint=hanging, delivered_at__isnull=True).count()
        print(
            f"the refusing endpoint: {refused} message tried and retried later (its others wait); "
            f"the hanging one: {hung} messages left leased for a later pass, none holding the others"
        )
    finally:
        receiver.terminate()


if __name__ == "__main__":
    main()
