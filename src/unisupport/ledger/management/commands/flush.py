"""Django's `flush`, which the tests use to empty the database between transactional tests: on
SQLite the ledger's entries refuse DELETE (migration 0008, CRD-4), so this command, and only it,
unlocks them on its own connection while it runs. PostgreSQL empties tables with TRUNCATE, which the
row triggers do not see."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        connection.ledger_unlocked = True  # type: ignore[attr-defined]
        try:
            super().handle(**options)
        finally:
            connection.ledger_unlocked = False  # type: ignore[attr-defined]
