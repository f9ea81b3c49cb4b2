"""`unisupport delivery deliver --file`, `attach`, `deliverable`, `terms`, `setup`, `resource` and
`azure-subscription add` (DEL-4, DEL-6, DEL-7): JSON, exit codes, nothing written on refusal."""

from __future__ import annotations

import pytest

from tests.interfaces.clirunner import unisupport
from unisupport.deliveries.models import Deliverable

pytestmark = pytest.mark.django_db

AT = "2027-01-04T10:00:00+01:00"


@pytest.fixture(autouse=True)
def files_dir(settings, tmp_path):
    settings.UNISUPPORT_FILES_DIR = tmp_path / "store"


def requested(service: str = "workshop", quantity: str = "2") -> int:
    run = unisupport(
        "delivery", "request", "--order", "ESO-2026-001", "--site", "FR", "--service", service,
        "--quantity", quantity, "--at", AT, "--json",
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    return run.json()["id"]


def scheduled() -> int:
    delivery = requested()
    run = unisupport("delivery", "schedule", str(delivery), "--on", "2027-02-01", "--at", AT, "--json")
    assert run.exit_code == 0, run.stderr
    return delivery


def test_del7_deliver_with_files_then_save_one(rates, tmp_path):
    delivery = scheduled()
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.7 the report")
    missing = unisupport("delivery", "deliver", str(delivery), "--file", str(tmp_path / "nope.pdf"), "--json")
    assert missing.exit_code == 2
    assert "--file" in missing.stdout + missing.stderr
    run = unisupport("delivery", "deliver", str(delivery), "--file", str(report), "--at", AT, "--json")
    assert run.exit_code == 0, run.stderr
    assert [f["name"] for f in run.json()["deliverables"]] == ["report.pdf"]
    assert "DEL-7" in run.json()["notice"]
    saved = tmp_path / "copy.pdf"
    got = unisupport("delivery", "deliverable", str(delivery), "1", "--output", str(saved))
    assert got.exit_code == 0, got.stderr
    assert saved.read_bytes() == b"%PDF-1.7 the report"
    bad = tmp_path / "notes.txt"
    bad.write_bytes(b"\x00\x01")
    refused = unisupport("delivery", "attach", str(delivery), "--file", str(bad), "--json")
    assert refused.exit_code == 2
    assert Deliverable.objects.count() == 1


def test_del4_terms_then_the_early_cancellation_below_minimum_exits_1(rates):
    delivery = requested()
    run = unisupport(
        "delivery",
        "terms",
        str(delivery),
        "--minimum",
        "2",
        "--deadline",
        "2027-01-20",
        "--capacity",
        "2",
        "--json",
    )
    assert run.exit_code == 0, run.stderr
    assert (run.json()["minimum"], run.json()["registration_deadline"], run.json()["capacity"]) == (
        2,
        "2027-01-20",
        2,
    )
    early = unisupport("delivery", "cancel-below-minimum", str(delivery), "--at", AT, "--json")
    assert early.exit_code == 1
    assert "DEL-4" in early.stdout + early.stderr


def test_del6_an_assessment_needs_a_subscription_then_takes_setup_and_a_resource(rates):
    from unisupport.ledger.rate_services import import_rates

    import_rates(
        text="rate_cards:\n  - site: FR\n    effective_from: 2027-01-01\n    credits: {on-demand-assessment: 20}\n"
    )
    refused = unisupport(
        "delivery", "request", "--order", "ESO-2026-001", "--site", "FR", "--service", "on-demand-assessment",
        "--at", AT, "--json",
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "DEL-6" in refused.stdout
    bad = unisupport(
        "azure-subscription", "add", "--org", "Contoso SA", "--id", "x", "--from", "2026-01-01", "--json"
    )
    assert bad.exit_code == 2
    added = unisupport(
        "azure-subscription", "add", "--org", "Contoso SA", "--id", "6f1c2a9e-3b4d-4c5e-8f70-123456789abc",
        "--from", "2026-01-01", "--json",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    delivery = requested(service="on-demand-assessment", quantity="1")
    setup = unisupport(
        "delivery", "setup", str(delivery), "--start", "2027-02-01T09:00:00+01:00", "--hours", "2", "--json"
    )
    assert setup.exit_code == 0, setup.stderr
    assert setup.json()["rules"] == ["DEL-6"]
    more = unisupport(
        "delivery", "setup", str(delivery), "--start", "2027-02-02T09:00:00+01:00", "--hours", "0.5", "--json"
    )
    assert more.exit_code == 1
    remote = unisupport(
        "delivery", "resource", str(delivery), "--start", "2027-02-03T09:00:00+01:00", "--days", "1", "--fee", "1500",
        "--json",
    )  # fmt: skip
    assert remote.exit_code == 0, remote.stderr
    assert remote.json()["charge"]
