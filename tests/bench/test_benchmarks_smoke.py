"""Every benchmark under bench/ runs end to end at tiny sizes (seconds), so that a change to an API a
benchmark uses breaks `make test` instead of the next measurement. Not a measurement: the figures
printed at these sizes mean nothing; what is checked is that the script runs and prints its result."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# One after another, in one xdist worker: bench_ledger and bench_deliveries make the same database
# afresh, and two benchmarks at once would only slow the rest of the suite more.
pytestmark = pytest.mark.xdist_group("benchmarks")

ROOT = Path(__file__).resolve().parent.parent.parent
BENCH = ROOT / "bench"

# script, its smallest sizes, and a text its last lines print when it ran to the end.
ON_SQLITE = [
    ("bench_calendar.py", ["--incidents", "2000", "--peer-sample", "200", "--check-sample", "100"], "targets:"),
    ("bench_planner.py", [], "planner: median"),
    ("bench_review.py", ["--incidents", "200", "--entries", "100", "--times", "1"], "PDF: best"),
    ("bench_programmes.py", ["--orders", "20", "--incidents", "200", "--times", "2"], "idle pass"),
    ("bench_delivery_pages.py", ["--deliveries", "1000", "--times", "2"], "GET /api/deliveries (vendor)"),
    ("bench_consumption.py", ["--entries", "100,1000", "--times", "2"], "growth of p50"),
    ("bench_incident_lists.py", ["--incidents", "200,1000", "--times", "2"], "worst p95"),
    ("bench_load.py", ["--incidents", "500", "--entries", "500", "--users", "4", "--seconds", "3",
                       "--think", "0.1,0.2", "--workers", "1"], "aims (p95"),
    ("bench_ledger.py", ["--workers", "2", "--seconds", "0.3", "--orders", "5", "--entries", "200",
                         "--repeat", "5"], "| whole statement | ledger verify |"),
    ("bench_webhooks.py", ["--events", "50", "--endpoints", "3", "--port", "18931"], "the refusing endpoint"),
]  # fmt: skip
# The benchmarks without a database.
PURE = {"bench_calendar.py", "bench_planner.py"}
# The benchmarks that measure PostgreSQL only, run in the PostgreSQL run of the suite.
ON_POSTGRES = [
    ("bench_deliveries.py", ["--workers", "2", "--seconds", "0.3", "--rounds", "1"], "median ratio"),
    ("bench_incidents.py", ["--rows", "200", "--opens", "20", "--rounds", "1"], "attainment report over"),
]


def _admin_url() -> str | None:
    """Return the URL of the PostgreSQL server's administration database when the suite runs on
    PostgreSQL (the benchmarks make their own databases there), else None."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    return url.rsplit("/", 1)[0] + "/postgres"


def _run(script: str, args: list[str], tmp_path: Path, *, env: dict[str, str] | None = None) -> str:
    """Return what ``script`` printed, run with ``args`` in its own process (its failure, in full, fails the test)."""
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        cwd=ROOT,
        env={**os.environ, "UNISUPPORT_CONN_MAX_AGE": "0", **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{script} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.mark.parametrize(("script", "args", "ends_with"), ON_SQLITE, ids=[s for s, _, _ in ON_SQLITE])
def test_the_benchmark_runs_at_smoke_size(script: str, args: list[str], ends_with: str, tmp_path: Path):
    admin = _admin_url()
    if script in PURE:
        where = []
    elif admin:  # the suite's PostgreSQL run: the benchmark's own database on that server
        where = ["--pg", admin, *(["--skip-sqlite"] if script == "bench_ledger.py" else [])]
    else:
        where = ["--sqlite", str(tmp_path / "bench.sqlite3")]
    output = _run(script, [*args, *where], tmp_path)
    assert ends_with in output


@pytest.mark.parametrize(("script", "args", "ends_with"), ON_POSTGRES, ids=[s for s, _, _ in ON_POSTGRES])
def test_the_postgresql_benchmark_runs_at_smoke_size(
    script: str, args: list[str], ends_with: str, tmp_path: Path
):
    admin = _admin_url()
    if admin is None:
        pytest.skip("measures PostgreSQL only: runs in the suite's PostgreSQL run")
    where = [] if script == "bench_incidents.py" else ["--pg", admin]
    output = _run(script, [*args, *where], tmp_path, env={"DATABASE_URL": admin})
    assert ends_with in output
