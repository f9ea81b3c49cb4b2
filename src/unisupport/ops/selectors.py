"""Reads of operations: is the product ready to serve (database, migrations, worker)?"""

from __future__ import annotations

import datetime as dt

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

from unisupport.ops.models import Heartbeat

WORKER = "worker"


def readiness(*, now: dt.datetime, worker_within: dt.timedelta) -> dict[str, dict[str, object]]:
    """Return each check's verdict: the database answers, every migration is applied, and the worker
    finished a pass within ``worker_within`` of ``now`` (its e-mails, breaches and forfeitures wait
    otherwise). A check's ``ok`` is False with a ``detail`` saying why."""
    checks: dict[str, dict[str, object]] = {}
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True}
    except DatabaseError as exc:
        checks["database"] = {"ok": False, "detail": type(exc).__name__}
        return checks
    executor = MigrationExecutor(connection)
    waiting = executor.migration_plan(executor.loader.graph.leaf_nodes())
    checks["migrations"] = (
        {"ok": True} if not waiting else {"ok": False, "detail": f"{len(waiting)} migrations not applied"}
    )
    beat = Heartbeat.objects.filter(name=WORKER).values_list("beat_at", flat=True).first()
    if beat is None:
        checks["worker"] = {"ok": False, "detail": "the worker never ran"}
    else:
        late = now - beat
        checks["worker"] = {"ok": late <= worker_within, "last_pass_at": beat.isoformat()}
        if late > worker_within:
            checks["worker"]["detail"] = f"no pass for {int(late.total_seconds())} s"
    return checks
