"""Benchmark: due times of random incidents on business calendars (issue 3 §4).

Computes the due time of N random incidents (default 1,000,000) spread over the FR, US, JP and
IN calendars, single core, with unisupport's bisection calendars (one query at a time, and the
numpy batch form), and compares per-query throughput, in the same run, with the two libraries a
user would otherwise pick: ``businesstimedelta`` (holiday rule fed from ``holidays``, evaluated
on LOCAL dates: it uses UTC dates unless given the zone) and pandas' ``CustomBusinessHour`` with
the same holidays. The peers are slow, so they are timed on a smaller sample (default 10,000).

Before timing, all three must agree on a sample. Targets are whole hours (1, 2 or 4: the
foundational Sev A/B/C minutes, and pandas only counts whole hours); pandas is compared only
on incidents whose due time is not exactly a closing time, where it returns the next opening
instead (RULES.md §8, implementers' note).

It also times the same incidents on calendars that use hours per weekday and closures of hours
(Friday 09:00–16:00, 24 December closed 09:00–12:00: Annexe A note 5), which must answer as fast.

Finally it measures the memory of the precomputed tables of 50 countries over 10 years.

    uv sync --all-groups && .venv/bin/python bench/bench_calendar.py   (or: make bench)
"""

from __future__ import annotations

import os

# Single core: pin the process and keep numerical libraries from starting thread pools.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

import argparse  # noqa: E402
import gc  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
import warnings  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402
from datetime import time as clock_time  # noqa: E402

import numpy as np  # noqa: E402

from unisupport.domain.calendar import BusinessCalendar, Closure, calendar_for  # noqa: E402

COUNTRIES = ["FR", "US", "JP", "IN"]
HOURS = [1, 2, 4]
WINDOW_START = datetime(2026, 1, 1, tzinfo=UTC)
WINDOW_SECONDS = 2 * 365 * 86_400  # incidents opened during 2026–2027
HOLIDAY_YEARS = range(2025, 2030)

# 50 countries for the memory figure (all of them have holidays in the `holidays` package).
# fmt: off
FIFTY = [
    "AR", "AT", "AU", "BE", "BG", "BR", "CA", "CH", "CL", "CN", "CO", "CZ", "DE", "DK", "EG", "ES", "FI",
    "FR", "GB", "GR", "HK", "HU", "ID", "IE", "IL", "IN", "IT", "JP", "KR", "MX", "MY", "NG", "NL", "NO",
    "NZ", "PE", "PH", "PL", "PT", "RO", "RU", "SA", "SE", "SG", "TH", "TR", "TW", "UA", "US", "ZA",
]
# fmt: on


