"""Delivery requests with their reservation on one hot credit account, against a bare conditional UPDATE.

Issue 12 §8: N processes (spawned, each with its own Django and connection, released together) call
the real service ``deliveries.services.request_delivery`` for one workshop participant on the same
order and site, so every request reserves its cost on the same credits account (the delivery row,
its ledger debit, the running balance and its timeline event, in one transaction); then, in the same
run, N processes run the bare conditional ``UPDATE … SET balance = balance - 1 WHERE id = 1 AND
balance >= 1`` in autocommit. The aim is a ratio of at least 0.5.

    .venv/bin/python bench/bench_deliveries.py --pg postgres://postgres@127.0.0.1:55433/postgres

It reuses bench_ledger's set-up, in a database of its own (``unisupport_bench_deliveries``, created afresh).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from typing import Any

import bench_ledger as ledger_bench


def requester(url: str, seed: int, seconds: float, barrier: Any, results: Any) -> None:
    """Put how many delivery requests this process committed in ``seconds`` after every process was ready."""
    ledger_bench._django(url)
    from django.db import connection

    from unisupport import clock
    from unisupport.cli.operator import OPERATOR
    from unisupport.deliveries.services import request_delivery
    from unisupport.domain.deliveries import DeliveryRequest

    command = DeliveryRequest.parse(order="BENCH-HOT", site="FR", service="workshop", quantity=1)
    for _ in range(3):  # warm up: connection, imports, query plans
        request_delivery(scope=OPERATOR, command=command, at=clock.now())
    barrier.wait()
    done, stop = 0, time.perf_counter() + seconds
    while time.perf_counter() < stop:
        request_delivery(scope=OPERATOR, command=command, at=clock.now())
        done += 1
    connection.close()
    results.put(done)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--pg", required=True, help="PostgreSQL URL of an administration database (…/postgres)"
    )
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of requests and bare updates, in turn")
    opts = parser.parse_args()
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{opts.workers} worker processes, {opts.seconds:g} s per measurement, {opts.rounds} rounds")  # fmt: skip
    url = ledger_bench.fresh_postgres(opts.pg, "unisupport_bench_deliveries")
    ledger_bench.in_process(ledger_bench.setup, url, 1, 10)
    ratios = []
    for round_ in range(1, opts.rounds + 1):
        requests = ledger_bench.concurrently(
            requester, [(url, seed, opts.seconds) for seed in range(opts.workers)]
        )
        bare = ledger_bench.concurrently(
            ledger_bench.bare, [(url, None, opts.seconds, True) for _ in range(opts.workers)]
        )
        ratios.append(requests / bare)
        print(
            f"round {round_}: delivery requests/s {requests / opts.seconds:,.0f}; "
            f"bare conditional UPDATE/s {bare / opts.seconds:,.0f}; ratio {requests / bare:.2f}",
            flush=True,
        )
    ratios.sort()
    print(f"median ratio {ratios[len(ratios) // 2]:.2f} (aim ≥ 0.5)")


if __name__ == "__main__":
    main()
