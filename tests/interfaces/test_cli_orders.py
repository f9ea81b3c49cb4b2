"""`unisupport order …` and `unisupport catalog …`: the contract of the issue, exit codes included."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.domain.test_order_rules import FR_FOUNDATIONAL, THE_ISSUE_EXAMPLE, order
from tests.interfaces.clirunner import unisupport
from tests.ledger_support import EVENTS_ORDER

pytestmark = pytest.mark.django_db

BROKEN = order(FR_FOUNDATIONAL + "    - {service: mcs-azure-workload-companion}\n")
UNREADABLE = THE_ISSUE_EXAMPLE.replace("quantity: 12,", "quantity: -12,")


@pytest.fixture
def write(tmp_path: Path):
    def _write(text: str, name: str = "order.yaml") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return _write


def test_validate_json_valid_exits_0(catalog_db, write):
    run = unisupport("order", "validate", write(THE_ISSUE_EXAMPLE), "--json")
    assert run.exit_code == 0
    assert run.json() == {"valid": True, "errors": [], "warnings": []}


def test_validate_json_ord3_broken_exits_1_and_names_the_rule(catalog_db, write):
    run = unisupport("order", "validate", write(BROKEN), "--json")
    assert run.exit_code == 1
    verdict = run.json()
    assert verdict["valid"] is False
    assert [(e["rule"], e["path"]) for e in verdict["errors"]] == [
        ("ORD-3", "ESO-2026-001.sites[0].lines[1].service")
    ]
    assert verdict["errors"][0]["message"].startswith("ORD-3:")


def test_validate_json_unreadable_exits_2_and_names_the_field(catalog_db, write):
    run = unisupport("order", "validate", write(UNREADABLE), "--json")
    assert run.exit_code == 2
    (error,) = run.json()["errors"]
    assert error["rule"] is None
    assert error["path"] == "ESO-2026-001.sites[0].lines[1].quantity"


def test_validate_readable_form_lists_rule_ids(catalog_db, write):
    run = unisupport("order", "validate", write(BROKEN))
    assert run.exit_code == 1
    assert "ORD-3: MCS for Azure Workload Companion requires" in run.stdout


def test_validate_a_missing_file_exits_2(catalog_db, tmp_path):
    run = unisupport("order", "validate", str(tmp_path / "nope.yaml"))
    assert run.exit_code == 2
    assert "no such file" in run.stderr


def test_flx5_warning_carries_the_amount_forfeited(catalog_db, write):
    text = THE_ISSUE_EXAMPLE.replace("amount: 190000", "amount: 150000")
    run = unisupport("order", "validate", write(text), "--json")
    assert run.exit_code == 0
    (warning,) = run.json()["warnings"]
    assert warning["rule"] == "FLX-5"
    assert warning["amount"] == "40000"


def test_import_then_reimport_changed_makes_version_2(catalog_db, write):
    first = unisupport("order", "import", write(THE_ISSUE_EXAMPLE), "--json")
    assert first.exit_code == 0
    assert first.json()["imported"] == [
        {"order": "ESO-2026-001", "agreement": "CONTOSO-UNIFIED", "version": 1, "created": True}
    ]
    second = unisupport(
        "order", "import", write(THE_ISSUE_EXAMPLE.replace("quantity: 500", "quantity: 501")), "--json"
    )
    assert second.json()["imported"][0]["version"] == 2
    show = unisupport("order", "show", "ESO-2026-001", "--json")
    assert show.json()["versions"] == [1, 2]
    old = unisupport("order", "show", "ESO-2026-001", "--version", "1", "--json").json()
    fr = next(s for s in old["sites"] if s["country"] == "FR")
    assert next(line for line in fr["lines"] if line["service"] == "proactive-credits")["quantity"] == "500"


def test_import_of_an_invalid_file_exits_1_and_writes_nothing(catalog_db, write):
    from unisupport.orders.models import Order

    run = unisupport("order", "import", write(BROKEN), "--json")
    assert run.exit_code == 1
    assert run.json()["imported"] == []
    assert Order.objects.count() == 0


def test_order_show_gives_term_and_del1_deadline(catalog_db, write):
    unisupport("order", "import", write(THE_ISSUE_EXAMPLE))
    data = unisupport("order", "show", "ESO-2026-001", "--json").json()
    assert data["request_deadline"] == "2026-11-01"  # DEL-1: 60 days before 2026-12-31
    assert data["request_deadline_rule"] == "DEL-1"
    assert unisupport("order", "show", "ESO-0000", "--json").exit_code == 2


def test_cat1_catalog_list_has_all_49_services_in_both_languages(catalog_db):
    en = unisupport("catalog", "list", "--json").json()
    fr = unisupport("catalog", "list", "--lang", "fr", "--json").json()
    assert len(en) == len(fr) == 49
    by_code = {s["code"]: s for s in fr}
    assert by_code["foundational"]["name"].startswith("Services fondamentaux")
    assert by_code["on-demand-assessment"]["mark"] == "✓"
    assert by_code["developer-support"]["mark"] == "+¹"


def test_catalog_list_by_category(catalog_db):
    rows = unisupport("catalog", "list", "--category", "reactive", "--json").json()
    assert {r["category"] for r in rows} == {"reactive"}
    assert "advisory-support" in {r["code"] for r in rows}
    assert unisupport("catalog", "list", "--category", "nonsense").exit_code == 2


def test_cat3_catalog_show_names_the_provider(catalog_db):
    run = unisupport("catalog", "show", "mcs-github")
    assert run.exit_code == 0
    assert "GitHub, Inc." in run.stdout
    assert unisupport("catalog", "show", "nope").exit_code == 2


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="this test makes its own SQLite file")
def test_migrate_creates_a_fresh_database_from_nothing(tmp_path):
    """A user points the CLI at a new file and starts from nothing: migrate, then validate."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    exe = Path(sys.executable).with_name("unisupport")
    migrate = subprocess.run([str(exe), "migrate"], env=env, capture_output=True, text=True, check=False)
    assert migrate.returncode == 0, migrate.stderr
    assert "49 services" in migrate.stdout
    order_file = tmp_path / "order.yaml"
    order_file.write_text(THE_ISSUE_EXAMPLE, encoding="utf-8")
    validate = subprocess.run(
        [str(exe), "order", "validate", str(order_file), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert validate.returncode == 0, validate.stderr
    journal = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sqlite3; print(sqlite3.connect('{tmp_path / 'fresh.sqlite3'}').execute('pragma journal_mode').fetchone()[0])",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert journal.stdout.strip() == "wal"


def test_import_json_prints_the_ledgers_refusal_of_an_amendment_as_json(demo_orders, tmp_path):
    """ORD-9 with CRD-4: an amendment taking back credits already used is refused; --json says so on stdout."""
    from tests.ledger_support import contoso, load_rates

    load_rates()
    used = unisupport(
        "credits", "redeem", "--order", "ESO-2026-001", "--site", "DE", "--service", "workshop",
        "--quantity", "12", "--on", "2026-09-01", "--json",
    )  # fmt: skip
    assert used.exit_code == 0, used.stderr
    amended = tmp_path / "amended.yaml"
    amended.write_text(
        contoso().replace(
            "{service: proactive-credits, quantity: 200}", "{service: proactive-credits, quantity: 100}"
        )
    )
    run = unisupport("order", "import", str(amended), "--json")
    assert run.exit_code == 1
    assert run.json()["error"]["rule"] == "CRD-4"


def test_ord8_order_accept_and_refuse_decide_a_line_that_awaits_the_vendor(catalog_db, tmp_path):
    from unisupport.ledger.models import LedgerAccount

    path = tmp_path / "events.yaml"
    path.write_text(EVENTS_ORDER)
    assert unisupport("order", "import", str(path)).exit_code == 0
    assert not LedgerAccount.objects.filter(kind="events").exists()  # awaiting the vendor: nothing granted
    unknown = unisupport("order", "accept", "ESO-2027-EVT", "--service", "mcs-azure-events-plus", "--json")
    assert unknown.exit_code == 2
    assert unknown.json()["error"]["field"] == "service"
    accepted = unisupport("order", "accept", "ESO-2027-EVT", "--service", "mcs-azure-events", "--json")
    assert accepted.exit_code == 0, accepted.stderr
    assert accepted.json() == {
        "order": "ESO-2027-EVT",
        "site": "FR",
        "service": "mcs-azure-events",
        "quantity": "2",
        "status": "accepted",
        "rule": "ORD-8",
    }
    assert LedgerAccount.objects.get(kind="events").balance == 2  # the events it bought, granted
    wrong_site = unisupport(
        "order", "refuse", "ESO-2027-EVT", "--service", "mcs-azure-events", "--site", "DE"
    )
    assert wrong_site.exit_code == 2
    refused = unisupport("order", "refuse", "ESO-2027-EVT", "--service", "mcs-azure-events", "--site", "FR")
    assert refused.exit_code == 0
    assert "refused (ORD-8)" in refused.stdout
    foundational = unisupport("order", "accept", "ESO-2027-EVT", "--service", "foundational")
    assert foundational.exit_code == 2  # not subject to resource availability: nothing to decide