def incidents(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (country index, opened as UTC epoch seconds, target hours) of n random incidents."""
    rng = np.random.default_rng(seed)
    country = rng.integers(0, len(COUNTRIES), n)
    opened = int(WINDOW_START.timestamp()) + rng.integers(0, WINDOW_SECONDS, n)
    hours = rng.choice(HOURS, n)
    return country, opened, hours


# -- the peers -----------------------------------------------------------------------------


def peer_businesstimedelta():
    """Return f(country, opened, hours) -> aware datetime, with businesstimedelta."""
    import businesstimedelta as btd
    import holidays
    import pytz

    deltas = {}
    for code in COUNTRIES:
        zone = pytz.timezone(calendar_for(code).timezone)
        rules = btd.Rules(
            [
                btd.WorkDayRule(
                    start_time=clock_time(9),
                    end_time=clock_time(17, 30),
                    working_days=[0, 1, 2, 3, 4],
                    tz=zone,
                ),
                # tz=zone: holidays are local dates (the default, UTC, shifts them for JP/IN/US).
                btd.HolidayRule(holidays.country_holidays(code, years=HOLIDAY_YEARS), tz=zone),
            ]
        )
        for h in HOURS:
            deltas[code, h] = btd.BusinessTimeDelta(rules, hours=h)

    def due(code: str, opened: datetime, hours: int) -> datetime:
        return opened + deltas[code, hours]

    return due


def peer_pandas():
    """Return f(country, opened Timestamp in local zone, hours) -> Timestamp, with pandas."""
    import holidays
    from pandas.tseries.offsets import CustomBusinessHour

    offsets = {}
    for code in COUNTRIES:
        days = sorted(holidays.country_holidays(code, years=HOLIDAY_YEARS))
        for h in HOURS:
            offsets[code, h] = CustomBusinessHour(
                n=h, start="09:00", end="17:30", holidays=days, weekmask="Mon Tue Wed Thu Fri"
            )

    def due(code: str, opened, hours: int):
        return opened + offsets[code, hours]

    return due


# -- checks and timings ----------------------------------------------------------------------


def as_datetimes(opened: np.ndarray) -> list[datetime]:
    return [datetime.fromtimestamp(int(s), UTC) for s in opened]


def check_agreement(calendars, country, opened, hours, btd_due, pandas_due) -> tuple[int, int]:
    """Return (compared with businesstimedelta, compared with pandas); exit on any disagreement."""
    import pandas as pd

    bad, with_pandas = [], 0
    for c, o, h in zip(country, as_datetimes(opened), hours, strict=True):
        code, cal = COUNTRIES[c], calendars[c]
        ours = cal.add_business_time(o, timedelta(hours=int(h)))
        theirs = btd_due(code, o, int(h))
        if theirs != ours:
            bad.append(("businesstimedelta", code, o, h, ours, theirs))
        local = ours.astimezone(cal.zone)
        if local.time() == clock_time(17, 30):
            continue  # pandas answers the next opening here (it is documented, not a bug of ours)
        with_pandas += 1
        theirs = pandas_due(code, pd.Timestamp(o).tz_convert(cal.timezone), int(h))
        if theirs.to_pydatetime() != ours:
            bad.append(("pandas", code, o, h, ours, theirs))
    if bad:
        for row in bad[:20]:
            print("DISAGREE", *row)
        sys.exit(f"{len(bad)} disagreements: no figures reported")
    return len(country), with_pandas


def per_second(n: int, seconds: float) -> float:
    return n / seconds if seconds else float("inf")


def time_ours_single(calendars, country, opened, hours) -> float:
    starts = as_datetimes(opened)
    durations = [timedelta(hours=int(h)) for h in hours]
    cals = [calendars[c] for c in country]
    gc.disable()
    t0 = time.perf_counter()
    for cal, s, d in zip(cals, starts, durations, strict=True):
        cal.add_business_time(s, d)
    elapsed = time.perf_counter() - t0
    gc.enable()
    return elapsed


def time_ours_batch(calendars, country, opened, hours) -> float:
    groups = []
    for c in range(len(COUNTRIES)):
        mask = country == c
        groups.append(
            (
                calendars[c],
                (opened[mask] * 1_000_000).astype("datetime64[us]"),
                (hours[mask] * 3_600_000_000).astype("timedelta64[us]"),
            )
        )
    t0 = time.perf_counter()
    for cal, s, d in groups:
        cal.add_business_time_many(s, d)
    return time.perf_counter() - t0


def time_peer(due, country, starts, hours) -> float:
    codes = [COUNTRIES[c] for c in country]
    hs = [int(h) for h in hours]
    gc.disable()
    t0 = time.perf_counter()
    for code, s, h in zip(codes, starts, hs, strict=True):
        due(code, s, h)
    elapsed = time.perf_counter() - t0
    gc.enable()
    return elapsed


def varied_calendars() -> list[BusinessCalendar]:
    """Return the four calendars with Friday 09:00–16:00 and Christmas Eve mornings closed."""
    eves = [Closure(date(y, 12, 24), clock_time(9), clock_time(12), "Christmas Eve") for y in HOLIDAY_YEARS]
    calendars = [
        calendar_for(code, weekday_hours={4: (clock_time(9), clock_time(16))}, closures=eves)
        for code in COUNTRIES
    ]
    for cal in calendars:
        cal.prepare(2025, 2029)
    return calendars


def memory_fifty(first: int, last: int) -> tuple[int, int, float]:
    """Return (bytes of the tables, bytes tracemalloc sees retained, seconds to build) for 50."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    t0 = time.perf_counter()
    calendars = []
    for code in FIFTY:
        cal = BusinessCalendar(code)
        cal.prepare(first, last)
        calendars.append(cal)
    built = time.perf_counter() - t0
    gc.collect()
    retained = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return sum(c.table_nbytes() for c in calendars), retained, built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--peer-sample", type=int, default=10_000)
    parser.add_argument("--check-sample", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    import pandas as pd

    calendars = [calendar_for(code) for code in COUNTRIES]
    for cal in calendars:
        cal.prepare(2025, 2029)

    country, opened, hours = incidents(args.incidents, args.seed)
    btd_due, pandas_due = peer_businesstimedelta(), peer_pandas()

    # The agreement sample: random instants, plus as many on round half-hours (openings,
    # closings, and due times exactly at closing, where pandas is skipped).
    n_check = min(args.check_sample, args.incidents)
    c_country, c_opened, c_hours = incidents(2 * n_check, args.seed + 1)
    c_opened[n_check:] -= c_opened[n_check:] % 1800
    compared_btd, compared_pd = check_agreement(calendars, c_country, c_opened, c_hours, btd_due, pandas_due)

    n_peer = min(args.peer_sample, args.incidents)
    pc, po, ph = country[:n_peer], opened[:n_peer], hours[:n_peer]
    btd_s = time_peer(btd_due, pc, as_datetimes(po), ph)
    pd_starts = [
        pd.Timestamp(int(s), unit="s", tz="UTC").tz_convert(calendars[c].timezone)
        for c, s in zip(pc, po, strict=True)
    ]
    pd_s = time_peer(pandas_due, pc, pd_starts, ph)
    ours_peer_sample = time_ours_single(calendars, pc, po, ph)

    single_s = time_ours_single(calendars, country, opened, hours)
    batch_s = time_ours_batch(calendars, country, opened, hours)
    varied = varied_calendars()
    varied_single_s = time_ours_single(varied, country, opened, hours)
    varied_batch_s = time_ours_batch(varied, country, opened, hours)
    table_bytes, retained, build_s = memory_fifty(2026, 2035)

    n = args.incidents
    btd_rate, pd_rate = per_second(n_peer, btd_s), per_second(n_peer, pd_s)
    single_rate, batch_rate = per_second(n, single_s), per_second(n, batch_s)
    faster_peer = max(btd_rate, pd_rate)
    print(f"# Business calendars and due times — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, {platform.machine()}"
    )
    print(f"command: {' '.join([os.path.basename(sys.executable), *sys.argv])}")
    skipped = compared_btd - compared_pd
    print(
        f"agreement: {compared_btd:,} incidents identical with businesstimedelta; {compared_pd:,} identical"
    )
    print(f"with pandas ({skipped} due exactly at 17:30 skipped: pandas answers the next opening there)")
    print()
    print("| engine | incidents timed | seconds | due times / s | µs / query |")
    print("|---|---:|---:|---:|---:|")
    rows = [
        ("businesstimedelta (single)", n_peer, btd_s),
        ("pandas CustomBusinessHour (single)", n_peer, pd_s),
        ("unisupport, same sample (single)", n_peer, ours_peer_sample),
        ("unisupport (single)", n, single_s),
        ("unisupport (batch, numpy)", n, batch_s),
        ("unisupport, Fri 09:00–16:00, 24 Dec 09:00–12:00 closed (single)", n, varied_single_s),
        ("unisupport, Fri 09:00–16:00, 24 Dec 09:00–12:00 closed (batch)", n, varied_batch_s),
    ]
    for name, count, seconds in rows:
        rate = per_second(count, seconds)
        print(f"| {name} | {count:,} | {seconds:.3f} | {rate:,.0f} | {1e6 / rate:.2f} |")
    print()
    print(f"single queries vs the faster peer: {single_rate / faster_peer:.0f}x (target ≥ 50x)")
    print(f"batch form: {batch_rate:,.0f} due times/s (target ≥ 2,000,000)")
    print(
        f"tables for {len(FIFTY)} countries × 10 years (2026–2035): {table_bytes / 1e6:.1f} MB in the columns, "
        f"{retained / 1e6:.1f} MB retained per tracemalloc (target < 20 MB); built in {build_s:.1f} s"
    )
    ok = single_rate >= 50 * faster_peer and batch_rate >= 2_000_000 and max(table_bytes, retained) < 20e6
    print("targets:", "met" if ok else "NOT MET")


if __name__ == "__main__":
    main()
