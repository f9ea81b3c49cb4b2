"""The one clock of the product: aware, in UTC.

The edge reads it — a request, a command, a worker's pass — once, and passes the instant down as
``at``/``now``/``on``; the domain never reads it. Callers look it up as ``clock.now()``, so that a
test freezes the whole process in one place (``monkeypatch.setattr(clock, "now", …)``).
"""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    """Return the current instant, aware and in UTC."""
    return dt.datetime.now(tz=dt.UTC)


def today() -> dt.date:
    """Return today's date in UTC (a site's own date comes from its time zone: OrderFacts.today)."""
    return now().date()
