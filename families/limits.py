"""Limits of the SMS self-registration, as atomic counters in the shared cache (Redis in
production), like accounts/throttle.py: one increment, no lock, no list of hits, the same in
every worker. Counted *before* anything is checked or sent."""

import time

from django.core.cache import cache


def _key(kind, who, window, now=None):
    return f"families:{kind}:{who}:{int((now or time.time()) // window)}"


def hit(kind, who, *, window: int) -> int:
    """One more for ``who`` in the current window of ``window`` seconds; the new total."""
    key = _key(kind, who, window)
    cache.add(key, 0, timeout=window * 2)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window * 2)
        return 1


def current(kind, who, *, window: int) -> int:
    return cache.get(_key(kind, who, window)) or 0
