"""`unisupport worker` in real processes, against a real SMTP server on loopback.

Each milestone is notified exactly once — also when a worker dies mid-run, and when two
workers run at once.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import database_url
from tests.scopes import OPERATOR
from unisupport.accounts.roles import Role
from unisupport.domain.incident_commands import OpenIncident
from unisupport.incidents.models import Milestone, Notification

pytestmark = pytest.mark.django_db(transaction=True)

OPENED = dt.datetime(2026, 12, 18, 16, 0, tzinfo=dt.UTC)
EXE = str(Path(sys.executable).with_name("unisupport"))
DYING_WORKER = Path(__file__).parents[1] / "dying_worker.py"


@pytest.fixture
def staffed(demo_orders):
    """Return the people notified: an engineer assigned to every incident, and the CSAM."""
    from unisupport.accounts.services import create_person
    from unisupport.orders.models import Agreement

    engineer = create_person(
        username="erin", password="x" * 12, roles=[Role.SUPPORT_ENGINEER], email="erin@vendor.test"
    )
    csam = create_person(username="bob", password="x" * 12, roles=[Role.CSAM], email="bob@vendor.test")
    Agreement.objects.update(csam=csam)
    # These tests count the incidents' e-mails: the demo's programme milestones (UER-2, UER-3), late
    # by then too, are marked reminded so that the worker's programme pass sends nothing.
    from unisupport.programmes.models import Milestone as ProgrammeMilestone

    ProgrammeMilestone.objects.update(reminded_at=OPENED, remind_at=None)
    return engineer


def open_many(engineer, count: int) -> None:
    from unisupport.incidents.models import Incident
    from unisupport.incidents.services import open_incident

    for n in range(count):
        incident = open_incident(
            scope=OPERATOR,
            command=OpenIncident.parse(
                order_number="ESO-2026-001",
                site_country="FR",
                severity="A",
                product="Exchange Online",
                channel="phone",
                title=f"Outage {n}",
            ),
            at=OPENED + dt.timedelta(minutes=n),
        )
        Incident.objects.filter(pk=incident.pk).update(assigned_engineer=engineer)


def run_worker(
    smtp_port: int, now: dt.datetime, *dies_at: str, batch: str = "200"
) -> subprocess.CompletedProcess:
    """Return the finished run of `unisupport worker --once`, or of a worker that dies at ``dies_at``."""
    env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        UNISUPPORT_SMTP_HOST="127.0.0.1",
        UNISUPPORT_SMTP_PORT=str(smtp_port),
        UNISUPPORT_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        UNISUPPORT_WORKER_BATCH=batch,
    )
    command = [EXE, "worker", "--once", "--now", now.isoformat()]
    if dies_at:
        command = [sys.executable, str(DYING_WORKER), now.isoformat(), *dies_at]
    return subprocess.run(
        command,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_worker_killed_mid_batch_and_mid_send_still_notifies_each_milestone_exactly_once(
    staffed, smtp_server
):
    open_many(staffed, 12)  # 12 Sev A incidents: 24 milestones (75 % warning, breach), 2 recipients each
    later = OPENED + dt.timedelta(hours=2)
    # First worker: dies right after its second committed batch of 5 milestones, before sending.
    first = run_worker(smtp_server.port, later, "--after-batches", "2", batch="5")
    assert first.returncode == 137, first.stderr
    assert Milestone.objects.filter(state="done").count() == 10
    assert smtp_server.mailbox.messages == []
    # Second worker: processes the rest, then dies after 7 e-mails handed to SMTP.
    second = run_worker(smtp_server.port, later, "--after-sends", "7")
    assert second.returncode == 137, second.stderr
    assert Milestone.objects.filter(state="pending").count() == 0
    assert len(smtp_server.mailbox.messages) == 7
    # Third worker: sends what is left.
    third = run_worker(smtp_server.port, later)
    assert third.returncode == 0, third.stderr
    ids = smtp_server.mailbox.message_ids()
    assert len(ids) == 24 * 2
    assert Counter(ids).most_common(1)[0][1] == 1  # no message twice
    assert set(ids) == set(Notification.objects.values_list("message_id", flat=True))
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    per_person = Counter(m["To"] for m in smtp_server.mailbox.messages)
    assert per_person == {"erin@vendor.test": 24, "bob@vendor.test": 24}


def test_two_workers_at_once_share_the_queue_without_doubles(staffed, smtp_server):
    open_many(staffed, 10)
    later = OPENED + dt.timedelta(hours=2)
    env_hooks = {"UNISUPPORT_WORKER_BATCH": "3"}
    procs = [
        subprocess.Popen(
            [EXE, "worker", "--once", "--now", later.isoformat()],
            env=dict(
                os.environ,
                DATABASE_URL=database_url(),
                UNISUPPORT_SMTP_HOST="127.0.0.1",
                UNISUPPORT_SMTP_PORT=str(smtp_server.port),
                UNISUPPORT_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                **env_hooks,
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    ids = smtp_server.mailbox.message_ids()
    assert len(ids) == 20 * 2
    assert len(set(ids)) == len(ids)
    assert Milestone.objects.filter(state="done").count() == 20
