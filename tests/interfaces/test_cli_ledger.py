"""`unisupport ledger | credits | hours | fees | rates`: the issue's contract, outputs and exit codes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.interfaces.clirunner import unisupport
from tests.ledger_support import RATES_YAML
from unisupport.ledger.models import LedgerAccount, LedgerEntry, RateCard

pytestmark = pytest.mark.django_db
ORDER = "ESO-2026-001"


@pytest.fixture
def rates_file(tmp_path: Path) -> str:
    path = tmp_path / "rates.yaml"
    path.write_text(RATES_YAML, encoding="utf-8")
    return str(path)


@pytest.fixture
def rates(demo_orders, rates_file):
    run = unisupport("rates", "import", rates_file, "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json() == {
        "rate_cards": {"created": 3, "updated": 0, "unchanged": 0},
        "exchange_rates": {"created": 3, "updated": 0, "unchanged": 0},
    }


def test_ledger_balance_json_has_the_issues_shape(demo_orders):
    run = unisupport("ledger", "balance", "--order", ORDER, "--site", "DE", "--json")
    assert run.exit_code == 0
    assert run.json() == {
        "order": ORDER,
        "accounts": [
            {
                "site": "DE",
                "kind": "credits",
                "service": None,
                "balance": "200",
                "reserved": "0",
                "available": "200",
            },
            {
                "site": "DE",
                "kind": "hours",
                "service": "enhanced-designated-engineering",
                "balance": "400",
                "reserved": "0",
                "available": "400",
            },
        ],
    }
    assert "FR" in unisupport("ledger", "balance", "--order", ORDER).stdout


def test_crd1_credits_redeem_prints_the_cost_and_the_balance(rates):
    """CRD-1: 3 workshop participants at 12.5 credits = 38."""
    run = unisupport("credits", "redeem", "--order", ORDER, "--site", "FR", "--service", "workshop",
                     "--quantity", "3", "--on", "2027-01-15", "--json")  # fmt: skip
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert (data["credits"], data["rule"], data["balance"]) == (38, "CRD-1", "462")


def test_crd2_a_refused_redemption_exits_1_and_prints_the_rule(rates):
    """CRD-2: refused, exit 1, the rule ID printed, nothing written."""
    before = LedgerEntry.objects.count()
    run = unisupport("credits", "redeem", "--order", ORDER, "--site", "FR", "--service", "workshop",
                     "--quantity", "100", "--on", "2027-01-15", "--json")  # fmt: skip
    assert run.exit_code == 1
    assert run.json()["error"]["rule"] == "CRD-2"
    assert "CRD-2" in run.stderr
    assert LedgerEntry.objects.count() == before


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--quantity", "1.5"], "quantity"),
        (["--quantity", "-3"], "quantity"),
        (["--quantity", "1", "--site", "IT"], "site"),
        (["--quantity", "1", "--service", "nope"], "service"),
        (["--quantity", "1", "--on", "2027-08-01"], "on"),
        (["--quantity", "1", "--order", "ESO-0000"], "order"),
    ],
)
def test_crd1_bad_input_exits_2_names_the_field_and_writes_nothing(rates, args, field):
    """CRD-1: bad input exits 2 naming the field; nothing is written."""
    before = (LedgerEntry.objects.count(), LedgerAccount.objects.count())
    base = {"--order": ORDER, "--site": "FR", "--service": "workshop", "--on": "2027-01-15"}
    pairs = dict(zip(args[::2], args[1::2], strict=True))
    argv = [x for k, v in (base | pairs).items() for x in (k, v)]
    run = unisupport("credits", "redeem", *argv, "--json")
    assert run.exit_code == 2, run.stdout
    assert run.json()["error"]["field"] == field
    assert (LedgerEntry.objects.count(), LedgerAccount.objects.count()) == before


def test_a_bad_date_is_a_usage_error_naming_the_option(rates):
    run = unisupport("credits", "redeem", "--order", ORDER, "--site", "FR", "--service", "workshop",
                     "--quantity", "1", "--on", "2027-13-01")  # fmt: skip
    assert run.exit_code == 2
    assert "--on" in run.stderr


def test_mc7_credits_exchange_prints_the_issues_json(rates):
    """MC-7: 100 credits FR→DE at 0.95 with a 2 % fee: 93."""
    run = unisupport("credits", "exchange", "--order", ORDER, "--from", "FR", "--to", "DE",
                     "--credits", "100", "--on", "2027-02-01", "--json")  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert run.json() == {"debited": 100, "credited": 93, "rule": "MC-7"}


def test_mc6_credits_exchange_to_another_order_exits_1(rates):
    """MC-6: a target site on another order is refused."""
    run = unisupport("credits", "exchange", "--order", ORDER, "--from", "FR", "--to", "JP",
                     "--credits", "100", "--to-order", "ESO-2026-002")  # fmt: skip
    assert run.exit_code == 1
    assert "MC-6" in run.stderr


def test_hrs1_hours_consume_and_hrs2_overdraw(demo_orders):
    """HRS-1: 7.5 hours consumed; HRS-2: beyond the block, refused with exit 1."""
    args = [
        "hours",
        "consume",
        "--order",
        ORDER,
        "--site",
        "DE",
        "--service",
        "enhanced-designated-engineering",
    ]
    run = unisupport(*args, "--hours", "7.5", "--on", "2026-09-02", "--json")
    assert run.exit_code == 0, run.stderr
    assert (run.json()["hours"], run.json()["balance"], run.json()["rule"]) == ("7.5", "392.5", "HRS-1")
    refused = unisupport(*args, "--hours", "400", "--on", "2026-09-03")  # a working day (HRS-4)
    assert refused.exit_code == 1
    assert "HRS-2" in refused.stderr


def test_del2_fees_cancellation_prints_the_issues_json(db):
    """DEL-2: 10 days before: 50 %."""
    run = unisupport(
        "fees", "cancellation", "--cost", "12000", "--delivery", "2026-12-20", "--on", "2026-12-10", "--json"
    )
    assert run.exit_code == 0, run.stderr
    assert run.json() == {
        "days_before": 10,
        "fee_percent": 50,
        "fee": "6000.00",
        "refund": "6000.00",
        "rule": "DEL-2",
    }


def test_crd1_rates_import_is_all_or_nothing(demo_orders, tmp_path: Path):
    """CRD-1: an invalid rate file exits 2 naming the field and imports nothing."""
    path = tmp_path / "bad.yaml"
    path.write_text(RATES_YAML.replace("chalk-talk: 45", "chalk-talk: -45"), encoding="utf-8")
    run = unisupport("rates", "import", str(path))
    assert run.exit_code == 2
    assert "rate_cards[2].credits.chalk-talk" in run.stderr
    assert not RateCard.objects.exists()


def test_ledger_statement_json_csv_and_account_filter(rates):
    unisupport(
        "credits",
        "redeem",
        "--order",
        ORDER,
        "--site",
        "FR",
        "--service",
        "workshop",
        "--quantity",
        "3",
        "--on",
        "2027-01-15",
    )
    run = unisupport("ledger", "statement", "--order", ORDER, "--account", "FR/credits", "--json")
    assert run.exit_code == 0
    assert [(e["amount"], e["balance"], e["rule"]) for e in run.json()] == [
        ("500", "500", "CRD-1"),
        ("-38", "462", "CRD-1"),
    ]
    csv = unisupport("ledger", "statement", "--order", ORDER, "--rule", "FLX-5", "--csv").stdout.splitlines()
    assert csv[0].startswith("serial,entry,effective_on")
    assert len(csv) == 3  # the header, and the two assignments of the allocation
    bad = unisupport("ledger", "statement", "--order", ORDER, "--account", "FR/nope")
    assert bad.exit_code == 2
    assert "account" in bad.stderr


def test_ord5_ledger_expire_is_safe_to_run_twice(demo_orders):
    """ORD-5: the second run writes nothing."""
    first = unisupport("ledger", "expire", "--on", "2027-07-01", "--json")
    assert first.exit_code == 0
    assert len(first.json()["entries"]) == 7  # with UER's included hours (UER-2)
    second = unisupport("ledger", "expire", "--on", "2027-07-01", "--json")
    assert second.json()["entries"] == []


def test_crd4_ledger_verify_fails_on_a_corrupted_balance(demo_orders):
    """CRD-4: `ledger verify` exits non-zero when a running balance no longer matches its entries."""
    assert unisupport("ledger", "verify").exit_code == 0
    LedgerAccount.objects.filter(site="DE", kind="credits").update(balance=Decimal("199"))
    run = unisupport("ledger", "verify", "--json")
    assert run.exit_code == 1
    assert run.json()["ok"] is False
    assert [v["rule"] for v in run.json()["violations"]] == ["CRD-4"]


def test_crd1_ledger_grant_posts_nothing_when_the_version_is_granted(demo_orders):
    """CRD-1: `ledger grant` posts only what the current version grants and the ledger lacks."""
    run = unisupport("ledger", "grant", "--order", ORDER, "--json")
    assert run.exit_code == 0
    assert run.json() == {"order": ORDER, "entries": []}
