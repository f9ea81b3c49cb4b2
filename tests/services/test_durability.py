"""The embedded database keeps what it acknowledged (issue 17 §0): SQLite commits with synchronous=FULL."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's setting")
def test_an_sqlite_commit_is_on_disk_when_it_returns():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL (NORMAL, 1, may lose the last commits on power loss)
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_the_setting_is_validated():
    from django.core.exceptions import ImproperlyConfigured

    from unisupport.env import env_choice

    with pytest.raises(ImproperlyConfigured):
        env_choice("X", "FULL", frozenset({"FULL", "NORMAL"}), environ={"X": "OFF"})
