"""The per-process cache of values built from the back office's rows (catalog, site calendars)."""

from __future__ import annotations

from unisupport import process_cache
from unisupport.process_cache import ProcessCache


def test_a_value_is_kept_for_its_lifetime_then_built_again(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: clock[0])
    cache: ProcessCache[str, int] = ProcessCache(seconds=5.0, size=10)
    builds = iter(range(10))
    assert cache.get("FR", lambda: next(builds)) == 0
    clock[0] += 4.9
    assert cache.get("FR", lambda: next(builds)) == 0
    clock[0] += 0.1
    assert cache.get("FR", lambda: next(builds)) == 1


def test_forget_drops_everything_and_a_build_racing_it_is_not_kept():
    cache: ProcessCache[str, str] = ProcessCache(seconds=60.0, size=10)
    assert cache.get("FR", lambda: "old") == "old"
    cache.forget(sender=object())  # a signal receiver's arguments
    assert cache.get("FR", lambda: "new") == "new"

    def build_while_an_edit_lands() -> str:
        cache.forget()  # another thread's save, during this build
        return "read before the edit"

    assert cache.get("DE", build_while_an_edit_lands) == "read before the edit"
    assert cache.get("DE", lambda: "after") == "after"  # the racing value was not kept


def test_past_its_size_the_cache_starts_again():
    cache: ProcessCache[int, int] = ProcessCache(seconds=60.0, size=2)
    cache.get(1, lambda: 1)
    cache.get(2, lambda: 2)
    cache.get(3, lambda: 3)  # full: cleared, then 3 kept
    assert cache.get(1, lambda: -1) == -1
