"""Concurrent workers (processes, each with its own connection) redeeming and exchanging against one
order: the row lock (PostgreSQL) or the IMMEDIATE write lock (SQLite) keeps every invariant (CRD-4)."""

from __future__ import annotations

import multiprocessing
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from tests.conftest import need
from tests.interfaces.clirunner import unisupport
from tests.ledger_support import load_rates
from tests.services.ledger_workers import ORDER, work
from unisupport.ledger.models import LedgerAccount, LedgerEntry

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 8
OPERATIONS = 30


def _database_url() -> str:
    """Return the URL of the test database, for the worker processes."""
    config = connection.settings_dict
    if config["ENGINE"].endswith("sqlite3"):
        name = str(config["NAME"])
        need("mode=memory" not in name and ":memory:" not in name, "a file-based SQLite test database")
        return f"sqlite:///{name}"
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    host, port = config.get("HOST") or "127.0.0.1", config.get("PORT") or 5432
    return f"postgres://{config.get('USER') or 'postgres'}{password}@{host}:{port}/{config['NAME']}"


def test_crd2_crd4_mc7_eight_processes_racing_for_the_last_credits_keep_every_invariant(demo_orders):
    """CRD-2, CRD-4, MC-7: 8 processes × 30 operations against 700 credits: no balance below zero, every
    running balance equals the sum of its entries, one entry per successful redemption and two per
    exchange, and `ledger verify` passes."""
    load_rates()
    before = LedgerEntry.objects.count()
    url = _database_url()
    context = multiprocessing.get_context("spawn")  # no fork of a process holding a database connection
    with context.Pool(WORKERS) as pool:
        results = pool.starmap(work, [(url, seed, OPERATIONS) for seed in range(WORKERS)])
    redeemed = sum(r["redeemed"] for r in results)
    exchanged = sum(r["exchanged"] for r in results)
    refused = sum(r["refused"] for r in results)
    assert redeemed + exchanged + refused == WORKERS * OPERATIONS
    assert redeemed
    assert exchanged
    assert refused

    accounts = LedgerAccount.objects.filter(order__number=ORDER, kind="credits")
    for account in accounts:
        assert account.balance >= 0
        total = LedgerEntry.objects.filter(account=account).aggregate(s=Sum("amount"))["s"]
        assert total == account.balance
        last = LedgerEntry.objects.filter(account=account).order_by("-serial").first()
        assert last is not None
        assert last.balance_after == account.balance
    written = LedgerEntry.objects.filter(actor__startswith="worker-")
    assert written.count() == LedgerEntry.objects.count() - before == sum(r["entries"] for r in results)
    assert written.filter(rule="CRD-1").count() == redeemed
    assert written.filter(rule="MC-7", amount__lt=0).count() == exchanged
    assert written.filter(rule="MC-7", amount__gt=0).count() == exchanged
    assert (
        sum((a.balance for a in accounts), Decimal(0)) < 700 + exchanged * 60
    )  # nothing appeared from nowhere

    run = unisupport("ledger", "verify", "--json")
    assert run.exit_code == 0, run.stdout
    assert run.json()["ok"] is True


def test_crd2_eight_delivery_requests_racing_for_credits_that_pay_for_five_reserve_exactly_five(demo_orders):
    """CRD-2 with DEL-2's reservation: DE holds 200 credits; a 3-participant workshop costs 38 (3 × 12.5,
    rounded half up); 8 processes request one each at once: exactly 5 are reserved, 3 refused, none
    overdraws, and the ledger verifies."""
    from tests.scopes import OPERATOR
    from tests.services.ledger_workers import request_one
    from unisupport.deliveries.models import Delivery
    from unisupport.ledger.selectors import verify_ledger

    load_rates()
    account = LedgerAccount.objects.get(order__number=ORDER, site="DE", kind="credits")
    assert account.balance == 200
    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        accepted = pool.starmap(request_one, [(_database_url(), seed) for seed in range(WORKERS)])
    assert sum(accepted) == 5
    assert Delivery.objects.count() == 5
    account.refresh_from_db()
    assert account.balance == 200 - 5 * 38
    assert verify_ledger(scope=OPERATOR).violations == []
