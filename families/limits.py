"""Limits of the SMS self-registration, as atomic counters in the shared cache (Redis in
production), like accounts/throttle.py: one increment (``count_up``), no lock, no list of hits,
the same in every worker. Counted *before* anything is checked or sent.

- per number and names: the SMS a number can receive in a day, counted for the names typed
  with it (folded as for identifiers), so that tries under other names never spend the real
  parent's;
- per address: a short window that slows a room down rather than refusing it (a parents'
  evening is one school address): over it, the page says how long to wait."""

import hashlib
import hmac
import math
import time

from django.conf import settings
from django.core.cache import cache

from accounts.people import person_key
from accounts.throttle import count_up


def _key(kind, who, window, now=None):
    return f"families:{kind}:{who}:{int((now or time.time()) // window)}"


def hit(kind, who, *, window: int) -> int:
    """One more for ``who`` in the current window of ``window`` seconds; the new total."""
    return count_up(_key(kind, who, window), window * 2)


def current(kind, who, *, window: int) -> int:
    return cache.get(_key(kind, who, window)) or 0


def minutes_left(window: int) -> int:
    """Minutes until the current window of ``window`` seconds ends (1 at least)."""
    return max(1, math.ceil((window - time.time() % window) / 60))


def number_key(mobile: str, last_name: str, first_name: str) -> str:
    """Who the per-number counter counts for: the number and the folded names, as a keyed
    digest (neither is kept in clear in the cache)."""
    last, first, _birth = person_key(last_name, first_name)
    message = f"{mobile}:{last}:{first}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]
