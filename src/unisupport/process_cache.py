"""Values built from the back office's rows, kept by each process for a few seconds (catalog, calendars).

Rows such as the catalog or a site's closures change a few times a year, and are read on every
incident opened. Each process keeps what it built from them:
- a save or delete of those rows in this process clears its cache at once (``forget``, connected
  to the models' post_save and post_delete signals by their apps);
- an edit made by another process, or one that sends no signal (QuerySet.update, bulk_create), or
  one rolled back after a value was built from it, shows within ``seconds``;
- a value whose reading began before a ``forget`` is not stored after it, so that a build racing an
  edit in another thread is not kept for the whole lifetime.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ProcessCache(Generic[K, V]):
    """Values by key, each kept ``seconds`` at most; past ``size`` keys, all are dropped (a crude bound)."""

    def __init__(self, *, seconds: float, size: int) -> None:
        self.seconds = seconds
        self.size = size
        self._values: dict[K, tuple[float, V]] = {}
        self._generation = 0  # bumped by every forget

    def get(self, key: K, build: Callable[[], V]) -> V:
        """Return the value of ``key``: the kept one if younger than ``seconds``, else ``build()`` (then kept)."""
        now = time.monotonic()
        kept = self._values.get(key)
        if kept is not None and now - kept[0] < self.seconds:
            return kept[1]
        generation = self._generation
        value = build()
        if generation == self._generation:
            if len(self._values) >= self.size:
                self._values.clear()
            self._values[key] = (now, value)
        return value

    def forget(self, **_: object) -> None:
        """Drop every kept value (a signal receiver: it takes the signal's arguments and ignores them)."""
        self._generation += 1
        self._values.clear()
