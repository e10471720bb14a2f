"""Limits of the SMS self-registration: the address limits' windowed counters
(accounts/throttle.py: one atomic increment in the shared cache, no lock, no list of hits, the
same in every worker), counted *before* anything is checked or sent.

- per number and names: the SMS a number can receive in a day, counted for the names typed
  with it (folded as for identifiers), so that tries under other names never spend the real
  parent's;
- per address: a short window that slows a room down rather than refusing it (a parents'
  evening is one school address): over it, the page says how long to wait."""

import math

from accounts import throttle
from accounts.people import person_key


def hit(kind, who, *, window: int) -> int:
    """One more for ``who`` in the current window of ``window`` seconds; the new total."""
    return throttle.count(f"sms-{kind}", who, window)


def minutes_left(window: int) -> int:
    """Minutes until the current window of ``window`` seconds ends (1 at least)."""
    return max(1, math.ceil(throttle.time_left(window) / 60))


def number_key(mobile: str, last_name: str, first_name: str) -> str:
    """Who the per-number counter counts for: the number and the folded names, as a keyed
    digest (neither is kept in clear in the cache)."""
    last, first, _birth = person_key(last_name, first_name)
    return throttle.keyed_digest(f"{mobile}:{last}:{first}")[:32]
