"""Health (issue 17 §5): /health/live answers while the process does; /health/ready only when the
database answers, every migration is applied and the worker finished a pass lately, naming the check
that failed otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from unisupport import clock
from unisupport.ops.models import Heartbeat
from unisupport.ops.services import record_beat

pytestmark = pytest.mark.django_db


def test_live_answers_anyone_and_is_never_cached():
    response = Client().get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "live"}
    assert "no-store" in response["Cache-Control"]
    assert Client().post("/health/live").status_code == 405


def test_ready_waits_for_the_worker_and_says_why(settings):
    settings.UNISUPPORT_WORKER_STALE_SECONDS = 300
    never = Client().get("/health/ready")
    assert never.status_code == 503
    body = never.json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["migrations"] == {"ok": True}
    assert body["checks"]["worker"] == {"ok": False, "detail": "the worker never ran"}
    record_beat(name="worker", at=clock.now() - dt.timedelta(seconds=30))
    ready = Client().get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    Heartbeat.objects.filter(name="worker").update(beat_at=clock.now() - dt.timedelta(minutes=10))
    stale = Client().get("/health/ready").json()["checks"]["worker"]
    assert stale["ok"] is False
    assert stale["detail"].startswith("no pass for 6")


def test_every_worker_pass_is_a_heartbeat(demo_orders):
    from tests.interfaces.clirunner import unisupport

    assert unisupport("worker", "--once", "--no-send").exit_code == 0
    assert unisupport("worker", "--once", "--no-send").exit_code == 0
    assert Heartbeat.objects.get(name="worker").passes == 2
    assert Client().get("/health/ready").status_code == 200
