"""The planner on a year (issue 12 §8): 2,000 credits at each of 2 sites, 10 services, 20 engineers.

Pure domain code (domain/planner.py), no database: the figure is the planner's own.

    .venv/bin/python bench/bench_planner.py
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from decimal import Decimal

from unisupport.domain.planner import Engineer, Leftover, Price, plan

SERVICES = [f"service-{i}" for i in range(10)]


def once() -> tuple[float, int, int]:
    engineers = [
        Engineer(f"engineer-{i}", "FR" if i % 2 else "DE", frozenset(SERVICES[i % 5 : i % 5 + 5]), set())
        for i in range(20)
    ]
    started = time.perf_counter()
    proposals, left = plan(
        leftovers=[
            Leftover("FR", "credits", Decimal(2000), date(2027, 12, 31)),
            Leftover("DE", "credits", Decimal(2000), date(2027, 12, 31)),
            Leftover("FR", "hours", Decimal(400), date(2027, 12, 31), "service-3"),
        ],
        prices=[Price(site, s, Decimal(3 + i)) for site in ("FR", "DE") for i, s in enumerate(SERVICES)],
        engineers=engineers,
        today=date(2027, 1, 1),
        deadline=date(2027, 11, 1),
        is_business_day=lambda site, day: day.weekday() < 5,
    )
    return time.perf_counter() - started, len(proposals), len(left)


def main() -> None:
    runs = [once() for _ in range(5)]
    times = sorted(r[0] for r in runs)
    print(f"{runs[0][1]} proposals, {runs[0][2]} leftovers still expiring")
    print(
        f"planner: median {statistics.median(times) * 1000:.0f} ms, worst {times[-1] * 1000:.0f} ms (aim < 1 s)"
    )


if __name__ == "__main__":
    main()
